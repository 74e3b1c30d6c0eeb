import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import type { Doc, Sentence, Token } from '../core/types.js';

// Only sentence splitting and POS: wink's other pipes (negation, sentiment, NER) cost time we do not use.
const nlp = winkNLP(model, ['sbd', 'pos']);
const its = nlp.its;

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

/** Turns text into a Doc: tokens and sentences with exact offsets into `text`. */
export function readDoc(text: string): Doc {
  // wink reports empty sentences for blank text; there is nothing to read there anyway.
  if (!text.trim()) return { text, tokens: [], sentences: [] };
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
    map[w] = tokens.length;
    tokens.push({
      i: tokens.length,
      start,
      end,
      text: value,
      lower: value.toLowerCase(),
      pos: tags[w],
      lemma: lemmas[w],
      sentence: 0,
      spaceBefore: start === 0 || isSpaceCode(text.charCodeAt(start - 1)),
    });
    cursor = end;
  }

  const bounds: number[] = [];
  wdoc.sentences().each((s: { tokens(): { itemAt(i: number): { index(): number }; length(): number } }) => {
    if (s.tokens().length() > 0) bounds.push(s.tokens().itemAt(0).index());
  });
  const sentences = buildSentences(text, tokens, bounds.map((w) => firstMapped(map, w)));
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
