import type { Attribution, AttributionKind, Doc, Range } from '../core/types.js';
import { spanRef } from '../core/span.js';
import { buildContext, cueMarks, roleSequence, roleWindow, cueSequence, FeatureBuffer, ROLE, ROLE_LABELS, roleAllowed, type CueMarks, type CueRef, type DocContext } from './features.js';
import { scorers, type AttributionModel, type Calibration } from './model.js';
import { SequenceModel, type Sequence } from './perceptron.js';

// Feature buffers reused from one sentence or cue to the next: each sequence is scored and decoded
// before the next one is built, and fresh typed arrays for each cost more than building the features.
const cueScratch = new FeatureBuffer(80, 48);
const roleScratch = new FeatureBuffer(160, 40);

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

/** Cues the two taggers find: outermost ones, and inner ones (not overlapping an outermost cue). */
export function findCues(ctx: DocContext, model: AttributionModel): { outer: FoundCue[]; inner: FoundCue[] } {
  const outer: FoundCue[] = [];
  const inner: FoundCue[] = [];
  const { cues } = scorers(model);
  for (const s of ctx.doc.sentences) {
    const seq = cueSequence(ctx, s.tokenStart, s.tokenEnd, cueScratch);
    const [emCue, emInner] = cues.emissions(seq);
    const found = spansOf(model.cue, seq, emCue, s.tokenStart);
    outer.push(...found);
    for (const c of spansOf(model.inner, seq, emInner, s.tokenStart)) {
      if (!found.some((o) => o.start < c.end && c.start < o.end)) inner.push(c);
    }
  }
  return { outer, inner };
}

function spansOf(tagger: SequenceModel, seq: Sequence, em: Float32Array, offset: number): FoundCue[] {
  const L = tagger.labels;
  const { labels } = tagger.decode(seq, em);
  const out: FoundCue[] = [];
  for (let p = 0; p < labels.length; p++) {
    if (labels[p] !== 1) continue;
    let e = p + 1;
    while (e < labels.length && labels[e] === 2) e++;
    let margin = 0;
    for (let k = p; k < e; k++) margin += em[k * L + labels[k]] - em[k * L];
    out.push({ start: offset + p, end: offset + e, margin: margin / (e - p) });
    p = e - 1;
  }
  return out;
}

/**
 * Tags one cue's source and content. With `confine`, a cue inside a quotation keeps its source and
 * content inside that quotation: the words of someone quoted cannot reach outside the quote marks.
 */
export function tagRoles(ctx: DocContext, model: AttributionModel, cue: CueRef, cues: CueMarks, confine = false): RoleResult {
  const linear = perceptronRoles(ctx, model, cue, cues, confine);
  // The calibration was fitted on the perceptron's margins, so they stay its input whichever tagger
  // gives the spans: the neural tagger's log-probabilities are on another scale.
  const margin = roleMargin(linear);
  const tagged = model.neural ? neuralRoles(ctx, model, cue, cues, confine, linear) : linear;
  const { from, labels } = tagged;
  const sourceRuns: number[][] = [];
  let content: number[] = [];
  for (let p = 0; p < labels.length; p++) {
    const lab = labels[p];
    if (lab === ROLE.BS || (lab === ROLE.IS && !sourceRuns.length)) sourceRuns.push([from + p]);
    else if (lab === ROLE.IS) sourceRuns[sourceRuns.length - 1].push(from + p);
    else if (lab === ROLE.BC || lab === ROLE.IC) content.push(from + p);
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
  if (!source.length && model.meta.sourceFallback !== undefined) source = fallbackSource(ctx, cue, cues, tagged, model.meta.sourceFallback, confine);
  if (model.contentEnds && !confine) {
    ({ source, content } = model.contentEnds.refine({ ctx, cue, cues, from, to: from + labels.length, em: tagged.em, L: tagged.L, content, source }));
  }
  return { source, content, margin };
}

/** Parts of speech a source starts with: "Palin", "he", "senior aides", "the company", "two officials". */
const SOURCE_STARTS = new Set(['PROPN', 'PRON', 'NOUN', 'DET', 'NUM', 'ADJ']);

/** Parts of speech that go on a noun phrase: "His chief aide", "Japan's central bank". */
const NOUN_PHRASE = new Set(['PROPN', 'NOUN', 'ADJ', 'NUM', 'PART']);

/**
 * Most cues have a source (93% in PolNeAR), but the tagger's best sequence sometimes has none where a
 * source start scored only a little under what it chose ("Palin encouraged …", "Rubio offering …").
 * The token of the cue's sentence that may start a source (SOURCE_STARTS), outside the cue, any other cue
 * and the content, whose source-start score comes nearest to its outside score starts a source when it is
 * within `slack`; the source runs on over the following tokens that score as its inside better than as
 * outside or continue its noun phrase.
 */
export function fallbackSource(ctx: DocContext, cue: CueRef, cues: CueMarks, { from, labels, em, L }: Tagged, slack: number, confine = false): number[] {
  const tk = ctx.doc.tokens;
  const sentence = tk[cue.start].sentence;
  // A confined cue (inside a nested quotation) keeps its source inside that quotation, as its tagger does.
  const quote = confine ? ctx.quote[cue.start] : -1;
  const free = (p: number) => labels[p] === ROLE.O && !cues.at[from + p] && tk[from + p].sentence === sentence && tk[from + p].pos !== 'PUNCT' &&
    (quote < 0 || ctx.quote[from + p] === quote);
  let start = -1;
  let top = -Infinity;
  for (let p = 0; p < labels.length; p++) {
    if (!free(p) || !SOURCE_STARTS.has(tk[from + p].pos)) continue;
    const gap = em[p * L + ROLE.BS] - em[p * L + ROLE.O];
    if (gap > top) {
      top = gap;
      start = p;
    }
  }
  if (start < 0 || top < -slack) return [];
  const out = [from + start];
  for (let p = start + 1; p < labels.length && free(p) && (em[p * L + ROLE.IS] > em[p * L + ROLE.O] || NOUN_PHRASE.has(tk[from + p].pos)); p++) out.push(from + p);
  return out;
}

export interface Tagged {
  from: number;
  labels: Uint8Array;
  em: Float32Array;
  L: number;
}

/** Mean margin of the labelled (non-O) tokens over the best other label. */
function roleMargin({ labels, em, L }: Tagged): number {
  let margin = 0;
  let counted = 0;
  for (let p = 0; p < labels.length; p++) {
    const lab = labels[p];
    if (lab === ROLE.O) continue;
    let other = -Infinity;
    for (let l = 0; l < L; l++) if (l !== lab && em[p * L + l] > other) other = em[p * L + l];
    margin += em[p * L + lab] - other;
    counted++;
  }
  return counted ? margin / counted : 0;
}

/** Forbids roles outside the cue's quotation (for a cue inside one) in a window starting at `from`. */
function confineToQuote(ctx: DocContext, cue: CueRef, from: number, forbid: Uint8Array): void {
  const q = ctx.quote[cue.start];
  if (q < 0) return;
  for (let p = 0; p < forbid.length; p++) if (ctx.quote[from + p] !== q) forbid[p] |= 0b11110;
}

function perceptronRoles(ctx: DocContext, model: AttributionModel, cue: CueRef, cues: CueMarks, confine: boolean): Tagged {
  const [from, to] = roleWindow(ctx, cue, model.meta.contextSentences ?? 1);
  const seq = roleSequence(ctx, cue, from, to, cues, roleScratch);
  if (confine && seq.forbid) confineToQuote(ctx, cue, from, seq.forbid);
  const [em] = scorers(model).role.emissions(seq);
  return { from, labels: model.role.decode(seq, em).labels, em, L: model.role.labels };
}

// Decodes the neural tagger's log-probabilities under the BIO constraints; its transitions are zero.
const neuralDecoder = new SequenceModel({ labels: ROLE_LABELS, bits: 1 }, roleAllowed);

function neuralRoles(ctx: DocContext, model: AttributionModel, cue: CueRef, cues: CueMarks, confine: boolean, linear: Tagged): Tagged {
  const { from, to, em } = model.neural!.tag(ctx, cue, cues);
  const ensemble = model.neural!.ensembleScale;
  if (model.neural!.mode === 'ensemble') {
    // Product of experts: the neural log-probabilities, scaled, added to the perceptron's scores
    // over the part of its window the neural tagger read, decoded with the perceptron's transitions.
    const n = linear.labels.length;
    const sum = Float32Array.from(linear.em.subarray(0, n * ROLE_LABELS));
    for (let t = Math.max(from, linear.from); t < Math.min(to, linear.from + n); t++) {
      for (let l = 0; l < ROLE_LABELS; l++) sum[(t - linear.from) * ROLE_LABELS + l] += ensemble * em[(t - from) * ROLE_LABELS + l];
    }
    const forbid = new Uint8Array(n);
    for (let t = Math.max(linear.from, cue.start); t < Math.min(linear.from + n, cue.end); t++) forbid[t - linear.from] = 0b11110;
    if (confine) confineToQuote(ctx, cue, linear.from, forbid);
    const seq = { feats: new Uint32Array(0), offsets: new Uint32Array(n + 1), forbid };
    return { from: linear.from, labels: model.role.decode(seq, sum).labels, em: sum, L: ROLE_LABELS };
  }
  const forbid = new Uint8Array(to - from);
  for (let t = Math.max(from, cue.start); t < Math.min(to, cue.end); t++) forbid[t - from] = 0b11110;
  if (confine) confineToQuote(ctx, cue, from, forbid);
  const seq = { feats: new Uint32Array(0), offsets: new Uint32Array(to - from + 1), forbid };
  return { from, labels: neuralDecoder.decode(seq, em).labels, em, L: ROLE_LABELS };
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
export function confidenceFeatures({ cue, roles, parent, fromInner }: Found): number[] {
  return [1, cue.margin / 10, roles.margin / 10, roles.source.length ? 1 : 0, Math.log1p(roles.content.length) / 4, parent >= 0 ? 1 : 0, fromInner ? 1 : 0];
}

/** One attribution as the taggers found it, in tokens. */
export interface Found {
  cue: FoundCue;
  roles: RoleResult;
  /** Index of the enclosing attribution in the same list, or -1. */
  parent: number;
  /** Found by the inner (latent) cue tagger rather than the outermost one. */
  fromInner: boolean;
  /** Calibrated probability that the attribution is right (0 until `detect` calibrates it). */
  confidence: number;
  /** Calibrated probability that its spans are exact, for models that have that calibration. */
  exactConfidence?: number;
}

/**
 * The contents of `found[0, limit)` by their first token, so that finding the contents holding a cue
 * looks at nearby ones only: a scan of every content for every cue made long documents quadratic
 * (12,000 attributions: 7 s). A content spans a bounded role window, so the candidates are few.
 */
interface HolderIndex {
  found: Found[];
  /** Indices into `found`, by first content token. */
  order: number[];
  firsts: number[];
  /** The longest first-to-last token distance of any content. */
  reach: number;
}

function holderIndex(found: Found[], limit: number): HolderIndex {
  const order: number[] = [];
  let reach = 0;
  for (let j = 0; j < limit; j++) {
    const c = found[j].roles.content;
    if (!c.length) continue;
    order.push(j);
    reach = Math.max(reach, c[c.length - 1] - c[0]);
  }
  order.sort((a, b) => found[a].roles.content[0] - found[b].roles.content[0] || a - b);
  return { found, order, firsts: order.map((j) => found[j].roles.content[0]), reach };
}

/** The smallest content (first in `found` on a tie) holding both ends of the cue, other than `exclude`; -1 when none. */
function smallestHolder(ix: HolderIndex, cue: CueRef, exclude: number): number {
  const { found, order, firsts } = ix;
  // First position whose content starts at or after cue.start - reach.
  let lo = 0;
  let hi = firsts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (firsts[mid] < cue.start - ix.reach) lo = mid + 1;
    else hi = mid;
  }
  let best = -1;
  for (let k = lo; k < order.length && firsts[k] <= cue.start; k++) {
    const j = order[k];
    if (j === exclude) continue;
    const c = found[j].roles.content;
    if (!c.includes(cue.start) || !c.includes(cue.end - 1)) continue;
    const size = c.length;
    const bestSize = best < 0 ? Infinity : found[best].roles.content.length;
    if (size < bestSize || (size === bestSize && j < best)) best = j;
  }
  return best;
}

/**
 * All attributions of a document with their nesting. Outermost cues come first; an outermost
 * attribution whose cue still lies inside another's content (and is the smaller) becomes its child.
 * Then, round by round, inner cues lying inside a content found so far are tagged and hang under
 * the smallest content holding them, so parents always come from an earlier round (no cycles).
 */
export function detect(ctx: DocContext, model: AttributionModel, select = true): Found[] {
  const { outer, inner } = findCues(ctx, model);
  const isCue = new Uint8Array(ctx.n);
  for (const c of [...outer, ...inner]) for (let t = c.start; t < c.end; t++) isCue[t] = 1;
  const cues = cueMarks(isCue);
  const found: Found[] = [];
  for (const cue of outer) {
    const roles = tagRoles(ctx, model, cue, cues);
    if (roles.content.length) found.push({ cue, roles, parent: -1, fromInner: false, confidence: 0 });
  }
  const outerCount = found.length;
  const outerIndex = holderIndex(found, outerCount);
  for (let i = 0; i < outerCount; i++) {
    const j = smallestHolder(outerIndex, found[i].cue, i);
    if (j >= 0 && found[j].roles.content.length > found[i].roles.content.length) found[i].parent = j;
  }
  let pending = inner;
  for (let round = 0; round < 3 && pending.length; round++) {
    const index = holderIndex(found, found.length);
    const next: FoundCue[] = [];
    for (const cue of pending) {
      const holder = smallestHolder(index, cue, -1);
      if (holder < 0) {
        next.push(cue);
        continue;
      }
      const roles = tagRoles(ctx, model, cue, cues, true);
      if (roles.content.length) found.push({ cue, roles, parent: holder, fromInner: true, confidence: 0 });
    }
    pending = next;
  }
  // Inner cues inside no content at all are candidates for the outermost layer that the stricter
  // tagger passed over; the calibrated confidence decides which of them (and of the rest) stay.
  for (const cue of pending) {
    const roles = tagRoles(ctx, model, cue, cues);
    if (roles.content.length) found.push({ cue, roles, parent: -1, fromInner: true, confidence: 0 });
  }
  const { exactWeights } = model.calibration;
  for (const f of found) {
    const x = confidenceFeatures(f);
    f.confidence = calibrate(model.calibration, x);
    if (exactWeights) f.exactConfidence = calibrate({ weights: exactWeights }, x);
  }
  return select ? selectConfident(found, model.calibration.threshold ?? 0) : found;
}

/**
 * Drops outermost attributions whose confidence is under the threshold chosen on held-out training
 * documents, with everything nested under them; parent indices are remapped to the kept list.
 */
function selectConfident(found: Found[], threshold: number): Found[] {
  const keep = found.map((f) => f.parent >= 0 || f.confidence >= threshold);
  const kept = (i: number): boolean => keep[i] && (found[i].parent < 0 || kept(found[i].parent));
  const survivors = found.map((_, i) => i).filter(kept);
  const index = new Map(survivors.map((i, k) => [i, k]));
  return survivors.map((i) => {
    return { ...found[i], parent: found[i].parent >= 0 ? index.get(found[i].parent)! : -1 };
  });
}

/** The attribution stage: cues, then each cue's source and content, then nesting. */
export function extractAttributions(doc: Doc, model: AttributionModel): Attribution[] {
  if (!doc.tokens.length) return [];
  const ctx = buildContext(doc, model.clusters, model.syntax ?? null);
  const found = detect(ctx, model);
  // Ids follow reading order of the cues.
  const order = found.map((_, i) => i).sort((a, b) => found[a].cue.start - found[b].cue.start);
  const idOf = new Map(order.map((f, k) => [f, `a${k + 1}`]));
  const { text } = doc;
  return order.map((i) => {
    const { cue, roles, parent, confidence, exactConfidence } = found[i];
    const attribution: Attribution = {
      id: idOf.get(i)!,
      source: roles.source.length ? spanRef(text, tokenRanges(doc, roles.source)) : null,
      cue: spanRef(text, [[doc.tokens[cue.start].start, doc.tokens[cue.end - 1].end]]),
      content: spanRef(text, tokenRanges(doc, roles.content)),
      kind: kindOf(ctx, roles.content),
      speaker: null,
      via: [],
      parent: parent >= 0 ? idOf.get(parent)! : null,
      hedged: false,
      confidence: Math.round(confidence * 1000) / 1000,
    };
    if (exactConfidence !== undefined) attribution.exactConfidence = Math.round(exactConfidence * 1000) / 1000;
    return attribution;
  });
}
