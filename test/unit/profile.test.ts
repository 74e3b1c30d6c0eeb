import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attribution, Entity } from '../../src/core/types.js';
import { spanRef } from '../../src/core/span.js';
import { readDoc } from '../../src/nlp/document.js';
import { buildProfile, type TopSpeaker } from '../../src/profile/index.js';

const text = 'A source said the minister would resign. Interfax said so too. The mayor said the city was calm and all roads open and schools would reopen on Monday. It is said the port is closed.';
const doc = readDoc(text);
const r = (s: string) => {
  const i = text.indexOf(s);
  return spanRef(text, [[i, i + s.length]]);
};
const base = { via: [] as string[], parent: null, hedged: false, confidence: 1, kind: 'indirect' as const };
const atts: Attribution[] = [
  { ...base, id: 'a1', source: r('A source'), cue: r('said'), content: r('the minister would resign'), speaker: 'e1', via: ['e2'] },
  { ...base, id: 'a2', source: r('The mayor'), cue: r('said the city'), content: r('the city was calm and all roads open and schools would reopen on Monday'), speaker: 'e3', kind: 'direct' },
  { ...base, id: 'a3', source: null, cue: r('It is said'), content: r('the port is closed'), speaker: null, hedged: true },
];
const entities: Entity[] = [
  { id: 'e1', name: 'a source', type: 'anonymous', anonymous: true, aliases: [], descriptors: [], mentions: [] },
  { id: 'e2', name: 'Interfax', type: 'media', anonymous: false, aliases: [], descriptors: [], mentions: [] },
  { id: 'e3', name: 'the mayor', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [] },
];

test('profile: counts, shares and top speakers', () => {
  const p = buildProfile({ doc, attributions: atts, entities, title: 'Is the port closed?' });
  assert.equal(p.attributions, 3);
  assert.equal(p.speakers, 2);
  assert.equal(p.named, 1);
  assert.equal(p.anonymous, 1);
  assert.equal(p.unattributed, 1);
  assert.equal(p.direct, 1);
  assert.equal(p.indirect, 2);
  assert.equal(p.headlineQuestion, true);
  assert.ok((p.sentenceShare as number) > 0.5 && (p.sentenceShare as number) <= 1);
  const top = p.topSpeakers as TopSpeaker[];
  assert.equal(top[0].name, 'the mayor');
  assert.deepEqual(top[0].attributions, ['a2']);
  assert.ok(top[0].words > top[1].words);
});

test('profile: flags carry codes, messages and attribution ids', () => {
  const p = buildProfile({ doc, attributions: atts, entities, title: 'Is the port closed?' });
  const byCode = new Map(p.flags.map((f) => [f.code, f]));
  assert.deepEqual(byCode.get('single-anonymous-origin')!.attributions, ['a1']);
  assert.deepEqual(byCode.get('unattributed')!.attributions, ['a3']);
  assert.ok(byCode.has('question-headline'));
  assert.deepEqual(byCode.get('dominant-voice')!.attributions, ['a2']);
  for (const f of p.flags) assert.ok(f.message.length > 10 && f.message.endsWith('.'));
});

test('profile: no title, no attributions', () => {
  const p = buildProfile({ doc, attributions: [], entities: [], title: null });
  assert.equal(p.attributions, 0);
  assert.equal(p.headlineQuestion, false);
  assert.deepEqual(p.flags, []);
  assert.equal(p.sentenceShare, 0);
});
