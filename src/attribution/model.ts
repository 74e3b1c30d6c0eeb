import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SequenceModel } from './perceptron.js';
import { CUE_LABELS, ROLE_LABELS, cueAllowed, roleAllowed } from './features.js';

/** Logistic calibration of an attribution's raw margins into a probability of being right. */
export interface Calibration {
  /** Weights over [1, cueMargin, roleMargin, hasSource, contentTokens]. */
  weights: number[];
}

export interface ModelMeta {
  format: 'whosaid-attribution/1';
  cueBits: number;
  roleBits: number;
  cueTransitions: number[];
  roleTransitions: number[];
  calibration: Calibration;
  training: Record<string, unknown>;
}

export interface AttributionModel {
  cue: SequenceModel;
  role: SequenceModel;
  calibration: Calibration;
  meta: ModelMeta;
}

/** models/attribution, found from this file whether it runs from src/ (tsx) or dist/. */
export const DEFAULT_MODEL_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'attribution');

export class ModelError extends Error {}

export function newModel(cueBits: number, roleBits: number): AttributionModel {
  const cue = new SequenceModel({ labels: CUE_LABELS, bits: cueBits }, cueAllowed);
  const role = new SequenceModel({ labels: ROLE_LABELS, bits: roleBits }, roleAllowed);
  const calibration: Calibration = { weights: [0, 1, 0, 0, 0] };
  return { cue, role, calibration, meta: metaOf(cue, role, calibration, {}) };
}

function metaOf(cue: SequenceModel, role: SequenceModel, calibration: Calibration, training: Record<string, unknown>): ModelMeta {
  return {
    format: 'whosaid-attribution/1',
    cueBits: cue.bits,
    roleBits: role.bits,
    cueTransitions: Array.from(cue.transitions),
    roleTransitions: Array.from(role.transitions),
    calibration,
    training,
  };
}

export function saveModel(model: AttributionModel, dir: string, training: Record<string, unknown>): void {
  mkdirSync(dir, { recursive: true });
  const meta = metaOf(model.cue, model.role, model.calibration, training);
  writeFileSync(join(dir, 'model.json'), JSON.stringify(meta, null, 1) + '\n');
  writeFileSync(join(dir, 'cue.f32'), Buffer.from(model.cue.weights.buffer, model.cue.weights.byteOffset, model.cue.weights.byteLength));
  writeFileSync(join(dir, 'role.f32'), Buffer.from(model.role.weights.buffer, model.role.weights.byteOffset, model.role.weights.byteLength));
}

function readWeights(file: string, expected: number): Float32Array {
  const buf = readFileSync(file);
  if (buf.byteLength !== expected * 4) throw new ModelError(`${file}: expected ${expected * 4} bytes of weights, found ${buf.byteLength}`);
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Float32Array(copy.buffer);
}

export function loadModel(dir: string): AttributionModel {
  const metaFile = join(dir, 'model.json');
  if (!existsSync(metaFile)) throw new ModelError(`no attribution model in ${dir} (model.json missing); build one with "whosaid train"`);
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as ModelMeta;
  if (meta.format !== 'whosaid-attribution/1') throw new ModelError(`${metaFile}: unknown model format ${String(meta.format)}`);
  const cue = new SequenceModel({ labels: CUE_LABELS, bits: meta.cueBits }, cueAllowed,
    readWeights(join(dir, 'cue.f32'), (1 << meta.cueBits) * CUE_LABELS), Float32Array.from(meta.cueTransitions));
  const role = new SequenceModel({ labels: ROLE_LABELS, bits: meta.roleBits }, roleAllowed,
    readWeights(join(dir, 'role.f32'), (1 << meta.roleBits) * ROLE_LABELS), Float32Array.from(meta.roleTransitions));
  return { cue, role, calibration: meta.calibration, meta };
}

let defaultModel: AttributionModel | null = null;

/** The committed model, loaded once per process. */
export function loadDefaultModel(): AttributionModel {
  if (!defaultModel) defaultModel = loadModel(process.env.WHOSAID_MODEL_DIR || DEFAULT_MODEL_DIR);
  return defaultModel;
}
