/**
 * Corpus speaker identity: which real person or body an article's entity (or unresolved source) is,
 * as a key that is the same in every article that names them.
 *
 * - A named person is keyed by first given name + surname (+ Jr./III): titles, honorifics, middle
 *   names and initials and possessives are dropped, transliteration variants share a key
 *   ("Donald J. Trump" = "Donald Trump" = "Mr. Trump's" when the article names him in full).
 * - A surname alone ("Trump" in an article that never gives the full name) stays a speaker of that
 *   document; the store links it to a corpus person only when one person with that surname clearly
 *   dominates the corpus (see `chooseSurnameTarget`), so two Clintons of similar weight stay apart.
 * - An organisation, outlet or named group is keyed by its folded name without "the".
 * - Unnamed sources ("a senior official", "people familiar with …") stay per document, typed
 *   anonymous: countable as a category, never one corpus-wide person.
 * - Pronouns, relative pronouns, one-word fragments ("The", "One", "some") and generic nominals
 *   ("the company", "the report") get no speaker at all.
 *
 * Pure functions of the analysis and its text: they run in the batch workers.
 */
import { memo } from '../core/memo.js';
import type { Analysis, Attribution, Entity, Range } from '../core/types.js';
import { FIRST_NAMES, type Gender } from '../nlp/lexicons/first-names.js';
import { ANONYMOUS_HEADS, HONORIFICS, PERSON_ROLES } from '../nlp/lexicons/roles.js';
import { GROUP_NAMES, KNOWN_ORGS, ORG_HEADS, OUTLETS, PLACES } from '../nlp/lexicons/organizations.js';
import { foldName, nameParts, nameTokenKey, orgKey } from '../speakers/names.js';
import type { SpeakerType } from './types.js';

/** How far a speaker's identity reaches: the whole corpus, one document (a bare surname), or unnamed. */
export type SpeakerScope = 'corpus' | 'document' | 'unnamed';

export type RoleCategory =
  | 'official' | 'politician' | 'expert' | 'spokesperson' | 'citizen' | 'media' | 'organisation' | 'anonymous' | 'unknown';

export type GenderLabel = 'female' | 'male' | 'unknown';

/** One speaker as a document names it, with the evidence the store adds up across documents. */
export interface SpeakerKey {
  /** Identity key, unique in a store: "p:donald trump", "o:new york times", "d:<hash>:clinton", "u:<hash>:officials". */
  norm: string;
  type: SpeakerType;
  /** Display name: "Donald Trump" (no title, no middle initial). */
  name: string;
  /** Other names it goes by in this document (normalised; names only, never roles). */
  aliases: string[];
  scope: SpeakerScope;
  /** Surname key of a person (for linking bare surnames); null otherwise. */
  surname: string | null;
  /** Roles, titles and affiliations the document gives it (normalised), kept apart from names. */
  descriptors: string[];
  /** Role categories the descriptors (or the type) support in this document. */
  roles: RoleCategory[];
  /** Text evidence of gender in this document: honorifics, gendered role nouns, pronouns resolved to it. */
  maleEvidence: number;
  femaleEvidence: number;
  /** The usual gender of the first given name in the lexicon, if any. */
  nameGender: Gender | null;
}

/** Lower case, no diacritics, no possessive "'s", apostrophes dropped, other punctuation as spaces. */
export const normalizeName = memo((s: string): string =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]s\b/g, '')
    .replace(/['’‘`´]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim(),
);

const set = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

/** Pronouns (personal, relative, demonstrative, indefinite) and quantifiers: never a speaker. */
export const PRONOUNS = set(`i me my mine myself we us our ours ourselves you your yours yourself yourselves
  he him his himself she her hers herself it its itself they them their theirs themselves one ones oneself
  who whom whose which that what whoever whatever whichever this these those there here
  some someone somebody something any anyone anybody anything none nobody nothing no
  all both each either neither every everyone everybody everything many much more most few fewer several
  other others another such same former latter`);

/** Determiners and other words that only start a nominal: "The", "A", "Many", "Some", "Those". */
const DETERMINERS = set(`the a an this that these those some many several most all both each every any no
  other another such his her their its our my your one two three four five few certain various numerous
  more less`);

/** Words that are never a one-word name, capitalised at a sentence start or not. */
const FRAGMENTS = set(`the a an and or but so if then than as at by for from in into of on onto to with
  without about after before over under while when where why how not also just only even yet still
  said says say told tells according q a.`);

/** Capitalised words that are no one's name: states and their abbreviations, months, days, parties, demonyms. */
const NOT_NAMES = set(`alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii
  idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi
  missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia
  washington wisconsin wyoming ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo
  mont neb nev okla ore pa tenn tex va vt wash wis wyo dc d c n y ny nh nj nc sc nd sd
  january february march april may june july august september october november december
  monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
  republican republicans democrat democrats democratic gop pac pacs dnc rnc congress senate house
  american americans european europeans russian russians mexican mexicans muslim muslims jewish jews christian
  christians islam islamic spanish british french german chinese texan texans african hispanic latino latina
  asian arab israeli palestinian iranian syrian iraqi afghan god lord jesus state department`);

/** Words that start a sentence before a name and are never a given name: "Unlike Cruz, …". */
const SENTENCE_STARTERS = set(`unlike absent despite like after before when while as if but and so then meanwhile even only
  both also still yet now said asked says told thanks sorry dear including with without for from to by at in on under
  over since because although though however moreover indeed perhaps maybe ask congratulations listen whether
  until unless against among between during except beyond besides via per instead rather later earlier first last
  next again already always never often sometimes once twice where why how what who`);

/** Heads that make an unnamed group of people (beyond the lexicon's anonymous heads). */
const PEOPLE_HEADS = set(`allies folks americans citizens residents members groups leaders officials
  voters people sources aides advisers advisors staff staffers insiders observers experts analysts
  critics supporters opponents delegates donors activists protesters students workers executives
  lawyers attorneys republicans democrats`);

/** Heads after a name that make a body: "Trump's campaign", "the Clinton Foundation". */
const BODY_HEADS = set(`campaign team administration government party committee office department agency
  foundation spokesman spokeswoman`);

/**
 * Places the speakers stage may name as a person that the one-word lists (NOT_NAMES, PLACES) miss:
 * multi-word states and large cities. A person speaker with such a name is kept to its document.
 */
const PLACE_NAMES = new Set(
  `new hampshire, new york, new jersey, new mexico, north carolina, south carolina, north dakota, south dakota,
   west virginia, rhode island, district of columbia, new york city, los angeles, san francisco, san diego, san antonio,
   las vegas, mexico city, new orleans, des moines, salt lake city, kansas city, st louis, saint louis, el paso,
   fort worth, long island, puerto rico, hong kong, great britain, united states, united kingdom, saudi arabia,
   north korea, south korea, new zealand, south africa, west bank, gaza strip, silicon valley, wall street,
   capitol hill, white house, trump tower, atlantic city, palm beach, cedar rapids, sioux city, council bluffs`
    .split(',').map((w) => w.trim().replace(/\s+/g, ' ')).filter(Boolean),
);

/**
 * Last words that end the name of a place, a publication, a poll or a body, never a surname:
 * "Orlando Sentinel", "Morning Consult Poll", "Trump Tower", "Super PAC".
 */
const NOT_SURNAMES = set(`sentinel tribune herald gazette times post journal news daily weekly magazine review
  poll polls survey tower towers markets market politics watch journalism convention caucus pac pacs ceo cfo
  city county state states valley street avenue square plaza hall airport station island islands river lake beach
  matter matters network channel radio tv report reports index exchange coalition alliance project initiative`);

/** What one document's text says about a person name: a title with it, a person's role, a gender. */
interface PersonEvidence {
  /** An honorific or title stands in one of its written names ("Rep. Brad Sherman", "Mr. Coffman"). */
  titled: boolean;
  /** A descriptor gives a person's role ("a professor at …", "spokesman"). */
  described: boolean;
  /** The text gives it a gender (the speakers stage's, or honorifics, gendered roles, pronouns). */
  gendered: boolean;
}

function hasTitle(written: string): boolean {
  return written.trim().split(/\s+/).some((w) => isHonorific(w));
}

function describedAsPerson(descriptors: string[]): boolean {
  return descriptors.some((d) => roleOf(d) !== null || normalizeName(d).split(' ').some((w) => PERSON_ROLES.has(w)));
}

/**
 * Whether a full person name may stand for one real person across the corpus. A name that is also a
 * place, a publication or a body ("New Hampshire", "Orlando Sentinel", "Trump Tower") is one only when
 * the text writes it with a title; a name whose given word no lexicon knows ("Classic Clinton",
 * "Jenna Golden") only when the text gives it a title, a person's role or a gender, or none of its words is a
 * common word the article also writes in lower case. Otherwise the name stays a
 * speaker of its document: a name the speakers stage made out of a place or a headline in two articles
 * is two speakers, not one wrong corpus person (issue 15: a mention per document over a wrong merge).
 */
export function corpusPersonName(parts: PersonParts, ev: PersonEvidence, usedAsName: NameUse = ANY_NAME): boolean {
  if (!parts.full) return false;
  const words = normalizeName(parts.display).split(' ');
  const norm = words.join(' ');
  const last = words[words.length - 1];
  const givenKnown = FIRST_NAMES.has(foldName(parts.display.split(' ')[0]));
  const placeLike =
    PLACE_NAMES.has(norm) || PLACES.has(norm) || OUTLETS.has(norm) || KNOWN_ORGS.has(norm) || GROUP_NAMES.has(norm) ||
    NOT_SURNAMES.has(last) || ORG_HEADS.has(last) || (!givenKnown && (NOT_NAMES.has(words[0]) || PLACES.has(words[0])));
  if (placeLike) return ev.titled;
  if (givenKnown || ev.titled || ev.described || ev.gendered) return true;
  // An unknown given word with no evidence: a name unless one of its words is a common word the
  // article also writes in lower case ("Classic Clinton", "Red Peppers").
  const common = (w: string) => w.length >= 3 && !!usedAsName.lower?.(w);
  return !words.some((w) => NOT_NAMES.has(w) || common(w));
}

const ANON_TYPE: SpeakerType = 'anonymous';

const isCapitalised = (w: string) => /^\p{Lu}/u.test(w);
const stripPossessive = (w: string) => w.replace(/['’‘`´]s?$/u, '');
const bareWord = (w: string) => normalizeName(stripPossessive(w));

/** A word that could stand in a name: capitalised, an initial ("J."), or a name particle ("de", "bin"). */
function nameWord(w: string): boolean {
  return isCapitalised(w) || /^(de|da|del|della|der|di|du|la|le|van|von|bin|ibn|al|el|abu|dos|das|y)$/.test(w);
}

const SUFFIX_RE = /^(jr|sr|ii|iii|iv)\.?,?$/i;

function isHonorific(w: string): boolean {
  const l = w.toLowerCase();
  return HONORIFICS.has(l) || HONORIFICS.has(l.replace(/\.$/, '')) || HONORIFICS.has(`${l.replace(/\.$/, '')}.`);
}

/**
 * The name inside a written person mention: the trailing run of name words after any title, role or
 * description ("former Wisconsin Gov. Jim Doyle" → "Jim Doyle", "exasperated Mr. Obama" → "Obama").
 */
export function personName(written: string): string {
  const words = written.trim().split(/\s+/).filter(Boolean);
  let end = words.length;
  // A trailing comma or possessive belongs to the sentence, not the name.
  if (end) words[end - 1] = stripPossessive(words[end - 1].replace(/[,;:]+$/, ''));
  let start = end;
  while (start > 0) {
    const w = words[start - 1];
    if (!nameWord(w) || isHonorific(w) || /[’'`]s$/u.test(w) || /[,;:]$/.test(w)) break;
    start--;
  }
  // Name particles never start a name ("de la Cruz" keeps "de" only after a given name).
  while (start < end && !isCapitalised(words[start])) start++;
  return words.slice(start, end).join(' ').replace(/^[^\p{L}]+|[^\p{L}.]+$/gu, '');
}

/** A name without its leading titles and honorifics ("Sen. Bernie Sanders" → "Bernie Sanders"); unchanged if that leaves nothing. */
export function withoutTitles(name: string): string {
  const words = name.trim().split(/\s+/);
  let i = 0;
  while (i < words.length - 1 && isHonorific(words[i])) i++;
  return words.slice(i).join(' ');
}

/**
 * Short forms of given names that stand for one formal name in news writing ("Jim Comey" = "James
 * Comey", "Rudy Giuliani" = "Rudolph Giuliani"). Keys are nameTokenKey forms ("bil" is "Bill"); only
 * short forms of one formal name and one gender (no "Pat", "Sam", "Chris", "Ted").
 */
const NICKNAMES: ReadonlyMap<string, string> = new Map(
  `jim:james jimi:james bil:wiliam bili:wiliam wil:wiliam bob:robert bobi:robert rob:robert mike:michael
   joe:joseph tom:thomas tomi:thomas dick:richard rick:richard chuck:charles charlie:charles stan:stanlei
   rudi:rudolph bernie:bernard dave:david ben:benjamin ed:edward ken:keneth don:donald doug:douglas
   greg:gregori jef:jefrei lari:lawrence nick:nicholas tim:timothi toni:anthoni steve:steven mat:mathew
   andi:andrew`
    .split(/\s+/)
    .filter(Boolean)
    // Through nameTokenKey, so the keys follow its folding as it changes (a hard c is written k: "nick" is "nikk").
    .map((p) => p.split(':').map(nameTokenKey) as [string, string]),
);

function formalGiven(key: string): string {
  return NICKNAMES.get(key) ?? key;
}

/** Person identity parts: the key words and the display name. */
export interface PersonParts {
  /** "donald trump", "donald trump jr"; null when only one name word is given. */
  full: string | null;
  surname: string;
  given: string | null;
  display: string;
}

export function personParts(name: string): PersonParts | null {
  const words = name.split(/\s+/).filter(Boolean);
  if (!words.length) return null;
  let suffix = '';
  if (words.length > 1 && SUFFIX_RE.test(words[words.length - 1])) {
    suffix = words.pop()!.replace(/,$/, '');
    if (!/\.$/.test(suffix) && /^(jr|sr)$/i.test(suffix)) suffix += '.';
  }
  const parts = nameParts(words.join(' '));
  if (!parts.surname) return null;
  const surnameWords = parts.surname.split(' ').length;
  const givenWords = words.slice(0, words.length - surnameWords).filter((w) => isCapitalised(w));
  // The first given word as written ("Ben" is a name particle to nameParts, but a given name here).
  const given = givenWords.length ? formalGiven(nameTokenKey(givenWords[0])) : null;
  const sufKey = suffix ? ` ${normalizeName(suffix)}` : '';
  if (!given || !givenWords.length) {
    return { full: null, surname: parts.surname, given: null, display: words.slice(-surnameWords).join(' ') + (suffix ? ` ${suffix}` : '') };
  }
  const display = [givenWords[0], ...words.slice(words.length - surnameWords)].join(' ') + (suffix ? ` ${suffix}` : '');
  return { full: `${given} ${parts.surname}${sufKey}`, surname: parts.surname, given, display };
}

/** What the written name of a speaker is, before any corpus linking. */
export type Classified =
  | { kind: 'none'; reason: 'pronoun' | 'fragment' | 'generic' | 'document' }
  | { kind: 'unnamed'; name: string }
  | { kind: 'person'; parts: PersonParts }
  | { kind: 'body'; key: string; name: string; type: SpeakerType; local?: boolean };

const NONE = (reason: 'pronoun' | 'fragment' | 'generic' | 'document'): Classified => ({ kind: 'none', reason });

function isPlaceOrGroup(norm: string): boolean {
  return PLACES.has(norm) || GROUP_NAMES.has(norm) || KNOWN_ORGS.has(norm) || OUTLETS.has(norm);
}

/**
 * Classifies a written speaker name. `type` is the entity type from the speakers stage, or
 * "unresolved" for a source no entity covers.
 */
export function classify(written: string, type: SpeakerType, anonymous = false, usedAsName: NameUse = ANY_NAME): Classified {
  const text = written.trim().replace(/\s+/g, ' ');
  const norm = normalizeName(text);
  if (!norm) return NONE('fragment');
  // Contractions of a pronoun: "I'm", "We're", "They've".
  if (/^(i|we|you|he|she|they|it|that|who|there)['’](m|re|ve|ll|d|s)$/i.test(text)) return NONE('pronoun');
  const words = text.split(' ');
  const normWords = norm.split(' ');
  if (normWords.every((w) => PRONOUNS.has(w))) return NONE('pronoun');
  if (type === 'anonymous' || anonymous) return { kind: 'unnamed', name: text };
  if (words.length === 1 && !isCapitalised(text) && (ANONYMOUS_HEADS.has(norm) || PEOPLE_HEADS.has(norm))) return { kind: 'unnamed', name: text };
  if (words.length === 1 && (FRAGMENTS.has(norm) || DETERMINERS.has(norm) || !isCapitalised(text))) return NONE('fragment');

  // Leading determiners and possessive pronouns: "the company", "Some Republicans", "his campaign".
  let i = 0;
  // Sentence-initial function words go too: "On Trump", "According to Clinton".
  const leading = (w: string) => DETERMINERS.has(w) || PRONOUNS.has(w) || FRAGMENTS.has(w) || SENTENCE_STARTERS.has(w);
  while (i < words.length - 1 && leading(bareWord(words[i]))) i++;
  const rest = words.slice(i);
  const head = rest[rest.length - 1];
  const headNorm = bareWord(head);
  const hadDeterminer = i > 0;
  if (!headNorm) return NONE('fragment');

  // A common-noun head: a document, a group of unnamed people, a body of a named owner, or a generic nominal.
  if (!isCapitalised(head)) {
    if (/^(poll|polls|survey|surveys|study|studies|report|reports|analysis|data|statement|ad|ads|memo|letter|story|article|video|documents?|emails?|tweets?|records?|book|speech|interview|filing|lawsuit|ruling|website|release)$/.test(headNorm)) {
      return NONE('document');
    }
    if (ANONYMOUS_HEADS.has(headNorm) || PEOPLE_HEADS.has(headNorm) || PERSON_ROLES.has(headNorm)) {
      return { kind: 'unnamed', name: text };
    }
    if (BODY_HEADS.has(headNorm) || ORG_HEADS.has(headNorm)) {
      // The owner's name before the head: "Trump's campaign" → "Trump campaign", "the Clinton Foundation".
      const owner = rest.slice(0, -1).filter((w) => isCapitalised(w) && !DETERMINERS.has(bareWord(w)));
      if (owner.length && !hadDeterminer) return bodyOf(owner, headNorm, type);
    }
    return NONE('generic');
  }

  // "Hillary Clinton Campaign", "Team Clinton"'s kin: a person's body, keyed by the surname.
  if (rest.length >= 2 && BODY_HEADS.has(headNorm) && type !== 'person') return bodyOf(rest.slice(0, -1), headNorm, type);
  // A capitalised head: a name. Persons by person key, everything else by organisation key.
  if (type === 'person' || looksLikePerson(rest, type)) {
    let name = personName(rest.join(' '));
    if (!name) return NONE('fragment');
    let nw = name.split(' ');
    // A word before a surname that is no given name: "Unlike Cruz", "Stop Trump" (not in the lexicon,
    // and a common word: one that starts sentences, or that the article also writes in lower case).
    const first = nw[0].toLowerCase();
    // "Team Clinton" is the Clinton team: a body, as "Clinton's team" is.
    if (nw.length === 2 && !FIRST_NAMES.has(foldName(nw[0])) && BODY_HEADS.has(first)) return bodyOf([nw[1]], first, 'organization');
    if (nw.length === 2 && !FIRST_NAMES.has(foldName(nw[0])) && (SENTENCE_STARTERS.has(first) || NOT_NAMES.has(first) || usedAsName.lower?.(nw[0]))) {
      nw = nw.slice(1);
      name = nw[0];
    }
    if (nw.length === 1) {
      const one = singleName(nw[0], usedAsName);
      if (one) return one;
    }
    const parts = personParts(name);
    return parts ? { kind: 'person', parts } : NONE('fragment');
  }
  const cleaned = rest.map((w, k) => (k === rest.length - 1 ? stripPossessive(w) : w)).join(' ').replace(/[^\p{L}\p{N}.)]+$/u, '');
  const key = orgKey(cleaned);
  if (!key) return NONE('fragment');
  const keyNorm = normalizeName(key);
  if (keyNorm.split(' ').length === 1 && (FRAGMENTS.has(keyNorm) || DETERMINERS.has(keyNorm) || PRONOUNS.has(keyNorm))) return NONE('fragment');
  // A lone capitalised word of unknown kind that is no known place, group or body: most often a surname.
  if ((type === 'other' || type === 'unresolved') && rest.length === 1 && !isPlaceOrGroup(keyNorm)) {
    const one = singleName(stripPossessive(rest[0]), usedAsName);
    if (one) return one;
    const parts = personParts(stripPossessive(rest[0]));
    if (parts) return { kind: 'person', parts };
  }
  // A body named by a generic head alone ("the House", "Police", "the Post", "the party") is a different
  // body in different articles (a state House, a city's police, the Washington or the New York Post):
  // the article's own speaker, not one corpus-wide body. Names a lexicon knows as one body stay corpus-wide
  // ("Congress", "the Pentagon").
  const local = !keyNorm.includes(' ') && !KNOWN_ORGS.has(keyNorm) && (ORG_HEADS.has(keyNorm) || GENERIC_PAPERS.has(keyNorm));
  return { kind: 'body', key: `o:${normalizeName(key)}`, name: cleaned, type: type === 'unresolved' ? 'other' : type, ...(local ? { local } : {}) };
}

/** Newspaper names that are one common word several papers share ("the Post", "the Journal"). */
const GENERIC_PAPERS = set(`post times journal news tribune herald gazette daily independent sun star observer mail
  telegraph globe chronicle examiner express register record review inquirer courier dispatch bulletin`);

/**
 * A one-word person name that is not one: a function word, a state, month, party or demonym
 * ("Vermont", "Friday", "Republican"), or a word the article capitalises only at sentence starts
 * ("Politicians say …": a plural is an unnamed group). Null when it may be a surname.
 */
function singleName(word: string, usedAsName: NameUse): Classified | null {
  const n = normalizeName(word);
  if (!n || FRAGMENTS.has(n) || DETERMINERS.has(n) || PRONOUNS.has(n) || NOT_NAMES.has(n) || /^\p{L}$/u.test(n)) return NONE('fragment');
  if (FIRST_NAMES.has(n)) return null;
  if (usedAsName(word) && !usedAsName.lower?.(word)) return null;
  return /[^s]s$/.test(n) ? { kind: 'unnamed', name: word } : NONE('fragment');
}

/**
 * Whether a word stands capitalised inside a sentence of `text` (after a word, not after ". " or
 * at the start), as names do; sentence-initial words ("Unlike", "Sorry") are capitalised anyway.
 */
/** Whether a word is written as a name in the article; `lower`: whether it is also written in lower case. */
export interface NameUse {
  (word: string): boolean;
  lower?: (word: string) => boolean;
}

const ANY_NAME: NameUse = () => true;

export function nameUse(text: string | null): NameUse {
  if (!text) return ANY_NAME;
  const seen = new Map<string, boolean>();
  const lowerSeen = new Map<string, boolean>();
  const lower: (word: string) => boolean = (word) => {
    const w = word.replace(/['’]s?$/u, '').replace(/\.$/, '').toLowerCase();
    if (w.length <= 1) return false;
    let v = lowerSeen.get(w);
    if (v === undefined) {
      v = false;
      for (let at = wordAt(text, w, 0); at >= 0 && !v; at = wordAt(text, w, at + 1)) v = true;
      lowerSeen.set(w, v);
    }
    return v;
  };
  const use: NameUse = (word) => {
    const w = word.replace(/['’]s?$/u, '').replace(/\.$/, '');
    if (!w) return false;
    let v = seen.get(w);
    if (v === undefined) {
      v = false;
      for (let at = wordAt(text, w, 0); at >= 0 && !v; at = wordAt(text, w, at + 1)) v = insideSentence(text, at);
      seen.set(w, v);
    }
    return v;
  };
  use.lower = lower;
  return use;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The next place from `from` where `w` stands as a whole word (no letter or digit either side); -1 if none. */
function wordAt(text: string, w: string, from: number): number {
  for (let at = text.indexOf(w, from); at >= 0; at = text.indexOf(w, at + 1)) {
    const before = at > 0 ? text[at - 1] : '';
    const after = text[at + w.length] ?? '';
    if ((!before || !LETTER_OR_DIGIT.test(before)) && (!after || !LETTER_OR_DIGIT.test(after))) return at;
  }
  return -1;
}

/** Characters skipped looking back from a word: spaces, opening quotes and brackets, dashes. */
const SKIP_BACK = new Set([...' \t\n\r\u00a0\u2028\u2029"“‘\'([—–-']);
const SENTENCE_END = new Set([...'.!?:']);

/** A word at `at` follows another word of its sentence (not the start of the text or of a sentence). */
function insideSentence(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (SKIP_BACK.has(text[i]) || (text.charCodeAt(i) > 127 && /\s/.test(text[i])))) i--;
  return i >= 0 && !SENTENCE_END.has(text[i]);
}

/**
 * A name of another type that is a person's: a title right before it ("Mr. Trump", "President
 * Obama"; not for organisations and outlets), or two or more name words whose first is a known given
 * name ("Nick Merrill", "presidential candidate Donald Trump"), with no organisation head word.
 */
function looksLikePerson(words: string[], type: SpeakerType): boolean {
  const name = personName(words.join(' ')).split(' ').filter(Boolean);
  if (!name.length) return false;
  if (name.some((w) => ORG_HEADS.has(normalizeName(w)) || /^(news|times|post|journal|tv|radio|network|press)$/.test(normalizeName(w)))) return false;
  const before = words[words.length - name.length - 1];
  if (before && isHonorific(before) && type !== 'media') return true;
  return name.length >= 2 && FIRST_NAMES.has(foldName(name[0]));
}

/** A body named by its owner: "Trump's campaign", "Hillary Clinton Campaign" → "Clinton campaign" (a person owner by surname). */
function bodyOf(ownerWords: string[], head: string, type: SpeakerType): Classified {
  const owner = ownerWords.map((w, k) => (k === ownerWords.length - 1 ? stripPossessive(w) : w));
  const pn = personName(owner.join(' '));
  const parts = pn && looksLikePerson(owner, 'other') ? personParts(pn) : null;
  const ownerName = parts ? parts.display.split(' ').slice(parts.full ? 1 : 0).join(' ') : pn || owner.join(' ');
  const name = `${ownerName} ${head}`;
  return { kind: 'body', key: `o:${normalizeName(orgKey(name))}`, name, type: type === 'unresolved' ? 'organization' : type };
}

// ---------------------------------------------------------------------------------------------
// Roles and gender evidence

const ROLE_WORDS: [RoleCategory, RegExp][] = [
  ['spokesperson', /\b(spokesman|spokeswoman|spokesperson|spokespeople|press secretary|communications director|press aide|mouthpiece)\b/],
  ['media', /\b(reporter|journalist|editor|columnist|anchor|host|correspondent|commentator|blogger|writer|author|pundit|broadcaster|radio host|talk show)\b/],
  ['expert', /\b(professor|prof|dr|analyst|economist|scientist|researcher|expert|historian|scholar|fellow|pollster|strategist|consultant|lecturer|specialist|doctor|physician|lawyer|attorney)\b/],
  ['politician', /\b(senator|sen|rep|representative|congressman|congresswoman|governor|gov|candidate|nominee|president|vice president|mayor|lawmaker|legislator|speaker|minister|prime minister|premier|chancellor|presidential|democrat|democratic|republican|gop|assemblyman|assemblywoman|councilman|councilwoman|councillor|councilor|campaign|delegate|front runner|frontrunner|hopeful|incumbent|challenger|president elect|secretary of state|party)\b/],
  ['official', /\b(official|secretary|ambassador|director|chief|commissioner|judge|justice|attorney general|sheriff|police|officer|general|admiral|colonel|administrator|head|manager|adviser|advisor|aide|staffer|inspector|prosecutor|envoy|diplomat|agent|executive|ceo|chairman|chairwoman|chair|deputy)\b/],
  ['citizen', /\b(resident|voter|supporter|student|worker|farmer|mother|father|owner|veteran|protester|attendee|fan|parent|neighbor|neighbour|shopper|retiree|citizen|immigrant|teacher|nurse|driver|businessman|businesswoman)\b/],
];

/** The role category one descriptor supports, or null. Remembered: descriptors recur across a corpus. */
const roleKey = memo((descriptor: string): string => {
  const d = normalizeName(descriptor);
  for (const [role, re] of ROLE_WORDS) if (re.test(d)) return role;
  return '';
});

export function roleOf(descriptor: string): RoleCategory | null {
  return (roleKey(descriptor) || null) as RoleCategory | null;
}

function typeRole(type: SpeakerType, scope: SpeakerScope): RoleCategory | null {
  if (scope === 'unnamed' || type === 'anonymous') return 'anonymous';
  if (type === 'media') return 'media';
  if (type === 'organization') return 'organisation';
  return null;
}

const MALE_PRONOUNS = set('he him his himself');
const FEMALE_PRONOUNS = set('she her hers herself');

/** Gender evidence the text gives for an entity: honorifics and gendered roles (2 each, once), pronouns resolved to it (1 each, at most 3). */
export function genderEvidence(e: Entity, text: string | null): { male: number; female: number } {
  let male = 0;
  let female = 0;
  const words = [e.name, ...e.aliases, ...e.descriptors].flatMap((s) => s.split(/\s+/)).map((w) => w.toLowerCase());
  const hon = new Set<Gender>();
  for (const w of words) {
    const g = HONORIFICS.get(w) ?? HONORIFICS.get(w.replace(/\.$/, '')) ?? PERSON_ROLES.get(w.replace(/[^\p{L}-]/gu, '')) ?? null;
    if (g) hon.add(g);
  }
  if (hon.size === 1) (hon.has('m') ? (male += 2) : (female += 2));
  if (text) {
    let pm = 0;
    let pf = 0;
    for (const [s, t] of e.mentions as Range[]) {
      if (t - s > 8) continue;
      const w = text.slice(s, t).toLowerCase();
      if (MALE_PRONOUNS.has(w)) pm++;
      else if (FEMALE_PRONOUNS.has(w)) pf++;
    }
    male += Math.min(3, pm);
    female += Math.min(3, pf);
  }
  return { male, female };
}

/** Pseudo-count the name lexicon adds; text evidence outweighs it from 3 pronouns or 2 honorifics on. */
const NAME_PRIOR = 2;
/** The least posterior share at which a gender is reported rather than "unknown". */
export const GENDER_THRESHOLD = 0.75;

/**
 * A speaker's gender from the evidence summed over its documents: a share with a half-count prior
 * either way; below GENDER_THRESHOLD it is "unknown". `basis` says what it rests on.
 */
export function genderOf(male: number, female: number, nameGender: Gender | null): {
  gender: GenderLabel;
  confidence: number | null;
  basis: 'text' | 'name' | 'text+name' | null;
} {
  const m = male + (nameGender === 'm' ? NAME_PRIOR : 0);
  const f = female + (nameGender === 'f' ? NAME_PRIOR : 0);
  if (m + f === 0) return { gender: 'unknown', confidence: null, basis: null };
  const p = (Math.max(m, f) + 0.5) / (m + f + 1);
  if (p < GENDER_THRESHOLD || m === f) return { gender: 'unknown', confidence: null, basis: null };
  const basis = male + female > 0 ? (nameGender ? 'text+name' : 'text') : 'name';
  return { gender: m > f ? 'male' : 'female', confidence: Math.round(p * 1000) / 1000, basis };
}

// ---------------------------------------------------------------------------------------------
// One document's speakers

/** Descriptors worth keeping: not a bare honorific ("Mr."), not empty. */
function keptDescriptors(ds: string[]): string[] {
  const out = new Set<string>();
  for (const d of ds) {
    const words = d.trim().split(/\s+/).filter(Boolean);
    if (!words.length || words.every((w) => {
      const l = w.toLowerCase();
      return (HONORIFICS.get(l) ?? HONORIFICS.get(l.replace(/\.$/, ''))) !== undefined && /^(mr|mrs|ms|miss|m|mme|madam|madame|sir|dame|lady|herr|frau)\.?$/.test(l);
    })) continue;
    const n = normalizeName(d);
    if (n && n.length <= 120) out.add(n);
  }
  return [...out];
}

export interface DocumentSpeakers {
  speakers: SpeakerKey[];
  /** Index into `speakers` for an entity id; -1 for none. */
  entity: Map<string, number>;
  /** Index into `speakers` for an attribution: its entity's, or its unresolved source's; -1 for none. */
  forAttribution(at: Attribution): number;
}

/** The speakers a document names, one per real person or body, with their document-level evidence. */
export function documentSpeakers(a: Analysis, hash: string, text: string | null): DocumentSpeakers {
  const speakers: SpeakerKey[] = [];
  const byKey = new Map<string, number>();
  const add = (k: SpeakerKey): number => {
    const at = byKey.get(k.norm);
    if (at === undefined) {
      byKey.set(k.norm, speakers.length);
      speakers.push(k);
      return speakers.length - 1;
    }
    const s = speakers[at];
    for (const al of [...k.aliases, normalizeName(k.name)]) if (al && al !== normalizeName(s.name) && !s.aliases.includes(al)) s.aliases.push(al);
    for (const d of k.descriptors) if (!s.descriptors.includes(d)) s.descriptors.push(d);
    for (const r of k.roles) if (!s.roles.includes(r)) s.roles.push(r);
    s.maleEvidence += k.maleEvidence;
    s.femaleEvidence += k.femaleEvidence;
    s.nameGender ??= k.nameGender;
    if (s.type === 'unresolved' && k.type !== 'unresolved') s.type = k.type;
    return at;
  };

  // First pass: classify every entity, so bare surnames can find the full name the article gives.
  const usedAsName = nameUse(text);
  const classified = a.entities.map((e) => ({ e, c: classifyEntity(e, usedAsName) }));
  const fullBySurname = new Map<string, Set<string>>();
  // Unresolved sources that give a full name count too: "its leader Sam Lee" … "Lee added".
  const sourceClasses = a.attributions
    .filter((at) => !at.speaker && at.source)
    .map((at) => ({ c: classify(at.source!.text, 'unresolved', looksAnonymous(at.source!.text), usedAsName), written: at.source!.text }));
  for (const { c } of [...classified, ...sourceClasses]) {
    if (c.kind === 'person' && c.parts.full) {
      const s = fullBySurname.get(c.parts.surname) ?? new Set();
      s.add(c.parts.full);
      fullBySurname.set(c.parts.surname, s);
    }
  }
  // An outlet or body of one word that the article describes as a person and that is the surname of
  // its one full-named person of that surname is that person: "Guardian, the first Republican mayor
  // elected in Atlantic City" beside "Atlantic City Mayor Don Guardian".
  for (const x of classified) {
    if (x.c.kind !== 'body' || x.e.name.trim().split(/\s+/).length !== 1) continue;
    if (!x.e.descriptors.some((d) => normalizeName(d).split(' ').some((w) => PERSON_ROLES.has(w) && !ORG_HEADS.has(w)))) continue;
    const parts = personParts(stripPossessive(x.e.name.trim()));
    const fulls = parts ? fullBySurname.get(parts.surname) : undefined;
    if (parts && fulls?.size === 1) x.c = { kind: 'person', parts };
  }
  // Any other organisation or outlet of one word that is the surname of a person the article names in
  // full may be that person ("Israel said" beside "Rep. Steve Israel") or the body (the country): the
  // words alone do not tell which, so it stays a speaker of this article rather than risk joining a
  // person's words to the body's corpus speaker. (Groups, type other, are plurals: "Republicans".)
  for (const x of classified) {
    if (x.c.kind !== 'body' || x.c.local || x.c.type === 'other' || x.e.name.trim().split(/\s+/).length !== 1) continue;
    const parts = personParts(stripPossessive(x.e.name.trim()));
    if (parts && fullBySurname.has(parts.surname)) x.c = { ...x.c, local: true };
  }
  const fullParts = new Map<string, PersonParts>();
  for (const { c } of [...classified, ...sourceClasses]) if (c.kind === 'person' && c.parts.full && !fullParts.has(c.parts.full)) fullParts.set(c.parts.full, c.parts);

  // What the article says about each full name (over every entity and source that is that person,
  // bare surnames included), and from it which full names may key a corpus person.
  const evidence = new Map<string, PersonEvidence>();
  const fullOf = (parts: PersonParts): string | null => {
    if (parts.full) return parts.full;
    const fulls = fullBySurname.get(parts.surname);
    return fulls && fulls.size === 1 ? [...fulls][0] : null;
  };
  const note = (full: string, written: string[], descriptors: string[], gendered: boolean) => {
    const ev = evidence.get(full) ?? { titled: false, described: false, gendered: false };
    ev.titled ||= written.some(hasTitle);
    ev.described ||= describedAsPerson(descriptors);
    ev.gendered ||= gendered;
    evidence.set(full, ev);
  };
  for (const { e, c } of classified) {
    const full = c.kind === 'person' ? fullOf(c.parts) : null;
    if (!full) continue;
    const g = genderEvidence(e, text);
    note(full, [e.name, ...e.aliases], e.descriptors, e.gender === 'male' || e.gender === 'female' || g.male + g.female > 0);
  }
  for (const { c, written } of sourceClasses) {
    const full = c.kind === 'person' ? fullOf(c.parts) : null;
    if (full) note(full, [written], [], false);
  }
  const corpusWorthy = new Map<string, boolean>();
  for (const [full, parts] of fullParts) corpusWorthy.set(full, corpusPersonName(parts, evidence.get(full) ?? { titled: false, described: false, gendered: false }, usedAsName));

  const personKey = (parts: PersonParts, type: SpeakerType, textGender: Gender | null = null): Pick<SpeakerKey, 'norm' | 'name' | 'scope' | 'surname' | 'type'> => {
    let p = parts;
    if (!p.full) {
      // A bare surname names the article's one person of that surname, if there is exactly one and the
      // text does not give the surname's mentions the other gender than that person's given name ("her"
      // for a "Clinton" in an article that names only Bill Clinton in full): then it stays a bare surname,
      // which the store links by gender across the corpus (chooseSurnameTarget).
      const fulls = fullBySurname.get(p.surname);
      const only = fulls && fulls.size === 1 ? fullParts.get([...fulls][0])! : null;
      const onlyGender = only ? FIRST_NAMES.get(foldName(only.display.split(' ')[0])) ?? null : null;
      if (only && !(textGender && onlyGender && textGender !== onlyGender)) p = only;
    }
    // An unresolved source keeps its type until an article's entity says what it is (the store upgrades it).
    if (p.full && corpusWorthy.get(p.full) === false) {
      // A full name that may not key a corpus person (corpusPersonName): its document's own speaker,
      // not a bare surname either (no surname link takes it to a corpus person).
      return { norm: `d:${hash}:${p.full}`, name: p.display, scope: 'document', surname: null, type };
    }
    return p.full
      ? { norm: `p:${p.full}`, name: p.display, scope: 'corpus', surname: p.surname, type }
      : { norm: `d:${hash}:${p.surname}`, name: p.display, scope: 'document', surname: p.surname, type };
  };

  const keyFor = (c: Classified, type: SpeakerType, written: string, e: Entity | null): SpeakerKey | null => {
    if (c.kind === 'none') return null;
    const descriptors = e ? keptDescriptors(e.descriptors) : [];
    let base: Pick<SpeakerKey, 'norm' | 'name' | 'scope' | 'surname' | 'type'>;
    if (c.kind === 'unnamed') {
      base = { norm: `u:${hash}:${normalizeName(c.name)}`, name: c.name, scope: 'unnamed', surname: null, type: ANON_TYPE };
    } else if (c.kind === 'person') {
      // A person whatever the entity's type said ("other" for "Mr. Trump"); unresolved stays so until an entity says.
      // The text's own gender for the entity, where it is clear (two or more observations more of one).
      const g = e && !c.parts.full ? genderEvidence(e, text) : { male: 0, female: 0 };
      const textGender: Gender | null = g.male - g.female >= 2 ? 'm' : g.female - g.male >= 2 ? 'f' : null;
      base = personKey(c.parts, type === 'unresolved' ? 'unresolved' : 'person', textGender);
    } else {
      const name = c.name.replace(/^the\s+/i, '');
      base = c.local
        ? { norm: `d:${hash}:${c.key}`, name, scope: 'document', surname: null, type: c.type }
        : { norm: c.key, name, scope: 'corpus', surname: null, type: c.type };
    }
    const isPerson = c.kind === 'person';
    const ev = isPerson && e ? genderEvidence(e, text) : { male: 0, female: 0 };
    let nameGender: Gender | null = null;
    if (isPerson && c.kind === 'person') {
      const given = base.name.split(' ')[0];
      nameGender = base.scope === 'corpus' ? (FIRST_NAMES.get(foldName(given)) ?? null) : null;
    }
    const roles = new Set<RoleCategory>();
    const tr = typeRole(base.type, base.scope);
    if (tr) roles.add(tr);
    else for (const d of descriptors) {
      const r = roleOf(d);
      if (r) roles.add(r);
    }
    const aliases = new Set<string>();
    const mainNorm = normalizeName(base.name);
    for (const w of [written, ...(e?.aliases ?? [])]) {
      const al = aliasOf(w, c, base.type);
      if (al && al !== mainNorm) aliases.add(al);
    }
    return {
      ...base,
      aliases: [...aliases],
      descriptors,
      roles: [...roles],
      maleEvidence: ev.male,
      femaleEvidence: ev.female,
      nameGender,
    };
  };

  const entity = new Map<string, number>();
  for (const { e, c } of classified) {
    const k = keyFor(c, e.type, e.name, e);
    entity.set(e.id, k ? add(k) : -1);
  }
  const sourceCache = new Map<string, number>();
  return {
    speakers,
    entity,
    forAttribution(at: Attribution): number {
      if (at.speaker) return entity.get(at.speaker) ?? -1;
      if (!at.source) return -1;
      const t = at.source.text;
      let i = sourceCache.get(t);
      if (i === undefined) {
        const k = keyFor(classify(t, 'unresolved', looksAnonymous(t), usedAsName), 'unresolved', t, null);
        i = k ? add(k) : -1;
        sourceCache.set(t, i);
      }
      return i;
    },
  };
}

function classifyEntity(e: Entity, usedAsName: NameUse): Classified {
  const c = classify(e.name, e.type, e.anonymous, usedAsName);
  if (c.kind !== 'person' || c.parts.full) return c;
  // The entity's name is a bare surname, but an alias may give the full name: "Obama" / "Barack Obama".
  for (const al of e.aliases) {
    // The alias passes the same checks as a name ("On Trump" is no full name).
    const a = classify(al, 'person', false, usedAsName);
    if (a.kind === 'person' && a.parts.full && a.parts.surname === c.parts.surname) return a;
  }
  return c;
}

/** A written name as an alias: the name part only (no titles or descriptions), normalised; null if none. */
function aliasOf(written: string, c: Classified, type: SpeakerType): string | null {
  if (c.kind === 'person' && type === 'person') {
    const n = personName(written);
    const p = n ? personParts(n) : null;
    // Only names of this person: the same surname.
    return p && p.surname === c.parts.surname ? normalizeName(n) : null;
  }
  if (c.kind === 'body') {
    const k = classify(written, type);
    return k.kind === 'body' ? normalizeName(k.name.replace(/^the\s+/i, '')) : null;
  }
  return null;
}

const ANON_HEADS_RE =
  /\b(source|sources|official|officials|aide|aides|insider|insiders|person|people|someone|spokesman|spokeswoman|spokesperson|diplomat|diplomats|analyst|analysts|expert|experts|observer|observers|critic|critics|witness|witnesses|resident|residents|reports?|media|newspapers?|sources?)\b/;

/** An unresolved source that names nobody: "a source", "senior officials", "people familiar with …". */
export function looksAnonymous(sourceText: string): boolean {
  const norm = normalizeName(sourceText);
  if (!ANON_HEADS_RE.test(norm)) return false;
  // A capitalised word after the first (a name) makes it named: "White House officials" stays named.
  const words = sourceText.trim().split(/\s+/).slice(1);
  return !words.some((w) => /^\p{Lu}/u.test(w) && !/^(I|A|An|The)$/.test(w));
}

// ---------------------------------------------------------------------------------------------
// Linking bare surnames across the corpus

/** A corpus person with the surname, as the store knows it. */
export interface SurnameCandidate {
  id: number;
  documents: number;
  gender: GenderLabel;
}

/** How many times more documents the leading person of a surname needs than the next before a bare surname is theirs. */
export const SURNAME_DOMINANCE = 5;
/** … and at least this many documents. */
export const SURNAME_MIN_DOCUMENTS = 3;

/**
 * The corpus person a document's bare surname stands for, or null to keep it per document.
 * Candidates of the other gender than the document's own evidence are left out; then one person
 * must lead by SURNAME_DOMINANCE times the documents of the next.
 */
export function chooseSurnameTarget(candidates: SurnameCandidate[], gender: GenderLabel): number | null {
  const fit = candidates.filter((c) => gender === 'unknown' || c.gender === 'unknown' || c.gender === gender);
  if (!fit.length) return null;
  const sorted = [...fit].sort((x, y) => y.documents - x.documents || x.id - y.id);
  const [top, next] = sorted;
  if (top.documents < SURNAME_MIN_DOCUMENTS) return null;
  if (next && top.documents < SURNAME_DOMINANCE * next.documents) return null;
  return top.id;
}

/** Speakers summed over a batch of documents, one per key: what a store upserts. */
export interface SpeakerTotals {
  key: SpeakerKey;
  documents: number;
  aliases: Set<string>;
  descriptors: Map<string, number>;
  roles: Map<RoleCategory, number>;
  maleEvidence: number;
  femaleEvidence: number;
}

export function sumSpeakers(docs: SpeakerKey[][]): Map<string, SpeakerTotals> {
  const out = new Map<string, SpeakerTotals>();
  for (const speakers of docs) {
    for (const k of speakers) {
      let t = out.get(k.norm);
      if (!t) {
        t = { key: k, documents: 0, aliases: new Set(), descriptors: new Map(), roles: new Map(), maleEvidence: 0, femaleEvidence: 0 };
        out.set(k.norm, t);
      }
      t.documents++;
      for (const al of k.aliases) t.aliases.add(al);
      for (const d of k.descriptors) t.descriptors.set(d, (t.descriptors.get(d) ?? 0) + 1);
      for (const r of k.roles) t.roles.set(r, (t.roles.get(r) ?? 0) + 1);
      t.maleEvidence += k.maleEvidence;
      t.femaleEvidence += k.femaleEvidence;
      if (t.key.type === 'unresolved' && k.type !== 'unresolved') t.key = { ...t.key, type: k.type };
    }
  }
  return out;
}
