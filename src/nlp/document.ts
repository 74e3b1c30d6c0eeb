import { createRequire } from 'node:module';
import type winkNLPType from 'wink-nlp';
import type { Doc, Sentence, Token } from '../core/types.js';

type Nlp = ReturnType<typeof winkNLPType>;
let nlp: Nlp | null = null;
let readsSinceFresh = 0;

/**
 * wink-nlp learns every out-of-vocabulary word it meets into a cache, and its tokenizer consults that
 * cache: "Ted's" is split into "Ted" + "'s" until some text has taught it the whole word, and kept
 * whole afterwards, which changes the POS tags around it. An analysis must depend on its text only,
 * so `forgetful` hides learned words from the tokenizer. The cache still grows (wink stores each new
 * word's features there), so the pipeline is rebuilt every FRESH_EVERY documents (about 0.2 s each
 * time, ~1% of a batch worker's time).
 */
const FRESH_EVERY = 2000;

/**
 * The NLP pipeline, built on first use: the language model is tens of megabytes, and processes that
 * never read a document (a batch's main thread, the corpus commands) should not carry it.
 * Only sentence splitting and POS: wink's other pipes (negation, sentiment, NER) cost time we do not use.
 */
function pipeline(): Nlp {
  if (!nlp || readsSinceFresh >= FRESH_EVERY) {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as typeof winkNLPType;
    nlp = winkNLP(forgetful(require('wink-eng-lite-web-model') as Parameters<typeof winkNLPType>[0] & WinkModel), ['sbd', 'pos']);
    readsSinceFresh = 0;
  }
  readsSinceFresh++;
  return nlp;
}

/** The parts of a wink language model and of its cache that `forgetful` touches (wink internals). */
type FeatureFn = (text: string, category: number, cache: WinkCache) => unknown;
interface WinkCache {
  lookup(text: string): number[] | null;
  intrinsicSize(): number;
}
interface WinkModel {
  featureFn(config: unknown): Record<string, FeatureFn>;
}

/**
 * The model, with a cache whose `lookup` answers "unknown" for every word learned at run time, as a
 * fresh pipeline would. wink hands its cache only to the feature functions it calls on a new word, so
 * the first such call installs the override; those functions themselves still see the real lookup
 * (the POS feature looks up the word just added). Pinned to wink-nlp 2.4 internals:
 * test/unit/nlp.test.ts fails if an upgrade changes them.
 */
function forgetful<M extends WinkModel>(model: M): M {
  let knowing: WinkCache | null = null;
  const forgetLearned = (cache: WinkCache | undefined): WinkCache => {
    if (typeof cache?.lookup !== 'function' || typeof cache.intrinsicSize !== 'function') {
      throw new Error('wink-nlp no longer hands its cache to feature functions: src/nlp/document.ts (forgetful) needs updating for this wink-nlp version');
    }
    const real = { ...cache };
    const known = cache.intrinsicSize();
    cache.lookup = (text) => {
      const found = real.lookup(text);
      return found !== null && found.length === 1 && found[0] >= known ? null : found;
    };
    return real;
  };
  return {
    ...model,
    featureFn(config: unknown) {
      const features = model.featureFn(config);
      const wrapped: Record<string, FeatureFn> = {};
      for (const [name, feature] of Object.entries(features)) {
        wrapped[name] = (text, category, cache) => feature(text, category, (knowing ??= forgetLearned(cache)));
      }
      // wink's own `isAbbrev` is /[a-z].*\.$/i, which backtracks from every letter of a word: a 100,000-
      // character word took seconds, a 1 MB one hours. Same answer, one pass from the end.
      if (features.isAbbrev) wrapped.isAbbrev = (text) => isAbbrev(text);
      return wrapped;
    },
  };
}

/** `/[a-z].*\.$/i.test(word)` without backtracking: ends with "." and a letter precedes it on its line. */
export function isAbbrev(word: string): number {
  const n = word.length;
  if (n < 2 || word.charCodeAt(n - 1) !== 46) return 0;
  for (let i = n - 2; i >= 0; i--) {
    const c = word.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return 0;
    if ((c | 32) >= 97 && (c | 32) <= 122) return 1;
  }
  return 0;
}

const WS = /\s/;

/** Whitespace test by code unit: this runs for every character, where a regex per call is slow. */
function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 160 || (c > 255 && WS.test(String.fromCharCode(c)));
}

function isSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpaceCode(s.charCodeAt(i))) return false;
  return true;
}

/** True when a line break lies in `text[from, to)`. */
export function hasNewline(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

/**
 * Finds where `value` starts at or after `from`, allowing only whitespace in between. wink's token
 * values are substrings of the input; the search is defensive against any normalisation it applies.
 */
function locate(text: string, value: string, from: number): number {
  let p = from;
  while (p < text.length && isSpaceCode(text.charCodeAt(p))) p++;
  if (text.startsWith(value, p)) return p;
  const q = text.indexOf(value, from);
  return q >= 0 && q - from < 64 ? q : -1;
}

/**
 * Where a possessive "'s" / "’s" (either case) starts in a token with something before it, else -1.
 * Char codes rather than a regex: this runs once per token.
 */
function possessiveAt(value: string): number {
  const n = value.length;
  if (n < 3 || (value.charCodeAt(n - 1) | 32) !== 115) return -1;
  const a = value.charCodeAt(n - 2);
  return a === 39 || a === 0x2019 ? n - 2 : -1;
}

function token(i: number, start: number, end: number, text: string, pos: string, lemma: string, spaceBefore: boolean): Token {
  return { i, start, end, text, lower: text.toLowerCase(), pos, lemma, sentence: 0, spaceBefore };
}

/** Turns text into a Doc: tokens and sentences with exact offsets into `text`. */
export function readDoc(text: string): Doc {
  // wink reports empty sentences for blank text; there is nothing to read there anyway.
  if (!text.trim()) return { text, tokens: [], sentences: [] };
  const nlp = pipeline();
  const its = nlp.its;
  const wdoc = nlp.readDoc(text);
  const values = wdoc.tokens().out(its.value) as string[];
  const tags = wdoc.tokens().out(its.pos) as string[];
  // wink's typings declare lemma with a different signature from the other `its` helpers.
  const lemmas = wdoc.tokens().out(its.lemma as unknown as typeof its.value) as string[];

  // Map wink token index -> our token index (whitespace tokens are dropped).
  const map = new Int32Array(values.length).fill(-1);
  const tokens: Token[] = [];
  let cursor = 0;
  for (let w = 0; w < values.length; w++) {
    const value = values[w];
    if (isSpace(value)) continue;
    const start = locate(text, value, cursor);
    if (start < 0) continue;
    const end = start + value.length;
    // Typewriter quotation conventions (''…'' in the NYT, ``…''): wink splits the doubled mark into
    // two tokens; one token per mark, with the original characters, reads like any quotation mark.
    const prev = tokens[tokens.length - 1];
    if ((value === "'" || value === '`') && prev?.end === start && prev.text === value) {
      tokens[prev.i] = token(prev.i, prev.start, end, value + value, 'PUNCT', value + value, prev.spaceBefore);
      map[w] = prev.i;
      cursor = end;
      continue;
    }
    map[w] = tokens.length;
    const spaceBefore = start === 0 || isSpaceCode(text.charCodeAt(start - 1));
    // wink splits "Clinton's" itself now that learned words are hidden from its tokenizer (see
    // `forgetful`); a possessive it still hands over whole is split here, so the model always sees one form.
    const at = possessiveAt(value);
    if (at > 0) {
      const cut = start + at;
      const base = value.slice(0, at);
      const mark = value.slice(at);
      // The merged token's tag is the tagger's guess for an unknown word; what the split reading gives
      // the base is, by far most often, a proper noun when capitalised and a noun otherwise.
      const pos = /^\p{Lu}/u.test(base) ? 'PROPN' : 'NOUN';
      tokens.push(token(tokens.length, start, cut, base, pos, base.toLowerCase(), spaceBefore));
      tokens.push(token(tokens.length, cut, end, mark, 'PART', mark.toLowerCase(), false));
    } else {
      tokens.push(token(tokens.length, start, end, value, tags[w], lemmas[w], spaceBefore));
    }
    cursor = end;
  }

  // Sentence spans as [first, last] wink token indices: `each` would build an API object per sentence.
  const spans = wdoc.sentences().out(its.span) as unknown as [number, number][];
  const starts: number[] = [];
  for (const [first, last] of spans) if (last >= first) starts.push(firstMapped(map, first));
  const sentences = buildSentences(text, tokens, starts);
  return { text, tokens, sentences };
}

function firstMapped(map: Int32Array, w: number): number {
  for (let k = w; k < map.length; k++) if (map[k] >= 0) return map[k];
  return -1;
}

/**
 * Sentences from wink's boundaries, with one more rule: a line break followed by a blank line
 * (a paragraph or a headline) always ends a sentence, since news headlines carry no full stop.
 */
function buildSentences(text: string, tokens: Token[], starts: number[]): Sentence[] {
  const isStart = new Uint8Array(tokens.length);
  for (const s of starts) if (s >= 0) isStart[s] = 1;
  if (tokens.length) isStart[0] = 1;
  for (let t = 1; t < tokens.length; t++) {
    if (hasNewline(text, tokens[t - 1].end, tokens[t].start)) isStart[t] = 1;
  }
  const sentences: Sentence[] = [];
  for (let t = 0; t < tokens.length; t++) {
    if (isStart[t]) {
      const prev = sentences[sentences.length - 1];
      if (prev) {
        prev.tokenEnd = t;
        prev.end = tokens[t - 1].end;
      }
      sentences.push({ i: sentences.length, start: tokens[t].start, end: tokens[t].end, tokenStart: t, tokenEnd: t + 1 });
    }
    tokens[t].sentence = sentences.length - 1;
  }
  const last = sentences[sentences.length - 1];
  if (last) {
    last.tokenEnd = tokens.length;
    last.end = tokens[tokens.length - 1].end;
  }
  return sentences;
}
