import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attribution, Range } from '../../src/core/types.js';
import { spanRef } from '../../src/core/span.js';
import { readDoc } from '../../src/nlp/document.js';
import { resolveSpeakers } from '../../src/speakers/index.js';
import { nameParts, personNamesMatch, nameTokenKey } from '../../src/speakers/names.js';

/** An attribution built by hand from substrings: source, cue, content (each the n-th occurrence). */
function att(text: string, id: string, source: string | null, cue: string, content: string, from = 0): Attribution {
  const at = (s: string): Range => {
    const i = text.indexOf(s, from);
    assert.ok(i >= 0, `"${s}" not in text`);
    return [i, i + s.length];
  };
  return {
    id,
    source: source ? spanRef(text, [at(source)]) : null,
    cue: spanRef(text, [at(cue)]),
    content: spanRef(text, [at(content)]),
    kind: 'indirect',
    speaker: null,
    via: [],
    parent: null,
    hedged: false,
    confidence: 1,
  };
}

function run(text: string, atts: Attribution[]) {
  const r = resolveSpeakers(readDoc(text), atts);
  const ents = new Map(r.entities.map((e) => [e.id, e]));
  return r.attributions.map((a) => ({
    speaker: a.speaker ? ents.get(a.speaker)! : null,
    via: a.via.map((v) => ents.get(v)!.name),
    hedged: a.hedged,
  }));
}

test('names: transliterations share a key', () => {
  assert.equal(nameTokenKey('Aleksandr'), nameTokenKey('Alexander'));
  assert.equal(nameTokenKey('Mohammed'), nameTokenKey('Muhammad'));
  assert.equal(nameTokenKey('Yury'), nameTokenKey('Yuri'));
  assert.ok(personNamesMatch(nameParts('Aleksandr Lukashenko'), nameParts('Alexander Lukashenko')));
  assert.ok(personNamesMatch(nameParts('Lukashenko'), nameParts('Alexander Lukashenko')));
  assert.ok(!personNamesMatch(nameParts('Bill Clinton'), nameParts('Hillary Clinton')));
  assert.ok(personNamesMatch(nameParts('J. Smith'), nameParts('John Smith')));
});

test('units: named speaker with title and apposition keeps descriptors', () => {
  const text = 'Capt. Maria Okonkwo-Hale, head of the port authority, said the strike was over.';
  const [r] = run(text, [att(text, 'a1', 'Capt. Maria Okonkwo-Hale, head of the port authority,', 'said', 'the strike was over')]);
  assert.equal(r.speaker!.name, 'Maria Okonkwo-Hale');
  assert.equal(r.speaker!.type, 'person');
  assert.ok(r.speaker!.descriptors.includes('Capt.'));
  assert.ok(r.speaker!.descriptors.includes('head of the port authority'));
});

test('units: pronoun and nominal resolve to the earlier named entity', () => {
  const text = 'Foreign Minister Sergei Lavrov arrived in Geneva. The minister said talks would resume. He added that no date was set.';
  const rs = run(text, [
    att(text, 'a1', 'The minister', 'said', 'talks would resume'),
    att(text, 'a2', 'He', 'added', 'that no date was set'),
  ]);
  assert.equal(rs[0].speaker!.name, 'Sergei Lavrov');
  assert.equal(rs[1].speaker!.name, 'Sergei Lavrov');
  assert.equal(rs[0].speaker!.id, rs[1].speaker!.id);
});

test('units: the broadcaster resolves to the outlet, not the person', () => {
  const text = 'Dmitry Kiselyov hosts the show on the Rossiya television channel. The broadcaster said ratings had doubled.';
  const [r] = run(text, [att(text, 'a1', 'The broadcaster', 'said', 'ratings had doubled')]);
  assert.equal(r.speaker!.name, 'Rossiya');
  assert.equal(r.speaker!.type, 'media');
});

test('units: anonymous source relayed by a single outlet', () => {
  const text = 'Interfax reported, citing a source close to the talks, that a deal was near.';
  const [r] = run(text, [att(text, 'a1', 'Interfax', 'citing', 'a source close to the talks, that a deal was near')]);
  assert.equal(r.speaker!.anonymous, true);
  assert.equal(r.speaker!.type, 'anonymous');
  assert.deepEqual(r.via, ['Interfax']);
});

test('units: "Y told X" and "in an interview with X" make X a relay', () => {
  const text = 'Jill Stein told Reuters that she would stay. Stein said in an interview with CNN that polls were wrong.';
  const rs = run(text, [
    att(text, 'a1', 'Jill Stein', 'told', 'that she would stay'),
    att(text, 'a2', 'Stein', 'said', 'that polls were wrong'),
  ]);
  assert.equal(rs[0].speaker!.name, 'Jill Stein');
  assert.deepEqual(rs[0].via, ['Reuters']);
  assert.equal(rs[1].speaker!.name, 'Jill Stein');
  assert.deepEqual(rs[1].via, ['CNN']);
});

test('units: agentless cue has no speaker and is hedged', () => {
  const text = 'The president is said to be furious. The minister reportedly told aides he would quit.';
  const rs = run(text, [
    att(text, 'a1', 'The president', 'is said', 'to be furious'),
    att(text, 'a2', 'The minister', 'told', 'he would quit'),
  ]);
  assert.equal(rs[0].speaker, null);
  assert.equal(rs[0].hedged, true);
  assert.equal(rs[1].hedged, true);
  assert.notEqual(rs[1].speaker, null);
});

test('units: nested attribution is relayed by its parent speaker', () => {
  const text = 'Reuters reported that Anna Kowalski said the plan was dead.';
  const outer = att(text, 'a1', 'Reuters', 'reported', 'that Anna Kowalski said the plan was dead');
  const inner = { ...att(text, 'a2', 'Anna Kowalski', 'said', 'the plan was dead'), parent: 'a1' };
  const rs = run(text, [outer, inner]);
  assert.equal(rs[1].speaker!.name, 'Anna Kowalski');
  assert.deepEqual(rs[1].via, ['Reuters']);
});

test('units: "I" inside a quotation is the quoted speaker', () => {
  const text = '"I will not resign," Boris Johnson said. "I think we can win," he added.';
  const a1 = att(text, 'a1', 'Boris Johnson', 'said', '"I will not resign,"');
  const a2 = att(text, 'a2', 'I', 'think', 'we can win', text.indexOf('"I think'));
  const a3 = att(text, 'a3', 'he', 'added', '"I think we can win,"');
  const rs = run(text, [a1, a2, a3]);
  assert.equal(rs[0].speaker!.name, 'Boris Johnson');
  assert.equal(rs[2].speaker!.name, 'Boris Johnson');
  assert.equal(rs[1].speaker!.name, 'Boris Johnson');
});

test('units: no attributions, no entities', () => {
  const r = resolveSpeakers(readDoc('Nothing was said.'), []);
  assert.deepEqual(r, { attributions: [], entities: [] });
});
