/**
 * Entity mentions: named people, organisations, outlets and groups found in one pass over the tokens,
 * and the analysis of one attribution's source span (a name, a pronoun, a nominal, an anonymous phrase).
 */
import type { Doc, EntityType, Token } from '../core/types.js';
import { quoteRegions } from '../nlp/quotes.js';
import { FIRST_NAMES, type Gender } from '../nlp/lexicons/first-names.js';
import { HONORIFICS, PERSON_ROLES, ANONYMOUS_HEADS, DOCUMENT_HEADS, GROUP_HEADS, GENERIC_PLURALS } from '../nlp/lexicons/roles.js';
import { OUTLETS, MEDIA_HEADS, MEDIA_NOMINALS, ORG_HEADS, KNOWN_ORGS, PLACES, GROUP_NAMES } from '../nlp/lexicons/organizations.js';
import { orgKey } from './names.js';

export type MentionKind = 'name' | 'nominal' | 'pronoun' | 'anonymous' | 'group' | 'document' | 'other';

export interface Mention {
  kind: MentionKind;
  /** Character range of the whole mention, titles and pre-modifiers included. */
  start: number;
  end: number;
  /** Token range of the name proper (names) or of the whole phrase (others). */
  tokStart: number;
  tokEnd: number;
  /** The name proper without titles ("Sergei Shoigu"), or the phrase for unnamed mentions. */
  name: string;
  /** The mention as written, for aliases. */
  surface: string;
  /** null where the mention alone does not tell (a bare surname). */
  type: EntityType | null;
  gender: Gender | null;
  plural: boolean;
  descriptors: string[];
  /** Lowercase head word (nominals, pronouns). */
  head: string;
  sentence: number;
  inQuote: boolean;
  /** The first mention in its sentence: a rough subject. */
  firstInSentence: boolean;
  /** Part of a larger noun phrase ("Trump" in "Trump campaign spokesman"). */
  modifier: boolean;
  possessive: boolean;
  place: boolean;
}

export interface DocIndex {
  doc: Doc;
  quote: Int32Array;
  /** Named mentions in text order. */
  names: Mention[];
  /** Token index → index into `names` of the named mention covering it, or -1. */
  nameAt: Int32Array;
}

const CONNECT = new Set(['of', 'for', 'and', '&', 'on']);
const PARTICLE = new Set(['de', 'da', 'del', 'della', 'der', 'di', 'du', 'la', 'le', 'van', 'von', 'bin', 'ibn', 'al', 'el', 'abu', 'ben', 'dos', 'y']);
const NOT_NAME = new Set(['i', 'the', 'a', 'an', 'but', 'and', 'or', 'in', 'on', 'at', 'it', 'he', 'she', 'they', 'we', 'you',
  'this', 'that', 'these', 'those', 'his', 'her', 'their', 'our', 'my', 'its', 'if', 'when', 'while', 'as', 'so', 'for',
  'after', 'before', 'since', 'because', 'though', 'although', 'yet', 'still', 'then', 'there', 'here', 'what', 'who',
  'how', 'why', 'where', 'not', 'no', 'yes', 'mr', 'also', 'even', 'now', 'today', 'yesterday', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december', 'some', 'many', 'all', 'both', 'one', 'two',
  'asked', 'according', 'despite', 'with', 'by', 'from', 'to', 'do', 'does', 'did', 'is', 'was', 'are', 'were', 'would',
  'will', 'can', 'could', 'should', 'let', 'just', 'only', 'every', 'each', 'other', 'another', 'more', 'most',
  'said', 'says', 'speaking', 'others', 'everything', 'nothing', 'something', 'anything', 'everyone', 'nobody', 'somebody', 'anyone', 'perhaps', 'maybe', 'meanwhile', 'however', 'instead', 'last', 'next', 'first', 'new', 'our', 'your']);
const CALENDAR = new Set(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'january', 'february',
  'june', 'july', 'august', 'september', 'october', 'november', 'december', 'jan.', 'feb.', 'aug.', 'sept.', 'oct.', 'nov.', 'dec.']);
/** "I'm", "It's", "Let's": a pronoun with a clitic, capitalised at a sentence or quote start. */
/** Demonyms and other capitalised adjectives ("American", "Syrian", "Islamic", "British", "Chinese"). */
const ADJECTIVAL = /(ic|ian|can|ean|ish|ese|ern|ist|ite)$/;
const PARTY_WORDS = new Set(['republican', 'democrat', 'democratic', 'independent', 'conservative', 'liberal', 'libertarian',
  'progressive', 'socialist', 'communist', 'catholic', 'muslim', 'christian', 'jewish', 'evangelical', 'labour', 'tory', 'green']);
/** Last words that make a capitalised run a law or a document ("the Affordable Care Act"). */
const LAW_HEADS = new Set(['act', 'bill', 'law', 'amendment', 'treaty', 'accord', 'accords', 'agreement', 'protocol', 'convention', 'resolution', 'doctrine', 'code']);
const CONTRACTION = /^(i|you|we|they|he|she|it|that|there|here|let|what|who)['’]/;
/** Lowercase words after a capitalised run that make it an outlet ("the Interfax news agency"). */
const MEDIA_AFTER = new Set(['newspaper', 'daily', 'tabloid', 'broadsheet', 'weekly', 'magazine', 'television', 'tv', 'channel',
  'network', 'broadcaster', 'website', 'radio', 'agency', 'news', 'outlet', 'station', 'wire']);
/** Lowercase words after a capitalised run that make it an organisation ("the Trump campaign"). */
const ORG_AFTER = new Set(['campaign', 'ministry', 'administration', 'government', 'party', 'committee', 'agency', 'department',
  'office', 'team', 'company', 'group', 'foundation', 'council', 'court', 'police', 'army', 'military', 'embassy',
  'authorities', 'officials', 'spokesman', 'spokeswoman', 'spokesperson', 'camp', 'transition', 'organization',
  'organisation', 'regime', 'leadership', 'service', 'forces', 'commission', 'bank', 'union', 'institute', 'university']);
/** Lowercase words before a capitalised run that make it an outlet ("television network X", "the daily X"). */
const MEDIA_BEFORE = new Set(['newspaper', 'daily', 'tabloid', 'weekly', 'magazine', 'television', 'tv', 'channel', 'network',
  'broadcaster', 'website', 'radio', 'agency', 'outlet', 'station', 'paper', 'portal']);

export const PRONOUNS: ReadonlyMap<string, { gender: Gender | null; plural: boolean; person: 1 | 2 | 3; relative?: boolean }> = new Map([
  ['he', { gender: 'm', plural: false, person: 3 }], ['him', { gender: 'm', plural: false, person: 3 }],
  ['his', { gender: 'm', plural: false, person: 3 }], ['himself', { gender: 'm', plural: false, person: 3 }],
  ['she', { gender: 'f', plural: false, person: 3 }], ['her', { gender: 'f', plural: false, person: 3 }],
  ['hers', { gender: 'f', plural: false, person: 3 }], ['herself', { gender: 'f', plural: false, person: 3 }],
  ['it', { gender: null, plural: false, person: 3 }], ['its', { gender: null, plural: false, person: 3 }],
  ['they', { gender: null, plural: true, person: 3 }], ['them', { gender: null, plural: true, person: 3 }],
  ['their', { gender: null, plural: true, person: 3 }], ['themselves', { gender: null, plural: true, person: 3 }],
  ['we', { gender: null, plural: true, person: 1 }], ['us', { gender: null, plural: true, person: 1 }],
  ['our', { gender: null, plural: true, person: 1 }], ['i', { gender: null, plural: false, person: 1 }],
  ['me', { gender: null, plural: false, person: 1 }], ['my', { gender: null, plural: false, person: 1 }],
  ['you', { gender: null, plural: false, person: 2 }], ['your', { gender: null, plural: false, person: 2 }],
  ['who', { gender: null, plural: false, person: 3, relative: true }], ['which', { gender: null, plural: false, person: 3, relative: true }],
  ['that', { gender: null, plural: false, person: 3, relative: true }], ['whom', { gender: null, plural: false, person: 3, relative: true }],
]);

function isCap(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c >= 65 && c <= 90) return true;
  if (c < 128) return false;
  const ch = text[0];
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

const bare = (lower: string) => (lower.endsWith('.') ? lower.slice(0, -1) : lower);

function isTitle(lower: string): boolean {
  return HONORIFICS.has(lower) || HONORIFICS.has(bare(lower)) || PERSON_ROLES.has(lower);
}

/** Document-wide casing evidence: title-case lines, words seen capitalised mid-sentence or in lowercase. */
interface Casing {
  title: Uint8Array;
  capMid: Set<string>;
  lowerSeen: Set<string>;
}

const SHORT = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'to', 'for', 'and', 'or', 'at', 'by', 'with', 'as', 'is', 'vs', 'vs.']);

function isAsciiLetter(c: number): boolean {
  const l = c | 32;
  return l >= 97 && l <= 122;
}

/** Some letter is lowercase; most tokens answer on their first character without a copy of the string. */
function hasLowercase(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c >= 97 && c <= 122) return true;
  return text !== text.toUpperCase();
}

function casingOf(doc: Doc): Casing {
  const title = new Uint8Array(doc.sentences.length);
  for (const s of doc.sentences) {
    let words = 0;
    let caps = 0;
    for (let t = s.tokenStart; t < s.tokenEnd; t++) {
      const tok = doc.tokens[t];
      if (tok.pos === 'PUNCT' || tok.pos === 'NUM' || !isAsciiLetter(tok.text.charCodeAt(0)) || SHORT.has(tok.lower)) continue;
      words++;
      if (isCap(tok.text)) caps++;
    }
    if (words >= 4 && caps >= 0.9 * words) title[s.i] = 1;
  }
  const capMid = new Set<string>();
  const lowerSeen = new Set<string>();
  for (let t = 0; t < doc.tokens.length; t++) {
    const tok = doc.tokens[t];
    if (isCap(tok.text)) {
      if (!title[tok.sentence] && !isSentenceStart(doc, t)) capMid.add(tok.lower);
    } else if (hasLowercase(tok.text)) lowerSeen.add(tok.lower);
  }
  return { title, capMid, lowerSeen };
}

/** Can token t start or continue a capitalised name run? */
function capWord(doc: Doc, t: number, casing: Casing): boolean {
  const tok = doc.tokens[t];
  if (!isCap(tok.text) || tok.pos === 'PUNCT' || tok.pos === 'NUM') return false;
  const l = tok.lower;
  if (CALENDAR.has(l) || CONTRACTION.test(l)) return false;
  const initial = isSentenceStart(doc, t) || casing.title[tok.sentence] === 1;
  // A capitalised word right after a given name in a headline: "Hillary Clinton Says ...".
  if (initial && t > 0 && !isSentenceStart(doc, t) && FIRST_NAMES.has(doc.tokens[t - 1].lower) && isCap(doc.tokens[t - 1].text) && !casing.lowerSeen.has(l)) return true;
  // "New Hampshire Public Radio said": "New" before a capitalised word opens a name, even at a sentence start.
  if (l === 'new' && t + 1 < doc.tokens.length && doc.tokens[t + 1].sentence === tok.sentence && isCap(doc.tokens[t + 1].text) &&
      doc.tokens[t + 1].pos === 'PROPN') return true;
  if (NOT_NAME.has(l) || NOT_NAME.has(bare(l))) return tok.pos === 'PROPN' && !PRONOUNS.has(l) && l !== 'the' && !initial;
  if (initial) {
    if (isTitle(l) && !casing.title[tok.sentence]) return !(ANONYMOUS_HEADS.has(l) && !(t + 1 < doc.tokens.length && isCap(doc.tokens[t + 1].text)));
    if (FIRST_NAMES.has(l) || HONORIFICS.has(l) || HONORIFICS.has(bare(l))) return true;
    // Truecasing from the rest of the article: a word written capitalised mid-sentence is a name;
    // one written in lowercase elsewhere is not; in a title-case headline, only the former count.
    if (casing.capMid.has(l)) return !casing.lowerSeen.has(l) || tok.pos === 'PROPN';
    if (casing.lowerSeen.has(l) || casing.title[tok.sentence]) return false;
    if (tok.pos !== 'PROPN') return false;
    // "Officials said", "Witnesses told": a common noun that starts the sentence, not a name.
    if ((ANONYMOUS_HEADS.has(l) || DOCUMENT_HEADS.has(l) || GROUP_HEADS.has(l) || PERSON_ROLES.has(l)) &&
        !(t + 1 < doc.tokens.length && isCap(doc.tokens[t + 1].text))) return false;
  }
  return true;
}

function isSentenceStart(doc: Doc, t: number): boolean {
  if (t === 0) return true;
  const tok = doc.tokens[t];
  if (doc.sentences[tok.sentence].tokenStart === t) return true;
  const prev = doc.tokens[t - 1].text;
  return prev === '"' || prev === '“' || prev === ':' || prev === '(' || prev === '—' || prev === '–';
}

/**
 * Capitalised nouns that name a member of a party, a faith, a state or a nation: after a determiner
 * ("the Texan said", "the only powerful Democrat") they describe someone named elsewhere, as a role
 * does. Words that are also the names of outlets ("the Independent", "the Oregonian") are left out.
 */
const MEMBER_NOUNS = new Map<string, string[]>([
  ['democrat', ['democratic', 'democrats']], ['republican', ['gop', 'republicans']], ['libertarian', []], ['socialist', []],
  ['communist', []], ['progressive', []], ['tory', ['conservative']], ['catholic', []], ['muslim', []], ['christian', []],
  ['evangelical', []], ['texan', ['texas']], ['californian', ['california']], ['floridian', ['florida']], ['iowan', ['iowa']],
  ['ohioan', ['ohio']], ['vermonter', ['vermont']], ['virginian', ['virginia']], ['kansan', ['kansas']],
  ['arkansan', ['arkansas']], ['alaskan', ['alaska']], ['arizonan', ['arizona']], ['coloradan', ['colorado']],
  ['kentuckian', ['kentucky']], ['louisianan', ['louisiana']], ['marylander', ['maryland']], ['michigander', ['michigan']],
  ['minnesotan', ['minnesota']], ['missourian', ['missouri']], ['nebraskan', ['nebraska']], ['nevadan', ['nevada']],
  ['oklahoman', ['oklahoma']], ['pennsylvanian', ['pennsylvania']], ['carolinian', ['carolina']], ['georgian', ['georgia']],
  ['hoosier', ['indiana']], ['utahn', ['utah']], ['wisconsinite', ['wisconsin']], ['american', []], ['briton', ['britain', 'british']],
  ['canadian', ['canada']], ['mexican', ['mexico']], ['israeli', ['israel']], ['palestinian', []], ['iranian', ['iran']],
  ['iraqi', ['iraq']], ['syrian', ['syria']], ['russian', ['russia']], ['frenchman', ['france', 'french']],
  ['frenchwoman', ['france', 'french']], ['englishman', ['england', 'english']], ['irishman', ['ireland', 'irish']], ['scot', ['scotland', 'scottish']],
]);

/** Words that tie a member noun to someone: "the Texan" and "the former Texas governor". */
export function memberForms(head: string): string[] | undefined {
  return MEMBER_NOUNS.get(head);
}

/**
 * A capitalised run of at most three words ending in a person role or a member noun, after "the" /
 * "a" / "this" and lowercase adjectives only, with no given name in it: "the former House Speaker",
 * "the Vermont Senator", "the Texan", "the Nevada Democrat".
 */
function roleOnly(tk: Token[], s: number, e: number): boolean {
  if (e - s > 3 || !(PERSON_ROLES.has(tk[e - 1].lower) || MEMBER_NOUNS.has(tk[e - 1].lower))) return false;
  for (let k = s; k < e; k++) if (FIRST_NAMES.has(tk[k].lower)) return false;
  let b = s - 1;
  while (b >= 0 && s - b <= 3 && tk[b].pos === 'ADJ' && !isCap(tk[b].text)) b--;
  return b >= 0 && tk[b].sentence === tk[s].sentence && /^(the|a|an|this|that)$/.test(tk[b].lower);
}

/** The run at s follows "called" or "named": what follows is a name as written, title and number included. */
function calledBefore(tk: Token[], s: number): boolean {
  return s > 0 && (tk[s - 1].lower === 'called' || tk[s - 1].lower === 'named');
}

function gluedHyphen(doc: Doc, t: number): boolean {
  // "Okonkwo - Hale" written as "Okonkwo-Hale": a hyphen token with no space on either side.
  const tk = doc.tokens;
  return t + 1 < tk.length && (tk[t].text === '-' || tk[t].text === '‐') && !tk[t].spaceBefore && !tk[t + 1].spaceBefore && isCap(tk[t + 1].text);
}

/** Finds named mentions: capitalised runs, split into titles and the name proper, typed by lexicons. */
export function indexDoc(doc: Doc): DocIndex {
  const tk = doc.tokens;
  const n = tk.length;
  const quote = quoteRegions(doc);
  const names: Mention[] = [];
  const nameAt = new Int32Array(n).fill(-1);
  const casing = casingOf(doc);
  let lastSentence = -1;
  let sawAdp = false;
  let t = 0;
  while (t < n) {
    if (t === 0 || tk[t].sentence !== tk[t - 1].sentence) sawAdp = false;
    if (!capWord(doc, t, casing)) {
      if (tk[t].pos === 'ADP' || tk[t].pos === 'SCONJ') sawAdp = true;
      t++;
      continue;
    }
    const s = t;
    let e = t + 1;
    for (;;) {
      if (e < n && tk[e].sentence === tk[s].sentence && capWord(doc, e, casing) && tk[e].spaceBefore) {
        e++;
        continue;
      }
      // "Harry M. Reid": a middle initial that the sentence splitter took for a full stop.
      if (e < n && e - s >= 2 && /^[A-Z]\.$/.test(tk[e - 1].text) && FIRST_NAMES.has(tk[e - 2].lower) && tk[e].spaceBefore &&
          isCap(tk[e].text) && tk[e].pos !== 'PUNCT' && !NOT_NAME.has(tk[e].lower)) {
        e++;
        continue;
      }
      if (e + 1 < n && gluedHyphen(doc, e)) {
        e += 2;
        continue;
      }
      if (e + 1 < n && PARTICLE.has(tk[e].lower) && isCap(tk[e + 1].text) && tk[e + 1].pos === 'PROPN') {
        e += 2;
        continue;
      }
      // "Omar al-Rashidi", "Ahmed bin-Salem": a particle glued by a hyphen to a capitalised part.
      if (e + 2 < n && PARTICLE.has(tk[e].lower) && tk[e].spaceBefore && gluedHyphen(doc, e + 1)) {
        e += 3;
        continue;
      }
      // "Ambassador to the United Nations Grace Otieno", "Minister of the Interior X": a title, then
      // the body it belongs to; the name proper is split off in buildNamed.
      if (e + 2 < n && (tk[e].lower === 'to' || tk[e].lower === 'of' || tk[e].lower === 'for') && tk[e + 1].lower === 'the' &&
          isTitle(tk[e - 1].lower) && isCap(tk[e + 2].text) && capWord(doc, e + 2, casing)) {
        e += 3;
        continue;
      }
      if (e + 1 < n && tk[e].lower === 'to' && isTitle(tk[e - 1].lower) && isCap(tk[e + 1].text) && capWord(doc, e + 1, casing)) {
        e += 2;
        continue;
      }
      // "Bank of England", "Ministry of Defence", "Secretary of State John Kerry"; after "called" /
      // "named" the whole title ("a group called Color of Change").
      // A capitalised connector is a headline's word ("CNN President On Trump: …"), not part of a title.
      if (e + 1 < n && CONNECT.has(tk[e].lower) && tk[e].lower !== 'and' && !isCap(tk[e].text) && isCap(tk[e + 1].text) && capWord(doc, e + 1, casing)) {
        const last = tk[e - 1].lower;
        if (ORG_HEADS.has(last) || isTitle(last) || calledBefore(tk, s)) {
          e += 2;
          continue;
        }
      }
      // "a super PAC called Future 45": a number closes a name it is called by.
      if (e < n && tk[e].pos === 'NUM' && tk[e].spaceBefore && tk[e].sentence === tk[s].sentence && calledBefore(tk, s) && /^\d+$/.test(tk[e].text)) {
        e++;
        continue;
      }
      break;
    }
    // "the former House Speaker", "the Vermont Senator": a capitalised role after a determiner describes
    // someone and is no name; the description is resolved like "the senator".
    if (roleOnly(tk, s, e)) {
      t = e;
      continue;
    }
    // "a Democratic superdelegate", "American voters": a lone capitalised adjective before a lowercase
    // noun modifies it; it is no one and never an antecedent.
    if (e - s === 1 && e < n && tk[e].pos === 'NOUN' && !isCap(tk[e].text) && (tk[s].pos === 'ADJ' || ADJECTIVAL.test(tk[s].lower) || PARTY_WORDS.has(tk[s].lower))) {
      t = e;
      continue;
    }
    const m = buildNamed(doc, quote, s, e);
    if (m) {
      // A rough subject: the first mention of its sentence, with no preposition before it.
      m.firstInSentence = tk[s].sentence !== lastSentence && !sawAdp;
      lastSentence = tk[s].sentence;
      for (let k = s; k < e; k++) nameAt[k] = names.length;
      names.push(m);
    }
    t = e;
  }
  return { doc, quote, names, nameAt };
}

function textOf(doc: Doc, a: number, b: number): string {
  return doc.text.slice(doc.tokens[a].start, doc.tokens[b - 1].end);
}

function buildNamed(doc: Doc, quote: Int32Array, s: number, e: number): Mention | null {
  const tk = doc.tokens;
  // Titles and roles inside the run: the name proper starts after the last one (never the last word).
  let lastRole = -1;
  for (let k = s; k < e - 1; k++) if (isTitle(tk[k].lower)) lastRole = k;
  let ns = lastRole + 1 > s ? lastRole + 1 : s;
  for (let k = ns; k < e - 1; k++) {
    // A given name after other capitalised words starts the name proper ("Kenyan Democrat Maria X"),
    // unless it follows another given name ("Jamie Lee Curtis", "Melissa Mark-Viverito").
    if (FIRST_NAMES.has(tk[k].lower) && k > ns && tk[k].spaceBefore && !isTitle(tk[k - 1].lower) && !FIRST_NAMES.has(tk[k - 1].lower)) {
      ns = k;
      break;
    }
  }
  if (ns >= e) return null;
  // Pre-modifiers before the run: "press secretary", "retired", "the Ohio senator"
  let ps = s;
  if (ns > s || (ps > 0 && isTitle(tk[ps - 1].lower))) {
    while (ps > 0 && tk[ps - 1].sentence === tk[s].sentence) {
      const p = tk[ps - 1];
      if (p.pos === 'NOUN' || p.pos === 'ADJ' || p.pos === 'PROPN' || isTitle(p.lower)) ps--;
      else break;
      if (s - ps > 6) break;
    }
  }
  let nameText = textOf(doc, ns, e);
  const poss = /[’']s$/.exec(nameText);
  if (poss && nameText.length > 3) nameText = nameText.slice(0, -2);
  const lowerName = orgKey(nameText);
  const lowers = [] as string[];
  for (let k = ns; k < e; k++) lowers.push(tk[k].lower);
  const lastLower = bare(tk[e - 1].lower);
  let type: EntityType | null = null;
  let gender: Gender | null = null;
  let plural = false;
  let place = false;
  const descriptors: string[] = [];
  let start = tk[ps].start;
  let end = tk[e - 1].end;
  const after = e < tk.length ? tk[e].lower : '';
  const after2 = e + 1 < tk.length ? tk[e + 1].lower : '';
  const before = s > 0 ? tk[s - 1].lower : '';
  const before2 = s > 1 ? tk[s - 2].lower : '';
  let modifier = false;
  let orgHead = '';
  let possessive = after === "'s" || after === '’s' || after === "'" || !!poss;

  if (ns > s || ps < s) {
    // Titles and roles before the name: a person.
    for (let k = ps; k < ns; k++) {
      const lw = tk[k].lower;
      const g = HONORIFICS.get(lw) ?? HONORIFICS.get(bare(lw)) ?? PERSON_ROLES.get(lw) ?? null;
      if (g && !gender) gender = g;
    }
    const desc = textOf(doc, ps, ns);
    if (PERSON_ROLES.has(tk[ns - 1].lower) || HONORIFICS.has(tk[ns - 1].lower) || HONORIFICS.has(bare(tk[ns - 1].lower))) {
      type = 'person';
      descriptors.push(desc);
    } else if (ORG_HEADS.has(tk[ns - 1].lower)) {
      // "Ministry of Defence X"? Rare: keep it one organisation name.
      ns = s;
    }
  }
  const fullLower = orgKey(textOf(doc, s, e));
  if (!type) {
    if (OUTLETS.has(lowerName) || OUTLETS.has(fullLower) || (MEDIA_AFTER.has(after) && !FIRST_NAMES.has(lowers[0])) ||
        MEDIA_BEFORE.has(before) || (MEDIA_BEFORE.has(before2) && (before === 'network' || before === 'channel'))) {
      type = 'media';
      if (MEDIA_AFTER.has(after)) {
        end = tk[after2 && MEDIA_AFTER.has(after2) ? e + 1 : e].end;
        descriptors.push(doc.text.slice(tk[e].start, end));
      }
    } else if (KNOWN_ORGS.has(lowerName) || KNOWN_ORGS.has(fullLower)) type = 'organization';
    else if (e - ns >= 2 && LAW_HEADS.has(lastLower)) type = 'other'; // "the Glass-Steagall Act": a text, not a person
    else if (ORG_AFTER.has(after) && !possessive) {
      // "the Trump campaign", "the Foreign ministry": the name with its head noun is an organisation.
      type = 'organization';
      modifier = after === 'spokesman' || after === 'spokeswoman' || after === 'spokesperson' || after === 'officials';
      if (modifier) type = null;
      else {
        end = tk[e].end;
        orgHead = tk[e].text;
      }
    } else if (ORG_HEADS.has(lastLower) || MEDIA_HEADS.has(lastLower)) {
      type = MEDIA_HEADS.has(lastLower) && !ORG_HEADS.has(lastLower) ? 'media' : 'organization';
    } else if (PLACES.has(lowerName) || PLACES.has(fullLower)) {
      type = 'organization';
      place = true;
    } else if (GROUP_NAMES.has(lowerName) || (e - ns >= 2 && GROUP_NAMES.has(lastLower) && !FIRST_NAMES.has(lowers[0]))) {
      // "Asian Americans", "Senate Republicans": people in the plural, never one person.
      type = 'other';
      plural = true;
    } else if (FIRST_NAMES.has(lowers[0]) && e - ns >= 2 && tk[ns + 1].spaceBefore) {
      type = 'person';
    }
  }
  // "Mark-Viverito" is a surname, not the given name Mark: no gender from a hyphen-glued first part.
  if (type === 'person' && !gender && e - ns >= 2 && tk[ns + 1].spaceBefore) gender = FIRST_NAMES.get(lowers[0]) ?? null;
  // A capitalised run directly followed by a lowercase noun is a modifier ("Trump supporters").
  if (!modifier && e < tk.length && tk[e].pos === 'NOUN' && !isCap(tk[e].text) && !orgHead && !(type === 'media' && end > tk[e - 1].end)) modifier = true;
  // Possessive pre-modifier: "Trump's campaign" stays Trump.
  return {
    kind: 'name',
    start,
    end,
    tokStart: ns,
    tokEnd: e,
    name: orgHead ? `${nameText} ${orgHead}` : nameText,
    surface: doc.text.slice(start, orgHead ? end : tk[e - 1].end),
    type,
    gender,
    plural,
    descriptors,
    head: lastLower,
    sentence: tk[s].sentence,
    inQuote: quote[s] >= 0,
    firstInSentence: false,
    modifier,
    possessive,
    place,
  };
}

const DEFINITE = new Set(['the', 'this', 'that', 'these', 'those', 'his', 'her', 'its', 'their', 'our', 'my', 'your']);
const INDEFINITE = new Set(['a', 'an', 'one', 'some', 'several', 'two', 'three', 'four', 'five', 'many', 'most', 'few', 'other',
  'another', 'multiple', 'numerous', 'various', 'unnamed', 'anonymous', 'any', 'no', 'dozens', 'hundreds', 'thousands', 'all',
  'both', 'unidentified']);
/** Where the head noun phrase of a source ends. */
const HEAD_END = new Set([',', '(', 'who', 'which', 'that', 'whose', 'of', 'for', 'from', 'at', 'with', 'in', 'close', 'familiar',
  'on', 'to', 'by', 'and', 'speaking', 'told', ';', ':', '—', '–', 'who', 'said', 'says', 'told', 'involved', 'briefed']);

/** What an attribution's source phrase is. */
export interface SourceInfo {
  kind: MentionKind;
  /** The named mention that heads the phrase (kind "name"). */
  named: Mention | null;
  /** Head word, lowercase. */
  head: string;
  /** Lowercase modifiers of a nominal head ("republican" in "the Republican nominee"). */
  modifiers: string[];
  definite: boolean;
  plural: boolean;
  /** The phrase, for unnamed speakers. */
  text: string;
  /** The head noun phrase alone ("a senior official" of "a senior official who spoke ..."). */
  headText: string;
  /** Roles from the phrase around the name ("a spokesman for Y"). */
  descriptors: string[];
  start: number;
  end: number;
  tokStart: number;
  tokEnd: number;
  /** "One of them": a member of a group, resolved to the group. */
  partitive?: boolean;
}

/** Token range covering a character range. */
export function tokensIn(doc: Doc, start: number, end: number): [number, number] {
  const tk = doc.tokens;
  let lo = 0;
  let hi = tk.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tk[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  let e = lo;
  while (e < tk.length && tk[e].start < end) e++;
  return [lo, e];
}

/** "the head of Y, X" or "an analyst of Y, retired Colonel X": a comma, then at most titles and modifiers, then the name at k. */
function appositionComma(ix: DocIndex, k: number): boolean {
  const tk = ix.doc.tokens;
  const m = ix.names[ix.nameAt[k]];
  let j = k - 1;
  while (j >= 0 && tk[j].start >= m.start && k - j <= 4) j--;
  return j >= 0 && tk[j].text === ',';
}

const REFLEXIVE = new Set(['himself', 'herself', 'itself', 'themselves']);
const POSSESSIVE_MARK = new Set(["'s", '’s', "'", '’']);
const POSSESSIVE_PRONOUN: Record<string, string> = { his: 'he', her: 'she', their: 'they', its: 'it' };
/** What a speaker says or holds, as a possessed source: "his words", "Rubio's answer". */
const SPEECH_NOUNS = new Set(['words', 'comments', 'comment', 'remarks', 'remark', 'statement', 'statements', 'view', 'views',
  'answer', 'response', 'reply', 'assessment', 'warning', 'claim', 'claims', 'argument', 'position', 'message', 'testimony',
  'explanation', 'promise', 'pledge', 'criticism', 'tweet', 'tweets', 'speech', 'letter', 'proposal', 'account', 'opinion',
  'remarks', 'suggestion', 'insistence', 'admission', 'assertion', 'denial', 'vow', 'plea', 'announcement']);
/** What an outlet writes: its report, editorial, count speak for it (a poll or a survey is a document of its own). */
const OUTLET_TEXTS = new Set(['report', 'reports', 'editorial', 'editorials', 'count', 'tally', 'article', 'story', 'column',
  'interview', 'analysis', 'investigation', 'review']);
/** What a body issues in its own name. */
const ISSUED_TEXTS = new Set(['statement', 'statements', 'release']);
const OWNER_LINKS = new Set(['by', 'in', 'from', 'on', 'of', 'with']);

/** The tokens naming the owner of a document source ("a report in [the Register]", "[the AP]'s tally"), or null. */
function documentOwner(ix: DocIndex, ts: number, te: number): [number, number] | null {
  const tk = ix.doc.tokens;
  // The document noun near the start: after a determiner and a few modifiers.
  let d = ts;
  while (d < te && d - ts < 4 && !OUTLET_TEXTS.has(tk[d].lower) && !ISSUED_TEXTS.has(tk[d].lower) && ix.nameAt[d] < 0) d++;
  if (d >= te || ix.nameAt[d] >= 0) {
    // "the Associated Press's tally": a possessive outlet before the document noun that ends the span.
    const last = te - 1;
    if (te - ts >= 3 && (OUTLET_TEXTS.has(tk[last].lower) || ISSUED_TEXTS.has(tk[last].lower)) && POSSESSIVE_MARK.has(tk[last - 1].lower)) {
      const ni = ix.nameAt[last - 2];
      if (ni >= 0 && (ix.names[ni].type === 'media' || ISSUED_TEXTS.has(tk[last].lower))) return [ts, last - 1];
    }
    return null;
  }
  if (!OUTLET_TEXTS.has(tk[d].lower) && !ISSUED_TEXTS.has(tk[d].lower)) return null;
  const issued = ISSUED_TEXTS.has(tk[d].lower);
  // The link: "in", "by", "from", … right after it, or after a participle ("posted on", "published in").
  let k = d + 1;
  if (k < te && /[a-z]ed$/.test(tk[k].lower) && k + 1 < te && OWNER_LINKS.has(tk[k + 1].lower)) k++;
  if (k >= te || !OWNER_LINKS.has(tk[k].lower)) return null;
  // The owner: a named mention within a few words ("the website GunBroker.com").
  for (let n = k + 1; n < te && n - k <= 4; n++) {
    const ni = ix.nameAt[n];
    if (ni < 0) continue;
    if (ix.names[ni].type === 'media' || (issued && tk[k].lower !== 'on' && tk[k].lower !== 'in')) return [k + 1, te];
    return null;
  }
  return null;
}

const PARTITIVE = new Set(['one', 'some', 'two', 'three', 'several', 'many', 'most', 'all', 'both', 'each', 'none', 'few', 'another']);

const trimPunct = (s: string) => s.replace(/^[\s,;:(—–-]+|[\s,;:)—–-]+$/g, '');

/** Reads one source phrase (token range) into its kind: pronoun, name, nominal, anonymous, document, group. */
export function readSource(ix: DocIndex, ts: number, te: number): SourceInfo | null {
  const tk = ix.doc.tokens;
  while (ts < te && (tk[ts].pos === 'PUNCT' || tk[ts].lower === 'according' || tk[ts].lower === 'to')) ts++;
  while (te > ts && tk[te - 1].pos === 'PUNCT') te--;
  // "Sanders himself", "Ford itself": the intensifier is not part of the name.
  if (te - ts >= 2 && REFLEXIVE.has(tk[te - 1].lower)) te--;
  // "Merkel's", "the Florida senator's": a possessive source is its possessor; so is the possessor of
  // what someone says ("his words", "Rubio's answer").
  let possessed = false;
  if (te - ts >= 2 && POSSESSIVE_MARK.has(tk[te - 1].lower)) {
    te--;
    possessed = true;
  } else if (te - ts >= 2 && SPEECH_NOUNS.has(tk[te - 1].lower)) {
    const p = PRONOUNS.get(tk[te - 2].lower);
    if (te - ts === 2 && p && POSSESSIVE_PRONOUN[tk[te - 2].lower]) {
      ts = te - 2;
      te = te - 1;
      possessed = true;
    } else if (te - ts >= 3 && POSSESSIVE_MARK.has(tk[te - 2].lower)) {
      te -= 2;
      possessed = true;
    }
  }
  if (ts >= te) return null;
  const text = ix.doc.text.slice(tk[ts].start, tk[te - 1].end);
  // One object of the full shape, filled in below: spreading a base object into each return was
  // most of this function's time.
  const info: SourceInfo = {
    kind: 'other', named: null, head: '', modifiers: [], definite: true, plural: false, text, headText: text, descriptors: [],
    start: tk[ts].start, end: tk[te - 1].end, tokStart: ts, tokEnd: te,
  };
  const as = (kind: MentionKind): SourceInfo => {
    info.kind = kind;
    return info;
  };
  // A pronoun alone, or a pronoun heading the phrase ("he, speaking on ...").
  const p0 = PRONOUNS.get(tk[ts].lower);
  if (p0 && (te - ts === 1 || HEAD_END.has(tk[ts + 1].lower) || tk[ts + 1].pos === 'PUNCT' || tk[ts + 1].lower === 'himself' || tk[ts + 1].lower === 'herself' || tk[ts + 1].lower === 'themselves')) {
    info.head = POSSESSIVE_PRONOUN[tk[ts].lower] ?? tk[ts].lower;
    info.plural = p0.plural;
    return as('pronoun');
  }
  // "One of them", "some of those": a member of the group the pronoun refers to, spoken of as the group.
  if (te - ts >= 3 && PARTITIVE.has(tk[ts].lower) && tk[ts + 1].lower === 'of' && (tk[ts + 2].lower === 'them' || tk[ts + 2].lower === 'those' || tk[ts + 2].lower === 'these')) {
    info.head = 'they';
    info.plural = true;
    info.partitive = true;
    return as('pronoun');
  }
  void possessed;
  // "a count by The Associated Press", "a Wednesday editorial in the Des Moines Register", "the
  // Associated Press's tally", "a statement from Ryan's office": an outlet's text speaks for the
  // outlet, a statement for whoever issued it.
  const owner = documentOwner(ix, ts, te);
  if (owner) return readSource(ix, owner[0], owner[1]);
  // "A woman later identified as Eva Resnick-Day, an activist": the name she was identified by.
  for (let k = ts + 1; k + 2 < te && k - ts <= 5; k++) {
    if (tk[k].lower === 'identified' && tk[k + 1].lower === 'as' && ix.nameAt[k + 2] >= 0) return readSource(ix, k + 2, te);
  }
  // The head noun phrase: from the start to the first boundary outside a name.
  let he = ts;
  while (he < te) {
    const w = tk[he];
    if (ix.nameAt[he] >= 0) {
      const m = ix.names[ix.nameAt[he]];
      he = Math.max(he + 1, tokensIn(ix.doc, m.start, m.end)[1]);
      continue;
    }
    // "the state-run channel", "star-turned-candidate": a word glued to a hyphen belongs to the compound.
    const glued = (!w.spaceBefore && he > ts && (tk[he - 1].text === '-' || tk[he - 1].text === '‐')) ||
      // "Sanders' spokesman Michael Briggs": the possessive apostrophe does not end the phrase.
      ((w.text === "'" || w.text === '’') && !w.spaceBefore && he > ts && ix.nameAt[he - 1] >= 0);
    // Any preposition ends it, as the listed ones do: "Carly Fiorina during the debate", "X outside the gate";
    // so does a participle right after a name, whatever its tag ("Mr. Clinton jetting around the world").
    const participleAfterName = ix.nameAt[he - 1] >= 0 && /^[a-z]+(ing|ed)$/.test(w.text);
    if (he > ts && !glued && (HEAD_END.has(w.lower) || w.pos === 'ADP' || w.pos === 'VERB' || w.pos === 'AUX' || (w.pos === 'PUNCT' && w.text !== '-' && w.text !== '.') || participleAfterName)) break;
    he++;
  }
  if (he > te) he = te;
  info.headText = ix.doc.text.slice(tk[ts].start, tk[he - 1].end);
  // The last named mention inside the head phrase heads it (head-final noun phrases).
  let named: Mention | null = null;
  for (let k = ts; k < he; k++) if (ix.nameAt[k] >= 0) named = ix.names[ix.nameAt[k]];
  const headTok = tk[he - 1];
  // "Trump campaign spokesman Jason Miller" has the name last; "the Trump campaign" has the org;
  // "Trump supporters" has a lowercase head after the name: a group of people, not Trump.
  // A name followed by a lowercase head inside the phrase only modifies it ("the South Carolina
  // senator", "Trump supporters"); a possessive name is the speaker's owner, not the speaker.
  if (named && named.end < headTok.end) {
    const rest = tk[named.tokEnd]?.lower;
    if (rest === "'s" || rest === '’s' || named.modifier || !isCap(headTok.text)) named = null;
  }
  const descriptors: string[] = [];
  if (named) {
    // Apposition and of-phrase after the name: "X, a spokesman for Y", "X of the Y agency".
    if (he < te) {
      const tail = trimPunct(ix.doc.text.slice(tk[he].start, tk[te - 1].end));
      if (tail && /^(,\s*)?(a|an|the|his|her|their|its|former|retired|of|from|at|who is|chief|head|senior|deputy)\b/i.test(ix.doc.text.slice(tk[he].start, tk[te - 1].end).replace(/^,\s*/, '')))
        descriptors.push(tail.replace(/^(who is|who was)\s+/i, ''));
    }
    info.named = named;
    info.head = named.head;
    info.plural = named.plural;
    info.descriptors = descriptors;
    return as('name');
  }
  // No name in the head phrase: an apposition may carry one ("the head of Y, X").
  // "a super PAC called Future 45", "a group named X": the name it is called by.
  // "secretary of state Hillary Clinton", "master of ceremonies Asab Al-Tabchi": a role with its of-phrase, then the name.
  for (let k = he; k < te; k++) {
    if (ix.nameAt[k] < 0 || ix.nameAt[k - 1] === ix.nameAt[k]) continue;
    const m = ix.names[ix.nameAt[k]];
    const called = k - 1 >= he && (tk[k - 1].lower === 'called' || tk[k - 1].lower === 'named');
    const roleOf = tk[he]?.lower === 'of' && k - he <= 3 && (PERSON_ROLES.has(tk[he - 1].lower) || HONORIFICS.has(tk[he - 1].lower)) &&
      tk.slice(he + 1, k).every((w) => w.pos === 'NOUN' || w.pos === 'ADJ' || w.pos === 'DET') && (m.type === 'person' || m.type === null);
    if (called || roleOf) {
      info.named = m;
      info.head = m.head;
      info.descriptors.push(trimPunct(ix.doc.text.slice(tk[ts].start, tk[called ? k - 1 : k].start).replace(/\s+(called|named)\s*$/i, '')));
      return as('name');
    }
    // "a newly formed super PAC called Future 45": a name inside the description ("PAC") does not end
    // the search for the name it is called by.
    let calledLater = false;
    for (let j = k + 1; j < te && tk[j].text !== ','; j++) if (tk[j].lower === 'called' || tk[j].lower === 'named') calledLater = true;
    if (!calledLater) break;
  }
  for (let k = he; k < te; k++) {
    if (ix.nameAt[k] >= 0 && (k === 0 || ix.nameAt[k - 1] !== ix.nameAt[k]) && k > 0 && appositionComma(ix, k)) {
      const m = ix.names[ix.nameAt[k]];
      if (m.type === 'person' || m.type === null) {
        const desc = trimPunct(ix.doc.text.slice(tk[ts].start, tk[k - 1].start));
        info.named = m;
        info.head = m.head;
        if (desc) info.descriptors.push(desc);
        return as('name');
      }
    }
  }
  let first = ts;
  const det = tk[ts].lower;
  const definite = DEFINITE.has(det);
  const indefinite = INDEFINITE.has(det) || tk[ts].pos === 'NUM';
  if (definite || indefinite) first++;
  let headLower = bare(headTok.lower);
  const mods: string[] = [];
  for (let k = first; k < he - 1; k++) mods.push(tk[k].lower);
  const plural = headLower.endsWith('s') && !headLower.endsWith('ss') && headTok.pos !== 'PROPN';
  const sing = plural ? singular(headLower) : headLower;
  info.head = sing;
  info.modifiers = mods;
  info.definite = definite;
  info.plural = plural;
  info.descriptors.push(text);
  const twoWord = mods.length ? `${mods[mods.length - 1]} ${sing}` : sing;
  if (DOCUMENT_HEADS.has(sing) || DOCUMENT_HEADS.has(headLower)) {
    if (!definite && (sing === 'report' || sing === 'rumor' || sing === 'rumour' || sing === 'account')) return as('anonymous');
    return as('document');
  }
  if (!definite && (headLower === 'media' || headLower === 'press' || (MEDIA_NOMINALS.has(sing) && plural))) return as('anonymous');
  if (definite) {
    if (PERSON_ROLES.has(sing) || ANONYMOUS_HEADS.has(headLower) || ANONYMOUS_HEADS.has(sing) || MEDIA_NOMINALS.has(sing) ||
        MEDIA_NOMINALS.has(twoWord) || ORG_HEADS.has(sing) || GROUP_HEADS.has(headLower) || ORG_AFTER.has(sing))
      return as('nominal');
    return as('other');
  }
  if (GROUP_HEADS.has(headLower)) return as('group');
  if (ANONYMOUS_HEADS.has(headLower) || ANONYMOUS_HEADS.has(sing) || PERSON_ROLES.has(sing) || (plural && isPeopleNoun(sing))) return as('anonymous');
  if (indefinite && (ORG_HEADS.has(sing) || MEDIA_NOMINALS.has(sing))) return as('anonymous');
  return as('other');
}

function singular(w: string): string {
  if (w === 'people') return 'person';
  if (w === 'media') return 'media';
  if (w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('men')) return w.slice(0, -3) + 'man';
  if (w.endsWith('ses') || w.endsWith('xes') || w.endsWith('ches') || w.endsWith('shes')) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

const PEOPLE_SUFFIX = /(ers|ors|ists|ians|ans|ents|ees|men|women|people|folks|voters|americans)$/;
function isPeopleNoun(w: string): boolean {
  return PEOPLE_SUFFIX.test(w + 's') || PERSON_ROLES.has(w);
}

/** Tokens that can sit inside the noun phrase a relative pronoun follows ("the Vermont senator", "those"). */
const NP_POS = new Set(['NOUN', 'PROPN', 'ADJ', 'DET', 'NUM', 'PART']);
/** Words that head a noun phrase whatever the tagger says of them ("those who", "anyone who", "people who"). */
const NP_WORDS = new Set(['those', 'someone', 'anyone', 'everyone', 'somebody', 'anybody', 'everybody', 'others', 'people', 'one']);

/**
 * The noun phrase ending right before token `e` (one comma may sit between), as a token range within
 * the sentence of `e`; null when there is none ("in [which]").
 */
export function npBefore(ix: DocIndex, e: number, comma = true): [number, number] | null {
  const tk = ix.doc.tokens;
  if (e <= 0 || e > tk.length) return null;
  const sentence = tk[e - 1].sentence;
  if (comma && tk[e - 1].text === ',') e--;
  let s = e;
  while (s > 0 && e - s < 8 && tk[s - 1].sentence === sentence &&
    (NP_POS.has(tk[s - 1].pos) || NP_WORDS.has(tk[s - 1].lower) || tk[s - 1].text === '-' || ix.nameAt[s - 1] >= 0) &&
    !reducedRelative(tk, s - 1)) s--;
  while (s < e && (tk[s].pos === 'PART' || tk[s].pos === 'ADP')) s++;
  return s < e ? [s, e] : null;
}

/** "those supporting Clinton", "people seeking": a participle after "those" opens a clause, whatever its tag. */
function reducedRelative(tk: Token[], k: number): boolean {
  return k > 0 && /[a-z](ing|ed)$/.test(tk[k].lower) && NP_WORDS.has(tk[k - 1].lower);
}

type Num = 'sg' | 'pl' | null;
/** Quantity and collective nouns take either number ("64 percent who say", "a group that says"). */
const EITHER_NUMBER = new Set(['percent', 'majority', 'minority', 'half', 'third', 'quarter', 'rest', 'number', 'lot', 'group',
  'team', 'crowd', 'family', 'couple', 'dozen', 'handful', 'staff', 'public', 'committee', 'government', 'panel', 'board', 'audience', 'party']);
const SINGULAR_AUX = new Set(['is', 'was', 'has', 'does', "'s", '’s']);
const PLURAL_AUX = new Set(['are', 'were', 'have', 'do', "'re", '’re', "'ve", '’ve']);

/** The grammatical number of the verb opening the relative clause after `rel` ("who is" sg, "who say" pl), or null. */
export function relativeVerbNumber(ix: DocIndex, rel: number): Num {
  const tk = ix.doc.tokens;
  for (let k = rel + 1; k < tk.length && k <= rel + 4 && tk[k].sentence === tk[rel].sentence; k++) {
    const w = tk[k];
    if (SINGULAR_AUX.has(w.lower)) return 'sg';
    if (PLURAL_AUX.has(w.lower)) return 'pl';
    if (w.pos === 'ADV' || w.pos === 'PART') continue;
    if (w.pos !== 'VERB') return null;
    // Present tense only: "cites" (lemma cite) is singular, "say" (lemma say) plural; "said" tells nothing.
    if (w.lower !== w.lemma && /[^s]s$/.test(w.lower) && w.lemma && !w.lemma.endsWith('s')) return 'sg';
    if (w.lower === w.lemma && !/(ed|en)$/.test(w.lower)) return 'pl';
    return null;
  }
  return null;
}

/** The number of a noun phrase, from its last token: a named mention, a pronoun, or a noun and its lemma. */
function npNumber(ix: DocIndex, np: [number, number]): Num {
  const tk = ix.doc.tokens;
  const h = tk[np[1] - 1];
  if (ix.nameAt[np[1] - 1] >= 0) return ix.names[ix.nameAt[np[1] - 1]].plural ? 'pl' : 'sg';
  if (h.lower === 'those' || h.lower === 'these' || h.lower === 'people' || h.lower === 'police' || h.lower === 'others') return 'pl';
  if (NP_WORDS.has(h.lower)) return 'sg';
  if (EITHER_NUMBER.has(h.lower) || EITHER_NUMBER.has(h.lemma)) return null;
  if (h.pos !== 'NOUN') return null;
  return h.lower !== h.lemma && h.lower.endsWith('s') ? 'pl' : 'sg';
}

/** Anonymous-source heads that are not people ("a report said", "the media"). */
const NOT_PEOPLE = new Set(['report', 'rumor', 'rumour', 'account', 'media', 'press', 'military', 'intelligence']);

/** Does the noun phrase stand for people? true / false where the words tell, null where they do not. */
function npHuman(ix: DocIndex, np: [number, number]): boolean | null {
  const tk = ix.doc.tokens;
  const h = tk[np[1] - 1];
  if (ix.nameAt[np[1] - 1] >= 0) {
    const m = ix.names[ix.nameAt[np[1] - 1]];
    if (m.place || m.type === 'organization' || m.type === 'media' || (m.type === 'other' && !m.plural)) return false;
    return m.type === 'person' || m.gender ? true : null;
  }
  const l = h.lower;
  const sing = h.lemma || l;
  if (PRONOUNS.has(l) || NP_WORDS.has(l)) return PRONOUNS.get(l)?.gender || (NP_WORDS.has(l) && l !== 'one') || l === 'they' || l === 'them' ? true : null;
  if (DOCUMENT_HEADS.has(l) || DOCUMENT_HEADS.has(sing) || PLACES.has(l) || NOT_PEOPLE.has(sing)) return false;
  if (PERSON_ROLES.has(sing) || ANONYMOUS_HEADS.has(l) || ANONYMOUS_HEADS.has(sing) || GENERIC_PLURALS.has(l) || GENERIC_PLURALS.has(sing) ||
      (l !== sing && isPeopleNoun(sing))) return true;
  return null;
}

/** Heads of the link between two noun phrases a relative clause may reach over ("the head of the party, who"). */
const LINK_ADP = new Set(['of', 'from', 'in', 'at', 'for', 'with', 'on', 'by', 'to', 'about', 'against', 'among', 'over', 'under']);

/**
 * The noun phrase a relative pronoun (token `rel`: who, whom, which, that) hangs on: the one right before
 * it, unless that one clashes in number with the clause's verb ("those supporting Clinton, who are") or,
 * for "who", names no person ("Senator Bernie Sanders of Vermont, who"; for "which", names a person),
 * and a noun phrase one or two links further back (a preposition or a participle) fits. Null when no
 * noun phrase comes right before ("in which", "Wyoming, that meant").
 */
export function relativeNP(ix: DocIndex, rel: number): [number, number] | null {
  const tk = ix.doc.tokens;
  const first = npBefore(ix, rel);
  if (!first) return null;
  const lower = tk[rel].lower;
  const person = lower === 'who' || lower === 'whom';
  const verb = relativeVerbNumber(ix, rel);
  // 2: fits and, for "who", is known to be people; 1: nothing against it; 0: clashes.
  const fit = (np: [number, number]): number => {
    const n = npNumber(ix, np);
    if (verb && n && n !== verb) return 0;
    const human = npHuman(ix, np);
    if (person && human === false) return 0;
    if (lower === 'which' && human === true) return 0;
    return person && human !== true ? 1 : 2;
  };
  // The chain of noun phrases linked by a preposition or a participle, nearest first.
  const chain: [number, number][] = [first];
  for (let cur = first; chain.length < 3;) {
    const k = cur[0] - 1;
    if (k <= 0 || tk[k].sentence !== tk[rel].sentence) break;
    const link = tk[k];
    if (!(link.pos === 'ADP' && LINK_ADP.has(link.lower)) && !(link.pos === 'VERB' && /(ing|ed)$/.test(link.lower)) && !reducedRelative(tk, k)) break;
    const prev = npBefore(ix, k, false);
    if (!prev) break;
    chain.push((cur = prev));
  }
  const scores = chain.map(fit);
  const top = Math.max(...scores);
  return top > 0 ? chain[scores.indexOf(top)] : first;
}

export function isTitleWord(lower: string): boolean {
  return isTitle(lower);
}

export function tokenAt(doc: Doc, t: number): Token | undefined {
  return doc.tokens[t];
}
