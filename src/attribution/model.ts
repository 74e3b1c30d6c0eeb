import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { PACKED_FORMAT, PackedScorer, SequenceModel } from './perceptron.js';
import { CUE_LABELS, ROLE_LABELS, cueAllowed, roleAllowed } from './features.js';
import { ClusterError, readClusters, type WordClusters } from './clusters.js';
import type { DependencyParser } from './parser.js';
import { NEURAL_FILE, NeuralRoleTagger } from './neural.js';
import { ContentEnds, type ContentEndsModel, type EndRefiner } from './content-ends.js';

/** The span-edge ranker's file beside model.json (training/content-ends.ts writes it). */
export const CONTENT_ENDS_FILE = 'content-ends.json';

/** Logistic calibration of an attribution's raw margins into a probability of being right. */
export interface Calibration {
  /** Weights over the inputs of `confidenceFeatures` (extract.ts). */
  weights: number[];
  /** The same inputs' weights for the probability that all three spans are exact (absent in older models). */
  exactWeights?: number[];
  /** Outermost attributions less likely than this to be right are dropped (chosen for F1 on held-out data). */
  threshold?: number;
}

/** The three taggers: their hash sizes and transition scores; weights live in gzipped files beside it. */
export interface ModelMeta {
  format: 'whosaid-attribution/3';
  cueBits: number;
  roleBits: number;
  transitions: Record<TaggerName, number[]>;
  /** Sentences on each side of a cue's own that its source and content may reach. */
  contextSentences: number;
  calibration: Calibration;
  training: Record<string, unknown>;
  /**
   * The run-time byte tables saved beside the float weights (`cues.u8.gz`, `role.u8.gz`), so that
   * analysis loads 1.9 MB instead of unpacking 21 MB of floats; `format` names the byte encoding.
   */
  packed?: { format: string; cues: number[]; role: number[] };
  /** The word-cluster table the taggers read (a file beside model.json), when the model uses one. */
  clusters?: string;
  /**
   * Tags source and content with the neural role tagger (`role-nn.*` beside model.json, trained by
   * training/neural_role.py): alone ('neural') or added to the perceptron role tagger's scores
   * ('ensemble'). WHOSAID_ROLE_TAGGER=perceptron|neural|ensemble overrides it.
   */
  neuralRole?: 'neural' | 'ensemble';
  /**
   * Re-chooses where contents and sources start and end (the span-edge ranker, content-ends.ts) with
   * the weights in `content-ends.json` beside model.json. WHOSAID_CONTENT_ENDS=off turns it off (for
   * comparisons).
   */
  contentEnds?: boolean;
  /**
   * A cue the role tagger gave no source still gets one where a source start in the cue's sentence
   * scores within this much of the label the tagger chose (extract.ts `fallbackSource`); absent, never.
   */
  sourceFallback?: number;
}

export type TaggerName = 'cue' | 'inner' | 'role';

export interface AttributionModel {
  /** Outermost cues, trained as PolNeAR annotates: every unannotated token is "no cue". */
  cue: SequenceModel;
  /** Cues anywhere, trained with unannotated tokens inside contents as latent: finds nested cues. */
  inner: SequenceModel;
  /** Source and content of one cue. */
  role: SequenceModel;
  calibration: Calibration;
  /** Word clusters behind the cluster features, or null for a model trained without them. */
  clusters: WordClusters | null;
  /** The dependency parser behind the role tagger's syntax features (an experiment: training/experiment.ts --syntax). */
  syntax?: DependencyParser | null;
  /** The neural role tagger, when the model uses it instead of `role` for source and content. */
  neural?: NeuralRoleTagger | null;
  /** The span-edge ranker, when the model has one. */
  contentEnds?: EndRefiner | null;
  meta: ModelMeta;
}

/** models/attribution, found from this file whether it runs from src/ (tsx) or dist/. */
export const DEFAULT_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'attribution');

export class ModelError extends Error {}

// 3: feature hashes have 30 bits (hash.ts); a model trained on 32-bit hashes reads other slots.
const FORMAT = 'whosaid-attribution/3';

function tagger(name: TaggerName, bits: number, weights?: Float32Array, transitions?: Float32Array): SequenceModel {
  return name === 'role'
    ? new SequenceModel({ labels: ROLE_LABELS, bits }, roleAllowed, weights, transitions)
    : new SequenceModel({ labels: CUE_LABELS, bits }, cueAllowed, weights, transitions);
}

export function newModel(cueBits: number, roleBits: number, contextSentences = 1, clusters: WordClusters | null = null, syntax: DependencyParser | null = null): AttributionModel {
  const model = {
    syntax,
    cue: tagger('cue', cueBits),
    inner: tagger('inner', cueBits),
    role: tagger('role', roleBits),
    calibration: { weights: [0, 1, 0, 0, 0, 0, 0], threshold: 0 },
    clusters,
  };
  return { ...model, meta: { ...metaOf(model, {}), contextSentences } };
}

function metaOf(model: Omit<AttributionModel, 'meta'> & { meta?: ModelMeta }, training: Record<string, unknown>): ModelMeta {
  return {
    format: FORMAT,
    cueBits: model.cue.bits,
    roleBits: model.role.bits,
    transitions: { cue: Array.from(model.cue.transitions), inner: Array.from(model.inner.transitions), role: Array.from(model.role.transitions) },
    contextSentences: model.meta?.contextSentences ?? 1,
    calibration: model.calibration,
    training,
    ...(model.clusters ? { clusters: CLUSTER_FILE } : {}),
    ...(model.meta?.neuralRole ? { neuralRole: model.meta.neuralRole } : {}),
    ...(model.meta?.sourceFallback !== undefined ? { sourceFallback: model.meta.sourceFallback } : {}),
  };
}

const CLUSTER_FILE = 'clusters.tsv.gz';

const NAMES: TaggerName[] = ['cue', 'inner', 'role'];

const PACKED_FILES = { cues: 'cues.u8.gz', role: 'role.u8.gz' } as const;

/**
 * Weights are mostly zeros (hashed tables sized to avoid collisions), so they are stored gzipped.
 * The float weights are the model; the byte tables analysis reads are derived from them and saved too.
 */
export function saveModel(model: AttributionModel, dir: string, training: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  const sc = scorers(model);
  const packedMeta = { format: PACKED_FORMAT, cues: sc.cues.packed().scales, role: sc.role.packed().scales };
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...metaOf(model, training), packed: packedMeta }, null, 1) + '\n');
  for (const name of NAMES) {
    const w = model[name].weights;
    writeFileSync(join(dir, `${name}.f32.gz`), gzipSync(Buffer.from(w.buffer, w.byteOffset, w.byteLength), { level: 9 }));
  }
  for (const key of ['cues', 'role'] as const) writeFileSync(join(dir, PACKED_FILES[key]), gzipSync(sc[key].packed().table, { level: 9 }));
  if (model.clusters) writeFileSync(join(dir, CLUSTER_FILE), model.clusters.gz);
}

function readWeights(file: string, expected: number): Float32Array {
  if (!existsSync(file)) throw new ModelError(`${file} is missing`);
  const buf = gunzipSync(readFileSync(file));
  if (buf.byteLength !== expected * 4) throw new ModelError(`${file}: expected ${expected * 4} bytes of weights, found ${buf.byteLength}`);
  // Copy into an aligned buffer of our own: the gunzip result may be a view into a pooled one.
  const out = new Float32Array(expected);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function readMeta(dir: string): ModelMeta {
  const metaFile = join(dir, 'model.json');
  if (!existsSync(metaFile)) throw new ModelError(`no attribution model in ${dir} (model.json missing); build one with "whosaid train"`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ModelMeta;
  if (meta.format !== FORMAT) throw new ModelError(`${metaFile}: model format ${String(meta.format)}, expected ${FORMAT}; retrain with "whosaid train"`);
  return meta;
}

function loadTaggers(dir: string, meta: ModelMeta, withWeights: boolean): AttributionModel {
  const load = (name: TaggerName) => {
    const bits = name === 'role' ? meta.roleBits : meta.cueBits;
    const labels = name === 'role' ? ROLE_LABELS : CUE_LABELS;
    const weights = withWeights ? readWeights(join(dir, `${name}.f32.gz`), (1 << bits) * labels) : new Float32Array(0);
    return tagger(name, bits, weights, Float32Array.from(meta.transitions[name]));
  };
  let clusters: WordClusters | null = null;
  if (meta.clusters) {
    try {
      clusters = readClusters(join(dir, meta.clusters));
    } catch (err) {
      if (err instanceof ClusterError) throw new ModelError(`${err.message}; the model in ${dir} was trained with word clusters`);
      throw err;
    }
  }
  return { cue: load('cue'), inner: load('inner'), role: load('role'), calibration: meta.calibration, clusters, neural: loadNeural(dir, meta), contentEnds: loadContentEnds(dir, meta), meta };
}

function loadContentEnds(dir: string, meta: ModelMeta): ContentEnds | null {
  if (!meta.contentEnds || process.env.WHOSAID_CONTENT_ENDS === 'off') return null;
  const file = join(dir, CONTENT_ENDS_FILE);
  if (!existsSync(file)) throw new ModelError(`${dir}: model.json asks for the span-edge ranker but ${CONTENT_ENDS_FILE} is missing (training/content-ends.ts)`);
  try {
    return new ContentEnds(JSON.parse(readFileSync(file, 'utf8')) as ContentEndsModel);
  } catch (err) {
    throw new ModelError(`${file}: ${(err as Error).message}`);
  }
}

/** The neural role tagger, if the model asks for it (or the environment does) and its files are there. */
function loadNeural(dir: string, meta: ModelMeta): NeuralRoleTagger | null {
  const choice = process.env.WHOSAID_ROLE_TAGGER || meta.neuralRole || 'perceptron';
  if (choice !== 'perceptron' && choice !== 'neural' && choice !== 'ensemble') {
    throw new ModelError(`role tagger "${choice}" (WHOSAID_ROLE_TAGGER or model.json) is not one of perceptron, neural, ensemble`);
  }
  if (choice === 'perceptron') return null;
  if (!existsSync(join(dir, `${NEURAL_FILE}.json`))) throw new ModelError(`${dir}: the ${choice} role tagger needs ${NEURAL_FILE}.json and ${NEURAL_FILE}.f32.gz (training/neural_role.py)`);
  try {
    const tagger = NeuralRoleTagger.load(dir);
    tagger.mode = choice;
    if (choice === 'ensemble' && !(tagger.ensembleScale > 0)) throw new Error(`${dir}/${NEURAL_FILE}.json has no ensembleScale (training/neural-scale.ts)`);
    return tagger;
  } catch (err) {
    throw new ModelError((err as Error).message);
  }
}

/** The model with its float weights, as training wrote it. */
export function loadModel(dir: string): AttributionModel {
  return loadTaggers(dir, readMeta(dir), true);
}

function readPacked(dir: string, key: keyof typeof PACKED_FILES): Uint8Array {
  return new Uint8Array(gunzipSync(readFileSync(join(dir, PACKED_FILES[key]))));
}

/**
 * The model for analysis only: its saved byte tables when both are there in the current encoding,
 * otherwise packed from the float weights, which are then let go.
 */
export function loadInferenceModel(dir: string): AttributionModel {
  const meta = readMeta(dir);
  const saved = meta.packed;
  if (saved?.format !== PACKED_FORMAT || !Object.values(PACKED_FILES).every((f) => existsSync(join(dir, f)))) {
    return forInference(loadTaggers(dir, meta, true));
  }
  const model = loadTaggers(dir, meta, false);
  try {
    const cues = PackedScorer.fromPacked(meta.cueBits, [CUE_LABELS, CUE_LABELS], readPacked(dir, 'cues'), saved.cues);
    const role = PackedScorer.fromPacked(meta.roleBits, [ROLE_LABELS], readPacked(dir, 'role'), saved.role);
    packed.set(model, { scorers: { cues, role }, version: versionOf(model) });
  } catch (err) {
    if (err instanceof ModelError) throw err;
    throw new ModelError(`${dir}: packed tables do not fit the model (${(err as Error).message}); retrain with "whosaid train"`);
  }
  return model;
}

export interface Scorers {
  /** The outermost and inner cue taggers, which share their features. */
  cues: PackedScorer;
  role: PackedScorer;
}

const packed = new WeakMap<AttributionModel, { scorers: Scorers; version: string }>();

function versionOf(model: AttributionModel): string {
  return `${model.cue.version}/${model.inner.version}/${model.role.version}`;
}

/** The run-time scoring tables of a model, built on first use and rebuilt if training moved on. */
export function scorers(model: AttributionModel): Scorers {
  const version = versionOf(model);
  let entry = packed.get(model);
  if (!entry || entry.version !== version) {
    entry = { scorers: { cues: PackedScorer.pack([model.cue, model.inner]), role: PackedScorer.pack([model.role]) }, version };
    packed.set(model, entry);
  }
  return entry.scorers;
}

/**
 * A model for analysis only: packs the scoring tables and lets the float weights go, which keeps
 * a worker's memory to the packed tables (a byte per weight) alone.
 */
export function forInference(model: AttributionModel): AttributionModel {
  scorers(model);
  for (const name of NAMES) model[name].weights = new Float32Array(0);
  return model;
}

let defaultModel: AttributionModel | null = null;

/** The committed model, loaded once per process (or worker thread). */
export function loadDefaultModel(): AttributionModel {
  if (!defaultModel) defaultModel = loadInferenceModel(process.env.WHOSAID_MODEL_DIR || DEFAULT_MODEL_DIR);
  return defaultModel;
}
