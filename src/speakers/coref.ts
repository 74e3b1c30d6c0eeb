/**
 * Coreference of sources: a pronoun or a nominal ("the minister", "the broadcaster") resolved to an
 * earlier entity by agreement (gender, number, person / organisation / outlet), role heads and salience
 * (recency, being a subject, having spoken before).
 */
import type { Mention, SourceInfo, DocIndex } from './mentions.js';
import { PRONOUNS } from './mentions.js';
import type { EntityDraft, EntityTable } from './entities.js';
import { MEDIA_NOMINALS, ORG_HEADS } from '../nlp/lexicons/organizations.js';
import { PERSON_ROLES, ANONYMOUS_HEADS } from '../nlp/lexicons/roles.js';
import { FIRST_NAMES } from '../nlp/lexicons/first-names.js';

const GENERIC_ORG_HEADS = new Set(['company', 'firm', 'group', 'organization', 'organisation', 'corporation', 'business', 'campaign', 'operator', 'operators']);

/** One place an entity was mentioned, as an antecedent candidate. */
export interface Antecedent {
  draft: EntityDraft;
  start: number;
  end: number;
  sentence: number;
  subject: boolean;
  spoke: boolean;
  inQuote: boolean;
  modifier: boolean;
  possessive: boolean;
}

export interface CorefContext {
  ix: DocIndex;
  table: EntityTable;
  /** Antecedents in text order. Resolved sources are inserted as they are found. */
  antecedents: Antecedent[];
}

export function buildCorefContext(ix: DocIndex, table: EntityTable): CorefContext {
  const antecedents: Antecedent[] = [];
  for (const m of ix.names) {
    const d = table.byMention.get(m);
    if (d) antecedents.push(fromMention(d, m, false));
  }
  return { ix, table, antecedents };
}

function fromMention(d: EntityDraft, m: Mention, spoke: boolean): Antecedent {
  return { draft: d, start: m.start, end: m.end, sentence: m.sentence, subject: m.firstInSentence, spoke, inQuote: m.inQuote, modifier: m.modifier, possessive: m.possessive };
}

/** Records that `d` was mentioned (and spoke) at [start, end). */
export function addAntecedent(ctx: CorefContext, d: EntityDraft, start: number, end: number, spoke: boolean): void {
  const tk = ctx.ix.doc.tokens;
  let t = 0;
  let lo = 0;
  let hi = tk.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tk[mid].start <= start) {
      t = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const a: Antecedent = { draft: d, start, end, sentence: tk[t]?.sentence ?? 0, subject: true, spoke, inQuote: ctx.ix.quote[t] >= 0, modifier: false, possessive: false };
  // Keep text order; a resolved source at the same place as a named mention marks it as having spoken.
  let i = ctx.antecedents.length;
  while (i > 0 && ctx.antecedents[i - 1].start > start) i--;
  const prev = ctx.antecedents[i - 1];
  if (prev && prev.start === start && prev.draft === d) {
    prev.spoke = prev.spoke || spoke;
    return;
  }
  const sentStart = ctx.ix.doc.sentences[a.sentence]?.start ?? 0;
  // Antecedents are in text order: only those from the sentence's start on need looking at (scanning
  // them all made each insertion cost the whole document).
  a.subject = true;
  for (let k = i - 1; k >= 0 && ctx.antecedents[k].start >= sentStart; k--) {
    const x = ctx.antecedents[k];
    if (x.sentence === a.sentence && x.start < start) {
      a.subject = false;
      break;
    }
  }
  ctx.antecedents.splice(i, 0, a);
}

type Agree = (d: EntityDraft) => number;

/** 0 = incompatible, otherwise a weight in (0, 1]. */
function pronounAgreement(lower: string): Agree | null {
  const p = PRONOUNS.get(lower);
  if (!p) return null;
  if (p.person !== 3 || p.relative) return null;
  if (p.plural) {
    return (d) => (d.type === 'person' && !d.plural ? 0 : d.plural || d.type === 'anonymous' ? 1 : d.type === 'organization' || d.type === 'media' ? 0.7 : 0.5);
  }
  if (p.gender) {
    const g = p.gender;
    return (d) => {
      if (d.plural || d.place) return 0;
      if (d.type === 'person' || d.type === null) return d.gender === g ? 1 : d.gender ? 0 : 0.8;
      if (d.type === 'anonymous') return d.plural ? 0 : 0.6;
      return 0;
    };
  }
  // it / its
  return (d) => (d.type === 'organization' || d.type === 'media' ? (d.place ? 0.6 : 1) : d.type === 'other' && !d.plural ? 0.6 : 0);
}

function score(a: Antecedent, sentence: number): number {
  const dist = sentence - a.sentence;
  let s = -0.55 * dist;
  if (a.spoke) s += 1.3;
  if (a.subject) s += 0.6;
  if (a.modifier) s -= 1.2;
  if (a.possessive) s -= 0.3;
  if (a.inQuote) s -= 0.8;
  return s;
}

const WINDOW = 8;
/**
 * At most this many antecedents are weighed for one mention, nearest first. Even the unbounded
 * fallback below must not scan the whole document for every mention (quadratic on a long text); a
 * news article has far fewer mentions than this.
 */
const MAX_CANDIDATES = 1000;

/**
 * Index just past the last antecedent starting before `start` (antecedents are in text order): those
 * after it all end after `start`, and walking over them for every mention was quadratic.
 */
export function endBefore(ctx: CorefContext, start: number): number {
  let lo = 0;
  let hi = ctx.antecedents.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ctx.antecedents[mid].start < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function best(ctx: CorefContext, start: number, sentence: number, agree: Agree, window = WINDOW): EntityDraft | null {
  let top: EntityDraft | null = null;
  let topScore = -Infinity;
  // One entity is often many antecedents; its agreement does not change within one call.
  const agreement = new Map<EntityDraft, number>();
  let seen = 0;
  for (let i = endBefore(ctx, start) - 1; i >= 0; i--) {
    const a = ctx.antecedents[i];
    if (a.end > start) continue;
    if (sentence - a.sentence > window || ++seen > MAX_CANDIDATES) break;
    let w = agreement.get(a.draft);
    if (w === undefined) agreement.set(a.draft, (w = agree(a.draft)));
    if (w <= 0) continue;
    const s = score(a, sentence) + Math.log(w) + a.start * 1e-7;
    if (s > topScore) {
      topScore = s;
      top = a.draft;
    }
  }
  return top;
}

/** Resolves a third-person pronoun source. Relative pronouns take the mention just before them. */
export function resolvePronoun(ctx: CorefContext, src: SourceInfo, sentence: number): EntityDraft | null {
  const p = PRONOUNS.get(src.head);
  if (!p) return null;
  if (p.relative) {
    // "Clinton, who said ..." — the nearest fitting mention before it in the sentence, stepping over
    // an apposition and the organisations inside it ("John Bentel, a tech staffer at the State
    // Department who ...").
    const human = src.head === 'who' || src.head === 'whom';
    for (let i = endBefore(ctx, src.start) - 1; i >= 0; i--) {
      const a = ctx.antecedents[i];
      if (a.end > src.start) continue;
      if (a.sentence !== sentence || src.start - a.end > 120) break;
      const t = a.draft.type;
      const isHuman = t === 'person' || t === null || t === 'anonymous';
      if (human ? isHuman && !a.draft.place : !isHuman || a.draft.place) return a.draft;
    }
    return null;
  }
  const agree = pronounAgreement(src.head);
  if (!agree) return null;
  return best(ctx, src.start, sentence, agree) ?? best(ctx, src.start, sentence, agree, 1e9);
}

function words(s: string): string[] {
  return s.toLowerCase().replace(/[^\p{L}\s-]/gu, ' ').split(/\s+/).filter(Boolean);
}

/** Resolves "the minister", "the broadcaster", "the agency", "the official", "the campaign". */
export function resolveNominal(ctx: CorefContext, src: SourceInfo, sentence: number): EntityDraft | null {
  const head = src.head;
  const twoWord = src.modifiers.length ? `${src.modifiers[src.modifiers.length - 1]} ${head}` : head;
  const media = MEDIA_NOMINALS.has(head) || MEDIA_NOMINALS.has(twoWord);
  const org = ORG_HEADS.has(head) || head === 'campaign' || head === 'government' || head === 'administration';
  const person = PERSON_ROLES.has(head) || ANONYMOUS_HEADS.has(head);
  const mods = src.modifiers.filter((m) => m !== 'news');
  const roleMatch = (d: EntityDraft): number => {
    let hit = 0;
    for (const text of [...d.descriptors, ...d.aliases]) {
      const ws = words(text);
      if (ws.includes(head)) {
        hit = Math.max(hit, 1 + 0.2 * mods.filter((m) => ws.includes(m)).length);
      }
    }
    return hit;
  };
  const agree: Agree = (d) => {
    if (src.plural !== d.plural && d.type !== 'anonymous') {
      if (d.type === 'person') return 0;
    }
    if (media && head !== 'agency') return d.type === 'media' ? 1 : 0;
    if (head === 'agency') return d.type === 'media' || (d.type === 'organization' && d.key.includes('agency')) ? 1 : d.type === 'organization' && !d.place ? 0.5 : 0;
    if (org) {
      if (d.type !== 'organization' || d.place) return 0;
      if (d.key.includes(head) || roleMatch(d)) return 1;
      if (head === 'government' || head === 'administration') return 0.5;
      // "the company" may be any company; "the union" or "the ministry" must name one.
      return GENERIC_ORG_HEADS.has(head) ? 0.25 : 0;
    }
    if (person) {
      if (d.type === 'anonymous') return d.descriptors.size && [...d.descriptors].some((x) => words(x).includes(head)) ? 1 : 0;
      if (d.type !== 'person' && d.type !== null) return 0;
      const g = PERSON_ROLES.get(head);
      if (g && d.gender && g !== d.gender) return 0;
      return roleMatch(d) ? 1 : 0;
    }
    return roleMatch(d) ? 1 : 0;
  };
  const found = best(ctx, src.start, sentence, agree) ?? best(ctx, src.start, sentence, agree, 1e9);
  if (found) return found;
  // A person role no earlier mention carries ("the Republican nominee"): the salient person nearby.
  if (person && !ANONYMOUS_HEADS.has(head)) {
    const g = PERSON_ROLES.get(head) ?? null;
    return best(ctx, src.start, sentence, (d) => ((d.type === 'person' || (d.type === null && d.parts)) && !d.plural && (!g || !d.gender || d.gender === g) ? 1 : 0), 3);
  }
  return null;
}

/** A guess at gender for a person draft from its given name, where no title told it. */
export function guessGender(d: EntityDraft): void {
  if (d.gender || !d.parts || !d.parts.given.length) return;
  const g = FIRST_NAMES.get(d.parts.given[0]);
  if (g) d.gender = g;
}
