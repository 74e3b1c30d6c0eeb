/**
 * A small greedy dependency parser (arc-standard transitions, one averaged perceptron over hashed
 * features), learned from GUM's Universal Dependencies trees (training/parser.ts). It gives, per
 * token, its head and a coarse relation, which is what the role tagger asks of syntax: which
 * dependent of a cue a token sits in (its subject, its complement clause, an adjunct) and where
 * that subtree ends.
 *
 * Coarse relations keep the transition set small (13 classes, so scoring a state costs 13 table
 * reads per feature): UD's ~40 relations collapse to what tells a source and a content apart.
 */
import { hashString, mix, mix3 } from './hash.js';

export const REL = { subj: 0, comp: 1, obj: 2, mod: 3, conj: 4, other: 5 } as const;
export const REL_NAMES = ['subj', 'comp', 'obj', 'mod', 'conj', 'other'] as const;
const RELS = REL_NAMES.length;
/** SHIFT, then LEFT-ARC per relation, then RIGHT-ARC per relation. */
export const PARSER_CLASSES = 1 + 2 * RELS;

/** UD relation (before any ':' subtype) → coarse relation. */
export function coarseRelation(deprel: string): number {
  const base = deprel.split(':')[0];
  switch (base) {
    case 'nsubj': case 'csubj': case 'expl': return REL.subj;
    case 'ccomp': case 'xcomp': case 'parataxis': return REL.comp;
    case 'obj': case 'iobj': return REL.obj;
    case 'advcl': case 'obl': case 'advmod': case 'nmod': case 'acl': case 'amod': case 'appos': case 'nummod': case 'dislocated': case 'vocative': return REL.mod;
    case 'conj': case 'cc': return REL.conj;
    default: return REL.other;
  }
}

/** One sentence to parse: hashed lowercased words and hashed UPOS tags. */
export interface ParseInput {
  words: ArrayLike<number>;
  tags: ArrayLike<number>;
}

/** Heads are sentence-relative token indices, -1 for the root. */
export interface ParseOutput {
  head: Int32Array;
  rel: Uint8Array;
}

const F = Array.from({ length: 24 }, (_, i) => hashString(`dep${i}`));
const NONE = hashString('<none>');
const MAX_FEATURES = 24;

/** The parser state: a stack, the next buffer position, and the arcs so far with each token's outermost children. */
class State {
  stack: Int32Array;
  top = 0;
  next = 0;
  head: Int32Array;
  rel: Uint8Array;
  leftmost: Int32Array;
  rightmost: Int32Array;
  constructor(readonly n: number) {
    this.stack = new Int32Array(n + 1);
    this.head = new Int32Array(n).fill(-1);
    this.rel = new Uint8Array(n).fill(REL.other);
    this.leftmost = new Int32Array(n).fill(-1);
    this.rightmost = new Int32Array(n).fill(-1);
  }
  s(i: number): number {
    return this.top > i ? this.stack[this.top - 1 - i] : -1;
  }
  done(): boolean {
    return this.next >= this.n && this.top <= 1;
  }
  legal(c: number): boolean {
    if (c === 0) return this.next < this.n;
    return this.top >= 2;
  }
  apply(c: number): void {
    if (c === 0) {
      this.stack[this.top++] = this.next++;
      return;
    }
    const r = (c - 1) % RELS;
    const s0 = this.stack[this.top - 1];
    const s1 = this.stack[this.top - 2];
    if (c <= RELS) {
      // LEFT-ARC: s1 ← s0
      this.head[s1] = s0;
      this.rel[s1] = r;
      if (this.leftmost[s0] < 0 || s1 < this.leftmost[s0]) this.leftmost[s0] = s1;
      this.stack[this.top - 2] = s0;
      this.top--;
    } else {
      // RIGHT-ARC: s1 → s0
      this.head[s0] = s1;
      this.rel[s0] = r;
      if (this.rightmost[s1] < 0 || s0 > this.rightmost[s1]) this.rightmost[s1] = s0;
      this.top--;
    }
  }
}

function features(st: State, x: ParseInput, out: Uint32Array): number {
  const w = (i: number) => (i >= 0 ? x.words[i] : NONE);
  const p = (i: number) => (i >= 0 ? x.tags[i] : NONE);
  const s0 = st.s(0), s1 = st.s(1), s2 = st.s(2);
  const b0 = st.next < st.n ? st.next : -1;
  const b1 = st.next + 1 < st.n ? st.next + 1 : -1;
  const b2 = st.next + 2 < st.n ? st.next + 2 : -1;
  const s0l = s0 >= 0 ? st.leftmost[s0] : -1, s0r = s0 >= 0 ? st.rightmost[s0] : -1;
  const s1l = s1 >= 0 ? st.leftmost[s1] : -1, s1r = s1 >= 0 ? st.rightmost[s1] : -1;
  const dist = s0 >= 0 && s1 >= 0 ? Math.min(s0 - s1, 6) : -1;
  let k = 0;
  out[k++] = F[0];
  out[k++] = mix(F[1], w(s0));
  out[k++] = mix(F[2], p(s0));
  out[k++] = mix3(F[3], w(s0), p(s0));
  out[k++] = mix(F[4], w(s1));
  out[k++] = mix(F[5], p(s1));
  out[k++] = mix(F[6], p(s2));
  out[k++] = mix(F[7], w(b0));
  out[k++] = mix(F[8], p(b0));
  out[k++] = mix3(F[9], w(b0), p(b0));
  out[k++] = mix(F[10], mix(w(b1), p(b1)));
  out[k++] = mix(F[11], p(b2));
  out[k++] = mix3(F[12], p(s0), p(b0));
  out[k++] = mix3(F[13], p(s0), p(s1));
  out[k++] = mix3(F[14], mix(p(s1), p(s0)), p(b0));
  out[k++] = mix3(F[15], mix(p(s2), p(s1)), p(s0));
  out[k++] = mix3(F[16], mix(p(s0), p(b0)), p(b1));
  out[k++] = mix3(F[17], w(s0), w(s1));
  out[k++] = mix3(F[18], w(s0), w(b0));
  out[k++] = mix3(F[19], mix(p(s0), p(s1)), dist);
  out[k++] = mix3(F[20], mix(p(s0), p(s0l)), p(s0r));
  out[k++] = mix3(F[21], mix(p(s1), p(s1l)), p(s1r));
  out[k++] = mix3(F[22], mix(p(s1), p(s0)), s0l >= 0 ? st.rel[s0l] : 9);
  out[k++] = mix3(F[23], mix(p(s1), w(s0)), s1r >= 0 ? st.rel[s1r] : 9);
  return k;
}

export class DependencyParser {
  readonly mask: number;
  private acc: Float64Array | null = null;
  private stamp: Float64Array | null = null;
  private step = 1;
  constructor(readonly bits: number, readonly weights: Float32Array = new Float32Array((1 << bits) * PARSER_CLASSES)) {
    this.mask = (1 << bits) - 1;
    if (weights.length !== (1 << bits) * PARSER_CLASSES) throw new Error(`parser weights hold ${weights.length} values, expected ${(1 << bits) * PARSER_CLASSES}`);
  }

  private scores(feats: Uint32Array, nf: number, out: Float64Array): void {
    out.fill(0);
    const { weights, mask } = this;
    for (let i = 0; i < nf; i++) {
      const b = (feats[i] & mask) * PARSER_CLASSES;
      for (let c = 0; c < PARSER_CLASSES; c++) out[c] += weights[b + c];
    }
  }

  private best(st: State, sc: Float64Array): number {
    let best = -1;
    for (let c = 0; c < PARSER_CLASSES; c++) if (st.legal(c) && (best < 0 || sc[c] > sc[best])) best = c;
    return best;
  }

  parse(x: ParseInput): ParseOutput {
    const n = x.words.length;
    const st = new State(n);
    const feats = new Uint32Array(MAX_FEATURES);
    const sc = new Float64Array(PARSER_CLASSES);
    while (!st.done()) {
      const nf = features(st, x, feats);
      this.scores(feats, nf, sc);
      st.apply(this.best(st, sc));
    }
    return { head: st.head, rel: st.rel };
  }

  /** One greedy pass over a gold projective tree, updating on every wrong transition (training). */
  train(x: ParseInput, gold: ParseOutput): number {
    const n = x.words.length;
    if (!this.acc) {
      this.acc = new Float64Array(this.weights.length);
      this.stamp = new Float64Array(this.weights.length);
    }
    const st = new State(n);
    const feats = new Uint32Array(MAX_FEATURES);
    const sc = new Float64Array(PARSER_CLASSES);
    // Children still to attach, for the static oracle.
    const pending = new Int32Array(n);
    for (let t = 0; t < n; t++) if (gold.head[t] >= 0) pending[gold.head[t]]++;
    let errors = 0;
    while (!st.done()) {
      const nf = features(st, x, feats);
      this.scores(feats, nf, sc);
      const guess = this.best(st, sc);
      const want = oracle(st, gold, pending);
      if (guess !== want) {
        errors++;
        for (let i = 0; i < nf; i++) {
          const b = (feats[i] & this.mask) * PARSER_CLASSES;
          this.update(b + want, 1);
          this.update(b + guess, -1);
        }
      }
      if (want > 0) {
        const dep = want <= RELS ? st.s(1) : st.s(0);
        pending[gold.head[dep]]--;
      }
      st.apply(want);
      this.step++;
    }
    return errors;
  }

  private update(i: number, v: number): void {
    const acc = this.acc!, stamp = this.stamp!;
    acc[i] += (this.step - stamp[i]) * this.weights[i];
    stamp[i] = this.step;
    this.weights[i] += v;
  }

  /** Replaces the weights by their average over all training steps (call once, after training). */
  average(): void {
    const acc = this.acc, stamp = this.stamp;
    if (!acc || !stamp) return;
    for (let i = 0; i < this.weights.length; i++) {
      const total = acc[i] + (this.step - stamp[i]) * this.weights[i];
      this.weights[i] = total / this.step;
    }
    this.acc = this.stamp = null;
  }
}

/** The static arc-standard oracle for a projective gold tree. */
function oracle(st: State, gold: ParseOutput, pending: Int32Array): number {
  const s0 = st.s(0), s1 = st.s(1);
  if (s1 >= 0 && gold.head[s1] === s0) return 1 + gold.rel[s1];
  if (s1 >= 0 && gold.head[s0] === s1 && pending[s0] === 0) return 1 + RELS + gold.rel[s0];
  if (st.next < st.n) return 0;
  // Only reached for a non-projective tree or several roots: attach to the right as "other".
  return 1 + RELS + REL.other;
}

/** Whether a gold tree can be built by arc-standard transitions (no crossing arcs). */
export function projective(head: ArrayLike<number>): boolean {
  const n = head.length;
  for (let a = 0; a < n; a++) {
    if (head[a] < 0) continue;
    const [l1, r1] = a < head[a] ? [a, head[a]] : [head[a], a];
    for (let b = 0; b < n; b++) {
      if (head[b] < 0 || b === a) continue;
      const [l2, r2] = b < head[b] ? [b, head[b]] : [head[b], b];
      if ((l1 < l2 && l2 < r1 && r1 < r2) || (l2 < l1 && l1 < r2 && r2 < r1)) return false;
    }
  }
  return true;
}



/** A document's parse: absolute heads (-1 for a sentence root), coarse relations, subtree edges. */
export interface Syntax {
  head: Int32Array;
  rel: Uint8Array;
  /** First and last token (inclusive) of each token's subtree. */
  lo: Int32Array;
  hi: Int32Array;
}

/** Parses every sentence of a document, given its tokens' hashed words and tags. */
export function parseDocument(parser: DependencyParser, sentences: { tokenStart: number; tokenEnd: number }[], words: Uint32Array, tags: Uint32Array): Syntax {
  const n = words.length;
  const head = new Int32Array(n).fill(-1);
  const rel = new Uint8Array(n).fill(REL.other);
  const lo = new Int32Array(n);
  const hi = new Int32Array(n);
  for (let t = 0; t < n; t++) lo[t] = hi[t] = t;
  for (const s of sentences) {
    const p = parser.parse({ words: words.subarray(s.tokenStart, s.tokenEnd), tags: tags.subarray(s.tokenStart, s.tokenEnd) });
    for (let i = 0; i < p.head.length; i++) {
      head[s.tokenStart + i] = p.head[i] < 0 ? -1 : s.tokenStart + p.head[i];
      rel[s.tokenStart + i] = p.rel[i];
    }
  }
  // Subtree edges: every token widens its ancestors' (projective trees, so a subtree is contiguous).
  for (let t = 0; t < n; t++) {
    let a = head[t];
    for (let steps = 0; a >= 0 && steps < 64; steps++, a = head[a]) {
      if (t < lo[a]) lo[a] = t;
      if (t > hi[a]) hi[a] = t;
    }
  }
  return { head, rel, lo, hi };
}

/** Reads a parser written by training/parser.ts. */
export function loadParser(meta: { bits: number; classes: number }, weights: Float32Array): DependencyParser {
  if (meta.classes !== PARSER_CLASSES) throw new Error(`parser has ${meta.classes} classes, this code ${PARSER_CLASSES}: retrain it (training/parser.ts)`);
  return new DependencyParser(meta.bits, weights);
}
