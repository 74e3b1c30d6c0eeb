import type { Doc } from '../core/types.js';
import { doubleQuoteOf, quoteRegions } from '../nlp/quotes.js';
import { hasNewline } from '../nlp/document.js';
import { hashString, mix, mix3 } from './hash.js';
import type { Sequence } from './perceptron.js';
import type { WordClusters } from './clusters.js';
import { parseDocument, type DependencyParser, type Syntax } from './parser.js';

/**
 * Per-document attributes computed once and shared by the cue and role taggers: hashed word-level
 * attributes per token, quotation regions, and prefix counts that make "how many commas / verbs /
 * other cues lie between this token and the cue" an O(1) question.
 */
export interface DocContext {
  doc: Doc;
  n: number;
  word: Uint32Array;
  lemma: Uint32Array;
  pos: Uint32Array;
  shape: Uint32Array;
  suffix: Uint32Array;
  quote: Int32Array;
  /** Token starts a new line (paragraph or headline break) before it. */
  lineStart: Uint8Array;
  /** Token class for the cue tagger's neighbour features: one of the MARK codes. */
  mark: Uint8Array;
  /** Bit of the token in the "what follows a reporting predicate" set: RIGHT_MARKERS, 64 for a quote mark. */
  right: Uint8Array;
  /** Token's part of speech can head a subject (pronoun, proper or common noun). */
  subject: Uint8Array;
  /** Prefix counts: c[t] = number of such tokens before t. */
  commas: Uint32Array;
  verbs: Uint32Array;
  quoteMarks: Uint32Array;
  lines: Uint32Array;
  /** Hashed word-cluster ids per granularity (fine to coarse), or null for a model without clusters. */
  clusters: Uint32Array[] | null;
  /** The document's dependency parse, or null for a model without syntax features. */
  syntax: Syntax | null;
}

/** Token classes that the cue tagger looks for beside a word; computed once per token, not per feature. */
const MARK = { other: 0, quote: 1, comma: 2, colon: 3, that: 4, stop: 5, to: 6 } as const;
const MARK_OF: Record<string, number> = { ',': MARK.comma, ':': MARK.colon, that: MARK.that, '.': MARK.stop, to: MARK.to };

/** Double quotation marks in any convention (“…”, "…", «…», ``…'', ''…''). */
function isQuoteToken(s: string): boolean {
  return doubleQuoteOf(s) !== null;
}
const PUNCT_SHAPE = /^[^\p{L}\p{N}]+$/u;

/** Shape class of one UTF-16 unit: d digit, x lowercase, X uppercase, else the character itself. */
function shapeChar(c: string, code: number): string {
  if (code < 128) {
    if (code >= 48 && code <= 57) return 'd';
    if (code >= 97 && code <= 122) return 'x';
    if (code >= 65 && code <= 90) return 'X';
    return c;
  }
  return c.toUpperCase() !== c ? 'x' : c.toLowerCase() !== c ? 'X' : c;
}

function isAsciiAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function shapeOf(s: string): string {
  if (isQuoteToken(s)) return 'Q';
  // Most tokens start with an ASCII letter or digit and so are not punctuation: skip the Unicode regex.
  if (!isAsciiAlnum(s.charCodeAt(0)) && PUNCT_SHAPE.test(s)) return s.length <= 2 ? `P${s}` : 'P';
  let out = '';
  let last = '';
  for (let i = 0; i < s.length && out.length < 5; i++) {
    const k = shapeChar(s[i], s.charCodeAt(i));
    if (k !== last) out += k;
    last = k;
  }
  return out;
}

/** The hash of the last three UTF-16 units of `s` (all of it when shorter). */
function suffixHash(s: string): number {
  return hashString(s, s.length > 3 ? s.length - 3 : 0);
}

const h = hashString;

const RIGHT_MARKERS: Record<string, number> = { that: 1, ':': 2, to: 4, about: 8, of: 16, if: 32, whether: 32 };
const SUBJECT_POS = new Set(['PRON', 'PROPN', 'NOUN']);

export function buildContext(doc: Doc, wordClusters: WordClusters | null = null, parser: DependencyParser | null = null): DocContext {
  const n = doc.tokens.length;
  const word = new Uint32Array(n);
  const lemma = new Uint32Array(n);
  const pos = new Uint32Array(n);
  const shape = new Uint32Array(n);
  const suffix = new Uint32Array(n);
  const lineStart = new Uint8Array(n);
  const commas = new Uint32Array(n + 1);
  const verbs = new Uint32Array(n + 1);
  const quoteMarks = new Uint32Array(n + 1);
  const lines = new Uint32Array(n + 1);
  const mark = new Uint8Array(n);
  const right = new Uint8Array(n);
  const subject = new Uint8Array(n);
  for (let t = 0; t < n; t++) {
    const tok = doc.tokens[t];
    // A typewriter quotation mark reads as its typographic form, so the NYT's ''…'' shares what the
    // model learnt from "…".
    const dq = doubleQuoteOf(tok.text);
    word[t] = h(dq ?? tok.lower);
    lemma[t] = h(dq ?? tok.lemma);
    pos[t] = h(tok.pos);
    shape[t] = h(shapeOf(tok.text));
    suffix[t] = suffixHash(tok.lower);
    lineStart[t] = t === 0 || hasNewline(doc.text, doc.tokens[t - 1].end, tok.start) ? 1 : 0;
    commas[t + 1] = commas[t] + (tok.text === ',' || tok.text === ';' || tok.text === '—' || tok.text === '–' ? 1 : 0);
    verbs[t + 1] = verbs[t] + (tok.pos === 'VERB' ? 1 : 0);
    const isQuote = dq !== null;
    quoteMarks[t + 1] = quoteMarks[t] + (isQuote ? 1 : 0);
    lines[t + 1] = lines[t] + lineStart[t];
    mark[t] = isQuote ? MARK.quote : Object.hasOwn(MARK_OF, tok.text) ? MARK_OF[tok.text] : MARK.other;
    right[t] = isQuote ? 64 : Object.hasOwn(RIGHT_MARKERS, tok.lower) ? RIGHT_MARKERS[tok.lower] : 0;
    subject[t] = SUBJECT_POS.has(tok.pos) ? 1 : 0;
  }
  const syntax = parser ? parseDocument(parser, doc.sentences, word, pos) : null;
  return { doc, n, word, lemma, pos, shape, suffix, quote: quoteRegions(doc), lineStart, mark, right, subject, commas, verbs, quoteMarks, lines, clusters: wordClusters && clusterIds(doc, wordClusters), syntax };
}

function clusterIds(doc: Doc, wc: WordClusters): Uint32Array[] {
  const n = doc.tokens.length;
  const out = Array.from({ length: wc.levels }, () => new Uint32Array(n));
  for (let t = 0; t < n; t++) {
    const row = wc.ids.get(doc.tokens[t].lower) ?? wc.unknown;
    for (let k = 0; k < wc.levels; k++) out[k][t] = row[k];
  }
  return out;
}

/**
 * Collects the hashed features of a sequence, position by position. Analysis reuses one buffer per
 * tagger (`reuse`), so the sequence it returns is a view that the next use overwrites; training keeps
 * its sequences and takes a fresh buffer each time.
 */
export class FeatureBuffer {
  private feats: Uint32Array;
  private offsets: Uint32Array;
  private n = 0;
  private p = 0;
  constructor(positions: number, perPosition: number) {
    this.feats = new Uint32Array(positions * perPosition + 16);
    this.offsets = new Uint32Array(positions + 1);
  }
  /** Empties the buffer for a sequence of `positions`. */
  reuse(positions: number): this {
    if (this.offsets.length < positions + 1) this.offsets = new Uint32Array(2 * positions + 1);
    this.n = 0;
    this.p = 0;
    return this;
  }
  /**
   * The array to write at most `count` more features of the current position into, from index
   * `length` on; `end(k)` then closes the position at index k. Writing straight into the array
   * rather than through a method per feature saves a call per feature (~80,000 per article).
   */
  room(count: number): Uint32Array {
    if (this.n + count > this.feats.length) {
      const bigger = new Uint32Array(Math.max(this.feats.length * 2, this.n + count));
      bigger.set(this.feats);
      this.feats = bigger;
    }
    return this.feats;
  }
  get length(): number {
    return this.n;
  }
  end(k: number): void {
    this.n = k;
    this.offsets[++this.p] = k;
  }
  sequence(forbid?: Uint8Array): Sequence {
    return { feats: this.feats.subarray(0, this.n), offsets: this.offsets.subarray(0, this.p + 1), forbid };
  }
}

/** The most features either tagger writes for one position. */
const MAX_FEATURES = 48;

const BOS = hashString('<s>');
const EOS = hashString('</s>');

// Template ids: one distinct constant per feature template.
let nextTemplate = 1;
const T = () => hashString(`tmpl${nextTemplate++}`);
const N = (name: string) => hashString(`tmpl-${name}`);

const C = {
  bias: T(), w: T(), l: T(), p: T(), sh: T(), suf: T(),
  wm1: T(), wp1: T(), wm2: T(), wp2: T(), pm1: T(), pp1: T(), pm2pm1: T(), pp1pp2: T(),
  lm1l: T(), llp1: T(), lpp1: T(), pm1l: T(), lq: T(), q: T(), lpos: T(), lnext: T(), lprev: T(),
  lline: T(), wp1wp2: T(), pm1p: T(), ppp1: T(), lsentq: T(),
  r3p: T(), r3l: T(), subjp: T(), subjl: T(), lwp2: T(), bagl: T(), bagr: T(), lfirst: T(), lpm1: T(), qq: T(),
  // Named rather than numbered: numbering them here would renumber every role template below.
  k0: N('c.k0'), k1: N('c.k1'), k2: N('c.k2'), k0r: N('c.k0r'), k1r: N('c.k1r'), k1m1: N('c.k1m1'), k1p1: N('c.k1p1'), k0s: N('c.k0s'),
};

function at(arr: Uint32Array, t: number, n: number): number {
  return t < 0 ? BOS : t >= n ? EOS : arr[t];
}

/** The cue tagger's class of the next token, by MARK code: quote, colon, comma, "that", end of sentence. */
const NEXT_KIND = [0, 1, 3, 2, 4, 5, 0];

/** Cue tagger features for the tokens of one sentence. */
export function cueSequence(ctx: DocContext, from: number, to: number, scratch?: FeatureBuffer): Sequence {
  const { word, lemma, pos, shape, suffix, quote, n, mark, right: rightBit, subject } = ctx;
  const cl = ctx.clusters;
  const buf = scratch ? scratch.reuse(to - from) : new FeatureBuffer(to - from, 56);
  let sentHasQuote = 0;
  for (let t = from; t < to; t++) if (quote[t] >= 0) sentHasQuote = 1;
  for (let t = from; t < to; t++) {
    const f = buf.room(MAX_FEATURES);
    let nf = buf.length;
    const l = lemma[t];
    const q = quote[t] >= 0 ? 1 : 0;
    const prevMark = t > from ? mark[t - 1] : -1;
    const nextMark = t + 1 < to ? mark[t + 1] : MARK.stop;
    const prevKind = prevMark === MARK.quote ? 1 : prevMark === MARK.comma ? 2 : prevMark < 0 ? 3 : 0;
    const nextKind = NEXT_KIND[nextMark];
    const rel = t - from;
    const posBucket = rel === 0 ? 0 : rel < 3 ? 1 : to - t <= 2 ? 3 : 2;
    // Neighbours read once: the feature writes below go to a typed array too, which keeps the
    // compiler from reusing earlier loads of these.
    const p0 = pos[t];
    const pm1 = at(pos, t - 1, n);
    const pm2 = at(pos, t - 2, n);
    const pp1 = at(pos, t + 1, n);
    const pp2 = at(pos, t + 2, n);
    const wm1 = at(word, t - 1, n);
    const wm2 = at(word, t - 2, n);
    const wp1 = at(word, t + 1, n);
    const wp2 = at(word, t + 2, n);
    f[nf++] = C.bias;
    f[nf++] = mix(C.w, word[t]);
    f[nf++] = mix(C.l, l);
    f[nf++] = mix(C.p, p0);
    f[nf++] = mix(C.sh, shape[t]);
    f[nf++] = mix(C.suf, suffix[t]);
    f[nf++] = mix(C.wm1, wm1);
    f[nf++] = mix(C.wp1, wp1);
    f[nf++] = mix(C.wm2, wm2);
    f[nf++] = mix(C.wp2, wp2);
    f[nf++] = mix(C.pm1, pm1);
    f[nf++] = mix(C.pp1, pp1);
    f[nf++] = mix3(C.pm2pm1, pm2, pm1);
    f[nf++] = mix3(C.pp1pp2, pp1, pp2);
    f[nf++] = mix3(C.lm1l, at(lemma, t - 1, n), l);
    f[nf++] = mix3(C.llp1, l, at(lemma, t + 1, n));
    f[nf++] = mix3(C.lpp1, l, pp1);
    f[nf++] = mix3(C.pm1l, pm1, l);
    f[nf++] = mix3(C.pm1p, pm1, p0);
    f[nf++] = mix3(C.ppp1, p0, pp1);
    f[nf++] = mix3(C.wp1wp2, wp1, wp2);
    f[nf++] = mix(C.q, q);
    f[nf++] = mix3(C.lq, l, q);
    f[nf++] = mix3(C.lpos, l, posBucket);
    f[nf++] = mix3(C.lnext, l, nextKind);
    f[nf++] = mix3(C.lprev, l, prevKind);
    f[nf++] = mix3(C.lsentq, p0, sentHasQuote * 2 + q);
    f[nf++] = mix3(C.lline, p0, posBucket);
    // What follows within three tokens (a complementiser, a quotation, "to", "about") and whether a
    // subject-like word precedes: the frame of a reporting predicate, whatever the predicate is.
    let right = 0;
    for (let k = t + 1; k < to && k <= t + 3; k++) right |= rightBit[k];
    let subj = 0;
    for (let k = t - 1; k >= from && k >= t - 3; k--) if (subject[k]) { subj = t - k; break; }
    f[nf++] = mix3(C.r3p, right, p0);
    f[nf++] = mix3(C.r3l, right, l);
    f[nf++] = mix3(C.subjp, subj, mix(p0, right));
    f[nf++] = mix3(C.subjl, subj, l);
    f[nf++] = mix3(C.lwp2, l, wp2);
    // Unordered nearby words ("told reporters on Monday", "in a statement"): position-free context.
    for (let k = Math.max(from, t - 3); k < t - 1; k++) f[nf++] = mix3(C.bagl, word[k], p0);
    for (let k = t + 3; k < to && k <= t + 4; k++) f[nf++] = mix3(C.bagr, word[k], p0);
    f[nf++] = mix3(C.lfirst, l, ctx.lineStart[from]);
    f[nf++] = mix3(C.lpm1, l, pm1);
    const qPrev = t > from && quote[t - 1] >= 0 ? 1 : 0;
    const qNext = t + 1 < to && quote[t + 1] >= 0 ? 1 : 0;
    f[nf++] = mix3(C.qq, l, qPrev * 4 + q * 2 + qNext);
    if (cl) {
      // The word's clusters alone, with the frame of a reporting predicate, and beside its neighbours'.
      const [k0, k1, k2] = cl;
      f[nf++] = mix(C.k0, k0[t]);
      f[nf++] = mix(C.k1, k1[t]);
      f[nf++] = mix(C.k2, k2[t]);
      f[nf++] = mix3(C.k0r, k0[t], right);
      f[nf++] = mix3(C.k1r, k1[t], mix(right, p0));
      f[nf++] = mix3(C.k1m1, t > 0 ? k1[t - 1] : BOS, k1[t]);
      f[nf++] = mix3(C.k1p1, k1[t], t + 1 < n ? k1[t + 1] : EOS);
      f[nf++] = mix3(C.k0s, k0[t], subj);
    }
    buf.end(nf);
  }
  return buf.sequence();
}

/** Role labels of the cue-conditioned tagger. */
export const ROLE = { O: 0, BS: 1, IS: 2, BC: 3, IC: 4 } as const;
export const ROLE_LABELS = 5;
export const CUE_LABELS = 3;

export function roleAllowed(prev: number, next: number): boolean {
  if (next === ROLE.IS) return prev === ROLE.BS || prev === ROLE.IS;
  if (next === ROLE.IC) return prev === ROLE.BC || prev === ROLE.IC;
  return true;
}

export function cueAllowed(prev: number, next: number): boolean {
  return next !== 2 || prev === 1 || prev === 2;
}

const R = {
  bias: T(), d: T(), w: T(), l: T(), p: T(), sh: T(), pm1p: T(), ppp1: T(), wm1: T(), wp1: T(),
  hd: T(), hdp: T(), q: T(), qtouch: T(), so: T(), sop: T(), com: T(), comp: T(), verb: T(), verbp: T(),
  other: T(), otherp: T(), cnext: T(), cprev: T(), cnextp: T(), cprevp: T(), line: T(), first: T(), qd: T(),
  cw: T(), cwd: T(), qsame: T(), lineb: T(), quoteb: T(), capd: T(), propd: T(), hcom: T(), ctxt: T(),
  k1: N('r.k1'), hk: N('r.hk'), hkp: N('r.hkp'),
  sx: N('r.sx'), sxp: N('r.sxp'), sxh: N('r.sxh'), sxq: N('r.sxq'),
};

/**
 * Where a token sits in the parse relative to the cue's head c: inside the subtree of one of c's
 * dependents (its subject, complement, object, an adjunct…, by side), beside c under c's own head
 * (the clause a "…, he said" hangs off), c's head itself, elsewhere in the sentence, or in another
 * sentence; and whether it is the first or last token of that subtree (where a span starts or ends).
 */
function syntaxClass(sx: Syntax, c: number, t: number, sameSentence: boolean): number {
  if (!sameSentence) return 0;
  const { head, rel, lo, hi } = sx;
  let prev = t;
  let a = t;
  for (let steps = 0; a >= 0 && steps < 64; steps++) {
    if (a === c) {
      const k = prev;
      const edge = (t === lo[k] ? 1 : 0) + (t === hi[k] ? 2 : 0);
      return 4 * (1 + rel[k] + (k < c ? 0 : 6)) + edge;
    }
    prev = a;
    a = head[a];
  }
  const P = head[c];
  if (P < 0) return 4 * 20;
  if (t === P) return 4 * 21;
  if (t >= lo[P] && t <= hi[P]) return 4 * (22 + rel[c]) + (t === lo[P] ? 1 : 0) + (t === hi[P] ? 2 : 0);
  return 4 * 30;
}

/** Signed, bucketed token distance to the cue; 0 inside it. */
function distBucket(d: number): number {
  const a = Math.abs(d);
  const b = a <= 4 ? a : a <= 7 ? 5 : a <= 12 ? 6 : a <= 20 ? 7 : a <= 35 ? 8 : 9;
  return d < 0 ? -b : b;
}

function bucket3(v: number): number {
  return v > 3 ? 3 : v;
}

export interface CueRef {
  /** Token range of the cue, `[start, end)`. */
  start: number;
  end: number;
}

/**
 * The tokens a cue's source and content are searched in: its sentence and `context` sentences on
 * each side, within the cue's paragraph (in PolNeAR train, 99% of attributions stay inside one), widened
 * to whole quotations touching that range, at most `maxSpan` tokens each way.
 */
export function roleWindow(ctx: DocContext, cue: CueRef, context = 1, maxSpan = 120): [number, number] {
  const { doc, quote, lineStart } = ctx;
  const s = doc.tokens[cue.start].sentence;
  const sents = doc.sentences;
  const lo = Math.max(0, cue.start - maxSpan);
  const hi = Math.min(ctx.n, cue.end + maxSpan);
  // The paragraph's ends are looked for within [lo, hi] only (the window is clipped to it anyway):
  // a paragraph of a million tokens made every cue scan all of it.
  let paraStart = cue.start;
  while (paraStart > lo && !lineStart[paraStart]) paraStart--;
  let paraEnd = cue.end;
  while (paraEnd < hi && !lineStart[paraEnd]) paraEnd++;
  let from = Math.max(sents[Math.max(0, s - context)].tokenStart, paraStart);
  let to = Math.min(sents[Math.min(sents.length - 1, s + context)].tokenEnd, paraEnd);
  while (from > lo && quote[from] >= 0 && quote[from - 1] === quote[from]) from--;
  while (to < hi && quote[to - 1] >= 0 && quote[to] === quote[to - 1]) to++;
  return [Math.max(from, lo), Math.min(to, hi)];
}

/** The tokens of every cue found in a document, with prefix counts (`before[t]`: cue tokens before t). */
export interface CueMarks {
  at: Uint8Array;
  before: Uint32Array;
}

export function cueMarks(isCue: Uint8Array): CueMarks {
  const before = new Uint32Array(isCue.length + 1);
  for (let t = 0; t < isCue.length; t++) before[t + 1] = before[t] + isCue[t];
  return { at: isCue, before };
}

/**
 * Role tagger features for one cue over its window. `cues` marks tokens of any cue in the
 * document, so the model can learn that content stops at another attribution's cue.
 */
export function roleSequence(ctx: DocContext, cue: CueRef, from: number, to: number, cues: CueMarks, scratch?: FeatureBuffer): Sequence {
  const { word, lemma, pos, shape, quote, n, doc, commas, verbs, quoteMarks, lineStart, lines } = ctx;
  const isCue = cues.at;
  const tokens = doc.tokens;
  const buf = scratch ? scratch.reuse(to - from) : new FeatureBuffer(to - from, 40);
  const forbid = new Uint8Array(to - from);
  // The cue's identity: its last word is its head for verb cues ("has said"), its first for
  // prepositional ones ("according to").
  let headLemma = lemma[cue.end - 1];
  if (cue.end - cue.start > 1 && tokens[cue.end - 1].pos === 'ADP') headLemma = lemma[cue.start];
  let cueText = 0;
  for (let t = cue.start; t < cue.end && t < cue.start + 4; t++) cueText = mix(cueText, lemma[t]);
  const cueSent = tokens[cue.start].sentence;
  const nextTok = cue.end < n ? tokens[cue.end].text : '</s>';
  const prevTok = cue.start > 0 ? tokens[cue.start - 1].text : '<s>';
  const cNext = isQuoteToken(nextTok) ? 1 : nextTok === ':' ? 2 : nextTok === ',' ? 3 : nextTok === 'that' ? 4 : nextTok === '.' ? 5 : nextTok === 'to' ? 6 : 0;
  const cPrev = isQuoteToken(prevTok) ? 1 : prevTok === ',' ? 2 : 0;
  const qBefore = cue.start > 0 ? quote[cue.start - 1] : -1;
  const qAfter = cue.end < n ? quote[cue.end] : -1;
  const qBefore2 = cue.start > 1 && (prevTok === ',' || prevTok === ':') ? quote[cue.start - 2] : -1;
  const qAfter2 = cue.end + 1 < n && (nextTok === ':' || nextTok === ',') ? quote[cue.end + 1] : -1;
  const cueInQuote = quote[cue.start] >= 0 ? 1 : 0;
  const cl = ctx.clusters;
  // The cue head's cluster: what the role tagger learnt for "accused" applies to "blamed".
  const headCluster = cl ? cl[0][cue.end - 1 > cue.start && tokens[cue.end - 1].pos === 'ADP' ? cue.start : cue.end - 1] : 0;
  // The cue's syntactic head: its first token whose head lies outside the cue.
  const sx = ctx.syntax;
  let cueHead = cue.start;
  if (sx) for (let t = cue.start; t < cue.end; t++) if (sx.head[t] < cue.start || sx.head[t] >= cue.end) { cueHead = t; break; }
  for (let t = from; t < to; t++) {
    const f = buf.room(MAX_FEATURES);
    let nf = buf.length;
    if (t >= cue.start && t < cue.end) {
      // The cue's own tokens can only be O: every labelling scores them alike and training never
      // updates weights there, so their features would be looked up for nothing.
      forbid[t - from] = 0b11110;
      buf.end(nf);
      continue;
    }
    // Signed distance to the cue, never 0 here: -1 is the token just before it, 1 the one just after.
    const d = t < cue.start ? t - cue.start : t - cue.end + 1;
    const db = distBucket(d);
    const dir = d < 0 ? -1 : 1;
    // The tokens between this one and the cue: [lo, hi).
    const lo = d < 0 ? t + 1 : cue.end;
    const hi = d < 0 ? cue.start : t;
    const nCom = bucket3(commas[hi] - commas[lo]);
    const nVerb = bucket3(verbs[hi] - verbs[lo]);
    const other = cues.before[hi] > cues.before[lo] ? 1 : 0;
    const so = Math.max(-2, Math.min(2, tokens[t].sentence - cueSent));
    const q = quote[t];
    const qTouch = q >= 0 && (q === qBefore || q === qAfter || q === qBefore2 || q === qAfter2) ? 1 : 0;
    const qState = q < 0 ? 0 : qTouch ? 2 : 1;
    const quoteBetween = bucket3(quoteMarks[hi] - quoteMarks[lo]);
    // Line starts at tokens lo + 1 ..= hi.
    const lineBetween = lines[hi + 1] > lines[lo + 1] ? 1 : 0;
    const p = pos[t];
    // Shared by several templates; hashed once per position.
    const pDir = mix(p, dir);
    const dirQ = mix(dir, qState);
    f[nf++] = R.bias;
    f[nf++] = mix(R.d, db);
    f[nf++] = mix3(R.w, word[t], dir);
    f[nf++] = mix3(R.l, lemma[t], dir);
    f[nf++] = mix3(R.p, p, db);
    f[nf++] = mix3(R.sh, shape[t], dir);
    f[nf++] = mix3(R.pm1p, at(pos, t - 1, n), pDir);
    f[nf++] = mix3(R.ppp1, p, mix(at(pos, t + 1, n), dir));
    f[nf++] = mix3(R.wm1, at(word, t - 1, n), dir);
    f[nf++] = mix3(R.wp1, at(word, t + 1, n), dir);
    f[nf++] = mix3(R.hd, headLemma, db);
    f[nf++] = mix3(R.hdp, headLemma, pDir);
    f[nf++] = mix3(R.cw, cueText, dir);
    f[nf++] = mix3(R.cwd, cueText, mix(db, qState));
    f[nf++] = mix3(R.q, qState, dir);
    f[nf++] = mix3(R.qd, qState, db);
    f[nf++] = mix3(R.qtouch, qState, mix(cNext, cPrev));
    f[nf++] = mix3(R.qsame, qState, mix(cueInQuote, so));
    f[nf++] = mix3(R.so, so, dir);
    f[nf++] = mix3(R.sop, so, mix(p, qState));
    f[nf++] = mix3(R.com, nCom, dir);
    f[nf++] = mix3(R.comp, nCom, pDir);
    f[nf++] = mix3(R.hcom, headLemma, mix(nCom, dir));
    f[nf++] = mix3(R.verb, nVerb, dir);
    f[nf++] = mix3(R.verbp, nVerb, pDir);
    f[nf++] = mix3(R.other, other, dir);
    f[nf++] = mix3(R.otherp, other, mix(p, nCom));
    f[nf++] = mix3(R.cnext, cNext, db);
    f[nf++] = mix3(R.cprev, cPrev, db);
    f[nf++] = mix3(R.cnextp, cNext, pDir);
    f[nf++] = mix3(R.cprevp, cPrev, pDir);
    f[nf++] = mix3(R.line, lineStart[t], dir);
    f[nf++] = mix3(R.lineb, lineBetween, dirQ);
    f[nf++] = mix3(R.quoteb, quoteBetween, dirQ);
    f[nf++] = mix3(R.first, t === doc.sentences[tokens[t].sentence].tokenStart ? 1 : 0, pDir);
    f[nf++] = mix3(R.capd, shape[t], db);
    f[nf++] = mix3(R.propd, p, mix(at(pos, t - 1, n), db));
    f[nf++] = mix3(R.ctxt, isCue[t], dir);
    if (sx) {
      const cls = syntaxClass(sx, cueHead, t, tokens[t].sentence === cueSent);
      f[nf++] = mix3(R.sx, cls, dir);
      f[nf++] = mix3(R.sxp, cls, p);
      f[nf++] = mix3(R.sxh, cls, headLemma);
      f[nf++] = mix3(R.sxq, cls, qState);
    }
    if (cl) {
      f[nf++] = mix3(R.k1, cl[1][t], dir);
      f[nf++] = mix3(R.hk, headCluster, db);
      f[nf++] = mix3(R.hkp, headCluster, mix(pDir, qState));
    }
    buf.end(nf);
  }
  return buf.sequence(forbid);
}
