/**
 * What the quote/claim index holds for an attribution, computed from its content text alone (pure, no I/O,
 * run in the analysis threads). Two kinds of key, both integers under 2^52 so that SQLite and PostgreSQL
 * store them as 64-bit integers and JavaScript reads them back exactly:
 *
 * - a **quote** (the quoted words of a direct or mixed attribution) gets one key per run of QUOTE_K
 *   consecutive normalised words (a shingle). Any fragment of QUOTE_K words or more quoted inside a longer
 *   quote, and any trimmed copy, shares keys with it; the match is then verified word by word.
 * - a **claim** (an indirect content) gets MinHash-LSH band keys over its 3-word shingles: two contents
 *   with Jaccard similarity s share at least one band with probability 1 - (1 - s^ROWS)^BANDS
 *   (0.74 at s = 0.5, 0.99 at s = 0.7); candidates are then verified against the similarity asked for.
 *
 * Normalisation: quotation marks and apostrophes unified then dropped, case folded, diacritics kept off,
 * whitespace collapsed, bracketed insertions ("[the president]") and ellipses turned into gaps that no
 * shingle crosses, other punctuation dropped.
 */

export type TraceKind = 'quote' | 'claim';

/** Words per quote shingle: a quoted fragment needs this many words to be traced. */
export const QUOTE_K = 5;
/**
 * Quote keys are winnowed (Schleimer, Wilkerson and Aiken 2003): of every WINDOW consecutive shingles the
 * smallest hash is kept, so any run of WINDOW + QUOTE_K - 1 = 8 words or more shared by two quotes shares
 * a key, with ~40% of the shingles stored. Shorter fragments still match when their one shingle was kept.
 */
export const WINDOW = 4;
/** Quotes shorter than this (in words) match only when found whole and contiguous in the other. */
export const SHORT_QUOTE = 10;
/** Words per claim shingle. */
export const CLAIM_K = 3;
export const BANDS = 10;
export const ROWS = 3;
/** A claim needs this many words to be indexed (shorter contents are too generic to trace). */
export const CLAIM_MIN_WORDS = 8;
/** Postings kept per key: a key shared by more attributions is boilerplate or already widely traced. */
export const POSTING_CAP = 64;

const GAP = '\u0000';

/** 52-bit FNV-1a style hash of a string (two 32-bit lanes). */
export function hash52(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 16;
  return (h2 & 0xfffff) * 0x100000000 + (h1 >>> 0);
}

/** 32-bit FNV-1a of a word. */
function wordHash(w: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** 52-bit hash of k consecutive word hashes (two 32-bit lanes), with a salt per kind of key. */
function shingle52(wh: number[], at: number, k: number, salt: number): number {
  let h1 = salt ^ 0x9e3779b9;
  let h2 = Math.imul(salt, 0x85ebca6b) ^ 0xc2b2ae35;
  for (let i = at; i < at + k; i++) {
    h1 = Math.imul(h1 ^ wh[i], 0x01000193);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 + wh[i], 0x5bd1e995);
    h2 ^= h2 >>> 13;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 ^= h1 >>> 13;
  return (h2 & 0xfffff) * 0x100000000 + (h1 >>> 0);
}

/** 32-bit mix of an integer with a seed (one MinHash permutation). */
function mix32(x: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const OPEN_Q = new Set(['“', '„', '«', '‟']);
const CLOSE_Q = new Set(['”', '»']);
const STRAIGHT_Q = new Set(['"', '″', '＂']);

/**
 * The quoted stretches of a content text (double quotes of any style; a line break closes an open one,
 * as news text reopens quotes at each paragraph). A text with no quotation marks is one stretch.
 */
export function quotedSegments(text: string): string[] {
  const out: string[] = [];
  let open = -1;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' && open >= 0) {
      out.push(text.slice(open, i));
      open = -1;
      continue;
    }
    if (c.charCodeAt(0) < 128 && c !== '"' && c !== '\n') continue;
    const straight = STRAIGHT_Q.has(c);
    if (OPEN_Q.has(c) || (straight && open < 0)) {
      any = true;
      if (open >= 0 && !straight) out.push(text.slice(open, i));
      open = i + 1;
    } else if (CLOSE_Q.has(c) || straight) {
      any = true;
      if (open >= 0) out.push(text.slice(open, i));
      open = -1;
    }
  }
  if (open >= 0) out.push(text.slice(open));
  return any ? out.filter((s) => s.trim()) : [text];
}

/** Letters and digits beyond ASCII (accented letters were folded to ASCII first where they can be). */
const WORD_CHAR = /[\p{L}\p{N}]/u;
/** Characters that NFKD may change: anything beyond ASCII and the general punctuation block. */
const NEEDS_FOLD = /[\u00a0-\u1fff\u2070-\uffff]/;
const APOS = new Set(["'", '’', '‘', '`', '´']);

/**
 * Normalised words, with GAP where an ellipsis, a bracketed insertion or a quotation boundary was.
 * "He said [the plan] was … 'dead'" → ["he", "said", GAP, "was", GAP, "dead"]. One pass over the text
 * (it runs for every stored attribution); the Unicode fold only when the text has characters it changes.
 */
export function normalizeWords(text: string): string[] {
  const s = NEEDS_FOLD.test(text) ? text.normalize('NFKD').replace(/\p{M}+/gu, '') : text;
  const out: string[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push(word);
    word = '';
  };
  const gap = () => {
    flush();
    if (out.length && out[out.length - 1] !== GAP) out.push(GAP);
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) word += c;
    else if (code >= 65 && code <= 90) word += String.fromCharCode(code + 32);
    else if (APOS.has(c)) {
      // Possessives and apostrophes: "ISIS’s" and "ISIS’" are one word; "don't" is "dont".
      if (word && (s[i + 1] === 's' || s[i + 1] === 'S') && !isWordChar(s, i + 2)) i++;
    } else if (c === '[' || c === '(') {
      const close = s.indexOf(c === '[' ? ']' : ')', i + 1);
      if (close < 0) flush();
      else {
        gap();
        i = close;
      }
    } else if (c === '…' || (c === '.' && s[i + 1] === '.' && s[i + 2] === '.')) {
      gap();
      while (s[i + 1] === '.') i++;
    } else if (c === GAP) gap();
    else if (code > 127 && WORD_CHAR.test(c)) word += c.toLowerCase();
    else flush();
  }
  flush();
  if (out[out.length - 1] === GAP) out.pop();
  return out;
}

function isWordChar(s: string, i: number): boolean {
  if (i >= s.length) return false;
  const code = s.charCodeAt(i);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || (code > 127 && WORD_CHAR.test(s[i]));
}

/** The words of a quote's stretches, stretches separated by GAP. */
export function quoteWords(content: string): string[] {
  const out: string[] = [];
  for (const seg of quotedSegments(content)) {
    const w = normalizeWords(seg);
    if (!w.length) continue;
    if (out.length) out.push(GAP);
    out.push(...w);
  }
  return out;
}

/** Runs of words between gaps. */
export function runs(words: string[]): string[][] {
  const out: string[][] = [[]];
  for (const w of words) {
    if (w === GAP) out.push([]);
    else out[out.length - 1].push(w);
  }
  return out.filter((r) => r.length);
}

/** Which kind of trace an attribution feeds, and the words compared: quotes for direct and mixed, claims for indirect. */
export function traceWords(kind: string, content: string): { kind: TraceKind; words: string[] } {
  if (kind === 'indirect') return { kind: 'claim', words: normalizeWords(content) };
  return { kind: 'quote', words: quoteWords(content) };
}

/** Every shingle of a quote: what a lookup asks for (a stored quote kept only its winnowed keys). */
export function quoteShingles(words: string[]): number[] {
  const keys = new Set<number>();
  for (const r of runs(words)) {
    const wh = r.map(wordHash);
    for (let i = 0; i + QUOTE_K <= wh.length; i++) keys.add(shingle52(wh, i, QUOTE_K, 0x71));
  }
  return [...keys];
}

export function quoteKeys(words: string[]): number[] {
  const keys = new Set<number>();
  for (const r of runs(words)) {
    const wh = r.map(wordHash);
    const sh: number[] = [];
    for (let i = 0; i + QUOTE_K <= wh.length; i++) sh.push(shingle52(wh, i, QUOTE_K, 0x71));
    if (sh.length <= WINDOW) {
      // A window or less (a short fragment): all its shingles, so that whichever one a longer quote kept is found.
      for (const x of sh) keys.add(x);
      continue;
    }
    for (let i = 0; i + WINDOW <= sh.length; i++) {
      let m = sh[i];
      for (let j = i + 1; j < i + WINDOW; j++) if (sh[j] < m) m = sh[j];
      keys.add(m);
    }
  }
  return [...keys];
}

/** Hashes of a text's k-word shingles (not crossing gaps), 32-bit. */
export function shingleSet(words: string[], k: number): Set<number> {
  const out = new Set<number>();
  for (const r of runs(words)) {
    const wh = r.map(wordHash);
    if (wh.length < k) {
      if (wh.length) out.add(shingle52(wh, 0, wh.length, 0x63) % 0x100000000);
      continue;
    }
    for (let i = 0; i + k <= wh.length; i++) out.add(shingle52(wh, i, k, 0x63) % 0x100000000);
  }
  return out;
}

/** Function words left out of claim shingles: "Sanders to be the next president" and "Trump to be the next
 * president" share most of their 3-word shingles through them, not through what they claim. */
const STOP = new Set(['a', 'an', 'the', 'of', 'to', 'in', 'on', 'for', 'and', 'or', 'be', 'is', 'was', 'are', 'were', 'been', 'that', 'as', 'at',
  'by', 'with', 'from', 'it', 'its', 'this', 'has', 'have', 'had', 'will', 'would', 'should', 'could', 'not', 'but', 'if', 'than', 'their', 'his', 'her']);

/** A claim's words for shingling: function words dropped (gaps kept). */
export function claimTerms(words: string[]): string[] {
  return words.filter((w) => !STOP.has(w));
}

const SEEDS = Array.from({ length: BANDS * ROWS }, (_, i) => mix32(i + 1, 0x2545f491));

export function claimKeys(words: string[]): number[] {
  if (words.filter((w) => w !== GAP).length < CLAIM_MIN_WORDS) return [];
  const sh = [...shingleSet(claimTerms(words), CLAIM_K)];
  const mins = SEEDS.map((seed) => {
    let m = 0xffffffff;
    for (const x of sh) {
      // One cheap permutation per seed (multiply-xorshift): enough mixing for LSH over hashed shingles.
      let h = Math.imul(x ^ seed, 0x9e3779b1);
      h = (h ^ (h >>> 15)) >>> 0;
      if (h < m) m = h;
    }
    return m;
  });
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) keys.push(hash52(`b${b} ${mins.slice(b * ROWS, (b + 1) * ROWS).join(' ')}`));
  return keys;
}

/** Jaccard similarity of two texts' 3-word shingle sets (function words left out). */
export function jaccard(a: string[], b: string[]): number {
  return jaccardSets(claimShingles(a), claimShingles(b));
}

export function claimShingles(words: string[]): Set<number> {
  return shingleSet(claimTerms(words), CLAIM_K);
}

export function jaccardSets(sa: Set<number>, sb: Set<number>): number {
  if (!sa.size || !sb.size) return 0;
  let inter = 0;
  for (const x of sa) if (sb.has(x)) inter++;
  return inter / (sa.size + sb.size - inter);
}

/** An attribution's entry in the index: what kind of trace, and its keys (none when too short to trace). */
export interface TraceEntry {
  /** Index of the attribution in the document. */
  ord: number;
  kind: TraceKind;
  keys: number[];
}

export function traceEntry(ord: number, kind: string, content: string): TraceEntry | null {
  const t = traceWords(kind, content);
  const keys = t.kind === 'quote' ? quoteKeys(t.words) : claimKeys(t.words);
  return keys.length ? { ord, kind: t.kind, keys } : null;
}

/** How two occurrences of a quote relate, word by word (gaps ignored). */
export interface QuoteMatch {
  /** "verbatim": the same words; "fragment": one is a stretch of the other (trimmed, or quoted inside a
   * longer quote); "changed": the same quote with words added, dropped or replaced. */
  relation: 'verbatim' | 'fragment' | 'changed';
  /** Share of the shorter quote's words found, in order, in the other. */
  coverage: number;
}

/**
 * Whether two quotes are the same words: the shorter's words found in order in the longer (coverage
 * ≥ minCoverage), with a common run of QUOTE_K words or more (so that scattered common words do not count).
 */
export function matchQuote(a: string[], b: string[], minCoverage = 0.8, strictShort = true): QuoteMatch | null {
  const wa = a.filter((w) => w !== GAP);
  const wb = b.filter((w) => w !== GAP);
  if (!wa.length || !wb.length) return null;
  const { common, longest, span } = alignment(wa, wb);
  const short = Math.min(wa.length, wb.length);
  const coverage = common / short;
  if (coverage < minCoverage || longest < Math.min(QUOTE_K, short)) return null;
  // A short quote ("I think he will do it", "we're not going to be like Trump") shares five words with
  // many others: it matches only when found whole, word for word, in the other.
  if (strictShort && short < SHORT_QUOTE && longest < short) return null;
  if (common === wa.length && common === wb.length) return { relation: 'verbatim', coverage: 1 };
  // The stretch of the longer quote that the shorter one aligns with: when the shorter fits inside it
  // untouched, it is a fragment; otherwise words were changed.
  if (common === short && span === short) return { relation: 'fragment', coverage };
  return { relation: 'changed', coverage };
}

/**
 * Longest common subsequence of two word lists (dynamic programming over the shorter dimension; quotes
 * are short), with the longest contiguous common run and the length of the stretch of the longer list
 * the alignment spans.
 */
export function alignment(a: string[], b: string[]): { common: number; longest: number; span: number } {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  const n = s.length;
  const m = l.length;
  // dp over l (rows) × s (cols), keeping the full table for the traceback (bounded: quotes are short).
  if (n * m > 4_000_000) return { common: 0, longest: 0, span: 0 };
  const dp = new Uint16Array((n + 1) * (m + 1));
  const W = n + 1;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      dp[i * W + j] = l[i - 1] === s[j - 1] ? dp[(i - 1) * W + j - 1] + 1 : Math.max(dp[(i - 1) * W + j], dp[i * W + j - 1]);
    }
  }
  const common = dp[m * W + n];
  // Traceback: matched positions in l, and contiguous runs.
  let i = m;
  let j = n;
  let longest = 0;
  let run = 0;
  let lastI = -1;
  let first = m;
  let last = -1;
  while (i > 0 && j > 0) {
    if (l[i - 1] === s[j - 1] && dp[i * W + j] === dp[(i - 1) * W + j - 1] + 1) {
      run = lastI === i ? run + 1 : 1;
      if (run > longest) longest = run;
      lastI = i - 1;
      if (i - 1 < first) first = i - 1;
      if (i - 1 > last) last = i - 1;
      i--;
      j--;
    } else if (dp[(i - 1) * W + j] >= dp[i * W + j - 1]) {
      i--;
      lastI = -1;
    } else {
      j--;
      lastI = -1;
    }
  }
  return { common, longest, span: last >= first ? last - first + 1 : 0 };
}

/** Words of a quote or claim as compared: claims carry their shingle set, computed once. */
export interface Compared {
  words: string[];
  shingles?: Set<number>;
}

export function compared(kind: TraceKind, words: string[]): Compared {
  return kind === 'claim' ? { words, shingles: claimShingles(words) } : { words };
}

/** Whether a candidate is the same quote or claim as an item (claims: Jaccard ≥ threshold). */
export function sameTrace(kind: TraceKind, a: Compared, b: Compared, threshold: number): boolean {
  return kind === 'quote' ? matchQuote(a.words, b.words) !== null : jaccardSets(a.shingles ?? claimShingles(a.words), b.shingles ?? claimShingles(b.words)) >= threshold;
}
