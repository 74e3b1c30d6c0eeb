import type { Attribution, AttributionKind, Doc, Range } from '../core/types.js';
import { spanRef } from '../core/span.js';
import { buildContext, roleSequence, roleWindow, cueSequence, ROLE, type CueRef, type DocContext } from './features.js';
import type { AttributionModel, Calibration } from './model.js';

/** A cue found by the tagger, with how clearly the tagger preferred it over "no cue". */
export interface FoundCue extends CueRef {
  margin: number;
}

/** Token-level result of the role tagger for one cue. */
export interface RoleResult {
  source: number[];
  content: number[];
  margin: number;
}

export function findCues(ctx: DocContext, model: AttributionModel): FoundCue[] {
  const cues: FoundCue[] = [];
  const L = model.cue.labels;
  for (const s of ctx.doc.sentences) {
    const seq = cueSequence(ctx, s.tokenStart, s.tokenEnd);
    const em = model.cue.emissions(seq);
    const { labels } = model.cue.decode(seq, em);
    for (let p = 0; p < labels.length; p++) {
      if (labels[p] !== 1) continue;
      let e = p + 1;
      while (e < labels.length && labels[e] === 2) e++;
      let margin = 0;
      for (let k = p; k < e; k++) margin += em[k * L + labels[k]] - em[k * L];
      cues.push({ start: s.tokenStart + p, end: s.tokenStart + e, margin: margin / (e - p) });
      p = e - 1;
    }
  }
  return cues;
}

export function tagRoles(ctx: DocContext, model: AttributionModel, cue: CueRef, isCue: Uint8Array): RoleResult {
  const [from, to] = roleWindow(ctx, cue);
  const seq = roleSequence(ctx, cue, from, to, isCue);
  const em = model.role.emissions(seq);
  const { labels } = model.role.decode(seq, em);
  const L = model.role.labels;
  const sourceRuns: number[][] = [];
  const content: number[] = [];
  let margin = 0;
  let counted = 0;
  for (let p = 0; p < labels.length; p++) {
    const lab = labels[p];
    if (lab === ROLE.BS || (lab === ROLE.IS && !sourceRuns.length)) sourceRuns.push([from + p]);
    else if (lab === ROLE.IS) sourceRuns[sourceRuns.length - 1].push(from + p);
    else if (lab === ROLE.BC || lab === ROLE.IC) content.push(from + p);
    if (lab !== ROLE.O) {
      let other = -Infinity;
      for (let l = 0; l < L; l++) if (l !== lab && em[p * L + l] > other) other = em[p * L + l];
      margin += em[p * L + lab] - other;
      counted++;
    }
  }
  // One source per attribution: where the tagger found several, the one nearest the cue.
  let source: number[] = [];
  let best = Infinity;
  for (const run of sourceRuns) {
    const dist = Math.min(Math.abs(run[0] - cue.end), Math.abs(cue.start - run[run.length - 1]));
    if (dist < best) {
      best = dist;
      source = run;
    }
  }
  return { source, content, margin: counted ? margin / counted : 0 };
}

/** Consecutive token indices become one character range each. */
export function tokenRanges(doc: Doc, toks: number[]): Range[] {
  const out: Range[] = [];
  let runStart = -1;
  for (let k = 0; k < toks.length; k++) {
    if (runStart < 0) runStart = toks[k];
    if (k + 1 === toks.length || toks[k + 1] !== toks[k] + 1) {
      out.push([doc.tokens[runStart].start, doc.tokens[toks[k]].end]);
      runStart = -1;
    }
  }
  return out;
}

function kindOf(ctx: DocContext, content: number[]): AttributionKind {
  let inside = 0;
  let outside = 0;
  for (const t of content) {
    if (ctx.doc.tokens[t].pos === 'PUNCT') continue;
    if (ctx.quote[t] >= 0) inside++;
    else outside++;
  }
  if (inside && !outside) return 'direct';
  return inside ? 'mixed' : 'indirect';
}

export function calibrate(c: Calibration, x: number[]): number {
  let z = 0;
  for (let i = 0; i < c.weights.length && i < x.length; i++) z += c.weights[i] * x[i];
  return 1 / (1 + Math.exp(-z));
}

/** The calibration inputs of one attribution. */
export function confidenceFeatures(cue: FoundCue, roles: RoleResult): number[] {
  return [1, cue.margin / 10, roles.margin / 10, roles.source.length ? 1 : 0, Math.log1p(roles.content.length) / 4];
}

/** The attribution stage: cues, then each cue's source and content. Parents are left null. */
export function extractAttributions(doc: Doc, model: AttributionModel): Attribution[] {
  if (!doc.tokens.length) return [];
  const ctx = buildContext(doc);
  const cues = findCues(ctx, model);
  const isCue = new Uint8Array(ctx.n);
  for (const c of cues) for (let t = c.start; t < c.end; t++) isCue[t] = 1;
  const out: Attribution[] = [];
  for (const cue of cues) {
    const roles = tagRoles(ctx, model, cue, isCue);
    if (!roles.content.length) continue;
    const { text } = doc;
    out.push({
      id: `a${out.length + 1}`,
      source: roles.source.length ? spanRef(text, tokenRanges(doc, roles.source)) : null,
      cue: spanRef(text, [[doc.tokens[cue.start].start, doc.tokens[cue.end - 1].end]]),
      content: spanRef(text, tokenRanges(doc, roles.content)),
      kind: kindOf(ctx, roles.content),
      speaker: null,
      via: [],
      parent: null,
      hedged: false,
      confidence: Math.round(calibrate(model.calibration, confidenceFeatures(cue, roles)) * 1000) / 1000,
    });
  }
  return out;
}
