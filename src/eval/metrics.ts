import type { Range } from '../core/types.js';
import { overlapLength, rangesLength } from '../core/span.js';

/** One attribution reduced to what evaluation compares: ranges per role. */
export interface ScoredAttribution {
  source: Range[] | null;
  cue: Range[];
  content: Range[];
}

export interface Counts {
  /** Predicted items that match a gold item. */
  tpPred: number;
  /** Gold items matched by a predicted item. */
  tpGold: number;
  pred: number;
  gold: number;
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
  pred: number;
  gold: number;
}

export type Role = 'source' | 'cue' | 'content';
export const ROLES: Role[] = ['source', 'cue', 'content'];

export interface DocCounts {
  exact: Record<Role, Counts>;
  overlap: Record<Role, Counts>;
  attribution: Counts;
}

export interface Scores {
  exact: Record<Role, PRF>;
  overlap: Record<Role, PRF>;
  attribution: PRF;
  documents: number;
  /** How well the predictions' confidences match how often they are right (when they carry one). */
  calibration?: CalibrationScores;
}

export interface CalibrationScores {
  /** Outermost predictions with a confidence. */
  predictions: number;
  /** Expected calibration error of `confidence` against the attribution-level match (10 equal-width bins). */
  ece: number;
  /** The same `confidence` read as "all three spans are exact". */
  eceExactReadOfConfidence: number;
  /** ECE of `exactConfidence` against "all three spans exact", where predictions carry it. */
  eceExact: number | null;
}

const EDGE = /[\s\p{P}\p{S}]/u;

/**
 * A span as exact matching sees it: each range trimmed of surrounding whitespace and punctuation,
 * empty ranges dropped, and ranges that only whitespace or punctuation separates joined.
 */
export function normalizeSpan(text: string, ranges: readonly Range[]): Range[] {
  const trimmed: Range[] = [];
  for (const [s0, e0] of [...ranges].sort((a, b) => a[0] - b[0])) {
    let s = s0;
    let e = e0;
    while (s < e && EDGE.test(text[s])) s++;
    while (e > s && EDGE.test(text[e - 1])) e--;
    if (e > s) trimmed.push([s, e]);
  }
  const out: Range[] = [];
  for (const r of trimmed) {
    const last = out[out.length - 1];
    if (last && (r[0] <= last[1] || onlyEdgeChars(text, last[1], r[0]))) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function onlyEdgeChars(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!EDGE.test(text[i])) return false;
  return true;
}

function key(ranges: readonly Range[]): string {
  return ranges.map(([s, e]) => `${s}-${e}`).join(',');
}

function emptyCounts(): Counts {
  return { tpPred: 0, tpGold: 0, pred: 0, gold: 0 };
}

/** Distinct spans of one role (one source often serves several attributions). */
function distinctSpans(text: string, atts: ScoredAttribution[], role: Role): Range[][] {
  const seen = new Map<string, Range[]>();
  for (const a of atts) {
    const r = a[role];
    if (!r || !r.length) continue;
    const n = normalizeSpan(text, r);
    if (n.length) seen.set(key(n), n);
  }
  return [...seen.values()];
}

export function iou(a: readonly Range[], b: readonly Range[]): number {
  const inter = overlapLength(a, b);
  const union = rangesLength(a) + rangesLength(b) - inter;
  return union > 0 ? inter / union : 0;
}

/** Attribution-level match: content IoU ≥ 0.5, cues overlap, and sources overlap or are both absent. */
export function attributionsMatch(p: ScoredAttribution, g: ScoredAttribution): boolean {
  if (iou(p.content, g.content) < 0.5) return false;
  if (overlapLength(p.cue, g.cue) === 0) return false;
  if (!p.source?.length || !g.source?.length) return !p.source?.length && !g.source?.length;
  return overlapLength(p.source, g.source) > 0;
}

/** Source (or its absence), cue and content all equal after normalisation. */
export function spansExact(text: string, p: ScoredAttribution, g: ScoredAttribution): boolean {
  const same = (a: readonly Range[] | null, b: readonly Range[] | null) => key(a?.length ? normalizeSpan(text, a) : []) === key(b?.length ? normalizeSpan(text, b) : []);
  return same(p.cue, g.cue) && same(p.content, g.content) && same(p.source, g.source);
}

/**
 * Per prediction: whether it is matched one to one to a gold attribution (as the attribution score
 * counts it), and whether some gold attribution has exactly its spans.
 */
export function predictionOutcomes(text: string, pred: ScoredAttribution[], gold: ScoredAttribution[]): { matched: boolean[]; exact: boolean[] } {
  const used = matchOneToOne(pred, gold);
  return { matched: pred.map((_, i) => used.has(i)), exact: pred.map((p) => gold.some((g) => spansExact(text, p, g))) };
}

/** Expected calibration error: the mean |confidence − accuracy| over equal-width bins, weighted by their size. */
export function expectedCalibrationError(probs: readonly number[], outcomes: readonly boolean[], bins = 10): number {
  const n = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const hits = new Array<number>(bins).fill(0);
  probs.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.floor(p * bins));
    n[b]++;
    conf[b] += p;
    hits[b] += outcomes[i] ? 1 : 0;
  });
  let sum = 0;
  for (let b = 0; b < bins; b++) if (n[b]) sum += Math.abs(conf[b] - hits[b]);
  return probs.length ? sum / probs.length : 0;
}

/** Greedy one-to-one matching, best content IoU first: the indices of matched predictions. */
function matchOneToOne(pred: ScoredAttribution[], gold: ScoredAttribution[]): { size: number; has(i: number): boolean; gold: number } {
  const pairs: [number, number, number][] = [];
  pred.forEach((p, i) => gold.forEach((g, j) => {
    if (attributionsMatch(p, g)) pairs.push([iou(p.content, g.content), i, j]);
  }));
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  for (const [, i, j] of pairs) {
    if (usedP.has(i) || usedG.has(j)) continue;
    usedP.add(i);
    usedG.add(j);
  }
  return { size: usedP.size, has: (i) => usedP.has(i), gold: usedG.size };
}

/** Counts for one document; `pred` should hold only outermost attributions. */
export function scoreDocument(text: string, pred: ScoredAttribution[], gold: ScoredAttribution[]): DocCounts {
  const exact = {} as Record<Role, Counts>;
  const overlap = {} as Record<Role, Counts>;
  for (const role of ROLES) {
    const p = distinctSpans(text, pred, role);
    const g = distinctSpans(text, gold, role);
    const gKeys = new Set(g.map(key));
    const pKeys = new Set(p.map(key));
    exact[role] = {
      tpPred: p.filter((s) => gKeys.has(key(s))).length,
      tpGold: g.filter((s) => pKeys.has(key(s))).length,
      pred: p.length,
      gold: g.length,
    };
    overlap[role] = {
      tpPred: p.filter((s) => g.some((t) => overlapLength(s, t) > 0)).length,
      tpGold: g.filter((t) => p.some((s) => overlapLength(s, t) > 0)).length,
      pred: p.length,
      gold: g.length,
    };
  }
  // One-to-one, so one gold attribution is never counted twice.
  const used = matchOneToOne(pred, gold);
  const attribution = { tpPred: used.size, tpGold: used.gold, pred: pred.length, gold: gold.length };
  return { exact, overlap, attribution };
}

export function prf(c: Counts): PRF {
  const precision = c.pred ? c.tpPred / c.pred : 0;
  const recall = c.gold ? c.tpGold / c.gold : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, pred: c.pred, gold: c.gold };
}

function add(into: Counts, c: Counts): void {
  into.tpPred += c.tpPred;
  into.tpGold += c.tpGold;
  into.pred += c.pred;
  into.gold += c.gold;
}

/** Micro-averaged scores over documents. */
export function aggregate(docs: DocCounts[]): Scores {
  const exact = {} as Record<Role, Counts>;
  const overlap = {} as Record<Role, Counts>;
  for (const r of ROLES) {
    exact[r] = emptyCounts();
    overlap[r] = emptyCounts();
  }
  const attribution = emptyCounts();
  for (const d of docs) {
    for (const r of ROLES) {
      add(exact[r], d.exact[r]);
      add(overlap[r], d.overlap[r]);
    }
    add(attribution, d.attribution);
  }
  const toPrf = (m: Record<Role, Counts>) => Object.fromEntries(ROLES.map((r) => [r, prf(m[r])])) as Record<Role, PRF>;
  return { exact: toPrf(exact), overlap: toPrf(overlap), attribution: prf(attribution), documents: docs.length };
}
