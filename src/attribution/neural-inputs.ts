import { doubleQuoteOf } from '../nlp/quotes.js';
import { roleWindow, type CueMarks, type CueRef, type DocContext } from './features.js';

/**
 * Inputs of the neural role tagger (neural.ts), shared by the exporter that writes its training data
 * (training/neural-export.ts) and by analysis, so both read exactly the same thing.
 *
 * The encoder reads each unit (a paragraph, or a piece of a long one cut at sentence ends) once,
 * whatever the cues in it; what ties a token to one cue (distance, commas or other cues between,
 * quotation touching the cue) goes to a small head per cue as pair features.
 */

/** Longest unit the encoder reads, in tokens; longer paragraphs are cut at sentence ends. */
export const MAX_UNIT = 160;

/** Token-level input keys, one string per kind: looked up in the model's vocabularies. */
export const TOKEN_KINDS = ['w', 'p', 'sh', 'suf', 'fl'] as const;

/** Pair features per (cue, token): sizes of their id ranges. */
export const PAIR_SIZES = { dist: 63, so: 5, com: 8, other: 4, q: 6, qb: 8 } as const;
export const PAIR_KINDS = Object.keys(PAIR_SIZES) as (keyof typeof PAIR_SIZES)[];

function shape(s: string): string {
  let out = '';
  let last = '';
  for (let i = 0; i < s.length && out.length < 4; i++) {
    const c = s[i];
    const k = c >= '0' && c <= '9' ? 'd' : c.toLowerCase() !== c ? 'X' : c.toUpperCase() !== c ? 'x' : c;
    if (k !== last) out += k;
    last = k;
  }
  return out;
}

/** The unit boundaries of a document: `[start, end)` token ranges covering it in order. */
export function neuralUnits(ctx: DocContext): [number, number][] {
  const { doc, lineStart, n } = ctx;
  const units: [number, number][] = [];
  let from = 0;
  const close = (to: number) => {
    // A paragraph longer than MAX_UNIT: pieces end at the last sentence end that fits, else hard.
    while (to - from > MAX_UNIT) {
      let cut = from + MAX_UNIT;
      for (let t = from + MAX_UNIT; t > from + MAX_UNIT / 4; t--) {
        if (doc.tokens[t].sentence !== doc.tokens[t - 1].sentence) {
          cut = t;
          break;
        }
      }
      units.push([from, cut]);
      from = cut;
    }
    if (to > from) units.push([from, to]);
    from = to;
  };
  for (let t = 1; t < n; t++) if (lineStart[t]) close(t);
  close(n);
  return units;
}

/** The input keys of every token: word, part of speech, shape, suffix, and a flag set. */
export function tokenKeys(ctx: DocContext, cues: CueMarks): string[][] {
  const { doc, quote, lineStart } = ctx;
  const w: string[] = [];
  const p: string[] = [];
  const sh: string[] = [];
  const suf: string[] = [];
  const fl: string[] = [];
  for (const tok of doc.tokens) {
    const dq = doubleQuoteOf(tok.text);
    const lower = dq ?? tok.lower;
    w.push(lower);
    p.push(tok.pos);
    sh.push(dq ? 'Q' : shape(tok.text));
    suf.push(lower.length > 3 ? lower.slice(-3) : lower);
    const q = dq ? 2 : quote[tok.i] >= 0 ? 1 : 0;
    fl.push(`${q}${lineStart[tok.i]}${cues.at[tok.i]}`);
  }
  return [w, p, sh, suf, fl];
}

/** The unit holding token t (units in order, covering the document). */
export function unitOf(units: [number, number][], t: number): number {
  let lo = 0;
  let hi = units.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (units[mid][0] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The tokens a cue's roles are looked for in: the perceptron's role window, within the cue's unit. */
export function neuralWindow(ctx: DocContext, units: [number, number][], cue: CueRef): [number, number] {
  const [from, to] = roleWindow(ctx, cue, 1);
  const [us, ue] = units[unitOf(units, cue.start)];
  return [Math.max(from, us), Math.min(to, ue)];
}

function bucket3(v: number): number {
  return v > 3 ? 3 : v;
}

/**
 * Pair feature ids for each token of [from, to) relative to the cue, PAIR_KINDS.length per token
 * (cue tokens get zeros: they are never labelled). Same relations as the perceptron's role features.
 */
export function pairFeatures(ctx: DocContext, cue: CueRef, from: number, to: number, cues: CueMarks, out?: Int32Array): Int32Array {
  const K = PAIR_KINDS.length;
  const ids = out && out.length >= (to - from) * K ? out : new Int32Array((to - from) * K);
  const { doc, quote, commas, quoteMarks, n } = ctx;
  const tokens = doc.tokens;
  const cueSent = tokens[cue.start].sentence;
  const prevTok = cue.start > 0 ? tokens[cue.start - 1].text : '';
  const nextTok = cue.end < n ? tokens[cue.end].text : '';
  const qBefore = cue.start > 0 ? quote[cue.start - 1] : -1;
  const qAfter = cue.end < n ? quote[cue.end] : -1;
  const qBefore2 = cue.start > 1 && (prevTok === ',' || prevTok === ':') ? quote[cue.start - 2] : -1;
  const qAfter2 = cue.end + 1 < n && (nextTok === ':' || nextTok === ',') ? quote[cue.end + 1] : -1;
  for (let t = from; t < to; t++) {
    const o = (t - from) * K;
    if (t >= cue.start && t < cue.end) {
      ids.fill(0, o, o + K);
      continue;
    }
    const d = t < cue.start ? t - cue.start : t - cue.end + 1;
    const dir = d < 0 ? 0 : 1;
    const lo = d < 0 ? t + 1 : cue.end;
    const hi = d < 0 ? cue.start : t;
    const q = quote[t];
    const qTouch = q >= 0 && (q === qBefore || q === qAfter || q === qBefore2 || q === qAfter2);
    ids[o] = Math.max(-31, Math.min(31, d)) + 31;
    ids[o + 1] = Math.max(-2, Math.min(2, tokens[t].sentence - cueSent)) + 2;
    ids[o + 2] = bucket3(commas[hi] - commas[lo]) * 2 + dir;
    ids[o + 3] = (cues.before[hi] > cues.before[lo] ? 2 : 0) + dir;
    ids[o + 4] = (q < 0 ? 0 : qTouch ? 2 : 1) * 2 + dir;
    ids[o + 5] = bucket3(quoteMarks[hi] - quoteMarks[lo]) * 2 + dir;
  }
  return ids;
}
