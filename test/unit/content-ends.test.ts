import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDoc } from '../../src/nlp/document.js';
import { buildContext, cueMarks, ROLE, ROLE_LABELS } from '../../src/attribution/features.js';
import { CONTENT_ENDS_FORMAT, ContentEnds, edgeChoices, edgeRuns, moveEdges, type EndInput } from '../../src/attribution/content-ends.js';

const TEXT = 'The minister said that taxes would rise next year, according to the plan, and the union objected.';

/** An input for the cue "said" whose content runs from "taxes" to "objected", as tagged. */
function input(): { input: EndInput; word: (w: string) => number } {
  const doc = readDoc(TEXT);
  const ctx = buildContext(doc);
  const word = (w: string) => doc.tokens.findIndex((t) => t.text === w);
  const said = word('said');
  const cue = { start: said, end: said + 1 };
  const isCue = new Uint8Array(doc.tokens.length);
  isCue[said] = 1;
  const from = 0;
  const to = doc.tokens.length;
  const content: number[] = [];
  for (let t = word('taxes'); t <= word('objected'); t++) content.push(t);
  // Emissions as a tagger that chose exactly this content would give them.
  const em = new Float32Array(to * ROLE_LABELS);
  for (let t = 0; t < to; t++) em[t * ROLE_LABELS + (content.includes(t) ? ROLE.IC : ROLE.O)] = 2;
  return { input: { ctx, cue, cues: cueMarks(isCue), from, to, em, L: ROLE_LABELS, content, source: [word('minister')] }, word };
}

describe('content ends', () => {
  it('finds the first and the last run of a content', () => {
    assert.deepEqual(edgeRuns([5, 6, 7, 9, 10]), [[5, 7], [9, 10]]);
    assert.deepEqual(edgeRuns([0, 1]), [[0, 1], [0, 1]]);
    assert.equal(edgeRuns([]), null);
  });

  it('offers the tagger\'s end and the boundaries near it, never a word inside a clause or on a cue', () => {
    const { input: inp, word } = input();
    const [found, starts] = edgeChoices(inp);
    assert.equal(found.edge, 'end');
    const ends = found.candidates.map((c) => c.at);
    assert.equal(found.at, word('objected'));
    assert.ok(ends.includes(word('objected')), 'the tagger\'s own end');
    assert.ok(ends.includes(word('year')), 'before a comma');
    assert.ok(ends.includes(word('plan')), 'before the second comma');
    assert.ok(!ends.includes(word('would')), '"would rise" is no boundary');
    assert.ok(ends.every((e) => e >= word('taxes')), 'never before the content starts');
    // Giving up tokens the tagger scored as content costs: the shorter candidates have a negative difference.
    const year = found.candidates.find((c) => c.at === word('year'))!;
    assert.ok(year.delta < 0);
    assert.equal(found.candidates.find((c) => c.at === found.at)!.delta, 0);
    // The start stays after the cue: "that" opens the content, so starting on it is a candidate, "said" is not.
    assert.equal(starts.edge, 'start');
    assert.equal(starts.at, word('taxes'));
    const startAt = starts.candidates.map((c) => c.at);
    assert.ok(startAt.includes(word('that')));
    assert.ok(startAt.every((x) => x > word('said')));
  });

  it('keeps the tagger\'s end on a tie and moves it where the weights say', () => {
    const { input: inp, word } = input();
    const zero = new ContentEnds({ format: CONTENT_ENDS_FORMAT, bits: 10, weights: [], delta: {} });
    assert.deepEqual(zero.refine(inp), { source: inp.source, content: inp.content });
    // A ranker that trusts the tagger's scores alone keeps the tagger's edges (every move gives some up).
    const tagger = new ContentEnds({ format: CONTENT_ENDS_FORMAT, bits: 10, weights: [], delta: { 'content:end': 1, 'content:start': 1 } });
    assert.deepEqual(tagger.refine(inp).content, inp.content);
    const year = edgeChoices(inp)[0].candidates.find((c) => c.at === word('year'))!;
    const weights = [...new Set(year.feats.map((f) => f & 1023))].map((i): [number, number] => [i, 1]);
    const ranker = new ContentEnds({ format: CONTENT_ENDS_FORMAT, bits: 10, weights, delta: {} });
    const refined = ranker.refine(inp).content;
    assert.equal(refined[0], word('taxes'));
    assert.equal(refined[refined.length - 1], word('year'));
    assert.equal(refined.length, word('year') - word('taxes') + 1);
  });

  it('offers source edges on the source\'s side of the cue, any word within a few', () => {
    const { input: inp, word } = input();
    const [, , srcEnd, srcStart] = edgeChoices(inp);
    assert.equal(srcEnd.role, 'source');
    assert.deepEqual(srcStart.candidates.map((c) => c.at), [word('The'), word('minister')]);
    assert.deepEqual(srcEnd.candidates.map((c) => c.at), [word('minister')], 'never onto the cue');
  });

  it('moves edges and keeps what lies between the old ones', () => {
    assert.deepEqual(moveEdges([5, 6, 7, 9, 10], 3, 10), [3, 4, 5, 6, 7, 9, 10]);
    assert.deepEqual(moveEdges([5, 6, 7, 9, 10], 6, 9), [6, 7, 9]);
    assert.deepEqual(moveEdges([5, 6], 7, 6), [5, 6], 'crossed edges keep the tagger\'s span');
  });

  it('never moves a content edge over the source', () => {
    const { input: inp, word } = input();
    // A content end pulled past a source word by the weights keeps the tagger's end.
    const shorter = { ...inp, content: inp.content.filter((t) => t <= word('plan')) };
    const far = edgeChoices(shorter)[0].candidates.find((c) => c.at === word('objected'))!;
    // Weight only what is particular to ending on "objected" (its own word, the full stop after it).
    const weights = [far.feats[2], far.feats[3]].map((f): [number, number] => [f & 1023, 100]);
    const ranker = new ContentEnds({ format: CONTENT_ENDS_FORMAT, bits: 10, weights, delta: {} });
    assert.equal(ranker.refine(shorter).content.at(-1), word('objected'), 'with no source in the way the end moves');
    const withSource = { ...shorter, source: [word('union')] };
    const refined = ranker.refine(withSource);
    assert.ok(!refined.content.includes(word('union')));
    assert.equal(refined.content.at(-1), word('plan'));
  });

  it('refuses weights of another format', () => {
    assert.throws(() => new ContentEnds({ format: 'other' as typeof CONTENT_ENDS_FORMAT, bits: 10, weights: [], delta: {} }), /format other/);
  });
});
