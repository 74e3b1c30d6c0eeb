import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aggregate, attributionsMatch, expectedCalibrationError, iou, normalizeSpan, predictionOutcomes, prf, scoreDocument, spansExact, type ScoredAttribution,
} from '../../src/eval/metrics.js';
import type { Range } from '../../src/core/types.js';

//            0123456789012
const SHORT = 'ab "cd." ef';

test('normalizeSpan trims whitespace and punctuation from both ends', () => {
  assert.deepEqual(normalizeSpan(SHORT, [[2, 8]]), [[4, 6]]);
  assert.deepEqual(normalizeSpan(SHORT, [[3, 7]]), [[4, 6]]);
  assert.deepEqual(normalizeSpan(SHORT, [[0, 11]]), [[0, 11]]);
});

test('normalizeSpan drops a range of only punctuation and spaces', () => {
  assert.deepEqual(normalizeSpan(SHORT, [[6, 9]]), []);
  assert.deepEqual(normalizeSpan(SHORT, [[0, 2], [6, 9]]), [[0, 2]]);
});

test('normalizeSpan joins ranges that only punctuation or spaces separate, and sorts', () => {
  assert.deepEqual(normalizeSpan(SHORT, [[4, 6], [0, 2]]), [[0, 6]]);
  // "cd" lies between these two: they stay discontinuous.
  assert.deepEqual(normalizeSpan(SHORT, [[9, 11], [0, 2]]), [[0, 2], [9, 11]]);
});

test('iou of ranges', () => {
  assert.equal(iou([[0, 10]], [[0, 20]]), 0.5);
  assert.equal(iou([[0, 30]], [[10, 40]]), 0.5);
  assert.equal(iou([[0, 10]], [[10, 20]]), 0);
  assert.equal(iou([[0, 5], [10, 15]], [[0, 15]]), 10 / 15);
});

const att = (source: Range[] | null, cue: Range[], content: Range[]): ScoredAttribution => ({ source, cue, content });

test('attribution match needs content IoU of at least 0.5: exactly 0.5 passes, just under fails', () => {
  const gold = att([[50, 55]], [[56, 60]], [[0, 20]]);
  assert.equal(attributionsMatch(att([[50, 55]], [[56, 60]], [[0, 10]]), gold), true);
  assert.equal(attributionsMatch(att([[50, 55]], [[56, 60]], [[0, 9]]), gold), false);
  assert.equal(attributionsMatch(att([[50, 55]], [[56, 60]], [[0, 30]]), att([[50, 55]], [[56, 60]], [[10, 40]])), true);
});

test('attribution match needs overlapping cues', () => {
  const gold = att([[50, 55]], [[56, 60]], [[0, 20]]);
  assert.equal(attributionsMatch(att([[50, 55]], [[60, 64]], [[0, 20]]), gold), false);
  assert.equal(attributionsMatch(att([[50, 55]], [[59, 64]], [[0, 20]]), gold), true);
});

test('attribution match: sources must overlap, or both be missing', () => {
  const withSource = att([[50, 55]], [[56, 60]], [[0, 20]]);
  const noSource = att(null, [[56, 60]], [[0, 20]]);
  assert.equal(attributionsMatch(noSource, noSource), true);
  assert.equal(attributionsMatch(att([], [[56, 60]], [[0, 20]]), noSource), true, 'an empty list is no source');
  assert.equal(attributionsMatch(noSource, withSource), false);
  assert.equal(attributionsMatch(withSource, noSource), false);
  assert.equal(attributionsMatch(att([[40, 51]], [[56, 60]], [[0, 20]]), withSource), true);
  assert.equal(attributionsMatch(att([[40, 50]], [[56, 60]], [[0, 20]]), withSource), false);
});

//                 0         1         2         3         4         5
//                 0123456789012345678901234567890123456789012345678901
const TEXT = 'Alice said that the plan failed. Bob said it worked.';
const ALICE = att([[0, 5]], [[6, 10]], [[11, 31]]);
const BOB = att([[33, 36]], [[37, 41]], [[42, 51]]);

test('exact and overlap scores differ when a content span is only partly right', () => {
  assert.equal(TEXT.slice(11, 31), 'that the plan failed');
  assert.equal(TEXT.slice(42, 51), 'it worked');
  const pred = [att([[0, 5]], [[6, 10]], [[16, 32]])]; // "the plan failed." : trailing dot is trimmed
  const s = aggregate([scoreDocument(TEXT, pred, [ALICE, BOB])]);

  assert.deepEqual(s.exact.source, { precision: 1, recall: 0.5, f1: 2 / 3, pred: 1, gold: 2 });
  assert.deepEqual(s.exact.cue, { precision: 1, recall: 0.5, f1: 2 / 3, pred: 1, gold: 2 });
  assert.deepEqual(s.exact.content, { precision: 0, recall: 0, f1: 0, pred: 1, gold: 2 });
  assert.deepEqual(s.overlap.content, { precision: 1, recall: 0.5, f1: 2 / 3, pred: 1, gold: 2 });
  // Content IoU 15/20 = 0.75: the attribution itself matches.
  assert.deepEqual(s.attribution, { precision: 1, recall: 0.5, f1: 2 / 3, pred: 1, gold: 2 });
  assert.equal(s.documents, 1);
});

test('exact matching ignores punctuation at the edges of a span', () => {
  const pred = [att([[0, 5]], [[6, 10]], [[10, 32]])]; // " that the plan failed."
  const c = scoreDocument(TEXT, pred, [ALICE]);
  assert.deepEqual(c.exact.content, { tpPred: 1, tpGold: 1, pred: 1, gold: 1 });
});

test('one source serving two attributions counts once in span scores', () => {
  const gold = [ALICE, att([[0, 5]], [[37, 41]], [[42, 51]])];
  const c = scoreDocument(TEXT, [ALICE], gold);
  assert.deepEqual(c.exact.source, { tpPred: 1, tpGold: 1, pred: 1, gold: 1 });
  assert.deepEqual(c.exact.cue, { tpPred: 1, tpGold: 1, pred: 1, gold: 2 });
});

test('attribution matching is one-to-one: a duplicate prediction is a false positive', () => {
  const c = scoreDocument(TEXT, [ALICE, ALICE], [ALICE]);
  assert.deepEqual(c.attribution, { tpPred: 1, tpGold: 1, pred: 2, gold: 1 });
  const p = prf(c.attribution);
  assert.equal(p.precision, 0.5);
  assert.equal(p.recall, 1);
  assert.equal(p.f1, 2 / 3);
});

test('one-to-one matching pairs the best content overlaps first', () => {
  const g1 = att(null, [[100, 104]], [[0, 20]]);
  const g2 = att(null, [[100, 104]], [[0, 12]]);
  // p1 fits g2 exactly and g1 at IoU 0.6; p2 the other way round: both must be matched.
  const p1 = att(null, [[100, 104]], [[0, 12]]);
  const p2 = att(null, [[100, 104]], [[0, 20]]);
  const text = 'x'.repeat(120);
  const c = scoreDocument(text, [p1, p2], [g1, g2]);
  assert.deepEqual(c.attribution, { tpPred: 2, tpGold: 2, pred: 2, gold: 2 });
});

test('prf of nothing is zero, not NaN', () => {
  assert.deepEqual(prf({ tpPred: 0, tpGold: 0, pred: 0, gold: 0 }), { precision: 0, recall: 0, f1: 0, pred: 0, gold: 0 });
  assert.deepEqual(prf({ tpPred: 0, tpGold: 0, pred: 0, gold: 3 }), { precision: 0, recall: 0, f1: 0, pred: 0, gold: 3 });
});

test('aggregate micro-averages over documents', () => {
  const d1 = scoreDocument(TEXT, [ALICE, BOB], [ALICE, BOB]);
  const d2 = scoreDocument(TEXT, [], [ALICE, BOB]);
  const s = aggregate([d1, d2]);
  assert.deepEqual(s.attribution, { precision: 1, recall: 0.5, f1: 2 / 3, pred: 2, gold: 4 });
  assert.equal(s.documents, 2);
});

test('expected calibration error: zero when confidence equals the hit rate, the gap otherwise', () => {
  // Bin [0.8, 0.9): four predictions at 0.8, three right -> |0.8 - 0.75| = 0.05.
  assert.ok(Math.abs(expectedCalibrationError([0.8, 0.8, 0.8, 0.8], [true, true, true, false]) - 0.05) < 1e-9);
  // Two bins, each exact: 0.
  assert.ok(Math.abs(expectedCalibrationError([0.5, 0.5, 1, 1], [true, false, true, true])) < 1e-9);
  // Weighted by bin size: 0.9 never right (1 prediction, gap 0.9) and 0.1 right once in 3 (gap 0.233).
  const got = expectedCalibrationError([0.9, 0.1, 0.1, 0.1], [false, true, false, false]);
  assert.ok(Math.abs(got - (0.9 + 3 * (1 / 3 - 0.1)) / 4) < 1e-9, String(got));
  assert.equal(expectedCalibrationError([], []), 0);
});

//               0         1         2         3
//               0123456789012345678901234567890123456789
const SENTENCE = 'Ann said "we will go." Bob said no.';

test('spansExact: all three spans equal after trimming, a missing source only matching a missing one', () => {
  const gold: ScoredAttribution = { source: [[0, 3]], cue: [[4, 8]], content: [[9, 22]] };
  assert.ok(spansExact(SENTENCE, { source: [[0, 3]], cue: [[4, 8]], content: [[10, 20]] }, gold));
  assert.ok(!spansExact(SENTENCE, { source: [[0, 3]], cue: [[4, 8]], content: [[10, 17]] }, gold));
  assert.ok(!spansExact(SENTENCE, { source: null, cue: [[4, 8]], content: [[10, 20]] }, gold));
  assert.ok(spansExact(SENTENCE, { source: null, cue: [[4, 8]], content: [[10, 20]] }, { ...gold, source: null }));
});

test('predictionOutcomes: one-to-one matches and exactness per prediction', () => {
  const gold: ScoredAttribution[] = [{ source: [[0, 3]], cue: [[4, 8]], content: [[9, 22]] }];
  const pred: ScoredAttribution[] = [
    { source: [[0, 3]], cue: [[4, 8]], content: [[10, 17]] }, // matches (IoU >= 0.5), not exact
    { source: [[0, 3]], cue: [[4, 8]], content: [[10, 20]] }, // exact, and the better match
    { source: [[23, 26]], cue: [[27, 31]], content: [[32, 34]] }, // nothing
  ];
  const { matched, exact } = predictionOutcomes(SENTENCE, pred, gold);
  assert.deepEqual(matched, [false, true, false]);
  assert.deepEqual(exact, [false, true, false]);
});
