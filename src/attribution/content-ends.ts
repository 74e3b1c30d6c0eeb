/**
 * Where a content that follows its cue ends, decided over whole candidate spans instead of token by
 * token. The role tagger labels each token, and a token-level decision can stop anywhere: most wrong
 * contents under the right cue have the right start and the wrong end (an attached adjunct, a comma
 * phrase, a coordinated clause, a run-on over the next attribution). Here the end of the content's
 * last run is re-chosen among the tagger's own end and the real boundaries near it (before punctuation,
 * a sentence or line break, another cue, a conjunction or subordinator), by a linear ranker that sees
 * both sides of each boundary, what lies between it and the tagger's end, and how much the tagger's
 * emissions would have to give up to move there. It is learned from the predictions of models that
 * had not seen the texts (training/content-ends.ts).
 */
import { ROLE, type CueMarks, type CueRef, type DocContext } from './features.js';
import { hashString, mix, mix3 } from './hash.js';

export const CONTENT_ENDS_FORMAT = 'whosaid-content-ends/1';

/** How far from the tagger's end a candidate may lie, in tokens. */
const REACH = 40;

export interface ContentEndsModel {
  format: typeof CONTENT_ENDS_FORMAT;
  /** Weight table size is 2^bits. */
  bits: number;
  /** Sparse weights: [index, weight]. */
  weights: [number, number][];
  /** Weight of the tagger's score difference (per 10 points). */
  delta: number;
  training?: Record<string, unknown>;
}

/** What the ranker reads of one tagged cue. */
export interface EndInput {
  ctx: DocContext;
  cue: CueRef;
  cues: CueMarks;
  /** The role window's first token; `em` holds `L` scores per window token. */
  from: number;
  to: number;
  em: Float32Array;
  L: number;
  /** Content tokens as tagged, ascending. */
  content: number[];
}

/** A candidate end: its token, hashed features and the tagger's score difference against its own end. */
export interface EndCandidate {
  end: number;
  feats: number[];
  delta: number;
}

// Words that open a new clause or phrase: a content often stops right before one.
const OPENERS = new Set(['and', 'but', 'or', 'that', 'which', 'who', 'while', 'because', 'according', 'as', 'when', 'after', 'before', 'if', 'though', 'although', 'saying', 'adding', 'where', 'since', 'so', 'than', 'until', 'despite', 'amid', 'in', 'on', 'at', 'for', 'with', 'by', 'to']);

const F = {
  orig: 1, dist: 2, next: 3, last: 4, nextPos: 5, lastPos: 6, next2: 7, sentEnd: 8, lineEnd: 9, winEnd: 10,
  crossSent: 11, crossCue: 12, crossComma: 13, inQuote: 14, quoteEnds: 15, leavesQuote: 16, length: 17,
  deltaBin: 18, cueDir: 19, cueSent: 20, nextCue: 21, crossQuote: 22, lastNext: 23, openQuote: 24,
} as const;

const bucket = (n: number): number => (n <= 0 ? 0 : n <= 1 ? 1 : n <= 2 ? 2 : n <= 4 ? 3 : n <= 8 ? 4 : n <= 16 ? 5 : 6);
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? 2 : 0);

/** The last run of the content when it lies after the cue: `[start, end]`, or null. */
export function lastRunAfterCue(content: readonly number[], cue: CueRef): [number, number] | null {
  if (!content.length) return null;
  const end = content[content.length - 1];
  let start = end;
  for (let k = content.length - 2; k >= 0 && content[k] === start - 1; k--) start = content[k];
  return start >= cue.end ? [start, end] : null;
}

function isBoundary(ctx: DocContext, cues: CueMarks, e: number, to: number): boolean {
  if (e + 1 >= to) return true;
  const next = ctx.doc.tokens[e + 1];
  return next.pos === 'PUNCT' || ctx.lineStart[e + 1] === 1 || ctx.doc.tokens[e].sentence !== next.sentence || cues.at[e + 1] === 1 || OPENERS.has(next.lower);
}

/** Sum over tokens [a, b] of the content score (B or I, the better) minus the O score. */
function contentGain(input: EndInput, a: number, b: number): number {
  const { em, L, from } = input;
  let s = 0;
  for (let t = a; t <= b; t++) {
    const o = (t - from) * L;
    s += Math.max(em[o + ROLE.IC], em[o + ROLE.BC]) - em[o + ROLE.O];
  }
  return s;
}

const WORD_END = hashString('</w>');

function features(input: EndInput, start: number, e0: number, e: number, delta: number): number[] {
  const { ctx, cue, cues, to } = input;
  const { doc, word, pos, commas, quote, lineStart } = ctx;
  const toks = doc.tokens;
  const d = e - e0;
  const dir = sign(d);
  const lo = Math.min(e, e0);
  const hi = Math.max(e, e0);
  const atEnd = e + 1 >= to;
  const nextWord = atEnd ? WORD_END : word[e + 1];
  let sentCross = 0;
  for (let t = lo; t < hi; t++) if (toks[t].sentence !== toks[t + 1].sentence) sentCross++;
  const cueCross = cues.before[hi + 1] - cues.before[lo + 1];
  const commaCross = commas[hi + 1] - commas[lo + 1];
  let quoteCross = 0;
  for (let t = lo; t < hi; t++) if (quote[t] !== quote[t + 1]) quoteCross++;
  const f = [
    mix(F.orig, d === 0 ? 1 : 0),
    mix3(F.dist, dir, bucket(Math.abs(d))),
    mix(F.next, nextWord),
    mix(F.last, word[e]),
    mix(F.nextPos, atEnd ? 0 : pos[e + 1]),
    mix(F.lastPos, pos[e]),
    mix(F.next2, e + 2 < to ? word[e + 2] : WORD_END),
    mix(F.sentEnd, atEnd || toks[e].sentence !== toks[e + 1].sentence ? 1 : 0),
    mix(F.lineEnd, atEnd || lineStart[e + 1] ? 1 : 0),
    mix(F.winEnd, atEnd ? 1 : 0),
    mix3(F.crossSent, dir, Math.min(sentCross, 3)),
    mix3(F.crossCue, dir, cueCross > 0 ? 1 : 0),
    mix3(F.crossComma, dir, bucket(commaCross)),
    mix(F.inQuote, quote[e] >= 0 ? 1 : 0),
    mix(F.quoteEnds, quote[e] >= 0 && (atEnd || quote[e + 1] !== quote[e]) ? 1 : 0),
    mix(F.leavesQuote, quote[start] >= 0 && quote[e] !== quote[start] ? 1 : 0),
    mix(F.length, bucket(e - start + 1)),
    mix3(F.deltaBin, dir, Math.max(-6, Math.min(6, Math.round(delta / 10))) + 6),
    mix3(F.cueDir, ctx.lemma[cue.end - 1], dir),
    mix(F.cueSent, toks[e].sentence === toks[cue.start].sentence ? 1 : 0),
    mix(F.nextCue, !atEnd && cues.at[e + 1] ? 1 : 0),
    mix3(F.crossQuote, dir, Math.min(quoteCross, 2)),
    mix3(F.lastNext, pos[e], nextWord),
    mix(F.openQuote, quote[e] >= 0 && quote[start] === quote[e] && quote[start] >= 0 ? 1 : 0),
  ];
  return f;
}

/** The tagger's end and the boundaries within reach of it, with their features. */
export function endCandidates(input: EndInput): { start: number; e0: number; candidates: EndCandidate[] } | null {
  const run = lastRunAfterCue(input.content, input.cue);
  if (!run) return null;
  const [start, e0] = run;
  const { ctx, cues, to } = input;
  const lo = Math.max(start, e0 - REACH);
  const hi = Math.min(to - 1, e0 + REACH);
  const candidates: EndCandidate[] = [];
  for (let e = lo; e <= hi; e++) {
    // A content does not end on another cue's word.
    if (e !== e0 && (!isBoundary(ctx, cues, e, to) || cues.at[e])) continue;
    const delta = e > e0 ? contentGain(input, e0 + 1, e) : e < e0 ? -contentGain(input, e + 1, e0) : 0;
    candidates.push({ end: e, feats: features(input, start, e0, e, delta), delta });
  }
  return { start, e0, candidates };
}

/** Anything that may re-choose a tagged content (the ranker; training's recorder). */
export interface EndRefiner {
  refine(input: EndInput): number[];
}

/** A ranker with its weights in a dense table, for scoring. */
export class ContentEnds implements EndRefiner {
  private readonly table: Float32Array;
  private readonly mask: number;
  readonly delta: number;

  constructor(readonly model: ContentEndsModel) {
    if (model.format !== CONTENT_ENDS_FORMAT) throw new Error(`content-end ranker: format ${String(model.format)}, expected ${CONTENT_ENDS_FORMAT}`);
    this.table = new Float32Array(1 << model.bits);
    this.mask = (1 << model.bits) - 1;
    for (const [i, w] of model.weights) this.table[i] = w;
    this.delta = model.delta;
  }

  score(c: EndCandidate): number {
    let s = this.delta * (c.delta / 10);
    for (const f of c.feats) s += this.table[f & this.mask];
    return s;
  }

  /** The content with its last run's end re-chosen; the tagger's own end wins ties. */
  refine(input: EndInput): number[] {
    const found = endCandidates(input);
    if (!found || found.candidates.length < 2) return input.content;
    const { start, e0, candidates } = found;
    let best = e0;
    let bestScore = -Infinity;
    for (const c of candidates) {
      const s = this.score(c);
      if (s > bestScore || (s === bestScore && c.end === e0)) {
        bestScore = s;
        best = c.end;
      }
    }
    if (best === e0) return input.content;
    const kept = input.content.filter((t) => t < start);
    for (let t = start; t <= best; t++) kept.push(t);
    return kept;
  }
}
