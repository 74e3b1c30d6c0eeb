/**
 * A first-order structured perceptron with averaging (Collins 2002) over hashed features.
 * A sequence is a list of positions; each position holds the hashed feature ids that fire there.
 * Labels are small integers; `allowed(prev, next)` restricts the label grammar (e.g. BIO).
 */

export interface Sequence {
  /** Flattened feature ids; position p owns `feats[offsets[p] .. offsets[p + 1])`. */
  feats: Uint32Array;
  offsets: Uint32Array;
  /** Labels that cannot be assigned at a position (bitmask per position), e.g. cue tokens for roles. */
  forbid?: Uint8Array;
}

export interface SequenceModelParams {
  labels: number;
  bits: number;
}

let scratchScore = new Float64Array(1024);
let scratchBack = new Int16Array(1024);

/**
 * Viterbi tables reused across calls (decoding is synchronous and returns fresh labels), since
 * analysis decodes once per sentence and once per cue and fresh typed arrays cost more than the work.
 */
function viterbiScratch(size: number): { score: Float64Array; back: Int16Array } {
  if (scratchScore.length < size) {
    scratchScore = new Float64Array(2 * size);
    scratchBack = new Int16Array(2 * size);
  }
  return { score: scratchScore, back: scratchBack };
}

export class SequenceModel {
  readonly labels: number;
  readonly bits: number;
  readonly mask: number;
  weights: Float32Array;
  /** transitions[prev * labels + next]; prev === labels is the start state. */
  transitions: Float32Array;
  private allowedMatrix: Uint8Array;
  // Averaging accumulators (training only).
  private wAcc: Float64Array | null = null;
  private tAcc: Float64Array | null = null;
  private step = 1;
  /** Bumped whenever the weights change, so packed copies of them can tell they are stale. */
  version = 0;

  constructor(params: SequenceModelParams, allowed: (prev: number, next: number) => boolean, weights?: Float32Array, transitions?: Float32Array) {
    // Feature values have 30 bits (hash.ts): more slots than that would never be reached.
    if (!(params.bits >= 1 && params.bits <= 30)) throw new Error(`hash bits must be 1–30, not ${params.bits}`);
    this.labels = params.labels;
    this.bits = params.bits;
    this.mask = (1 << params.bits) - 1;
    this.weights = weights ?? new Float32Array((1 << params.bits) * params.labels);
    this.transitions = transitions ?? new Float32Array((params.labels + 1) * params.labels);
    this.allowedMatrix = new Uint8Array((params.labels + 1) * params.labels);
    for (let p = 0; p <= params.labels; p++) for (let n = 0; n < params.labels; n++) this.allowedMatrix[p * params.labels + n] = allowed(p === params.labels ? -1 : p, n) ? 1 : 0;
  }

  /** Emission scores: scores[p * labels + l]. */
  emissions(seq: Sequence): Float32Array {
    const L = this.labels;
    const n = seq.offsets.length - 1;
    const out = new Float32Array(n * L);
    const { weights, mask } = this;
    for (let p = 0; p < n; p++) {
      const base = p * L;
      for (let k = seq.offsets[p]; k < seq.offsets[p + 1]; k++) {
        const w = (seq.feats[k] & mask) * L;
        for (let l = 0; l < L; l++) out[base + l] += weights[w + l];
      }
    }
    return out;
  }

  /** Best label sequence and, per position, the margin of the chosen label over the best other. */
  decode(seq: Sequence, em = this.emissions(seq)): { labels: Uint8Array; score: number } {
    const L = this.labels;
    const n = seq.offsets.length - 1;
    const labels = new Uint8Array(n);
    if (n === 0) return { labels, score: 0 };
    const { score, back } = viterbiScratch(n * L);
    const NEG = -1e30;
    const { transitions, allowedMatrix } = this;
    for (let l = 0; l < L; l++) {
      const ok = allowedMatrix[L * L + l] && !(seq.forbid && seq.forbid[0] & (1 << l));
      score[l] = ok ? em[l] + transitions[L * L + l] : NEG;
    }
    for (let p = 1; p < n; p++) {
      const forbid = seq.forbid ? seq.forbid[p] : 0;
      for (let l = 0; l < L; l++) {
        let best = NEG;
        let arg = 0;
        if (!(forbid & (1 << l))) {
          for (let q = 0; q < L; q++) {
            if (!allowedMatrix[q * L + l]) continue;
            const s = score[(p - 1) * L + q] + transitions[q * L + l];
            if (s > best) {
              best = s;
              arg = q;
            }
          }
        }
        score[p * L + l] = best <= NEG ? NEG : best + em[p * L + l];
        back[p * L + l] = arg;
      }
    }
    let best = NEG;
    let arg = 0;
    for (let l = 0; l < L; l++) {
      if (score[(n - 1) * L + l] > best) {
        best = score[(n - 1) * L + l];
        arg = l;
      }
    }
    labels[n - 1] = arg;
    for (let p = n - 1; p > 0; p--) labels[p - 1] = back[p * L + labels[p]];
    return { labels, score: best };
  }

  /**
   * One perceptron step: moves weights toward `gold` and away from the model's current guess.
   * Where `latent[p]` is set the gold label is unknown; the target there is the model's own best
   * labelling consistent with the known positions (a latent-variable perceptron).
   */
  train(seq: Sequence, known: Uint8Array, latent?: Uint8Array): boolean {
    let gold = known;
    if (latent && latent.some((v) => v)) {
      const all = (1 << this.labels) - 1;
      const forbid = new Uint8Array(known.length);
      for (let p = 0; p < known.length; p++) forbid[p] = (seq.forbid ? seq.forbid[p] : 0) | (latent[p] ? 0 : all & ~(1 << known[p]));
      gold = this.decode({ feats: seq.feats, offsets: seq.offsets, forbid }).labels;
    }
    if (!this.wAcc) {
      this.wAcc = new Float64Array(this.weights.length);
      this.tAcc = new Float64Array(this.transitions.length);
    }
    const guess = this.decode(seq).labels;
    let wrong = false;
    for (let p = 0; p < gold.length; p++) if (guess[p] !== gold[p]) wrong = true;
    if (wrong) {
      const L = this.labels;
      for (let p = 0; p < gold.length; p++) {
        const g = gold[p];
        const y = guess[p];
        const gPrev = p === 0 ? L : gold[p - 1];
        const yPrev = p === 0 ? L : guess[p - 1];
        if (g !== y) {
          for (let k = seq.offsets[p]; k < seq.offsets[p + 1]; k++) {
            const w = (seq.feats[k] & this.mask) * L;
            this.bump(this.weights, this.wAcc, w + g, 1);
            this.bump(this.weights, this.wAcc, w + y, -1);
          }
        }
        if (g !== y || gPrev !== yPrev) {
          this.bump(this.transitions, this.tAcc!, gPrev * L + g, 1);
          this.bump(this.transitions, this.tAcc!, yPrev * L + y, -1);
        }
      }
    }
    this.step++;
    if (wrong) this.version++;
    return !wrong;
  }

  private bump(w: Float32Array, acc: Float64Array, i: number, v: number): void {
    w[i] += v;
    acc[i] += this.step * v;
  }

  /** Replaces the weights by their average over all training steps. */
  average(): void {
    if (!this.wAcc || !this.tAcc) return;
    for (let i = 0; i < this.weights.length; i++) this.weights[i] -= this.wAcc[i] / this.step;
    for (let i = 0; i < this.transitions.length; i++) this.transitions[i] -= this.tAcc[i] / this.step;
    this.wAcc = null;
    this.tAcc = null;
    this.version++;
  }

  /** Sets this model to the mean of several trained copies (parameter mixing). */
  mixFrom(models: SequenceModel[]): void {
    this.weights.fill(0);
    this.transitions.fill(0);
    for (const m of models) {
      for (let i = 0; i < this.weights.length; i++) this.weights[i] += m.weights[i] / models.length;
      for (let i = 0; i < this.transitions.length; i++) this.transitions[i] += m.transitions[i] / models.length;
    }
    this.version++;
  }
}

/**
 * Weights are stored in one byte each, companded: code q in [-127, 127] stands for
 * sign(q) * (|q| / 127) ^ COMPAND_POWER of the tagger's largest weight. The power keeps fine steps for
 * the many small weights and coarse ones for the few large (on PolNeAR dev, linear int8 loses 0.002
 * cue F1; power 1.5 loses nothing against float weights).
 */
const COMPAND_POWER = 1.5;
/** Names the byte encoding in saved models: tables saved under another encoding are re-packed from the floats. */
export const PACKED_FORMAT = `int8-companded-${COMPAND_POWER}`;
/** Fixed-point unit of the decoded weights: sums of a position's features stay small integers. */
const UNIT = 1 << 16;

/** Decoded value of each byte, indexed by the byte read unsigned (so no sign arithmetic per load). */
const DECODE = (() => {
  const lut = new Int32Array(256);
  for (let b = 0; b < 256; b++) {
    const q = b < 128 ? b : b - 256;
    lut[b] = Math.sign(q) * Math.round((Math.min(127, Math.abs(q)) / 127) ** COMPAND_POWER * UNIT);
  }
  return lut;
})();

/** BOUNDS[k]: the magnitude, as a fraction of the largest, above which a weight's code is at least k + 1. */
const BOUNDS = Float64Array.from({ length: 127 }, (_, k) => ((k + 0.5) / 127) ** COMPAND_POWER);

/** The nearest code of a weight (a binary search: packing runs over millions of weights at start-up). */
function encode(w: number, max: number): number {
  if (max <= 0 || w === 0) return 0;
  const r = Math.abs(w) / max;
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (BOUNDS[mid] <= r) lo = mid + 1;
    else hi = mid;
  }
  return w < 0 ? -lo : lo;
}

/**
 * Read-only scoring tables for run time: one byte per weight (see COMPAND_POWER), and the taggers
 * that share a feature space are interleaved, so one feature costs one memory access for all of them.
 * The hashed tables are far larger than the CPU caches, and those accesses dominate; a byte per
 * weight halves the memory they touch against int16 (the committed model: 4.4 MB).
 */
export class PackedScorer {
  readonly mask: number;
  readonly stride: number;
  readonly labels: number[];
  private readonly table: Uint8Array;
  private readonly scales: Float32Array;
  private readonly offsets: number[];

  private constructor(bits: number, labels: number[], table: Uint8Array, scales: Float32Array) {
    this.mask = (1 << bits) - 1;
    this.labels = labels;
    this.stride = labels.reduce((a, b) => a + b, 0);
    this.offsets = labels.map((_, i) => labels.slice(0, i).reduce((a, b) => a + b, 0));
    if (table.length !== (1 << bits) * this.stride) throw new Error(`packed table holds ${table.length} bytes, expected ${(1 << bits) * this.stride}`);
    if (scales.length !== labels.length) throw new Error(`packed table has ${scales.length} scales for ${labels.length} taggers`);
    this.table = table;
    this.scales = scales;
  }

  /** The tables as saved (see `pack`): one byte per weight, and each tagger's scale. */
  static fromPacked(bits: number, labels: number[], table: Uint8Array, scales: number[]): PackedScorer {
    return new PackedScorer(bits, labels, table, Float32Array.from(scales));
  }

  /** What `fromPacked` takes back: the byte table and each tagger's scale. */
  packed(): { table: Uint8Array; scales: number[] } {
    return { table: this.table, scales: Array.from(this.scales) };
  }

  /** Packs trained taggers that share a feature space into one interleaved byte table. */
  static pack(models: SequenceModel[]): PackedScorer {
    const bits = models[0].bits;
    if (models.some((m) => m.bits !== bits)) throw new Error('packed taggers must share one hash size');
    const labels = models.map((m) => m.labels);
    const scorer = new PackedScorer(bits, labels, new Uint8Array((1 << bits) * labels.reduce((a, b) => a + b, 0)), new Float32Array(models.length));
    scorer.fill(models);
    return scorer;
  }

  private fill(models: SequenceModel[]): void {
    models.forEach((m, i) => {
      let max = 0;
      for (let j = 0; j < m.weights.length; j++) max = Math.max(max, Math.abs(m.weights[j]));
      this.scales[i] = max > 0 ? max / UNIT : 1;
      const { labels: L, weights } = m;
      const { table, stride } = this;
      const off = this.offsets[i];
      for (let j = 0; j < weights.length; j++) {
        if (weights[j] === 0) continue;
        const f = (j / L) | 0;
        table[f * stride + off + (j - f * L)] = encode(weights[j], max) & 255;
      }
    });
  }

  /** Emission scores of every packed tagger, laid out as SequenceModel.emissions lays them out. */
  emissions(seq: Sequence): Float32Array[] {
    const n = seq.offsets.length - 1;
    const S = this.stride;
    const sums = S === 5 || S === 6 ? sumRows(this.table, this.mask, seq, S) : sumRowsAnyWidth(this.table, this.mask, seq, S);
    return this.labels.map((L, i) => {
      const out = new Float32Array(n * L);
      const off = this.offsets[i];
      const scale = this.scales[i];
      for (let p = 0; p < n; p++) for (let l = 0; l < L; l++) out[p * L + l] = sums[p * S + off + l] * scale;
      return out;
    });
  }
}

/**
 * Per position, the sum of the table rows its features select. Six running sums held in locals
 * instead of a loop over labels writing to memory: the loads of successive features then do not
 * wait on each other, so their cache misses overlap (measured three times faster on the cue table).
 * Covers rows of 5 or 6 entries, the role tagger and the two packed cue taggers.
 */
function sumRows(table: Uint8Array, mask: number, seq: Sequence, S: 5 | 6): Int32Array {
  const lut = DECODE;
  const { feats, offsets } = seq;
  const n = offsets.length - 1;
  const sums = new Int32Array(n * S);
  const six = S === 6;
  for (let p = 0; p < n; p++) {
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
    const end = offsets[p + 1];
    for (let k = offsets[p]; k < end; k++) {
      const w = (feats[k] & mask) * S;
      a0 += lut[table[w]];
      a1 += lut[table[w + 1]];
      a2 += lut[table[w + 2]];
      a3 += lut[table[w + 3]];
      a4 += lut[table[w + 4]];
      if (six) a5 += lut[table[w + 5]];
    }
    const b = p * S;
    sums[b] = a0;
    sums[b + 1] = a1;
    sums[b + 2] = a2;
    sums[b + 3] = a3;
    sums[b + 4] = a4;
    if (six) sums[b + 5] = a5;
  }
  return sums;
}

function sumRowsAnyWidth(table: Uint8Array, mask: number, seq: Sequence, S: number): Int32Array {
  const n = seq.offsets.length - 1;
  const sums = new Int32Array(n * S);
  for (let p = 0; p < n; p++) {
    const base = p * S;
    for (let k = seq.offsets[p]; k < seq.offsets[p + 1]; k++) {
      const w = (seq.feats[k] & mask) * S;
      for (let l = 0; l < S; l++) sums[base + l] += DECODE[table[w + l]];
    }
  }
  return sums;
}
