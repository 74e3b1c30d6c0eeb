/**
 * Whether a first line reads as a headline rather than as the article's first sentence. Plain text
 * marks a headline only by layout (a short first line, then a blank line), and so does a one-sentence
 * opening paragraph; this tells them apart by how headlines are written.
 */

/** Words left lower-case in Title Case. */
const MINOR = new Set('a an the and or nor but of in on at to for by with from as is are was were be into over up off per via vs than that so yet'.split(' '));
/** Abbreviations whose full stop ends no sentence ("Rep. Welch to back Sanders"). */
const ABBREVIATIONS = new Set('mr mrs ms dr rep sen gov gen lt col sgt capt prof st jr sr mt ft inc co corp ltd no vs rev pres'.split(' '));
/** A dateline opens a story's first paragraph, never its headline: "WASHINGTON (AP) —", "MEXICO CITY, Feb. 8 (UPI) —". */
const DATELINE = /^[A-Z][A-Z.'’ -]{2,}(?:,[^—–(]{0,30})?\s*(?:\([^)]{1,20}\))?\s*[—–-]{1,2}\s/;
/** Most headlines in news data are at most this many words; a longer line ending in a full stop is a sentence. */
export const MAX_SENTENCE_CASE_HEADLINE_WORDS = 12;

function words(line: string): string[] {
  return line.split(/\s+/).filter((w) => /\p{L}/u.test(w));
}

/** Share of the words that are not minor words and start with a capital: near 1 for Title Case. */
function titleCaseShare(ws: string[]): number {
  const major = ws.filter((w) => !MINOR.has(w.toLowerCase().replace(/[^\p{L}]/gu, '')));
  if (!major.length) return 0;
  return major.filter((w) => /^[^\p{L}]*\p{Lu}/u.test(w)).length / major.length;
}

/** A full stop (or ! ?) inside the line that ends a sentence: "… a Big Blow. Here’s His Plan". */
function hasInnerSentenceEnd(line: string): boolean {
  for (const m of line.matchAll(/(\p{L}+)[.!?]["”’']?\s+["“‘']?\p{Lu}/gu)) {
    if (!ABBREVIATIONS.has(m[1].toLowerCase()) && m[1].length > 1) return true;
  }
  return false;
}

/**
 * True when `line` looks like a headline: not a lead-in ending in a colon, no dateline, and, when it
 * ends in a full stop as a sentence would, either written in Title Case or one short sentence.
 */
export function looksLikeHeadline(line: string): boolean {
  const s = line.trim();
  if (!s || /:$/.test(s) || DATELINE.test(s)) return false;
  if (!/\.["”’']?$/.test(s)) return true;
  const ws = words(s);
  if (ws.length >= 3 && titleCaseShare(ws) >= 0.75) return true;
  // One word and a full stop ("ABSTRACT.", "Advertisement.") is a label, not a headline.
  return !hasInnerSentenceEnd(s) && ws.length >= 2 && ws.length <= MAX_SENTENCE_CASE_HEADLINE_WORDS;
}
