import type { Doc, Range } from '../core/types.js';
import { overlapLength } from '../core/span.js';
import type { AnnotatedText } from '../formats/polnear.js';
import type { BratAttribution } from '../formats/brat.js';
import { readDoc } from '../nlp/document.js';
import { buildContext, cueMarks, cueSequence, roleSequence, roleWindow, ROLE, type CueMarks, type DocContext } from './features.js';
import { hashString, rng, shuffle } from './hash.js';
import { Worker } from 'node:worker_threads';
import type { TaggerTask } from './train-worker.js';
import { newModel, type AttributionModel, type Calibration } from './model.js';
import { calibrate, confidenceFeatures, detect, findCues, tokenRanges } from './extract.js';
import type { Sequence } from './perceptron.js';
import type { WordClusters } from './clusters.js';
import type { DependencyParser } from './parser.js';
import { attributionsMatch, normalizeSpan, spansExact } from '../eval/metrics.js';

export interface TrainOptions {
  seed: number;
  cueEpochs: number;
  roleEpochs: number;
  cueBits: number;
  roleBits: number;
  /** Share of training documents held out to fit the confidence calibration. */
  calibrationShare: number;
  /** Sentences on each side of the cue's own that the role tagger looks at. */
  contextSentences: number;
  /** Cue taggers trained on differently shuffled data and averaged (parameter mixing). */
  cueMix: number;
  /** Word clusters for the cluster features (training/clusters.py), or null to train without them. */
  clusters: WordClusters | null;
  /** A dependency parser for the role tagger's syntax features (experiment), or null. */
  syntax?: DependencyParser | null;
  log?: (line: string) => void;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = {
  seed: 13,
  cueEpochs: 12,
  roleEpochs: 8,
  cueBits: 19,
  // The role tagger's features fit 2^18 slots with no loss on held-out data (dev F1 equal within
  // 0.002), and a table half the size is read faster. The cue taggers at 2^18 lose 0.007 cue F1.
  roleBits: 18,
  calibrationShare: 0.15,
  contextSentences: 1,
  cueMix: 3,
  clusters: null,
};

export interface Instance {
  seq: Sequence;
  gold: Uint8Array;
  /** Positions whose label is unknown (see SequenceModel.train). */
  latent?: Uint8Array;
}

/** A token belongs to a span when at least half of its characters do. */
export function tokenMask(doc: Doc, ranges: readonly Range[] | null): Uint8Array {
  const mask = new Uint8Array(doc.tokens.length);
  if (!ranges) return mask;
  for (const tok of doc.tokens) {
    const ov = overlapLength([[tok.start, tok.end]], ranges);
    if (ov > 0 && ov * 2 >= tok.end - tok.start) mask[tok.i] = 1;
  }
  return mask;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

function tokensOf(mask: Uint8Array): number[] {
  const out: number[] = [];
  mask.forEach((v, i) => v && out.push(i));
  return out;
}

interface Prepared {
  ctx: DocContext;
  gold: BratAttribution[];
  cueTokens: { start: number; end: number }[];
  /** Tokens of gold cues. */
  isCue: Uint8Array;
}

function prepare(texts: AnnotatedText[], clusters: WordClusters | null, syntax: DependencyParser | null = null): Prepared[] {
  return texts.map((t) => {
    const doc = readDoc(t.text);
    const ctx = buildContext(doc, clusters, syntax);
    const isCue = new Uint8Array(ctx.n);
    const cueTokens = t.gold.map((g) => {
      const toks = tokensOf(tokenMask(doc, g.cue));
      for (const k of toks) isCue[k] = 1;
      return toks.length ? { start: toks[0], end: toks[toks.length - 1] + 1 } : { start: -1, end: -1 };
    });
    return { ctx, gold: t.gold, cueTokens, isCue };
  });
}

/**
 * PolNeAR annotates only outermost attributions, so a cue inside another attribution's content is
 * unannotated, not absent: those tokens are latent for the cue tagger rather than negative.
 */
function cueInstances(p: Prepared): Instance[] {
  const { ctx } = p;
  const labels = new Uint8Array(ctx.n);
  const latent = new Uint8Array(ctx.n);
  for (const g of p.gold) {
    const inContent = tokenMask(ctx.doc, g.content);
    for (let t = 0; t < ctx.n; t++) if (inContent[t]) latent[t] = 1;
  }
  for (const c of p.cueTokens) {
    if (c.start < 0) continue;
    labels[c.start] = 1;
    latent[c.start] = 0;
    for (let t = c.start + 1; t < c.end; t++) {
      labels[t] = 2;
      latent[t] = 0;
    }
  }
  return ctx.doc.sentences.map((s) => ({
    seq: cueSequence(ctx, s.tokenStart, s.tokenEnd),
    gold: labels.slice(s.tokenStart, s.tokenEnd),
    latent: latent.slice(s.tokenStart, s.tokenEnd),
  }));
}

function roleInstances(p: Prepared, cues: CueMarks, context: number): Instance[] {
  const { ctx } = p;
  const out: Instance[] = [];
  p.gold.forEach((g, i) => {
    const cue = p.cueTokens[i];
    if (cue.start < 0) return;
    const [from, to] = roleWindow(ctx, cue, context);
    const src = tokenMask(ctx.doc, g.source);
    const con = tokenMask(ctx.doc, g.content);
    const gold = new Uint8Array(to - from);
    for (let t = from; t < to; t++) {
      if (t >= cue.start && t < cue.end) continue;
      const prev = t - from - 1;
      if (src[t]) gold[t - from] = prev >= 0 && (gold[prev] === ROLE.BS || gold[prev] === ROLE.IS) ? ROLE.IS : ROLE.BS;
      else if (con[t]) gold[t - from] = prev >= 0 && (gold[prev] === ROLE.BC || gold[prev] === ROLE.IC) ? ROLE.IC : ROLE.BC;
    }
    out.push({ seq: roleSequence(ctx, cue, from, to, cues), gold });
  });
  return out;
}

export function runEpochs(model: AttributionModel['cue'], data: Instance[], epochs: number, random: () => number, name: string, log?: (l: string) => void): void {
  const order = data.map((_, i) => i);
  const t0 = Date.now();
  for (let e = 0; e < epochs; e++) {
    shuffle(order, random);
    let correct = 0;
    for (const i of order) if (model.train(data[i].seq, data[i].gold, data[i].latent)) correct++;
    log?.(`${name} epoch ${e + 1}/${epochs}: ${((100 * correct) / data.length).toFixed(1)}% sequences exact (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  }
  model.average();
}

/** Trains one tagger in a worker thread; resolves to its averaged weights and transitions. */
function trainInWorker(task: TaggerTask, log?: (l: string) => void): Promise<{ weights: Float32Array; transitions: Float32Array }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train-worker.js', import.meta.url), { workerData: task });
    worker.on('message', (m: { log?: string; weights?: Float32Array; transitions?: Float32Array }) => {
      if (m.log) log?.(m.log);
      else if (m.weights && m.transitions) resolve({ weights: m.weights, transitions: m.transitions });
    });
    worker.on('error', reject);
    worker.on('exit', (code) => code !== 0 && reject(new Error(`${task.name}: training worker exited with code ${code}`)));
  });
}

/** A seed per tagger, fixed by the run's seed and the tagger's name: results do not depend on scheduling. */
function taskSeed(seed: number, name: string): number {
  return (seed * 1000003 + hashString(name)) >>> 0;
}

interface Fit {
  prepared: Prepared[];
  stage: string;
}

/**
 * Trains the taggers of several models at once, each tagger in its own worker thread: first every
 * model's outermost and inner cue taggers (each the mean of `cueMix` copies trained in different
 * orders), then every model's role tagger, which sees the cues its own cue taggers find, as it will
 * at run time. PolNeAR annotates only outermost attributions, so the outermost tagger learns every
 * unannotated token as "no cue" while the inner one leaves unannotated content latent.
 */
async function fitModels(fits: Fit[], opts: TrainOptions): Promise<AttributionModel[]> {
  const models = fits.map(() => newModel(opts.cueBits, opts.roleBits, opts.contextSentences, opts.clusters, opts.syntax ?? null));
  const cueJobs: Promise<void>[] = [];
  fits.forEach((fit, m) => {
    const cueData = fit.prepared.flatMap(cueInstances);
    opts.log?.(`${fit.stage}cue taggers: ${cueData.length} sentences`);
    const strict = cueData.map(({ seq, gold }) => ({ seq, gold }));
    for (const [tagger, data, name] of [[models[m].cue, strict, 'cue'], [models[m].inner, cueData, 'inner cue']] as const) {
      const copies = Array.from({ length: Math.max(1, opts.cueMix) }, (_, k) => {
        const label = `${fit.stage}${name} ${k + 1}/${opts.cueMix}`;
        return trainInWorker({ kind: 'cue', bits: opts.cueBits, epochs: opts.cueEpochs, seed: taskSeed(opts.seed, label), name: label, data }, opts.log);
      });
      cueJobs.push(Promise.all(copies).then((trained) => {
        tagger.mixFrom(trained.map((t) => {
          const copy = newModel(opts.cueBits, opts.roleBits).cue;
          copy.weights = t.weights;
          copy.transitions = t.transitions;
          return copy;
        }));
      }));
    }
  });
  await Promise.all(cueJobs);
  await Promise.all(fits.map(async (fit, m) => {
    const model = models[m];
    const roleData = fit.prepared.flatMap((p) => {
      const isCue = p.isCue.slice();
      const { outer, inner } = findCues(p.ctx, model);
      for (const c of [...outer, ...inner]) for (let t = c.start; t < c.end; t++) isCue[t] = 1;
      return roleInstances(p, cueMarks(isCue), opts.contextSentences);
    });
    opts.log?.(`${fit.stage}role tagger: ${roleData.length} attributions`);
    const label = `${fit.stage}role`;
    const t = await trainInWorker({ kind: 'role', bits: opts.roleBits, epochs: opts.roleEpochs, seed: taskSeed(opts.seed, label), name: label, data: roleData }, opts.log);
    model.role.weights = t.weights;
    model.role.transitions = t.transitions;
    model.role.version++;
  }));
  return models;
}

/**
 * Logistic regression by gradient descent on (margins → attribution correct) pairs from documents the
 * model did not see, so confidence reflects held-out accuracy rather than training fit.
 */
function fitCalibration(model: AttributionModel, heldOut: Prepared[]): Calibration & { examples: number; positives: number } {
  return fitFromData(calibrationData(model, heldOut));
}

/** What the calibration is fitted on: each outermost attribution's inputs and whether it was right. */
export interface CalibrationData {
  xs: number[][];
  /** Attribution-level match. */
  ys: number[];
  /** All three spans exact. */
  exact: number[];
  cueHits: number[];
  goldCues: number;
}

/** The calibration data of texts the model did not see (`texts`: PolNeAR texts with their gold). */
export function heldOutCalibrationData(model: AttributionModel, texts: AnnotatedText[]): CalibrationData {
  return calibrationData(model, prepare(texts, model.clusters, model.syntax ?? null));
}

export function mergeCalibrationData(parts: CalibrationData[]): CalibrationData {
  return {
    xs: parts.flatMap((p) => p.xs),
    ys: parts.flatMap((p) => p.ys),
    exact: parts.flatMap((p) => p.exact),
    cueHits: parts.flatMap((p) => p.cueHits),
    goldCues: parts.reduce((a, p) => a + p.goldCues, 0),
  };
}

export function fitFromData({ xs, ys, exact, cueHits, goldCues }: CalibrationData): Calibration & { examples: number; positives: number } {
  const weights = logistic(xs, ys);
  const exactWeights = logistic(xs, exact);
  // Confidence estimates whether the whole attribution is right; the cut is placed where exact cue
  // F1 peaks, since finding the right cues is what every later layer rests on.
  const threshold = f1Threshold(xs.map((x) => calibrate({ weights }, x)), cueHits, goldCues);
  return { weights, exactWeights, threshold, examples: xs.length, positives: ys.reduce((a, b) => a + b, 0) };
}

function calibrationData(model: AttributionModel, heldOut: Prepared[]): CalibrationData {
  const xs: number[][] = [];
  const ys: number[] = [];
  const exact: number[] = [];
  const cueHits: number[] = [];
  let goldCues = 0;
  for (const p of heldOut) {
    const { doc } = p.ctx;
    const cueKeys = new Set(p.gold.map((g) => JSON.stringify(normalizeSpan(doc.text, g.cue))));
    goldCues += cueKeys.size;
    for (const f of detect(p.ctx, model, false)) {
      if (f.parent >= 0) continue;
      const pred = {
        source: f.roles.source.length ? tokenRanges(doc, f.roles.source) : null,
        cue: tokenRanges(doc, range(f.cue.start, f.cue.end)),
        content: tokenRanges(doc, f.roles.content),
      };
      xs.push(confidenceFeatures(f));
      ys.push(p.gold.some((g) => attributionsMatch(pred, g)) ? 1 : 0);
      exact.push(p.gold.some((g) => spansExact(doc.text, pred, g)) ? 1 : 0);
      cueHits.push(cueKeys.has(JSON.stringify(normalizeSpan(doc.text, pred.cue))) ? 1 : 0);
    }
  }
  return { xs, ys, exact, cueHits, goldCues };
}

/** Logistic regression weights (bias first) fitted by gradient descent, rounded to 6 decimals. */
function logistic(xs: number[][], ys: number[]): number[] {
  const dim = xs[0]?.length ?? 7;
  // Standardise the inputs (column 0 is the bias) so gradient descent converges, then fold the
  // scaling back into the weights so they apply to raw inputs.
  const mean = new Array<number>(dim).fill(0);
  const std = new Array<number>(dim).fill(1);
  for (let k = 1; k < dim; k++) {
    mean[k] = xs.reduce((a, x) => a + x[k], 0) / Math.max(1, xs.length);
    const v = xs.reduce((a, x) => a + (x[k] - mean[k]) ** 2, 0) / Math.max(1, xs.length);
    std[k] = Math.sqrt(v) || 1;
  }
  const zs = xs.map((x) => x.map((v, k) => (k === 0 ? 1 : (v - mean[k]) / std[k])));
  const u = new Array<number>(dim).fill(0);
  for (let iter = 0; iter < 1500; iter++) {
    const grad = new Array<number>(dim).fill(0);
    for (let i = 0; i < zs.length; i++) {
      let z = 0;
      for (let k = 0; k < dim; k++) z += u[k] * zs[i][k];
      const err = 1 / (1 + Math.exp(-z)) - ys[i];
      for (let k = 0; k < dim; k++) grad[k] += err * zs[i][k];
    }
    for (let k = 0; k < dim; k++) u[k] -= (0.5 * grad[k]) / Math.max(1, zs.length);
  }
  const w = u.map((v, k) => (k === 0 ? v - u.slice(1).reduce((a, uk, j) => a + (uk * mean[j + 1]) / std[j + 1], 0) : v / std[k]));
  return w.map((v) => Math.round(v * 1e6) / 1e6);
}

/**
 * The confidence cut that maximises F1 on held-out documents: keeping everything at or above it
 * gives F1 = 2·TP / (kept + gold).
 */
function f1Threshold(probs: number[], correct: number[], gold: number): number {
  const order = probs.map((_, i) => i).sort((a, b) => probs[b] - probs[a]);
  let tp = 0;
  let best = 0;
  let cut = 0;
  order.forEach((i, k) => {
    tp += correct[i];
    const f1 = (2 * tp) / (k + 1 + gold);
    if (f1 > best) {
      best = f1;
      cut = probs[i];
    }
  });
  return Math.round(cut * 1e4) / 1e4;
}

/**
 * Trains the attribution model: the calibration is fitted on a held-out share of the documents with
 * a model trained on the rest; the final taggers are then trained on all documents.
 */
export async function trainModel(texts: AnnotatedText[], options: Partial<TrainOptions> = {}): Promise<{ model: AttributionModel; info: Record<string, unknown> }> {
  const opts = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  const t0 = Date.now();
  const prepared = prepare(texts, opts.clusters, opts.syntax ?? null);
  opts.log?.(`prepared ${prepared.length} documents in ${Date.now() - t0} ms`);
  // Held out by text, not by annotation file: with every annotator's file in training, another
  // annotator's reading of a held-out text would otherwise leak into the model it calibrates.
  const names = [...new Set(texts.map((t) => t.name))];
  const order = shuffle(names.map((_, i) => i), rng(opts.seed + 1));
  const nHeld = Math.round(names.length * opts.calibrationShare);
  let calibration: Calibration & { examples: number; positives: number } = { weights: [0, 1, 0, 0, 0, 0, 0], threshold: 0, examples: 0, positives: 0 };
  const heldNames = new Set(order.slice(0, nHeld).map((i) => names[i]));
  const held = new Set(texts.flatMap((t, i) => (heldNames.has(t.name) ? [i] : [])));
  // The calibration model (trained without the held-out texts) and the final one train side by side.
  const fits: Fit[] = [{ prepared, stage: 'final model: ' }];
  if (nHeld > 0) {
    opts.log?.(`calibration model: trained on ${prepared.length - held.size} files, calibrated on ${nHeld} held-out texts`);
    fits.push({ prepared: prepared.filter((_, i) => !held.has(i)), stage: 'calibration model: ' });
  }
  opts.log?.(`final model: trained on all ${prepared.length} files`);
  const [model, partial] = await fitModels(fits, opts);
  if (partial) {
    // Calibration reads each held-out text once, with its first annotation file, as eval does.
    const seen = new Set<string>();
    calibration = fitCalibration(partial, prepared.filter((_, i) => held.has(i) && !seen.has(texts[i].name) && seen.add(texts[i].name)));
    opts.log?.(`calibration: ${calibration.examples} held-out attributions, ${calibration.positives} correct; weights ${calibration.weights.join(' ')}; threshold ${calibration.threshold}`);
  }
  model.calibration = { weights: calibration.weights, exactWeights: calibration.exactWeights, threshold: calibration.threshold };
  const info = {
    documents: texts.length,
    attributions: texts.reduce((n, t) => n + t.gold.length, 0),
    seed: opts.seed,
    cueEpochs: opts.cueEpochs,
    roleEpochs: opts.roleEpochs,
    cueBits: opts.cueBits,
    roleBits: opts.roleBits,
    calibrationShare: opts.calibrationShare,
    contextSentences: opts.contextSentences,
    cueMix: opts.cueMix,
    clusters: opts.clusters ? `${opts.clusters.ids.size} words, ${opts.clusters.levels} granularities` : null,
    calibrationExamples: calibration.examples,
    seconds: Math.round((Date.now() - t0) / 1000),
  };
  return { model, info };
}
