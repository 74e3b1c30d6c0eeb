/**
 * Where a content starts and ends, decided over whole candidate spans instead of token by token. The
 * role tagger labels each token, and a token-level decision can stop anywhere: most wrong contents
 * under the right cue have one edge right and the other wrong (an attached adjunct, a comma phrase, a
 * coordinated clause, a run-on over the next attribution). Here the end of the content's last run and
 * the start of its first run are each re-chosen among the tagger's own edge and the real boundaries
 * near it (punctuation, a sentence or line break, another cue, a conjunction or subordinator), by a
 * linear ranker that sees both sides of each boundary, what lies between it and the tagger's edge, and
 * how much of the tagger's score the move gives up. It is learnt from the predictions of models that
 * had not seen the texts (training/content-ends.ts).
 */
import { ROLE, type CueMarks, type CueRef, type DocContext } from './features.js';
import { hashString, mix, mix3 } from './hash.js';

export const CONTENT_ENDS_FORMAT = 'whosaid-content-ends/1';

/** The scale of the role tagger's score differences (a typical per-token margin). */
const DELTA_UNIT = 500;

/** How far from the tagger's edge a candidate may lie, in tokens. */
const REACH = 40;

export type Edge = 'end' | 'start';
export type Role = 'content' | 'source';
/** One ranker per role and edge, in one table: `content:end`, `content:start`, `source:end`, `source:start`. */
export type EdgeKey = `${Role}:${Edge}`;

/** A source is a short phrase: its edges move by a few words, and any word may be one. */
const SOURCE_REACH = 12;

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

/** Sum over tokens [a, b] of the role's score (B or I, the better) minus the O score. */
function roleGain(input: EndInput, role: Role, a: number, b: number): number {
  const { em, L, from } = input;
  const [bl, il] = role === 'content' ? [ROLE.BC, ROLE.IC] : [ROLE.BS, ROLE.IS];
  let s = 0;
  for (let t = a; t <= b; t++) {
    const o = (t - from) * L;
    s += Math.max(em[o + il], em[o + bl]) - em[o + ROLE.O];
  }
  return s;
}

/**
 * Features of moving the `edge` of a run from `x0` to `x`; `other` is the run's opposite edge, which
 * stays. Each feature is salted with the edge, so one table holds both rankers.
 */
function features(input: EndInput, role: Role, edge: Edge, other: number, x0: number, x: number, delta: number): number[] {
  const { ctx, cue, cues, from, to } = input;
  const { doc, word, pos, commas, quote, lineStart, lemma } = ctx;
  const toks = doc.tokens;
  const salt = (edge === 'end' ? 0 : 64) + (role === 'content' ? 0 : 128);
  const ext = edge === 'end' ? x - x0 : x0 - x;
  const dir = sign(ext);
  const lo = Math.min(x, x0);
  const hi = Math.max(x, x0);
  const out = edge === 'end' ? x + 1 : x - 1;
  const out2 = edge === 'end' ? x + 2 : x - 2;
  const atEdge = out < from || out >= to;
  const outerWord = atEdge ? WORD_EDGE : word[out];
  let sentCross = 0;
  let quoteCross = 0;
  for (let t = lo; t < hi; t++) {
    if (toks[t].sentence !== toks[t + 1].sentence) sentCross++;
    if (quote[t] !== quote[t + 1]) quoteCross++;
  }
  const cueCross = cues.before[hi + 1] - cues.before[lo + 1];
  const commaCross = commas[hi + 1] - commas[lo + 1];
  const sentEdge = atEdge || toks[x].sentence !== toks[out].sentence;
  const lineEdge = atEdge || (edge === 'end' ? lineStart[x + 1] === 1 : lineStart[x] === 1);
  const side = x < cue.start ? 1 : 2;
  const k = (f: number) => f + salt;
  return [
    mix(k(F.orig), ext === 0 ? 1 : 0),
    mix3(k(F.dist), dir, bucket(Math.abs(ext))),
    mix(k(F.outer), outerWord),
    mix(k(F.inner), word[x]),
    mix(k(F.outerPos), atEdge ? 0 : pos[out]),
    mix(k(F.innerPos), pos[x]),
    mix(k(F.outer2), out2 >= from && out2 < to ? word[out2] : WORD_EDGE),
    mix(k(F.sentEdge), sentEdge ? 1 : 0),
    mix(k(F.lineEdge), lineEdge ? 1 : 0),
    mix(k(F.winEdge), atEdge ? 1 : 0),
    mix3(k(F.crossSent), dir, Math.min(sentCross, 3)),
    mix3(k(F.crossCue), dir, cueCross > 0 ? 1 : 0),
    mix3(k(F.crossComma), dir, bucket(commaCross)),
    mix(k(F.inQuote), quote[x] >= 0 ? 1 : 0),
    mix(k(F.quoteEdge), quote[x] >= 0 && (atEdge || quote[out] !== quote[x]) ? 1 : 0),
    mix(k(F.leavesQuote), quote[other] >= 0 && quote[x] !== quote[other] ? 1 : 0),
    mix(k(F.length), bucket(Math.abs(other - x) + 1)),
    mix3(k(F.deltaBin), dir, Math.max(-8, Math.min(8, Math.round(delta * 2))) + 8),
    mix3(k(F.cueDir), lemma[cue.end - 1], dir),
    mix(k(F.cueSent), toks[x].sentence === toks[cue.start].sentence ? 1 : 0),
    mix(k(F.outerCue), !atEdge && cues.at[out] ? 1 : 0),
    mix3(k(F.crossQuote), dir, Math.min(quoteCross, 2)),
    mix3(k(F.innerOuter), pos[x], outerWord),
    mix(k(F.sameQuote), quote[x] >= 0 && quote[other] === quote[x] ? 1 : 0),
    mix3(k(F.side), side, dir),
  ];
}

/**
 * The candidates for one edge of the content: the tagger's own and the boundaries within reach,
 * staying on the run's side of the cue, not past the run's other edge, never on a cue's word.
 */
function edgeChoice(input: EndInput, role: Role, edge: Edge, run: [number, number]): EdgeChoice {
  const { cue, cues, from, to } = input;
  const [rs, re] = run;
  const before = re < cue.start;
  const reach = role === 'content' ? REACH : SOURCE_REACH;
  const x0 = edge === 'end' ? re : rs;
  const other = edge === 'end' ? rs : re;
  const lo = edge === 'end' ? Math.max(rs, x0 - reach) : Math.max(before ? from : cue.end, x0 - reach);
  const hi = edge === 'end' ? Math.min(before ? cue.start - 1 : to - 1, x0 + reach) : Math.min(re, x0 + reach);
  const candidates: EdgeCandidate[] = [];
  for (let x = lo; x <= hi; x++) {
    if (x !== x0 && (cues.at[x] || (role === 'content' && !isBoundary(input, edge, x)))) continue;
    const grow = edge === 'end' ? x > x0 : x < x0;
    const [a, b] = x < x0 ? [x, x0 - 1] : [x0 + 1, x];
    const gain = x === x0 ? 0 : grow ? roleGain(input, role, a, b) : -roleGain(input, role, a, b);
    // The tagger's scores run to thousands; on a log scale its preference weighs like the other features.
    const delta = Math.sign(gain) * Math.log1p(Math.abs(gain) / DELTA_UNIT);
    candidates.push({ at: x, feats: features(input, role, edge, other, x0, x, delta), delta });
  }
  return { role, edge, at: x0, candidates };
}

/** The candidates of each edge: the end of the content's last run and the start of its first, and the source's two ends. */
export function edgeChoices(input: EndInput): EdgeChoice[] {
  const out: EdgeChoice[] = [];
  const runs = edgeRuns(input.content);
  if (runs) out.push(edgeChoice(input, 'content', 'end', runs[1]), edgeChoice(input, 'content', 'start', runs[0]));
  const src = edgeRuns(input.source);
  if (src) out.push(edgeChoice(input, 'source', 'end', src[1]), edgeChoice(input, 'source', 'start', src[0]));
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
    if (model.format !== CONTENT_ENDS_FORMAT) throw new Error(`content-end ranker: format ${String(model.format)}, expected ${CONTENT_ENDS_FORMAT}`);
    this.table = new Float32Array(1 << model.bits);
    this.mask = (1 << model.bits) - 1;
    for (const [i, w] of model.weights) this.table[i] = w;
  }

  score(key: EdgeKey, c: EdgeCandidate): number {
    let s = (this.model.delta[key] ?? 0) * c.delta;
    for (const f of c.feats) s += this.table[f & this.mask];
    return s;
  }

  /** The best candidate's token; the tagger's own edge wins ties. */
  choose(choice: EdgeChoice): number {
    const key: EdgeKey = `${choice.role}:${choice.edge}`;
    let best = choice.at;
    let bestScore = -Infinity;
    for (const c of choice.candidates) {
      const s = this.score(key, c);
      if (s > bestScore || (s === bestScore && c.at === choice.at)) {
        bestScore = s;
        best = c.at;
      }
    }
    return best;
  }

  /** The source and content with their edges re-chosen (each edge against the tagger's spans). */
  refine(input: EndInput): Refined {
    const edges: Partial<Record<EdgeKey, number>> = {};
    for (const choice of edgeChoices(input)) edges[`${choice.role}:${choice.edge}`] = this.choose(choice);
    const content = moveEdges(input.content, edges['content:start'], edges['content:end']);
    // A source does not reach into the content.
    const source = moveEdges(input.source, edges['source:start'], edges['source:end']).filter((t) => !content.includes(t));
    return { source: source.length ? source : input.source, content };
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
