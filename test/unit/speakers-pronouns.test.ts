/**
 * Pronoun, relative-pronoun and possessive sources (issue 13, speakers v2): passages written for this
 * file (none taken from an annotated article) through the real analyze(), and the pure helpers that
 * find what a relative pronoun hangs on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze.js';
import type { Analysis, Attribution, Entity } from '../../src/core/types.js';
import { readDoc } from '../../src/nlp/document.js';
import { indexDoc, relativeNP, relativeVerbNumber } from '../../src/speakers/mentions.js';

function run(text: string): { a: Analysis; by: (cue: string) => { att: Attribution; sp: Entity | undefined } } {
  const a = analyze(text, { title: null });
  const ents = new Map(a.entities.map((e) => [e.id, e]));
  return {
    a,
    by: (cue) => {
      const att = a.attributions.find((x) => x.cue.text.includes(cue));
      assert.ok(att, `no attribution with cue "${cue}"; found ${a.attributions.map((x) => `${x.source?.text}: ${x.cue.text}`).join(', ')}`);
      return { att, sp: att.speaker ? ents.get(att.speaker) : undefined };
    },
  };
}

/** The noun phrase relativeNP finds for the first relative pronoun `rel` in `text`, and the clause verb's number. */
function np(text: string, rel = 'who'): { np: string | null; verb: string | null } {
  const doc = readDoc(text);
  const ix = indexDoc(doc);
  const t = doc.tokens.find((x) => x.lower === rel)!;
  const r = relativeNP(ix, t.i);
  return { np: r ? doc.text.slice(doc.tokens[r[0]].start, doc.tokens[r[1] - 1].end) : null, verb: relativeVerbNumber(ix, t.i) };
}

test('the verb opening a relative clause tells its number', () => {
  assert.equal(np('The farmers who are angry marched.').verb, 'pl');
  assert.equal(np('The farmer who is angry marched.').verb, 'sg');
  assert.equal(np('The farmer who says he is angry marched.').verb, 'sg');
  assert.equal(np('The farmers who say they are angry marched.').verb, 'pl');
  assert.equal(np("The farmer who's angry marched.").verb, 'sg');
  // A past tense or a modal says nothing.
  assert.equal(np('The farmers who said so marched.').verb, null);
  assert.equal(np('The farmers who will vote marched.').verb, null);
});

test('a relative clause whose verb clashes with the nearest noun phrase hangs on the one before it', () => {
  // "are" cannot be Talbot: the clause is about "those".
  assert.equal(np('The ruling worried those backing Mayor Ellen Talbot, who are now calling for a recount.').np, 'those');
  // Agreement with the nearest noun phrase keeps it.
  assert.equal(np('The ruling worried supporters of Ellen Talbot, who is now calling for a recount.').np, 'Ellen Talbot');
  // "the aides to the governor, who are": over the preposition to the plural.
  assert.equal(np('Reporters spoke with the aides of the governor, who are expected to testify.').np, 'the aides');
});

test('"who" after a place or an unknown name reached by "of" is the person before it', () => {
  assert.equal(np('Senator Nora Whitfield of Brookfield, who chairs the panel, objected.').np, 'Senator Nora Whitfield');
  // "which" never takes a person when a thing is one link back.
  assert.equal(np('The report by the senator, which was leaked, is long.', 'which').np, 'The report');
});

test('"those who", "anyone who": the pronoun-like head is the antecedent', () => {
  assert.equal(np('Anyone who says otherwise is wrong.').np, 'Anyone');
  assert.equal(np('Of those who voted, most stayed home.').np, 'those');
});

test('through analyze(): "Senator X of Y, who said" is X, not Y', () => {
  const { by } = run('The water bill stalled again on Thursday. Senator Nora Whitfield of Brookfield, who said the bill would raise rates for every family, voted against it.');
  assert.equal(by('said').sp?.name, 'Nora Whitfield');
});

test('through analyze(): "those backing X, who say" is a group, not X', () => {
  const { by } = run('The new budget angered those backing Governor Ray Dunmore, who say the cuts betray his voters.');
  const r = by('say');
  assert.notEqual(r.sp?.name, 'Ray Dunmore');
});

test('silver pronoun decisions: a named source becomes "she", and the person named before is the right candidate', async () => {
  const { sites, decisionAt } = await import('../../bench/speakers-silver.js');
  const text = 'Council member Maria Lopez met Tom Reed and Ana Ruiz on Monday.\n\nLopez said the deal was done. Reed disagreed.';
  const span = (w: string): [number, number] => [text.indexOf(w), text.indexOf(w) + w.length];
  const at = text.indexOf('Lopez said');
  const art = {
    name: 'invented', text, annFile: '',
    gold: [{ id: 'E1', source: [[at, at + 5]] as [number, number][], cue: [span('said')], content: [span('the deal was done')] }],
  };
  const s = sites(art);
  assert.equal(s.length, 1);
  assert.equal(s[0].pronoun, 'she');
  const d = decisionAt(art, s[0]);
  assert.ok(d);
  const right = d.cands.filter((_, k) => d.right[k]).map((c) => c.draft?.name);
  assert.deepEqual(right, ['Maria Lopez']);
  // Ana Ruiz is a wrong candidate of the same gender; the silver-only copies ride along.
  assert.ok(d.cands.some((c, k) => c.draft?.name === 'Ana Ruiz' && !d.right[k]));
  assert.ok(d.cands[0].features.some((f) => f.startsWith('syn:')));
});
