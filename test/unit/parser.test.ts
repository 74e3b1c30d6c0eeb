/**
 * The dependency parser behind the syntax experiment (src/attribution/parser.ts): its transition system,
 * learning and the subtree edges the role features read, on sentences written for this test.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DependencyParser, REL, coarseRelation, parseDocument, projective, type ParseInput, type ParseOutput } from '../../src/attribution/parser.js';
import { hashString, rng, shuffle } from '../../src/attribution/hash.js';

/** "word/TAG/head/rel" tokens, heads 1-based as in CoNLL-U (0 = root). */
function sentence(spec: string): { x: ParseInput; gold: ParseOutput } {
  const toks = spec.split(' ').map((t) => t.split('/'));
  return {
    x: { words: toks.map((t) => hashString(t[0].toLowerCase())), tags: toks.map((t) => hashString(t[1])) },
    gold: { head: Int32Array.from(toks.map((t) => Number(t[2]) - 1)), rel: Uint8Array.from(toks.map((t) => coarseRelation(t[3]))) },
  };
}

const TRAIN = [
  'Maria/PROPN/2/nsubj said/VERB/0/root that/SCONJ/6/mark the/DET/5/det plan/NOUN/6/nsubj failed/VERB/2/ccomp ./PUNCT/2/punct',
  'the/DET/2/det minister/NOUN/3/nsubj said/VERB/0/root that/SCONJ/6/mark prices/NOUN/6/nsubj rose/VERB/3/ccomp ./PUNCT/3/punct',
  'Tomas/PROPN/2/nsubj told/VERB/0/root reporters/NOUN/2/obj that/SCONJ/7/mark the/DET/6/det deal/NOUN/7/nsubj collapsed/VERB/2/ccomp ./PUNCT/2/punct',
  'officials/NOUN/2/nsubj warned/VERB/0/root that/SCONJ/5/mark talks/NOUN/5/nsubj stalled/VERB/2/ccomp ./PUNCT/2/punct',
].map(sentence);

describe('dependency parser', () => {
  it('collapses UD relations to the coarse ones the role features use', () => {
    assert.equal(coarseRelation('nsubj:pass'), REL.subj);
    assert.equal(coarseRelation('ccomp'), REL.comp);
    assert.equal(coarseRelation('parataxis'), REL.comp);
    assert.equal(coarseRelation('obl:tmod'), REL.mod);
    assert.equal(coarseRelation('punct'), REL.other);
  });

  it('tells projective trees from crossing ones', () => {
    assert.equal(projective([1, -1, 1]), true);
    // 0→2 and 1→3 cross.
    assert.equal(projective([2, 3, -1, 2]), false);
  });

  it('learns to rebuild the trees it was trained on, and parses a new sentence of the same shape', () => {
    const parser = new DependencyParser(12);
    const random = rng(3);
    for (let e = 0; e < 10; e++) for (const s of shuffle(TRAIN.slice(), random)) parser.train(s.x, s.gold);
    parser.average();
    for (const s of TRAIN) {
      const p = parser.parse(s.x);
      assert.deepEqual(Array.from(p.head), Array.from(s.gold.head));
      assert.deepEqual(Array.from(p.rel), Array.from(s.gold.rel));
    }
    const fresh = sentence('Maria/PROPN/2/nsubj warned/VERB/0/root that/SCONJ/5/mark prices/NOUN/5/nsubj failed/VERB/2/ccomp ./PUNCT/2/punct');
    assert.deepEqual(Array.from(parser.parse(fresh.x).head), Array.from(fresh.gold.head));
  });

  it('gives document-wide heads and the first and last token of every subtree', () => {
    const parser = new DependencyParser(12);
    for (let e = 0; e < 10; e++) for (const s of TRAIN) parser.train(s.x, s.gold);
    parser.average();
    const [a, b] = [TRAIN[0], TRAIN[3]];
    const words = Uint32Array.from([...Array.from(a.x.words), ...Array.from(b.x.words)]);
    const tags = Uint32Array.from([...Array.from(a.x.tags), ...Array.from(b.x.tags)]);
    const n0 = a.x.words.length;
    const sx = parseDocument(parser, [{ tokenStart: 0, tokenEnd: n0 }, { tokenStart: n0, tokenEnd: words.length }], words, tags);
    // "warned" (second sentence, token 1) heads its sentence; its complement "stalled" spans "that talks stalled".
    assert.equal(sx.head[n0 + 1], -1);
    assert.equal(sx.head[n0 + 4], n0 + 1);
    assert.deepEqual([sx.lo[n0 + 4], sx.hi[n0 + 4]], [n0 + 2, n0 + 4]);
    // "failed" in the first sentence: "that the plan failed".
    assert.deepEqual([sx.lo[5], sx.hi[5]], [2, 5]);
    assert.deepEqual([sx.lo[1], sx.hi[1]], [0, n0 - 1]);
  });
});
