import type { Doc } from '../core/types.js';
import { hasNewline } from './document.js';

// Typewriter conventions count as double quotation marks: ``…'' (TeX / Penn Treebank) and ''…''
// (the NYT texts of PolNeAR). readDoc keeps each doubled mark as one token with its own characters.
const OPEN = new Set(['“', '«', '„', '``']);
const CLOSE = new Set(['”', '»']);
const STRAIGHT = new Set(['"', '″', '＂', "''"]);

export function isQuoteMark(s: string): boolean {
  return OPEN.has(s) || CLOSE.has(s) || STRAIGHT.has(s) || s === '‘' || s === '’' || s === "'";
}

/** The double quotation mark a token is, in its typographic form ('“' opening, '"' either way), or null. */
export function doubleQuoteOf(s: string): string | null {
  if (s === '``') return '“';
  if (s === "''" || s === '＂' || s === '″') return '"';
  return OPEN.has(s) || CLOSE.has(s) || STRAIGHT.has(s) ? s : null;
}

/**
 * Marks, per token, the quotation it belongs to (-1 outside any). Double quotes only: single quotes
 * are mostly apostrophes in news text. News convention opens a quote again at each new paragraph of
 * a long quotation without closing the previous one, so a line break closes any open quotation.
 * The marks themselves belong to their quotation.
 */
export function quoteRegions(doc: Doc): Int32Array {
  let region = regionsOf.get(doc);
  if (!region) {
    region = computeRegions(doc);
    regionsOf.set(doc, region);
  }
  return region;
}

/** Both the attribution and the speaker stage read (never write) a document's quotations: worked out once per Doc. */
const regionsOf = new WeakMap<Doc, Int32Array>();

function computeRegions(doc: Doc): Int32Array {
  const { tokens, text } = doc;
  const region = new Int32Array(tokens.length).fill(-1);
  let open = -1;
  let next = 0;
  for (let t = 0; t < tokens.length; t++) {
    const tok = tokens[t];
    if (open >= 0 && t > 0 && hasNewline(text, tokens[t - 1].end, tok.start)) open = -1;
    const s = tok.text;
    if (open < 0 && (OPEN.has(s) || STRAIGHT.has(s))) {
      open = next++;
      region[t] = open;
      continue;
    }
    if (open >= 0 && (CLOSE.has(s) || STRAIGHT.has(s))) {
      region[t] = open;
      open = -1;
      continue;
    }
    // An opening mark inside an open quotation means the earlier one was never closed.
    if (OPEN.has(s)) open = next++;
    region[t] = open;
  }
  return region;
}
