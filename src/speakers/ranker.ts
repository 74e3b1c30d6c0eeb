/**
 * The learned antecedent ranker: for a pronoun or nominal source ("he", "the senator", "the company"),
 * every entity mentioned before it is a candidate, and so is "no one named" (the source stands for an
 * unnamed speaker of its own). Each candidate is described by sparse binary features (agreement,
 * distance, salience, syntactic position, string and role-noun match, quotation context, having spoken
 * just before) and scored by a linear model; the best one wins. The weights are learned by an averaged
 * perceptron on the annotated PolNeAR train articles (bench/speakers-train.ts) and committed in
 * models/speakers/ranker.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EntityDraft } from './entities.js';
import { endBefore, type Antecedent, type CorefContext } from './coref.js';
import { memberForms, PRONOUNS, type SourceInfo } from './mentions.js';
import { MEDIA_NOMINALS, ORG_HEADS } from '../nlp/lexicons/organizations.js';
import { PERSON_ROLES, ANONYMOUS_HEADS } from '../nlp/lexicons/roles.js';
import { FIRST_NAMES } from '../nlp/lexicons/first-names.js';

export type Weights = ReadonlyMap<string, number>;

/** One candidate of a ranking: an earlier entity, or null for "an unnamed speaker of its own". */
export interface Candidate {
  draft: EntityDraft | null;
  features: string[];
}

/** What the ranker knows of the document state beyond the antecedents. */
export interface RankState {
  /** The speaker of the attribution resolved just before, in text order. */
  lastSpeaker: EntityDraft | null;
}

/** The class of a source for feature conjunctions: he, she, it, they, or the nominal's kind of head. */
export function sourceClass(src: SourceInfo): string {
  if (src.kind === 'pronoun') {
    const p = PRONOUNS.get(src.head);
    if (src.head === 'he' || src.head === 'him' || src.head === 'himself') return 'he';
    if (src.head === 'she' || src.head === 'her' || src.head === 'herself') return 'she';
    if (p?.plural) return 'they';
    return 'it';
  }
  const two = src.modifiers.length ? `${src.modifiers[src.modifiers.length - 1]} ${src.head}` : src.head;
  if (MEDIA_NOMINALS.has(src.head) || MEDIA_NOMINALS.has(two)) return 'n-media';
  if (ORG_HEADS.has(src.head) || src.head === 'campaign' || src.head === 'government' || src.head === 'administration') return 'n-org';
  if (ANONYMOUS_HEADS.has(src.head)) return 'n-anon';
  if (PERSON_ROLES.has(src.head)) return 'n-person';
  // "the investor", "the radioman", "the front-runner", "the billionaire": agent nouns name people.
  if (AGENT_NOUN.test(src.head)) return 'n-agent';
  return 'n-other';
}

const AGENT_NOUN = /(er|or|ist|man|woman|ian|ant|ent|aire|ee|eur|ess|ive|ate)$/;

/** Line breaks between two offsets, up to 2: same paragraph, the one before, further. */
function paragraphsBetween(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to && n < 2; i = text.indexOf('\n', i + 1)) {
    n++;
    while (text[i + 1] === '\n' || text[i + 1] === '\r') i++;
  }
  return n;
}

const bucket = (n: number, cuts: number[]): number => {
  let i = 0;
  while (i < cuts.length && n > cuts[i]) i++;
  return i;
};

/** Abbreviated titles as the role noun a later description uses ("Sen. X" … "the senator"). */
const ABBREVIATIONS: Record<string, string> = {
  sen: 'senator', rep: 'representative', gov: 'governor', gen: 'general', lt: 'lieutenant', col: 'colonel',
  maj: 'major', capt: 'captain', sgt: 'sergeant', adm: 'admiral', cmdr: 'commander', pres: 'president',
  atty: 'attorney', supt: 'superintendent', insp: 'inspector', det: 'detective', prof: 'professor', dr: 'doctor',
  congressman: 'congressman', congresswoman: 'congresswoman',
};

function words(s: string): string[] {
  return s.toLowerCase().replace(/[^\p{L}\s-]/gu, ' ').split(/\s+/).filter(Boolean).map((w) => ABBREVIATIONS[w] ?? w);
}

const CONTEXT_POS = new Set(['NOUN', 'ADJ', 'PROPN']);
const contextCache = new WeakMap<EntityDraft, string[]>();

/**
 * The words the article writes beside a candidate's names, beyond titles: a lowercase noun phrase right
 * before the name ("GOP front-runner Donald Trump", "gambling tycoon Sheldon Adelson") and an apposition
 * after it ("Newt Gingrich, the former House Speaker,"). A later description often repeats them.
 */
export function contextDescriptors(ix: CorefContext['ix'], d: EntityDraft): string[] {
  const hit = contextCache.get(d);
  if (hit) return hit;
  const tk = ix.doc.tokens;
  const out: string[] = [];
  for (const m of d.mentions) {
    // Before: up to five nouns and adjectives in the same sentence, a common noun among them.
    const [ms, me] = [m.tokStart, m.tokEnd];
    let b = ms;
    while (b > 0 && ms - b < 5 && tk[b - 1].sentence === tk[ms].sentence && (CONTEXT_POS.has(tk[b - 1].pos) || tk[b - 1].text === '-') && ix.nameAt[b - 1] < 0) b--;
    if (b < ms && tk.slice(b, ms).some((w) => w.pos === 'NOUN')) out.push(ix.doc.text.slice(tk[b].start, tk[ms - 1].end));
    // After: ", a/an/the/former … ," up to eight words, ending at a comma, a dash or the sentence's end.
    if (me + 1 < tk.length && tk[me].text === ',' && /^(a|an|the|former|his|her|its)$/.test(tk[me + 1].lower)) {
      let e = me + 1;
      while (e < tk.length && e - me <= 9 && tk[e].sentence === tk[me].sentence && !/^[,;:()—–]$/.test(tk[e].text) && tk[e].pos !== 'VERB' && tk[e].pos !== 'AUX') e++;
      if (e < tk.length && e - me <= 9 && /^[,;:)—–.]$/.test(tk[e].text)) out.push(ix.doc.text.slice(tk[me + 1].start, tk[e - 1].end));
    }
  }
  contextCache.set(d, out);
  return out;
}

/** How the nominal's head and modifiers meet the words the text used for the candidate. */
function roleMatch(src: SourceInfo, d: EntityDraft, context: string[]): { head: boolean; mods: number } {
  let head = false;
  let mods = 0;
  const ms = src.modifiers.filter((m) => m !== 'news' && m !== 'the');
  // A member noun ("the Texan", "the Democrat") meets its place or party ("Texas governor", "Democratic senator").
  // Only people named in full are members: "the Texan" is not a mention of "Texas".
  const forms = (d.type === 'person' || d.type === null) && !d.place && d.parts?.given.length ? memberForms(src.head) ?? [] : [];
  for (const text of [...d.descriptors, ...d.aliases, d.name, ...context]) {
    const ws = words(text);
    if (ws.includes(src.head) || ws.includes(`${src.head}s`) || forms.some((f) => ws.includes(f))) head = true;
    for (const m of ms) if (ws.includes(m)) mods++;
  }
  return { head, mods };
}

/** Heads any kind of body may be called by: an outlet is a company too ("Business Insider … the company said"). */
const GENERIC_ORG_HEADS = new Set(['company', 'firm', 'group', 'organization', 'organisation', 'corporation', 'business', 'operation']);

/** "the news service", "the media company": a body of the news trade, an outlet. */
const newsBody = (src: SourceInfo): boolean => src.modifiers.includes('news') || src.modifiers.includes('media');

/**
 * A name the lexicons could not type that may still be a body: no given name, no gender, not a place or
 * a group, not starting with a known given name ("Valeant", "Judicial Watch", "Valeant Pharmaceuticals International"). People in news are introduced by their full name,
 * so a lone untyped name is as often a company as a person; the ranker weighs it (type=unk features).
 */
export function orgLikeUntyped(d: EntityDraft): boolean {
  return d.type === null && !d.place && !d.plural && !d.gender && !d.phraseKey &&
    !(d.parts && d.parts.given.length && FIRST_NAMES.has(d.parts.given[0]));
}

/**
 * Hard agreement, kept as a rule because it is exact: "he" / "she" never mean an organisation, a place,
 * a group or a person of the other gender; "it" never means a person; "they" never one named person;
 * "the broadcaster" means an outlet, "the ministry" an organisation, "the senator" a person.
 */
export function compatible(src: SourceInfo, cls: string, d: EntityDraft): boolean {
  const t = d.type;
  const person = t === 'person' || t === null;
  switch (cls) {
    case 'he':
    case 'she': {
      if (d.plural || d.place || !(person || t === 'anonymous')) return false;
      const g = cls === 'he' ? 'm' : 'f';
      return !d.gender || d.gender === g;
    }
    case 'it':
      return !person && t !== 'anonymous' && !d.plural;
    case 'they':
      return !(person && !d.plural && d.parts !== null && !d.phraseKey);
    case 'n-media':
      return t === 'media' || (src.head === 'agency' && t === 'organization' && !d.place) || orgLikeUntyped(d);
    case 'n-org':
      return (t === 'organization' && !d.place) || ((src.head === 'agency' || GENERIC_ORG_HEADS.has(src.head) || newsBody(src)) && t === 'media') || orgLikeUntyped(d);
    case 'n-person':
    case 'n-agent':
    case 'n-anon': {
      if (!(person || t === 'anonymous')) return false;
      if (d.place || (!src.plural && d.plural && t !== 'anonymous')) return false;
      const g = PERSON_ROLES.get(src.head);
      return !g || !d.gender || g === d.gender;
    }
    default:
      return !d.place;
  }
}

/**
 * Every mention of the draft opens its sentence (or a quotation): "Months after …", "MACAU": a
 * capitalised word that may be no name at all (asked of one-word untyped names only).
 */
function initialOnly(ix: CorefContext['ix'], d: EntityDraft): boolean {
  const tk = ix.doc.tokens;
  for (const m of d.mentions) {
    const t = m.tokStart;
    const s = ix.doc.sentences[tk[t].sentence];
    if (s.tokenStart !== t && !/^["“‘'(:—–]$/.test(tk[t - 1].text)) return false;
  }
  return true;
}

interface DraftStats {
  latest: Antecedent;
  mentions: number;
  spoke: number;
  subject: number;
  rank: number;
}

/** How many sentences back candidates are looked for. */
const WINDOW = 80;

/**
 * The candidates for a source at `src.start` in sentence `sentence`, with their features: the 20 most
 * recent entities with a mention in the 80 sentences before the source, and null.
 */
export function candidates(ctx: CorefContext, src: SourceInfo, sentence: number, state: RankState): Candidate[] {
  const cls = sourceClass(src);
  const stats = new Map<EntityDraft, DraftStats>();
  let rank = 0;
  for (let i = ctx.antecedents.length - 1; i >= 0; i--) {
    const a = ctx.antecedents[i];
    if (a.end > src.start) continue;
    // A bounded look back keeps the stage linear in the document's length; counts are within it.
    if (sentence - a.sentence > WINDOW) break;
    let s = stats.get(a.draft);
    if (!s) {
      if (rank >= 12) continue;
      s = { latest: a, mentions: 0, spoke: 0, subject: 0, rank: rank++ };
      stats.set(a.draft, s);
    }
    s.mentions++;
    if (a.spoke) s.spoke++;
    if (a.subject && !a.modifier && !a.possessive) s.subject++;
  }
  const out: Candidate[] = [];
  const p = PRONOUNS.get(src.head);
  const srcGender = src.kind === 'pronoun' ? p?.gender ?? null : PERSON_ROLES.get(src.head) ?? null;
  const srcQuote = ctx.ix.quote[src.tokStart] >= 0;
  const fits = [...stats].filter(([d]) => compatible(src, cls, d));
  for (const [d, s] of fits) {
    const a = s.latest;
    const f: string[] = [];
    const t = d.anonymous ? 'anon' : d.type ?? 'unk';
    const add = (x: string) => f.push(x, `${cls}|${x}`);
    add(`type=${t}${d.place ? '-place' : ''}`);
    add(`gender=${!srcGender || !d.gender ? 'unk' : srcGender === d.gender ? 'match' : 'clash'}`);
    add(`number=${src.plural === d.plural ? 'same' : 'differ'}`);
    add(`sdist=${bucket(sentence - a.sentence, [0, 1, 2, 4, 8])}`);
    add(`pdist=${paragraphsBetween(ctx.ix.doc.text, a.end, src.start)}`);
    add(`rank=${bucket(s.rank, [0, 1, 2, 4])}`);
    add(`mentions=${bucket(s.mentions, [1, 2, 4, 8])}`);
    if (s.spoke) add('spoke');
    if (s.spoke >= 3) add('spoke3');
    if (d === state.lastSpeaker) add('last-speaker');
    if (s.subject) add('subject');
    if (a.subject && !a.modifier) add('latest-subject');
    if (a.subject && !a.modifier && sentence - a.sentence <= 1) add('near-subject');
    if (fits.length === 1) add('only-fit');
    if (s.rank === 0 && sentence - a.sentence <= 1) add('nearest-near');
    if (a.modifier) add('latest-modifier');
    if (a.possessive) add('latest-possessive');
    if (a.inQuote) add(srcQuote ? 'both-quote' : 'cand-quote');
    if (d.parts && d.parts.given.length) add('full-name');
    else if (d.parts && d.nameWords === 1 && d.mentions.length <= 1) add('lone-word');
    if (d.phraseKey) add('unnamed-phrase');
    if (d.type === null && d.nameWords === 1 && initialOnly(ctx.ix, d)) add('initial-only');
    if (src.kind !== 'pronoun') {
      const rm = roleMatch(src, d, contextDescriptors(ctx.ix, d));
      if (rm.head) add('role-head');
      if (rm.mods) add(`role-mods=${Math.min(rm.mods, 2)}`);
      if (d.key.split(' ').includes(src.head)) add('key-head');
      if (!rm.head && !rm.mods) add('no-role');
    }
    out.push({ draft: d, features: f });
  }
  // A definite description with a fitting antecedent is anaphoric: "the newspaper" after a newspaper,
  // "the official" after an official, "it" after a company. Only "they" and bare role nouns may still
  // be someone new.
  // An untyped name alone does not make "the company" anaphoric: it may be a person, or a capitalised
  // word at a sentence start.
  const anaphoric = out.length > 0 && (cls === 'it' || ((cls === 'n-media' || cls === 'n-org') && src.definite && out.some((c) => c.draft!.type !== null)) ||
    (src.kind !== 'pronoun' && src.definite && out.some((c) => c.features.includes('role-head') || c.features.includes('key-head'))));
  if (anaphoric) return out;
  const nf: string[] = ['null', `null|${cls}`, `null|def=${src.definite}`, `null|plural=${src.plural}`];
  if (src.kind !== 'pronoun') nf.push(`null|head=${src.head}`);
  if (src.partitive) nf.push('null|partitive');
  if (srcQuote) nf.push('null|in-quote');
  if (!fits.length) nf.push('null|alone');
  out.push({ draft: null, features: nf });
  return out;
}

/** How many sentences after a description its person may first be named. */
const AHEAD = 4;

/**
 * A description that no earlier entity fits may name someone the article introduces just after it ("a
 * federal judge granted the request … U.S. District Judge Royce Lamberth wrote", "… Judge Lamberth"): the
 * first person named for the first time within four sentences after it whose title, descriptors or
 * surrounding words use the description's role noun. Unnamed-source heads ("an official", "a spokesman") are left
 * unnamed: they describe someone the article does not name.
 */
export function cataphor(ctx: CorefContext, src: SourceInfo, sentence: number): EntityDraft | null {
  if ((src.kind !== 'nominal' && src.kind !== 'anonymous') || src.plural || ANONYMOUS_HEADS.has(src.head)) return null;
  const cls = sourceClass(src);
  if (cls !== 'n-person' && cls !== 'n-agent') return null;
  for (let i = endBefore(ctx, src.end); i < ctx.antecedents.length; i++) {
    const a = ctx.antecedents[i];
    if (a.sentence - sentence > AHEAD) break;
    const d = a.draft;
    if (d.mentions.length && d.mentions[0].start < src.start) continue;
    if (d.anonymous || d.phraseKey || d.plural || !d.parts || !compatible(src, cls, d)) continue;
    if (roleMatch(src, d, contextDescriptors(ctx.ix, d)).head) return d;
  }
  return null;
}

export function score(w: Weights, features: string[]): number {
  let s = 0;
  for (const f of features) s += w.get(f) ?? 0;
  return s;
}

/** The best candidate (ties go to the earlier one in the list: the most recent entity). */
export function best(w: Weights, cands: Candidate[]): Candidate {
  let top = cands[0];
  let topScore = -Infinity;
  for (const c of cands) {
    const s = score(w, c.features);
    if (s > topScore) {
      topScore = s;
      top = c;
    }
  }
  return top;
}

/** models/speakers/ranker.json, found from this file whether it runs from src/ (tsx) or dist/. */
export const DEFAULT_RANKER_FILE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models', 'speakers', 'ranker.json');

export interface RankerFile {
  format: 'whosaid-speaker-ranker/1';
  weights: Record<string, number>;
  [meta: string]: unknown;
}

let cached: Weights | null = null;

/** The committed weights; an empty model (every candidate scores 0) where the file is missing. */
export function loadRanker(file = DEFAULT_RANKER_FILE): Weights {
  if (file === DEFAULT_RANKER_FILE && cached) return cached;
  if (!existsSync(file)) {
    if (file !== DEFAULT_RANKER_FILE) throw new Error(`${file}: speaker ranker weights not found`);
    return new Map();
  }
  let data: RankerFile;
  try {
    data = JSON.parse(readFileSync(file, 'utf8')) as RankerFile;
  } catch (e) {
    throw new Error(`${file}: not a speaker ranker file (${(e as Error).message})`);
  }
  if (data.format !== 'whosaid-speaker-ranker/1' || typeof data.weights !== 'object') throw new Error(`${file}: not a whosaid-speaker-ranker/1 file`);
  const w = new Map(Object.entries(data.weights));
  if (file === DEFAULT_RANKER_FILE) cached = w;
  return w;
}
