/** The quote/claim index's pure parts: normalisation, keys, word-by-word matching, diffs, name comparisons. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  claimKeys,
  jaccard,
  matchQuote,
  normalizeWords,
  quotedSegments,
  quoteKeys,
  quoteWords,
  runs,
} from '../../src/store/trace-keys.js';
import { planTraceIndex } from '../../src/store/trace-index.js';
import { findingsOf, sameOutlet, sameSpeaker, wordDiff, type TraceOccurrence } from '../../src/trace/index.js';

const GAP = '\u0000';

describe('normalisation', () => {
  it('folds case, quotation marks, apostrophes and possessives; ellipses and bracketed insertions become gaps', () => {
    assert.deepEqual(normalizeWords('“It’s ISIS’s BEST recruiter,” he said'), ['it', 'isis', 'best', 'recruiter', 'he', 'said']);
    assert.deepEqual(normalizeWords('We will [the president said] win … and win again...'), ['we', 'will', GAP, 'win', GAP, 'and', 'win', 'again']);
    assert.deepEqual(normalizeWords('a   b\n\tc'), ['a', 'b', 'c']);
  });

  it('takes the quoted stretches of a content; an unquoted content is one stretch', () => {
    assert.deepEqual(quotedSegments('that he would “bomb the hell out of” them and "win"'), ['bomb the hell out of', 'win']);
    assert.deepEqual(quotedSegments('the budget would pass'), ['the budget would pass']);
    // A quote reopened at a new paragraph without closing the last one.
    assert.deepEqual(quotedSegments('“first part\n“second part”'), ['first part', 'second part']);
    assert.deepEqual(runs(quoteWords('“one two” and “three”')), [['one', 'two'], ['three']]);
  });
});

describe('keys', () => {
  const long = quoteWords('“The harbour will stay closed until every crane has been inspected and signed off”');
  it('a quoted fragment of eight words or more shares a key with the longer quote (winnowing); under five words none', () => {
    const all = new Set(quoteKeys(long));
    const fragments = ['“will stay closed until every crane has been”', '“harbour will stay closed until every crane has been inspected”'];
    for (const f of fragments) assert.ok(quoteKeys(quoteWords(f)).some((k) => all.has(k)), f);
    // Winnowing keeps fewer keys than shingles.
    assert.ok(all.size < quoteWords('“The harbour will stay closed until every crane has been inspected and signed off”').length - 4);
    assert.deepEqual(quoteKeys(quoteWords('“rigged system”')), []);
    // Shingles never cross an ellipsis: the words on both sides were not said together.
    const cut = new Set(quoteKeys(quoteWords('“one two three … four five six seven eight”')));
    assert.equal(cut.size, 1);
  });

  it('keys are integers JavaScript reads back exactly', () => {
    for (const k of [...quoteKeys(long), ...claimKeys(long)]) assert.ok(Number.isSafeInteger(k) && k >= 0);
  });

  it('near-duplicate claims share an LSH band; unrelated ones do not; short ones get no keys', () => {
    const a = normalizeWords('the government would close three regional airports before the end of the year to save money');
    const b = normalizeWords('the government will close three regional airports before the end of the year to save cash');
    const c = normalizeWords('the union said that dockers would strike on every weekday until the pay rise is granted');
    // Function words do not make two claims the same.
    assert.ok(jaccard(normalizeWords('Sanders to be the next president of the United States'), normalizeWords('Donald Trump to be the next president of the United States')) < 0.5);
    const shared = (x: number[], y: number[]) => x.filter((k) => y.includes(k)).length;
    assert.ok(shared(claimKeys(a), claimKeys(b)) > 0);
    assert.equal(shared(claimKeys(a), claimKeys(c)), 0);
    assert.deepEqual(claimKeys(normalizeWords('the plan was dead')), []);
    assert.ok(jaccard(a, b) > 0.6 && jaccard(a, b) < 1);
    assert.equal(jaccard(a, c), 0);
  });
});

describe('matching quotes word by word', () => {
  const q = (s: string) => quoteWords(s);
  const full = q('“The harbour will stay closed until every crane has been inspected and the unions have signed”');
  it('verbatim, fragment (trimmed, or quoted inside a longer quote), changed', () => {
    assert.equal(matchQuote(full, q('"the harbour will stay closed until every crane has been inspected and the unions have signed."'))?.relation, 'verbatim');
    assert.equal(matchQuote(full, q('“The harbour will stay closed until every crane has been inspected”'))?.relation, 'fragment');
    assert.equal(matchQuote(q('“until every crane has been inspected”'), full)?.relation, 'fragment');
    const changed = matchQuote(full, q('“The harbour will stay shut until every crane has been inspected and the unions have signed”'));
    assert.equal(changed?.relation, 'changed');
    assert.ok(changed!.coverage > 0.9);
  });

  it('a short quote matches only when found whole', () => {
    assert.equal(matchQuote(q('"I think he will do it"'), q('“I think Trump will do quite fine. I think he will do great things”')), null);
    assert.equal(matchQuote(q('“were not going to be like Trump”'), q('"If we don\'t do well, we\'re not going to be dragging around like a band"')), null);
    assert.equal(matchQuote(q('"a hell of a lot worse"'), q('waterboarding and “a hell of a lot worse.”'))?.relation, 'verbatim');
  });

  it('scattered common words are no match', () => {
    assert.equal(matchQuote(full, q('“the unions have been closed and the harbour signed every crane until”')), null);
    assert.equal(matchQuote(full, q('“we will never accept a deal that costs a single job in this harbour”')), null);
  });

  it('a word diff ignores case and punctuation and shows what was dropped and added', () => {
    const d = wordDiff('The harbour will stay closed,'.split(' '), '“the harbour will stay SHUT”'.split(' '));
    assert.deepEqual(d, [
      { op: '=', text: '“the harbour will stay' },
      { op: '-', text: 'closed,' },
      { op: '+', text: 'SHUT”' },
    ]);
  });
});

describe('clustering plan', () => {
  it('joins the oldest verified match, not one that only shares a key, and never within a document', () => {
    const text = '“the harbour will stay closed until every crane has been inspected”';
    const keys = quoteKeys(quoteWords(text));
    const other = '“the harbour will stay closed until the strike is over and done”';
    const plan = planTraceIndex(
      [
        { rid: 10, doc: 5, kind: 'quote', keys, attrKind: 'direct', content: text, via: [] },
        { rid: 11, doc: 5, kind: 'quote', keys, attrKind: 'direct', content: text, via: [] },
        { rid: 12, doc: 6, kind: 'quote', keys: quoteKeys(quoteWords(other)), attrKind: 'direct', content: other, via: ['CNN'] },
      ],
      [{ key: keys[0], rid: 3 }, { key: keys[0], rid: 1 }],
      [
        { rid: 3, doc: 2, kind: 'quote', cluster: 3, attrKind: 'direct', content: text },
        { rid: 1, doc: 1, kind: 'quote', cluster: 1, attrKind: 'direct', content: '“the harbour will stay closed for as long as the owners refuse to talk”' },
      ],
    );
    assert.deepEqual(plan.members.map((m) => [m.rid, m.cluster]), [[10, 3], [11, 3], [12, 12]]);
    assert.equal(plan.members[2].via, '["CNN"]');
    assert.deepEqual([...plan.clusters].map(([c, v]) => [c, v.added]), [[3, 2], [12, 1]]);
  });
});

describe('names', () => {
  it('outlets: articles and abbreviations', () => {
    assert.ok(sameOutlet('The Washington Post', 'wash-post'));
    assert.ok(sameOutlet('The New York Times', 'nyt'));
    assert.ok(sameOutlet('CNN', 'cnn'));
    assert.ok(!sameOutlet('The Washington Times', 'wash-post'));
    assert.ok(!sameOutlet('Politico', 'nyt'));
  });

  it('speakers: a surname is the full name, another first name is another person', () => {
    assert.ok(sameSpeaker('Clinton', 'Hillary Clinton'));
    assert.ok(sameSpeaker('Donald J. Trump', 'Donald Trump') || sameSpeaker('Donald Trump', 'Donald J. Trump'));
    assert.ok(!sameSpeaker('Bill Clinton', 'Hillary Clinton'));
  });
});

describe('misattribution findings', () => {
  const occ = (id: string, outlet: string, speaker: string, source: string): TraceOccurrence => ({
    document: { hash: id, id, title: null, outlet, url: null, published: null },
    attribution: { id: 'a1', kind: 'direct', speaker, speakerType: 'person', source, cue: 'said', content: '"We will rebuild the harbour."',
      anonymous: false, hedged: false, via: [] },
    relation: 'verbatim', similarity: 1, diff: [],
  });
  const codes = (o: TraceOccurrence[]) => findingsOf(o).map((f) => f.code);

  it('flags a quote whose articles write different names as its source', () => {
    const f = findingsOf([occ('d1', 'Gazette', 'Maria Okonkwo', 'Maria Okonkwo'), occ('d2', 'Star', 'Pavel Ivanov', 'Minister Pavel Ivanov')]);
    assert.deepEqual(f.map((x) => x.code), ['different-speakers']);
    assert.match(f[0].evidence[1].detail, /Pavel Ivanov \(written "Minister Pavel Ivanov"\)/);
  });

  it('does not when both articles wrote the same surname, however the analysis resolved it', () => {
    assert.deepEqual(codes([occ('d1', 'Gazette', 'Hillary Clinton', 'Clinton'), occ('d2', 'Star', 'Bill Clinton', 'Clinton')]), []);
  });

  it('does not count a credit the analysis made from a pronoun or a description', () => {
    assert.deepEqual(codes([occ('d1', 'Gazette', 'Maria Okonkwo', 'Okonkwo'), occ('d2', 'Star', 'Pavel Ivanov', 'she')]), []);
    assert.deepEqual(codes([occ('d1', 'Gazette', 'Maria Okonkwo', 'Okonkwo'), occ('d2', 'Star', 'Pavel Ivanov', 'the minister')]), []);
  });
});
