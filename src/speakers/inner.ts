/**
 * Inner reporting clauses. PolNeAR never nests attributions, so in "'We won't back down,' Whitfield
 * said, the Daily Ledger reported" or "'…,' Ortiz said, according to a pool report" there is one
 * attribution whose source is the outlet or the document and whose content holds a whole reporting
 * clause of its own. The words are the inner speaker's; the outlet or document only relayed them.
 * This file finds that clause (a speech verb outside the quotation marks, with its subject) and the
 * outlet or document sources it may be read for.
 */
import type { Range } from '../core/types.js';
import { tokensIn, type DocIndex } from './mentions.js';
import { DOCUMENT_HEADS } from '../nlp/lexicons/roles.js';
import { MEDIA_NOMINALS } from '../nlp/lexicons/organizations.js';

/**
 * Verbs of saying whose subject is the one whose words they are. Past and present tense only (a bare
 * "say" is mostly an infinitive); verbs of posting ("tweeted") are left out: a post the outlet notes
 * is the outlet's own report in the annotation conventions.
 */
export const SPEECH_VERBS = new Set(['said', 'says', 'told', 'tells', 'added', 'adds', 'noted', 'notes', 'stated', 'states',
  'asked', 'asks', 'replied', 'replies', 'answered', 'answers', 'explained', 'explains', 'argued', 'argues', 'insisted',
  'insists', 'claimed', 'claims', 'declared', 'declares', 'acknowledged', 'acknowledges', 'admitted', 'admits', 'warned',
  'warns', 'recalled', 'recalls', 'remarked', 'responded', 'responds', 'suggested', 'suggests', 'predicted', 'predicts',
  'promised', 'promises', 'vowed', 'vows', 'denied', 'denies', 'confirmed', 'confirms', 'announced', 'announces',
  'joked', 'jokes', 'complained', 'complains', 'praised', 'praises', 'compared', 'described', 'describes', 'urged', 'urges',
  'stressed', 'stresses', 'conceded', 'concedes', 'countered', 'counters', 'continued', 'wrote', 'writes']);

/** Words that can sit between a subject and its verb: "Trump also said", "Apple has stated". */
const BETWEEN = new Set(['…', '...', 'also', 'later', 'then', 'again', 'further', 'previously', 'once', 'has', 'had', 'have', 'reportedly', 'repeatedly', 'quickly', 'simply']);
/** Words ending a document phrase before its head ("a transcript of the interview", "audio provided to"). */
const PHRASE_END = new Set([',', 'of', 'to', 'from', 'by', 'in', 'on', 'at', 'that', 'who', 'which', 'with', 'provided', 'released', 'published', 'obtained', 'filed', 'issued', '(', ':']);
/** Written or recorded accounts, beyond the lexicon's documents: "Axelrod's memoir", "pool reports". */
const ACCOUNT_HEADS = new Set(['memoir', 'memoirs', 'account', 'accounts', 'transcript', 'transcripts', 'audio', 'recording', 'tape',
  'tapes', 'diary', 'notes', 'minutes', 'readout', 'cable', 'cables', 'biography', 'autobiography', 'deposition', 'depositions',
  'story', 'stories', 'report', 'reports', 'dispatch']);
const PERSONAL_SUBJECTS = new Set(['he', 'she']);
const NP_POS = new Set(['PROPN', 'NOUN', 'ADJ', 'DET', 'NUM']);
const POSSESSIVE = new Set(["'s", '’s', "'", '’']);

/** What an outlet-or-document source is: where it is named, and who owns it ("Axelrod's memoir" → Axelrod). */
export interface RelaySource {
  /** The outlet or the document's owner to credit as via: a named outlet, a possessor, or the whole phrase. */
  via: [number, number];
}

/**
 * Is the source phrase an outlet or a document that can carry someone else's words? A named outlet
 * ("the Las Vegas Sun"), a media noun ("the newspaper"), or a written account ("a White House pool
 * report", "Axelrod's memoir", "an Associated Press account"). Returns what to credit as via, or null.
 */
export function outletOrDocument(ix: DocIndex, src: [number, number]): RelaySource | null {
  const tk = ix.doc.tokens;
  let [s, e] = src;
  while (s < e && tk[s].pos === 'PUNCT') s++;
  // The head phrase: up to a preposition, a comma, a verb or a pronoun ("a letter to Facebook from …",
  // "an account she gave to …").
  let he = s;
  while (he < e && !(he > s && ix.nameAt[he] < 0 && (PHRASE_END.has(tk[he].lower) || tk[he].pos === 'VERB' || tk[he].pos === 'PRON'))) he++;
  while (he > s && tk[he - 1].pos === 'PUNCT') he--;
  if (he <= s) return null;
  const head = tk[he - 1];
  const ni = ix.nameAt[he - 1];
  if (ni >= 0) {
    const m = ix.names[ni];
    // "the Las Vegas Sun", "Sanders's hometown Burlington Free Press": an outlet heads the phrase.
    if (m.type === 'media') return { via: tokensIn(ix.doc, m.start, m.end) };
    return null;
  }
  const w = head.lower;
  if (MEDIA_NOMINALS.has(w)) return { via: [s, he] };
  if (!ACCOUNT_HEADS.has(w) && !DOCUMENT_HEADS.has(w)) return null;
  // The account's owner or maker is the relay when the phrase names one: "Axelrod's memoir",
  // "an Associated Press account"; otherwise the document itself ("a White House pool report").
  for (let k = s; k < he - 1; k++) {
    if (POSSESSIVE.has(tk[k].lower) && k > s) return { via: [s, k] };
    const mi = ix.nameAt[k];
    if (mi >= 0 && ix.names[mi].type === 'media') {
      const m = ix.names[mi];
      return { via: tokensIn(ix.doc, m.start, m.end) };
    }
  }
  return { via: [s, he] };
}

/** The tokens of the first content range, within the sentence it starts in and a bounded length. */
function contentTokens(ix: DocIndex, content: Range[]): [number, number] | null {
  if (!content.length) return null;
  const [s, e] = tokensIn(ix.doc, content[0][0], content[0][1]);
  return e > s ? [s, e] : null;
}

/**
 * The subject of a speech verb at token v, looking left: a name or "he"/"she" (a description such as
 * "the president" is left alone: on the learn part the antecedent it then needs was found for none of
 * the relays and a description in an outlet's content took one outlet row from its outlet); past
 * adverbs and auxiliaries ("Apple has
 * stated", "She later compared"), a first verb ("Canova 'bristled' and said") and an apposition
 * between commas ("Perry, recalling …, said"). The subject must open its clause: the content's start,
 * or right after a comma, a colon, a closing quotation mark or "that". `quoted(k)` tells whether token
 * k is quoted material, which no subject crosses.
 */
function subjectBefore(ix: DocIndex, v: number, from: number, quoted: (k: number) => boolean): [number, number] | null {
  const tk = ix.doc.tokens;
  let j = v - 1;
  while (j >= from && BETWEEN.has(tk[j].lower)) j--;
  if (j >= from && tk[j].lower === 'and') {
    let k = j - 1;
    while (k >= from && j - k <= 6 && quoted(k)) k--;
    if (k === j - 1 && k >= from && tk[k].pos === 'VERB') k--;
    j = k;
    while (j >= from && BETWEEN.has(tk[j].lower)) j--;
  }
  if (j >= from && tk[j].text === ',') {
    let k = j - 1;
    while (k >= from && j - k < 30 && tk[k].text !== ',' && !quoted(k)) k--;
    if (k < from || tk[k].text !== ',') return null;
    j = k - 1;
  }
  if (j < from || quoted(j)) return null;
  let s: number;
  if (ix.nameAt[j] >= 0) {
    const m = ix.names[ix.nameAt[j]];
    const [ms, me] = tokensIn(ix.doc, m.start, m.end);
    // A name that is only part of a longer phrase ("Trump Tower Manila said"): not a subject.
    if (me !== j + 1) return null;
    s = Math.max(from, ms);
  } else if (PERSONAL_SUBJECTS.has(tk[j].lower)) {
    s = j;
  } else return null;
  // Titles, roles and possessors before a name are part of the subject phrase ("Planned Parenthood's
  // president Cecile Richards", "Gowdy spokesman Jamal Ware"): the clause opens before them.
  let p = s;
  while (p > from && s - p < 8 && !quoted(p - 1) && (NP_POS.has(tk[p - 1].pos) || POSSESSIVE.has(tk[p - 1].lower) || ix.nameAt[p - 1] >= 0)) p--;
  const before = p > from ? tk[p - 1] : null;
  if (before && !(before.text === ',' || before.text === ':' || before.lower === 'that' || quoted(p - 1))) return null;
  return [s, j + 1];
}

const isVerb = (pos: string) => pos === 'VERB' || pos === 'AUX';

/**
 * The speaker phrase of a reporting clause inside the content: "'…,' Walker said", "'…,' said Kristen
 * Day, executive director …", "Salceda said the …", "On Monday, Trump said", "that Klein said he …",
 * "Trump welcomed the news, saying …". Only speech verbs near the content's start count (25 words
 * outside quotation marks): the clause must govern the content, not sit deep inside it. A content
 * that is all one quotation of the outlet's text ("wrote: 'Sanders said he held off …'") is read the
 * same way, with its subject opening the quotation. null when there is none.
 */
export function innerSpeaker(ix: DocIndex, content: Range[]): [number, number] | null {
  const r = contentTokens(ix, content);
  if (!r) return null;
  const [from, to] = r;
  const found = scan(ix, from, to, (k) => ix.quote[k] >= 0, false);
  if (found || ix.quote[from] < 0 || !isQuoteOpen(ix.doc.tokens[from].text)) return found;
  return scan(ix, from + 1, to, () => false, true);
}

function isQuoteOpen(s: string): boolean {
  return /^(["“«„]|``|'')$/.test(s);
}

function scan(ix: DocIndex, from: number, to: number, quoted: (k: number) => boolean, atStart: boolean): [number, number] | null {
  const tk = ix.doc.tokens;
  let outside = 0;
  for (let t = from; t < to && outside < 25; t++) {
    if (quoted(t)) continue;
    outside++;
    const w = tk[t].lower;
    // "Trump welcomed the news …, saying": the participle's subject opens the content.
    if (w === 'saying' && t > from && tk[t - 1].text === ',') {
      const s = openingName(ix, atStart ? from : skipThat(ix, from), t);
      if (s) return s;
      continue;
    }
    if (!SPEECH_VERBS.has(w) || !isVerb(tk[t].pos)) continue;
    // Inverted after a quotation: "'…,' said Kristen Day".
    let q = t - 1;
    if (q >= from && tk[q].text === ',') q--;
    if (!atStart && q >= from && quoted(q) && t + 1 < to && ix.nameAt[t + 1] >= 0) {
      const m = ix.names[ix.nameAt[t + 1]];
      return [t + 1, Math.min(to, tokensIn(ix.doc, m.start, m.end)[1])];
    }
    const s = subjectBefore(ix, t, from, quoted);
    if (s && (!atStart || s[0] === from)) return s;
  }
  return null;
}

function skipThat(ix: DocIndex, from: number): number {
  return ix.doc.tokens[from]?.lower === 'that' ? from + 1 : from;
}

/** A name opening the content and followed by its verb ("Trump welcomed …"), before token `limit`. */
function openingName(ix: DocIndex, from: number, limit: number): [number, number] | null {
  const ni = ix.nameAt[from];
  if (ni < 0) return null;
  const m = ix.names[ni];
  if (m.type !== 'person' && m.type !== null) return null;
  const [, me] = tokensIn(ix.doc, m.start, m.end);
  if (me >= limit || !isVerb(ix.doc.tokens[me].pos)) return null;
  return [from, me];
}
