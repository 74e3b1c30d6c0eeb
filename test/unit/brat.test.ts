import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBrat } from '../../src/formats/brat.js';
import { loadAnnotatedDir } from '../../src/formats/polnear.js';

const ann = (...lines: string[]) => lines.join('\n') + '\n';

test('a discontinuous span keeps both ranges', () => {
  const doc = parseBrat(ann(
    'T1\tSource 10 15\tAlice',
    'T2\tCue 16 20\tsaid',
    'T3\tContent 752 760;769 800\tthe plan failed',
    'E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3',
  ));
  assert.deepEqual(doc.textBounds.get('T3')?.ranges, [[752, 760], [769, 800]]);
  assert.equal(doc.attributions.length, 1);
  assert.deepEqual(doc.attributions[0].content, [[752, 760], [769, 800]]);
  assert.deepEqual(doc.attributions[0].source, [[10, 15]]);
  assert.deepEqual(doc.attributions[0].cue, [[16, 20]]);
  assert.deepEqual(doc.problems, []);
});

test('an attribution with no Source role has a null source', () => {
  const doc = parseBrat(ann(
    'T1\tCue 0 10\treportedly',
    'T2\tContent 11 40\tthe talks failed',
    'E1\tAttribution:T1 Cue:T1 Content:T2',
  ));
  assert.equal(doc.attributions.length, 1);
  assert.equal(doc.attributions[0].source, null);
});

test('Content2 is merged into the content, in text order', () => {
  const doc = parseBrat(ann(
    'T1\tCue 50 54\tsaid',
    'T2\tContent 60 80\tsecond part',
    'T3\tContent2 20 45\tfirst part',
    'T4\tSource 46 49\tshe',
    'E1\tAttribution:T1 Cue:T1 Content:T2 Content2:T3 Source:T4',
  ));
  assert.deepEqual(doc.attributions[0].content, [[20, 45], [60, 80]]);
});

test('Discard, Discuss and annotator notes are ignored, not reported', () => {
  const doc = parseBrat(ann(
    'T1\tDiscard 0 5\tnoise',
    'T2\tDiscuss 6 9\thmm',
    '#1\tAnnotatorNotes T2\tnot sure',
    'T3\tCue 10 14\tsaid',
    'T4\tContent 15 30\tsomething',
    'E1\tAttribution:T3 Cue:T3 Content:T4',
  ));
  assert.equal(doc.textBounds.has('T1'), false);
  assert.equal(doc.textBounds.has('T2'), false);
  assert.equal(doc.attributions.length, 1);
  assert.deepEqual(doc.problems, []);
});

test('broken lines are reported with their line numbers and the rest is still read', () => {
  const doc = parseBrat(ann(
    'T1\tCue 10 14\tsaid',
    'T2\tContent 15 x\tbroken offsets',
    'T3\tContent 30 20\tend before start',
    'T4\tContent 15 30\tgood',
    'E1\tAttribution:T1 Cue:T1 Content:T2',
    'E2\tAttribution:T1 Cue:T1 Content:T4',
  ));
  const lines = doc.problems.map((p) => p.line).sort((a, b) => a - b);
  // T2 and T3 cannot be read; E1 then points at a content that does not exist.
  assert.deepEqual(lines, [2, 3, 5]);
  assert.equal(doc.attributions.length, 1);
  assert.equal(doc.attributions[0].id, 'E2');
});

test('CRLF line endings read the same as LF', () => {
  const doc = parseBrat('T1\tCue 0 4\tsaid\r\nT2\tContent 5 9\tthis\r\nE1\tAttribution:T1 Cue:T1 Content:T2\r\n');
  assert.equal(doc.attributions.length, 1);
  assert.deepEqual(doc.problems, []);
});

test('loadAnnotatedDir takes the first .ann by name when several annotators did one text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-polnear-'));
  try {
    mkdirSync(join(dir, 'text'));
    mkdirSync(join(dir, 'attributions'));
    writeFileSync(join(dir, 'text', 'story.txt'), 'Alice said the plan failed.');
    writeFileSync(join(dir, 'text', 'story_two.txt'), 'Bob said it worked.');
    writeFileSync(join(dir, 'text', 'orphan.txt'), 'No annotations here.');
    const one = ann('T1\tSource 0 5\tAlice', 'T2\tCue 6 10\tsaid', 'T3\tContent 11 26\tthe plan failed', 'E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3');
    const other = ann('T1\tCue 6 10\tsaid', 'T2\tContent 11 26\tthe plan failed', 'E1\tAttribution:T1 Cue:T1 Content:T2');
    writeFileSync(join(dir, 'attributions', 'story_zz99.ann'), other);
    writeFileSync(join(dir, 'attributions', 'story_ab12.ann'), one);
    writeFileSync(join(dir, 'attributions', 'story_two_cd34.ann'), other);

    const texts = loadAnnotatedDir(dir);
    assert.deepEqual(texts.map((t) => t.name), ['story', 'story_two']);
    const story = texts[0];
    assert.match(story.annFile, /story_ab12\.ann$/);
    assert.deepEqual(story.gold[0].source, [[0, 5]]);
    // story_two must not be mistaken for another annotator of "story", nor the other way round.
    assert.match(texts[1].annFile, /story_two_cd34\.ann$/);
    assert.equal(texts[1].gold[0].source, null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
