import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CueMarks, CueRef, DocContext } from './features.js';
import { PAIR_KINDS, TOKEN_KINDS, neuralUnits, neuralWindow, pairFeatures, tokenKeys, unitOf } from './neural-inputs.js';

/**
 * The neural role tagger (trained by training/neural_role.py): a bidirectional LSTM reads each
 * unit of a document once; a small head per cue turns the token's state, the cue's states and the
 * pair features (neural-inputs.ts) into log-probabilities of the five role labels.
 *
 * The forward pass is plain TypeScript over Float32Array: the network is small (one LSTM layer of
 * `hidden` units each way), and a native runtime would add a dependency with install-time downloads
 * for a few hundred thousand multiply-adds per article. The input projection of the LSTM is linear
 * in the embeddings, so each vocabulary entry's projection is computed once, on first use, and a
 * token's input costs a handful of additions.
 */

export interface NeuralRoleMeta {
  format: 'whosaid-role-nn/1';
  hidden: number;
  head: number;
  kinds: string[];
  vocab: Record<string, string[]>;
  tensors: { name: string; shape: number[]; offset: number }[];
  training: Record<string, unknown>;
  ensembleScale?: number;
}

export const NEURAL_FORMAT = 'whosaid-role-nn/1';
export const NEURAL_FILE = 'role-nn';
const LABELS = 5;

class Matrix {
  constructor(readonly data: Float32Array, readonly rows: number, readonly cols: number) {}
}

/** One direction of the LSTM: its recurrent weights, and per token kind a lazily filled projection table. */
interface Direction {
  whh: Float32Array;
  bias: Float32Array;
  /** Per kind: (vocab + 1) × 4H projections of the embeddings, and which rows are filled. */
  proj: Float32Array[];
  done: Uint8Array[];
  /** The kind's column block of the input weights. */
  wih: Matrix;
  colStart: number[];
}

/** Per document: token ids, units, and the encodings of the units read so far. */
interface DocState {
  cues: CueMarks;
  units: [number, number][];
  ids: Int32Array[];
  /** Per unit: its states (len × 2H) and their head projections (len × head), once read. */
  enc: ({ h: Float32Array; tok: Float32Array } | undefined)[];
}

export class NeuralRoleTagger {
  readonly hidden: number;
  readonly head: number;
  private readonly index: Map<string, number>[];
  private readonly emb: Matrix[];
  private readonly dirs: Direction[];
  private readonly tokW: Matrix;
  private readonly tokB: Float32Array;
  private readonly cueW: Matrix;
  private readonly pair: Matrix[];
  private readonly outW: Matrix;
  private readonly outB: Float32Array;
  private readonly states = new WeakMap<DocContext, DocState>();
  // Scratch for one step and one cue.
  private readonly gates: Float32Array;
  private readonly cueVec: Float32Array;
  private readonly z: Float32Array;
  private pairIds = new Int32Array(0);
  /**
   * 'ensemble': analysis adds the log-probabilities, times `ensembleScale`, to the perceptron role
   * tagger's scores and decodes the sum; 'neural': it decodes the log-probabilities alone.
   */
  mode: 'neural' | 'ensemble' = 'neural';
  /** The perceptron's median per-token margin over this tagger's, on training texts (training/neural-scale.ts). */
  readonly ensembleScale: number;

  constructor(readonly meta: NeuralRoleMeta, weights: Float32Array) {
    const H = (this.hidden = meta.hidden);
    this.head = meta.head;
    const tensor = (name: string): Matrix => {
      const t = meta.tensors.find((x) => x.name === name);
      if (!t) throw new Error(`tensor ${name} missing`);
      const rows = t.shape[0];
      const cols = t.shape.length > 1 ? t.shape[1] : 1;
      if (t.offset + rows * cols > weights.length) throw new Error(`tensor ${name} runs past the weights`);
      return new Matrix(weights.subarray(t.offset, t.offset + rows * cols), rows, cols);
    };
    this.index = TOKEN_KINDS.map((k) => new Map((meta.vocab[k] ?? []).map((key, i) => [key, i + 1])));
    this.emb = TOKEN_KINDS.map((k) => tensor(`emb.${k}`));
    const colStart: number[] = [];
    let c = 0;
    for (const e of this.emb) {
      colStart.push(c);
      c += e.cols;
    }
    this.dirs = ['', '_reverse'].map((suffix) => {
      const wih = tensor(`lstm.weight_ih_l0${suffix}`);
      if (wih.rows !== 4 * H || wih.cols !== c) throw new Error(`LSTM input weights are ${wih.rows}×${wih.cols}, expected ${4 * H}×${c}`);
      const bih = tensor(`lstm.bias_ih_l0${suffix}`).data;
      const bhh = tensor(`lstm.bias_hh_l0${suffix}`).data;
      return {
        whh: tensor(`lstm.weight_hh_l0${suffix}`).data,
        bias: Float32Array.from(bih, (v, i) => v + bhh[i]),
        proj: this.emb.map((e) => new Float32Array(e.rows * 4 * H)),
        done: this.emb.map((e) => new Uint8Array(e.rows)),
        wih,
        colStart,
      };
    });
    this.tokW = tensor('tok.weight');
    this.tokB = tensor('tok.bias').data;
    this.cueW = tensor('cue.weight');
    this.pair = PAIR_KINDS.map((_, k) => tensor(`pair.${k}`));
    this.outW = tensor('out.weight');
    this.outB = tensor('out.bias').data;
    this.gates = new Float32Array(4 * H);
    this.cueVec = new Float32Array(this.head);
    this.z = new Float32Array(this.head);
    this.ensembleScale = meta.ensembleScale ?? 0;
  }

  static load(dir: string): NeuralRoleTagger {
    const metaFile = join(dir, `${NEURAL_FILE}.json`);
    const weightFile = join(dir, `${NEURAL_FILE}.f32.gz`);
    if (!existsSync(metaFile) || !existsSync(weightFile)) throw new Error(`no neural role tagger in ${dir} (${NEURAL_FILE}.json and ${NEURAL_FILE}.f32.gz)`);
    const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as NeuralRoleMeta;
    if (meta.format !== NEURAL_FORMAT) throw new Error(`${metaFile}: format ${String(meta.format)}, expected ${NEURAL_FORMAT}`);
    const buf = gunzipSync(readFileSync(weightFile));
    const weights = new Float32Array(buf.byteLength / 4);
    new Uint8Array(weights.buffer).set(buf);
    return new NeuralRoleTagger(meta, weights);
  }

  private state(ctx: DocContext, cues: CueMarks): DocState {
    let s = this.states.get(ctx);
    if (!s || s.cues !== cues) {
      const keys = tokenKeys(ctx, cues);
      const ids = keys.map((ks, k) => Int32Array.from(ks, (key) => this.index[k].get(key) ?? 0));
      const units = neuralUnits(ctx);
      s = { cues, units, ids, enc: new Array(units.length) };
      this.states.set(ctx, s);
    }
    return s;
  }

  /** The input projection of a token for one direction, added into `g` (which holds the bias). */
  private addInput(d: Direction, ids: Int32Array[], t: number, g: Float32Array): void {
    const G = 4 * this.hidden;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k][t];
      const proj = d.proj[k];
      const o = id * G;
      if (!d.done[k][id]) {
        const e = this.emb[k];
        const { data: w, cols } = d.wih;
        const c0 = d.colStart[k];
        for (let r = 0; r < G; r++) {
          let s = 0;
          for (let j = 0; j < e.cols; j++) s += w[r * cols + c0 + j] * e.data[id * e.cols + j];
          proj[o + r] = s;
        }
        d.done[k][id] = 1;
      }
      for (let r = 0; r < G; r++) g[r] += proj[o + r];
    }
  }

  private encode(s: DocState, u: number): { h: Float32Array; tok: Float32Array } {
    const cached = s.enc[u];
    if (cached) return cached;
    const H = this.hidden;
    const G = 4 * H;
    const [from, to] = s.units[u];
    const len = to - from;
    const h = new Float32Array(len * 2 * H);
    const g = this.gates;
    const hPrev = new Float32Array(H);
    const cell = new Float32Array(H);
    for (let dir = 0; dir < 2; dir++) {
      const d = this.dirs[dir];
      hPrev.fill(0);
      cell.fill(0);
      for (let step = 0; step < len; step++) {
        const p = dir === 0 ? step : len - 1 - step;
        g.set(d.bias);
        this.addInput(d, s.ids, from + p, g);
        const whh = d.whh;
        for (let r = 0; r < G; r++) {
          let acc = g[r];
          const o = r * H;
          for (let j = 0; j < H; j++) acc += whh[o + j] * hPrev[j];
          g[r] = acc;
        }
        const out = p * 2 * H + dir * H;
        for (let j = 0; j < H; j++) {
          const i = sigmoid(g[j]);
          const f = sigmoid(g[H + j]);
          const c = f * cell[j] + i * tanh(g[2 * H + j]);
          cell[j] = c;
          const v = sigmoid(g[3 * H + j]) * tanh(c);
          h[out + j] = v;
        }
        hPrev.set(h.subarray(out, out + H));
      }
    }
    // The head's token half, shared by every cue of the unit.
    const M = this.head;
    const tok = new Float32Array(len * M);
    const W = this.tokW.data;
    for (let p = 0; p < len; p++) {
      for (let m = 0; m < M; m++) {
        let acc = this.tokB[m];
        const o = m * 2 * H;
        for (let j = 0; j < 2 * H; j++) acc += W[o + j] * h[p * 2 * H + j];
        tok[p * M + m] = acc;
      }
    }
    const enc = { h, tok };
    s.enc[u] = enc;
    return enc;
  }

  /**
   * Log-probabilities of the role labels (`[p * 5 + label]`) over the cue's window `[from, to)`.
   */
  tag(ctx: DocContext, cue: CueRef, cues: CueMarks): { from: number; to: number; em: Float32Array } {
    const s = this.state(ctx, cues);
    const [from, to] = neuralWindow(ctx, s.units, cue);
    const u = unitOf(s.units, cue.start);
    const us = s.units[u][0];
    const { h, tok } = this.encode(s, u);
    const H2 = 2 * this.hidden;
    const M = this.head;
    // The cue's half of the head: its first and last token's states.
    const first = (cue.start - us) * H2;
    const last = (Math.min(cue.end, s.units[u][1]) - 1 - us) * H2;
    const cw = this.cueW.data;
    for (let m = 0; m < M; m++) {
      let acc = 0;
      const o = m * 2 * H2;
      for (let j = 0; j < H2; j++) acc += cw[o + j] * h[first + j] + cw[o + H2 + j] * h[last + j];
      this.cueVec[m] = acc;
    }
    const K = PAIR_KINDS.length;
    if (this.pairIds.length < (to - from) * K) this.pairIds = new Int32Array(2 * (to - from) * K);
    const pairs = pairFeatures(ctx, cue, from, to, cues, this.pairIds);
    const em = new Float32Array((to - from) * LABELS);
    const z = this.z;
    const ow = this.outW.data;
    for (let t = from; t < to; t++) {
      const p = t - from;
      const to0 = (t - us) * M;
      for (let m = 0; m < M; m++) z[m] = tok[to0 + m] + this.cueVec[m];
      for (let k = 0; k < K; k++) {
        const e = this.pair[k].data;
        const o = pairs[p * K + k] * M;
        for (let m = 0; m < M; m++) z[m] += e[o + m];
      }
      for (let m = 0; m < M; m++) if (z[m] < 0) z[m] = 0;
      let max = -Infinity;
      for (let l = 0; l < LABELS; l++) {
        let acc = this.outB[l];
        const o = l * M;
        for (let m = 0; m < M; m++) acc += ow[o + m] * z[m];
        em[p * LABELS + l] = acc;
        if (acc > max) max = acc;
      }
      let sum = 0;
      for (let l = 0; l < LABELS; l++) sum += Math.exp(em[p * LABELS + l] - max);
      const lse = max + Math.log(sum);
      for (let l = 0; l < LABELS; l++) em[p * LABELS + l] -= lse;
    }
    return { from, to, em };
  }
}

// tanh from a table with linear interpolation (error under 1e-6), for the five activations per
// hidden unit and token; measured, it made no clear difference against Math.tanh and Math.exp.
const TANH_RANGE = 10;
const TANH_STEPS = 8192;
const TANH_SCALE = TANH_STEPS / (2 * TANH_RANGE);
const TANH = Float32Array.from({ length: TANH_STEPS + 2 }, (_, i) => Math.tanh(i / TANH_SCALE - TANH_RANGE));

function tanh(x: number): number {
  if (x <= -TANH_RANGE) return -1;
  if (x >= TANH_RANGE) return 1;
  const f = (x + TANH_RANGE) * TANH_SCALE;
  const i = f | 0;
  const a = TANH[i];
  return a + (TANH[i + 1] - a) * (f - i);
}

function sigmoid(x: number): number {
  return 0.5 + 0.5 * tanh(0.5 * x);
}
