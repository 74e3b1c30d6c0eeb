import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupBySpeaker, safeLine, textReport, truncate } from '../../src/formats/text-report.js';
import { spanRef } from '../../src/core/span.js';
import type { Analysis, Attribution, Range } from '../../src/core/types.js';

const TEXT = 'Ann Lee said it rained. She said it stopped. He said no. Reportedly, it is over.';

function att(id: string, source: Range | null, cue: Range, content: Range, speaker: string | null, extra: Partial<Attribution> = {}): Attribution {
  return {
    id, source: source ? spanRef(TEXT, [source]) : null, cue: spanRef(TEXT, [cue]), content: spanRef(TEXT, [content]),
    kind: 'indirect', speaker, via: [], parent: null, hedged: false, confidence: 0.875, ...extra,
  };
}

const analysis: Analysis = {
  schema: 'whosaid/1',
  document: { id: 'rain', title: 'Is it raining?', chars: TEXT.length },
  attributions: [
    att('a3', [45, 47], [48, 52], [53, 55], null),
    att('a1', [0, 7], [8, 12], [13, 22], 'e1'),
    att('a4', null, [57, 67], [69, 79], null, { hedged: true }),
    att('a2', [24, 27], [28, 32], [33, 43], 'e1', { via: ['e2'] }),
  ],
  entities: [
    { id: 'e1', name: 'Ann Lee', type: 'person', anonymous: false, aliases: ['Ann Lee', 'Lee'], descriptors: ['weather officer'], mentions: [[0, 7], [24, 27]] },
    { id: 'e2', name: 'Radio North', type: 'media', anonymous: false, aliases: [], descriptors: [], mentions: [] },
  ],
  profile: {
    attributions: 4, speakers: 1, named: 2, anonymous: 0, unattributed: 2, headlineQuestion: true,
    flags: [{ code: 'unattributed', message: '2 claims have no named source.', attributions: ['a3', 'a4'] }],
  },
};

test('groups by resolved speaker, then unresolved source text, then no source, in reading order', () => {
  const groups = groupBySpeaker(analysis);
  assert.deepEqual(groups.map((g) => g.title), ['Ann Lee', '“He”', '(no source)']);
  assert.deepEqual(groups.map((g) => g.attributions.map((a) => a.id)), [['a1', 'a2'], ['a3'], ['a4']]);
  assert.ok(groups[0].details.includes('person'));
  assert.ok(groups[0].details.includes('weather officer'));
  assert.ok(groups[0].details.includes('also: Lee'));
});

test('unresolved sources differing only in case share a group', () => {
  const more = { ...analysis, attributions: [...analysis.attributions, att('a5', [24, 27], [28, 32], [33, 43], null)] };
  more.attributions[4] = { ...more.attributions[4], source: { text: 'he', spans: [[24, 27]] } };
  const titles = groupBySpeaker(more).map((g) => g.title);
  assert.equal(titles.filter((t) => t.toLowerCase() === '“he”').length, 1);
});

test('the report shows headline, counts, each attribution, relays, hedges and flags', () => {
  const out = textReport(analysis, TEXT);
  const lines = out.split('\n');
  assert.equal(lines[0], 'Is it raining?');
  assert.match(lines[1], /rain · 80 characters · 4 attributions · 1 speaker$/);
  assert.match(out, /a1 +said +\(indirect, confidence 0\.88\)/);
  assert.match(out, /source: +“She”, via Radio North/);
  assert.match(out, /a4 +Reportedly +\(indirect, confidence 0\.88, hedged\)/);
  assert.match(out, /source: +\(none\)/);
  assert.match(out, /the headline is a question/);
  assert.match(out, /unattributed: 2 claims have no named source\. \[a3, a4\]/);
  assert.doesNotMatch(out, /\x1b/);
  assert.match(textReport(analysis, TEXT, { color: true }), /\x1b\[1mAnn Lee\x1b\[22m/);
});

test('no attributions says so', () => {
  const none = { ...analysis, attributions: [], entities: [], profile: { ...analysis.profile, attributions: 0, flags: [], headlineQuestion: false } };
  const out = textReport(none, TEXT);
  assert.match(out, /No attributions found\./);
  assert.match(out, /\(no flags\)/);
});

test('untrusted text cannot reach the terminal as escape sequences or bidi overrides', () => {
  assert.equal(safeLine('red \x1b[31mALERT\x1b[0m\nnext'), 'red \uFFFD[31mALERT\uFFFD[0m next');
  assert.equal(safeLine('abc\u202Edef'), 'abc\uFFFDdef');
});

test('truncate cuts at a word boundary and never splits an emoji', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('the quick brown fox jumps', 16), 'the quick brown…');
  const cut = truncate('x'.repeat(8) + '😀😀😀', 10);
  assert.ok(cut.length <= 10);
  assert.doesNotMatch(cut, /[\uD800-\uDBFF]…$/);
});
