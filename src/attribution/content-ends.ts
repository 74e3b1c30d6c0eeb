/**
 * The span-edge ranker: where a content and a source start and end, decided over whole candidate
 * edges instead of token by token. The role tagger labels each token, and a token-level decision can
 * stop anywhere: most wrong contents under the right cue have one edge right and the other wrong (an
 * attached adjunct, a comma phrase, a coordinated clause, a run-on over the next attribution). Here the
 * end of the content's last run, the start of its first run and the source's two edges are each
 * re-chosen among the tagger's own edge and the positions near it that could be one (for a content:
 * punctuation, a sentence or line break, another cue, a conjunction, subordinator or preposition; for a
 * source: any word), by a linear ranker that sees both sides of each edge, what lies between it and the
 * tagger's edge, and how much of the tagger's score the move gives up. It is learnt from the predictions
 * of models that had not seen the texts (training/content-ends.ts; the file keeps its first name).
 */
import { ROLE, type CueMarks, type CueRef, type DocContext } from './features.js';
import { hashString, mix, mix3 } from './hash.js';

export const CONTENT_ENDS_FORMAT = 'whosaid-content-ends/1';

/** The scale of the role tagger's score differences (a typical per-token margin). */
const DELTA_UNIT = 500;

/** How far from the tagger's edge a candidate may lie, in tokens. */
const REACH = 25;

export type Edge = 'end' | 'start';
export type Role = 'content' | 'source';
/** One ranker per role and edge, in one table: `content:end`, `content:start`, `source:end`, `source:start`. */
export type EdgeKey = `${Role}:${Edge}`;

/** A source is a short phrase: its edges move by a few words, and any word may be one. */
const SOURCE_REACH = 6;

export interface ContentEndsModel {
  format: typeof CONTENT_ENDS_FORMAT;
  /** Weight table size is 2^bits. */
  bits: number;
  /** Sparse weights: [index, weight]. */
  weights: [number, number][];
  /** Weight of the tagger's (log-scaled) score difference, per role and edge. */
  delta: Partial<Record<EdgeKey, number>>;
  training?: Record<string, unknown>;
}

/** What the ranker reads of one tagged cue. */
export interface EndInput {
  ctx: DocContext;
  cue: CueRef;
  cues: CueMarks;
  /** The role window `[from, to)`; `em` holds `L` scores per window token. */
  from: number;
  to: number;
  em: Float32Array;
  L: number;
  /** Content tokens as tagged, ascending. */
  content: number[];
  /** Source tokens as tagged (one run), ascending. */
  source: number[];
}

/** The spans after the ranker. */
export interface Refined {
  source: number[];
  content: number[];
}

/** A candidate edge: its token, hashed features and the tagger's (log-scaled) score difference against its own edge. */
export interface EdgeCandidate {
  at: number;
  feats: number[];
  delta: number;
}

export interface EdgeChoice {
  role: Role;
  edge: Edge;
  /** The tagger's edge. */
  at: number;
  candidates: EdgeCandidate[];
}

// Words that open a new clause or phrase: a content often stops right before one, or starts after it.
const OPENERS = new Set(['and', 'but', 'or', 'that', 'which', 'who', 'while', 'because', 'according', 'as', 'when', 'after', 'before', 'if', 'though', 'although', 'saying', 'adding', 'where', 'since', 'so', 'than', 'until', 'despite', 'amid', 'in', 'on', 'at', 'for', 'with', 'by', 'to']);

const F = {
  orig: 1, dist: 2, outer: 3, inner: 4, outerPos: 5, innerPos: 6, outer2: 7, sentEdge: 8, lineEdge: 9, winEdge: 10,
  crossSent: 11, crossCue: 12, crossComma: 13, inQuote: 14, quoteEdge: 15, leavesQuote: 16, length: 17,
  deltaBin: 18, cueDir: 19, cueSent: 20, outerCue: 21, crossQuote: 22, innerOuter: 23, sameQuote: 24, side: 25,
} as const;

const bucket = (n: number): number => (n <= 0 ? 0 : n <= 1 ? 1 : n <= 2 ? 2 : n <= 4 ? 3 : n <= 8 ? 4 : n <= 16 ? 5 : 6);
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? 2 : 0);
const WORD_EDGE = hashString('</w>');

/** The first and the last run of consecutive tokens of a content: `[[start, end], [start, end]]`. */
export function edgeRuns(content: readonly number[]): [[number, number], [number, number]] | null {
  if (!content.length) return null;
  let firstEnd = content[0];
  for (let k = 1; k < content.length && content[k] === firstEnd + 1; k++) firstEnd = content[k];
  const last = content[content.length - 1];
  let lastStart = last;
  for (let k = content.length - 2; k >= 0 && content[k] === lastStart - 1; k--) lastStart = content[k];
  return [[content[0], firstEnd], [lastStart, last]];
}

/** Token `x` can be the content's edge: the token beyond it (its outer neighbour) opens something new. */
function isBoundary(input: EndInput, edge: Edge, x: number): boolean {
  const { ctx, cues, from, to } = input;
  const toks = ctx.doc.tokens;
  const out = edge === 'end' ? x + 1 : x - 1;
  if (out < from || out >= to) return true;
  const o = toks[out];
  const sentEdge = toks[x].sentence !== o.sentence;
  const lineEdge = edge === 'end' ? ctx.lineStart[x + 1] === 1 : ctx.lineStart[x] === 1;
  return o.pos === 'PUNCT' || sentEdge || lineEdge || cues.at[out] === 1 || OPENERS.has(o.lower) || (edge === 'start' && OPENERS.has(toks[x].lower));
}

/** Number of features per candidate (the length of the list `features` writes). */
export const FEATURES = 25;

/** Per-choice prefix sums that make each candidate's crossings and score difference O(1). */
interface Span {
  /** First token covered. */
  lo: number;
  /** gain[t - lo]: sum of the role's score minus O's over tokens [lo, t). */
  gain: Float64Array;
  /** quoteChanges[t - lo]: tokens u in [lo, t) with quote[u] !== quote[u + 1]. */
  quoteChanges: Uint32Array;
}

// One span's prefix sums at a time (a scan finishes before the next starts): reused, not reallocated.
const shared: Span = { lo: 0, gain: new Float64Array(256), quoteChanges: new Uint32Array(256) };

function prefixSpan(input: EndInput, role: Role, lo: number, hi: number): Span {
  const { em, L, from, ctx } = input;
  const bl = role === 'content' ? ROLE.BC : ROLE.BS;
  const il = role === 'content' ? ROLE.IC : ROLE.IS;
  const n = hi - lo + 1;
  if (shared.gain.length < n + 1) {
    shared.gain = new Float64Array(2 * (n + 1));
    shared.quoteChanges = new Uint32Array(2 * (n + 1));
  }
  const { gain, quoteChanges } = shared;
  shared.lo = lo;
  gain[0] = 0;
  quoteChanges[0] = 0;
  for (let k = 0; k < n; k++) {
    const t = lo + k;
    const o = (t - from) * L;
    gain[k + 1] = gain[k] + Math.max(em[o + il], em[o + bl]) - em[o + ROLE.O];
    quoteChanges[k + 1] = quoteChanges[k] + (t + 1 < ctx.n && ctx.quote[t] !== ctx.quote[t + 1] ? 1 : 0);
  }
  return shared;
}

/**
 * Writes into `f` the features of moving the `edge` of a run from `x0` to `x`; `other` is the run's
 * opposite edge, which stays. Each feature is salted with the role and edge, so one table holds all
 * four rankers.
 */
function features(input: EndInput, span: Span, role: Role, edge: Edge, other: number, x0: number, x: number, delta: number, f: Int32Array): void {
  const { ctx, cue, cues, from, to } = input;
  const { doc, word, pos, commas, quote, lineStart, lemma } = ctx;
  const toks = doc.tokens;
  const k = (edge === 'end' ? 0 : 64) + (role === 'content' ? 0 : 128);
  const ext = edge === 'end' ? x - x0 : x0 - x;
  const dir = sign(ext);
  const lo = Math.min(x, x0);
  const hi = Math.max(x, x0);
  const out = edge === 'end' ? x + 1 : x - 1;
  const out2 = edge === 'end' ? x + 2 : x - 2;
  const atEdge = out < from || out >= to;
  const outerWord = atEdge ? WORD_EDGE : word[out];
  // Sentence indices only grow along the text, so their difference counts the breaks crossed.
  const sentCross = toks[hi].sentence - toks[lo].sentence;
  const quoteCross = span.quoteChanges[hi - span.lo] - span.quoteChanges[lo - span.lo];
  const cueCross = cues.before[hi + 1] - cues.before[lo + 1];
  const commaCross = commas[hi + 1] - commas[lo + 1];
  const sentEdge = atEdge || toks[x].sentence !== toks[out].sentence;
  const lineEdge = atEdge || (edge === 'end' ? lineStart[x + 1] === 1 : lineStart[x] === 1);
  const side = x < cue.start ? 1 : 2;
  f[0] = mix(k + F.orig, ext === 0 ? 1 : 0);
  f[1] = mix3(k + F.dist, dir, bucket(Math.abs(ext)));
  f[2] = mix(k + F.outer, outerWord);
  f[3] = mix(k + F.inner, word[x]);
  f[4] = mix(k + F.outerPos, atEdge ? 0 : pos[out]);
  f[5] = mix(k + F.innerPos, pos[x]);
  f[6] = mix(k + F.outer2, out2 >= from && out2 < to ? word[out2] : WORD_EDGE);
  f[7] = mix(k + F.sentEdge, sentEdge ? 1 : 0);
  f[8] = mix(k + F.lineEdge, lineEdge ? 1 : 0);
  f[9] = mix(k + F.winEdge, atEdge ? 1 : 0);
  f[10] = mix3(k + F.crossSent, dir, Math.min(sentCross, 3));
  f[11] = mix3(k + F.crossCue, dir, cueCross > 0 ? 1 : 0);
  f[12] = mix3(k + F.crossComma, dir, bucket(commaCross));
  f[13] = mix(k + F.inQuote, quote[x] >= 0 ? 1 : 0);
  f[14] = mix(k + F.quoteEdge, quote[x] >= 0 && (atEdge || quote[out] !== quote[x]) ? 1 : 0);
  f[15] = mix(k + F.leavesQuote, quote[other] >= 0 && quote[x] !== quote[other] ? 1 : 0);
  f[16] = mix(k + F.length, bucket(Math.abs(other - x) + 1));
  f[17] = mix3(k + F.deltaBin, dir, Math.max(-8, Math.min(8, Math.round(delta * 2))) + 8);
  f[18] = mix3(k + F.cueDir, lemma[cue.end - 1], dir);
  f[19] = mix(k + F.cueSent, toks[x].sentence === toks[cue.start].sentence ? 1 : 0);
  f[20] = mix(k + F.outerCue, !atEdge && cues.at[out] ? 1 : 0);
  f[21] = mix3(k + F.crossQuote, dir, Math.min(quoteCross, 2));
  f[22] = mix3(k + F.innerOuter, pos[x], outerWord);
  f[23] = mix(k + F.sameQuote, quote[x] >= 0 && quote[other] === quote[x] ? 1 : 0);
  f[24] = mix3(k + F.side, side, dir);
}

const scratch = new Int32Array(FEATURES);

/**
 * Visits the candidates for one edge of a run: the tagger's own edge and, within reach, the
 * boundaries (for a content) or any word (for a source), staying on the run's side of the cue, not
 * past the run's other edge, never on a cue's word. `visit` gets a scratch feature buffer that the
 * next candidate overwrites.
 */
function scanEdge(input: EndInput, role: Role, edge: Edge, run: [number, number], visit: (x: number, feats: Int32Array, delta: number) => void): number {
  const { cue, cues, from, to } = input;
  const [rs, re] = run;
  const before = re < cue.start;
  const reach = role === 'content' ? REACH : SOURCE_REACH;
  const x0 = edge === 'end' ? re : rs;
  const other = edge === 'end' ? rs : re;
  const lo = edge === 'end' ? Math.max(rs, x0 - reach) : Math.max(before ? from : cue.end, x0 - reach);
  const hi = edge === 'end' ? Math.min(before ? cue.start - 1 : to - 1, x0 + reach) : Math.min(re, x0 + reach);
  const span = prefixSpan(input, role, Math.min(lo, x0), Math.max(hi, x0));
  const at = (t: number) => span.gain[t - span.lo];
  for (let x = lo; x <= hi; x++) {
    if (x !== x0 && (cues.at[x] || (role === 'content' && !isBoundary(input, edge, x)))) continue;
    // What the tagger gives up (or gains) by moving the edge: its score over the tokens added or dropped.
    const gain = edge === 'end' ? at(x + 1) - at(x0 + 1) : at(x0) - at(x);
    // The tagger's scores run to thousands; on a log scale its preference weighs like the other features.
    const delta = Math.sign(gain) * Math.log1p(Math.abs(gain) / DELTA_UNIT);
    features(input, span, role, edge, other, x0, x, delta, scratch);
    visit(x, scratch, delta);
  }
  return x0;
}

function runsOf(input: EndInput): [Role, [[number, number], [number, number]] | null][] {
  return [['content', edgeRuns(input.content)], ['source', edgeRuns(input.source)]];
}

/** The candidates of each edge, with their features kept (for training): the end of the content's last run and the start of its first, and the source's two ends. */
export function edgeChoices(input: EndInput): EdgeChoice[] {
  const out: EdgeChoice[] = [];
  for (const [role, runs] of runsOf(input)) {
    if (!runs) continue;
    for (const [edge, run] of [['end', runs[1]], ['start', runs[0]]] as const) {
      const candidates: EdgeCandidate[] = [];
      const at = scanEdge(input, role, edge, run, (x, feats, delta) => candidates.push({ at: x, feats: Array.from(feats), delta }));
      out.push({ role, edge, at, candidates });
    }
  }
  return out;
}

/** Anything that may re-choose a tagged content (the ranker; training's recorder). */
export interface EndRefiner {
  refine(input: EndInput): Refined;
}

/** A ranker with its weights in a dense table, for scoring. */
export class ContentEnds implements EndRefiner {
  private readonly table: Float32Array;
  private readonly mask: number;

  constructor(readonly model: ContentEndsModel) {
    if (model.format !== CONTENT_ENDS_FORMAT) throw new Error(`span-edge ranker: format ${String(model.format)}, expected ${CONTENT_ENDS_FORMAT}`);
    this.table = new Float32Array(1 << model.bits);
    this.mask = (1 << model.bits) - 1;
    for (const [i, w] of model.weights) this.table[i] = w;
  }

  /** A candidate's score: its features' weights and the tagger's score difference. */
  private points(key: EdgeKey, feats: ArrayLike<number>, delta: number): number {
    let s = (this.model.delta[key] ?? 0) * delta;
    for (let i = 0; i < feats.length; i++) s += this.table[feats[i] & this.mask];
    return s;
  }

  score(key: EdgeKey, c: EdgeCandidate): number {
    return this.points(key, c.feats, c.delta);
  }

  /** The best of recorded candidates (training's check); the tagger's own edge wins ties. */
  choose(choice: EdgeChoice): number {
    const key: EdgeKey = `${choice.role}:${choice.edge}`;
    const pick = new Pick(choice.at);
    for (const c of choice.candidates) pick.offer(c.at, this.points(key, c.feats, c.delta));
    return pick.at;
  }

  /** The best candidate of one edge, scored as the candidates come, none kept. */
  private best(input: EndInput, role: Role, edge: Edge, run: [number, number]): number {
    const key: EdgeKey = `${role}:${edge}`;
    const pick = new Pick(edge === 'end' ? run[1] : run[0]);
    scanEdge(input, role, edge, run, (x, feats, delta) => pick.offer(x, this.points(key, feats, delta)));
    return pick.at;
  }

  /** The source and content with their edges re-chosen (each edge against the tagger's spans). */
  refine(input: EndInput): Refined {
    const [[, c], [, s]] = runsOf(input);
    let content = input.content;
    if (c) {
      // A content edge does not move over the tagger's source: such a move keeps the tagger's edge.
      const first = content[0];
      const last = content[content.length - 1];
      const crosses = (a: number, b: number) => input.source.some((t) => t >= a && t <= b);
      let start = this.best(input, 'content', 'start', c[0]);
      let end = this.best(input, 'content', 'end', c[1]);
      if (start < first && crosses(start, first - 1)) start = first;
      if (end > last && crosses(last + 1, end)) end = last;
      content = moveEdges(content, start, end);
    }
    if (!s) return { source: input.source, content };
    // A source does not reach into the content.
    const source = moveEdges(input.source, this.best(input, 'source', 'start', s[0]), this.best(input, 'source', 'end', s[1])).filter((t) => !content.includes(t));
    return { source: source.length ? source : input.source, content };
  }
}

/** The best-scoring position offered; the tagger's own edge (`at` at first) wins ties. */
class Pick {
  private score = -Infinity;

  constructor(public at: number, private readonly own = at) {}

  offer(x: number, score: number): void {
    if (score > this.score || (score === this.score && x === this.own)) {
      this.score = score;
      this.at = x;
    }
  }
}

/** Tokens between the old edges stay as tagged; the new edges add or drop tokens outside them. */
export function moveEdges(tokens: number[], start: number | undefined, end: number | undefined): number[] {
  if (!tokens.length || start === undefined || end === undefined) return tokens;
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (start === first && end === last) return tokens;
  const out: number[] = [];
  for (let t = start; t < first; t++) out.push(t);
  for (const t of tokens) if (t >= start && t <= end) out.push(t);
  for (let t = last + 1; t <= end; t++) out.push(t);
  return out.length ? out : tokens;
}
