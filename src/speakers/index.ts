import type { Attribution, Doc, Entity, Range, SpanRef } from '../core/types.js';
import { spanRef } from '../core/span.js';
import { indexDoc, npBefore, readSource, relativeNP, tokensIn, PRONOUNS, type DocIndex, type SourceInfo } from './mentions.js';
import { clusterNames, toEntities, type EntityDraft, type EntityTable } from './entities.js';
import { addAntecedent, buildCorefContext, resolveNominal, resolvePronoun, type CorefContext } from './coref.js';
import { planRelay, viaNameDrafts } from './relays.js';
import { isHedged } from './hedges.js';
import { ANONYMOUS_HEADS, PERSON_ROLES, GENERIC_PLURALS, SOURCE_QUALIFIER } from '../nlp/lexicons/roles.js';
import { MEDIA_NOMINALS } from '../nlp/lexicons/organizations.js';
import { foldName } from './names.js';
import { best, candidates, cataphor, loadRanker, type Candidate, type RankState, type Weights } from './ranker.js';

/** Group heads that are people in the plural, not a body. */
const MEMBER_GROUPS = new Set(['democrats', 'republicans', 'dems', 'conservatives', 'liberals', 'progressives', 'libertarians',
  'evangelicals', 'protesters', 'protestors']);

export interface SpeakerLayer {
  attributions: Attribution[];
  entities: Entity[];
}

export interface SpeakerOptions {
  /** "ranker" (default): the learned antecedent ranker; "rules": the hand-ordered rules it replaced. */
  resolver?: 'ranker' | 'rules';
  /** Ranker weights; default the committed models/speakers/ranker.json. */
  weights?: Weights;
  /** Called at each ranked speaker source, with the id of its attribution (training and inspection). */
  onRank?: (attribution: string, cands: Candidate[], chosen: Candidate) => void;
}

export { indexDoc, readSource } from './mentions.js';
export { clusterNames } from './entities.js';
export { planRelay } from './relays.js';
export { isHedged } from './hedges.js';
export { nameParts, personNamesMatch, nameTokenKey } from './names.js';

const COUNTED = /^(two|three|four|five|six|seven|eight|nine|ten|a|an|one|\d+)\b/i;

/**
 * A plural of people talked about rather than quoted as a source: generic plurals without a phrase that
 * makes them sources ("people familiar with the plan", "two residents"), and "the media" as a whole.
 */
function isGenericGroup(src: SourceInfo): boolean {
  if (SOURCE_QUALIFIER.test(src.text)) return false;
  if (src.head === 'media' || src.head === 'press') return src.definite && !src.modifiers.some((m) => m === 'local' || m === 'state' || m === 'state-run' || m === 'official');
  const plural = src.headText.toLowerCase().split(/\s+/).pop() ?? '';
  if (!GENERIC_PLURALS.has(plural)) return false;
  return !COUNTED.test(src.headText);
}

/** Turns an unresolved or unnamed source phrase into a draft of its own. */
function unnamedDraft(table: EntityTable, src: SourceInfo): EntityDraft {
  const text = src.headText.replace(/^(the|a|an)\s+/i, (m) => m.toLowerCase());
  const key = `${src.kind}:${foldName(src.headText).replace(/^(the|a|an|some|one) /, '')}`;
  return table.phrase(key, () => {
    let type: Entity['type'] = 'other';
    let anonymous = false;
    if (src.kind === 'anonymous') {
      type = 'anonymous';
      anonymous = true;
      // "voters", "many people", "the workers": a group talked about, not an unnamed source.
      if (isGenericGroup(src)) {
        type = 'other';
        anonymous = false;
      }
    } else if (src.kind === 'nominal') {
      if (isGenericGroup(src)) type = 'other';
      else if (ANONYMOUS_HEADS.has(src.head) && !['spokesman', 'spokeswoman', 'spokesperson'].includes(src.head)) {
        type = 'anonymous';
        anonymous = true;
      } else if (MEDIA_NOMINALS.has(src.head)) type = 'media';
      else if (PERSON_ROLES.has(src.head)) type = 'person';
      else type = 'organization';
    } else if (src.kind === 'group') {
      // "Republicans say": party members or protesters in the plural are a group of people, as "many
      // Republicans" is, not the party as a body; "police", "the army" are bodies.
      type = MEMBER_GROUPS.has(src.head) ? 'other' : 'organization';
    }
    else if (src.kind === 'pronoun') type = src.plural ? 'other' : 'person';
    return table.create({ name: text, type, anonymous, plural: src.plural, descriptors: new Set(src.text !== src.headText || anonymous ? [src.text] : []) });
  });
}

interface Resolver {
  ix: DocIndex;
  table: EntityTable;
  ctx: CorefContext;
  weights: Weights | null;
  state: RankState;
  /** The attribution whose speaker phrase is being resolved, or null (relays, antecedents of relatives). */
  current: string | null;
  onRank?: SpeakerOptions['onRank'];
}

/** Sources the ranker decides: third-person pronouns, definite nominals, "one of them". */
function rankable(src: SourceInfo): boolean {
  if (src.kind === 'pronoun') {
    const p = PRONOUNS.get(src.head);
    // "One of them" is the group just named (the rules' nearest plural), not a ranking question.
    return !!p && p.person === 3 && !p.relative && !src.partitive;
  }
  if (src.kind === 'nominal') return true;
  return src.kind === 'other' && src.definite && !src.named && /^(the|this|that)\s/i.test(src.headText);
}

function rank(r: Resolver, src: SourceInfo, sentence: number): EntityDraft | null {
  const cands = candidates(r.ctx, src, sentence, r.state);
  const chosen = best(r.weights!, cands);
  if (r.onRank && r.current) r.onRank(r.current, cands, chosen);
  return chosen.draft;
}

/** Heads that make "X's N" / "his N" an organisation of X's: "Clinton's campaign", "his office". */
const OWNED_HEADS = new Set(['campaign', 'office', 'team', 'camp', 'administration', 'government', 'staff', 'foundation', 'family', 'aides', 'lawyers', 'spokesman', 'spokeswoman', 'spokesperson']);

/**
 * "Clinton's campaign", "his campaign", "Ryan's office": the owner's organisation, named after the owner's
 * full name ("Hillary Clinton campaign"). Their spokesman or aides stay unnamed people of their own.
 */
function resolveOwned(r: Resolver, range: [number, number], spoke: boolean): EntityDraft | null {
  const tk = r.ix.doc.tokens;
  let [s, e] = range;
  while (s < e && (tk[s].pos === 'PUNCT' || tk[s].lower === 'the')) s++;
  while (e > s && tk[e - 1].pos === 'PUNCT') e--;
  if (e - s < 2 || !OWNED_HEADS.has(tk[e - 1].lower)) return null;
  const head = tk[e - 1].lower;
  if (head === 'spokesman' || head === 'spokeswoman' || head === 'spokesperson' || head === 'aides' || head === 'lawyers') return null;
  let owner: [number, number];
  if (e - s === 2 && (tk[s].lower === 'his' || tk[s].lower === 'her' || tk[s].lower === 'their')) owner = [s, s + 1];
  else if (e - s >= 3 && (tk[e - 2].lower === "'s" || tk[e - 2].lower === '’s' || tk[e - 2].text === "'" || tk[e - 2].text === '’')) owner = [s, e - 2];
  else return null;
  let o: EntityDraft | null;
  if (owner[1] - owner[0] === 1 && PRONOUNS.has(tk[owner[0]].lower)) {
    const src = readSource(r.ix, owner[0], owner[1]);
    if (!src) return null;
    src.head = ({ his: 'he', her: 'she', their: 'they' } as Record<string, string>)[tk[owner[0]].lower] ?? src.head;
    src.kind = 'pronoun';
    o = r.weights ? rank(r, src, tk[owner[0]].sentence) : resolvePronoun(r.ctx, src, tk[owner[0]].sentence);
  } else {
    const src = readSource(r.ix, owner[0], owner[1]);
    o = src?.kind === 'name' && src.named ? r.table.byMention.get(src.named) ?? null : null;
  }
  if (!o || o.anonymous || o.phraseKey || !(o.type === 'person' || o.type === null)) return null;
  // "Sanders' camp" is the Bernie Sanders campaign: one organisation, named as the campaign is.
  const kind = head === 'camp' ? 'campaign' : head;
  const owned = r.table.phrase(`owned:${o.n}:${kind}`, () => r.table.create({ name: `${o!.name} ${kind}`, type: 'organization' }));
  owned.aliases.add(r.ix.doc.text.slice(tk[s].start, tk[e - 1].end));
  owned.ranges.push([tk[s].start, tk[e - 1].end]);
  addAntecedent(r.ctx, owned, tk[s].start, tk[e - 1].end, spoke);
  return owned;
}

/** Resolves one phrase (token range) to a draft, recording the mention. */
function resolvePhrase(r: Resolver, range: [number, number], spoke: boolean, deferFirstPerson: boolean): EntityDraft | null | 'first-person' {
  const owned = resolveOwned(r, range, spoke);
  if (owned) return owned;
  const src = readSource(r.ix, range[0], range[1]);
  if (!src) return null;
  const sentence = r.ix.doc.tokens[src.tokStart].sentence;
  let d: EntityDraft | null = null;
  if (r.weights && rankable(src)) {
    d = rank(r, src, sentence) ?? cataphor(r.ctx, src, sentence) ?? unnamedDraft(r.table, src);
    // "she" resolved to a name of unknown gender tells the gender ("Rivera … she said").
    const g = src.kind === 'pronoun' ? PRONOUNS.get(src.head)?.gender : null;
    if (g && !d.gender && (d.type === 'person' || d.type === null) && !d.plural) d.gender = g;
  } else switch (src.kind) {
    case 'name': {
      d = src.named ? r.table.byMention.get(src.named) ?? null : null;
      if (d && d.type === null) d.type = d.place ? 'organization' : 'person';
      break;
    }
    case 'pronoun': {
      const p = PRONOUNS.get(src.head);
      if (p && p.person !== 3) {
        if (deferFirstPerson) return 'first-person';
        d = unnamedDraft(r.table, src);
        break;
      }
      if (p?.relative) {
        // A relative pronoun is its antecedent or no one: never an entity named "who" or "which".
        d = relativeAntecedent(r, src.tokStart, src.head);
        if (d) return d;
        d = resolvePronoun(r.ctx, src, sentence);
        break;
      }
      d = resolvePronoun(r.ctx, src, sentence) ?? unnamedDraft(r.table, src);
      break;
    }
    case 'nominal':
      d = resolveNominal(r.ctx, src, sentence) ?? unnamedDraft(r.table, src);
      break;
    default:
      // "a federal judge …" introducing someone named just after: only the learned resolver looks ahead.
      d = (r.weights && src.kind === 'anonymous' ? cataphor(r.ctx, src, sentence) : null) ?? unnamedDraft(r.table, src);
  }
  if (!d) return null;
  for (const x of src.descriptors) if (src.kind === 'name' || d.anonymous) d.descriptors.add(x);
  d.ranges.push([src.start, src.end]);
  addAntecedent(r.ctx, d, src.start, src.end, spoke);
  return d;
}

/**
 * A relative pronoun's antecedent is the noun phrase it hangs on (mentions.ts `relativeNP`: the one right
 * before it, or one further back that agrees with the clause's verb: "those supporting Clinton, who are").
 * A person's name wins for "who" even across an apposition that ends in an organisation ("Ann Lee, a
 * lawyer for the union, who …" is Ann Lee): that is left to resolvePronoun.
 */
function relativeAntecedent(r: Resolver, relTok: number, head: string): EntityDraft | null {
  const np = relativeNP(r.ix, relTok);
  if (!np) return null;
  const [s, e] = np;
  const src = readSource(r.ix, s, e);
  if (!src) return null;
  const human = head === 'who' || head === 'whom';
  if (src.kind === 'name') {
    const d = src.named ? r.table.byMention.get(src.named) ?? null : null;
    if (!d) return null;
    const isHuman = d.type === 'person' || d.type === null || d.type === 'anonymous';
    // "…, a spokesman for the union, who": the organisation ends an apposition; the rule in coref looks further back.
    if (human && (!isHuman || d.place)) return null;
    return resolvePhrase(r, [s, e], false, false) as EntityDraft | null;
  }
  if (src.kind === 'pronoun' && src.head !== 'they') return null;
  // "William Oberndorf, a California investor who had backed Bush": a description in apposition to a
  // name is that name's, and so is the relative clause hanging on it.
  const named = appositionName(r, s, human);
  if (named) return named;
  const d = resolvePhrase(r, [src.tokStart, src.tokEnd], false, false);
  return d === 'first-person' ? null : d;
}

/** The entity of the name right before ", <description at s>", when that description is in apposition to it. */
function appositionName(r: Resolver, s: number, human: boolean): EntityDraft | null {
  const tk = r.ix.doc.tokens;
  if (s < 2 || tk[s - 1].text !== ',' || tk[s - 2].sentence !== tk[s].sentence || !/^(a|an|the)$/.test(tk[s].lower)) return null;
  const np = npBefore(r.ix, s);
  if (!np) return null;
  const src = readSource(r.ix, np[0], np[1]);
  if (!src || src.kind !== 'name' || !src.named) return null;
  const d = r.table.byMention.get(src.named) ?? null;
  if (!d || (human && !(d.type === 'person' || d.type === null)) || d.place) return null;
  return d;
}

/** The cue and content after moving `tail` ("her as saying") from the content into the cue. */
function moveToCue(text: string, a: Attribution, tail: Range): { cue: SpanRef; content: SpanRef } | null {
  const content: Range[] = [];
  for (const [s, e] of a.content.spans) {
    if (e <= tail[0] || s >= tail[1]) content.push([s, e]);
    else {
      if (s < tail[0]) content.push([s, tail[0]]);
      if (e > tail[1]) content.push([tail[1], e]);
    }
  }
  // Leading blanks of the rest of the content are not content.
  const trimmed = content.map(([s, e]): Range => {
    while (s < e && /\s/.test(text[s])) s++;
    return [s, e];
  }).filter(([s, e]) => e > s);
  if (!trimmed.length) return null;
  // "cited" + " her as saying": one cue span where only blanks lie between.
  const last = a.cue.spans[a.cue.spans.length - 1];
  const from = last[1] <= tail[0] && !text.slice(last[1], tail[0]).trim() ? last[1] : tail[0];
  return { cue: spanRef(text, [...a.cue.spans, [from, tail[1]]]), content: spanRef(text, trimmed) };
}

/** Attributions by where their content starts, to find the contents holding an offset without a scan of all. */
interface ContentIndex {
  order: number[];
  starts: number[];
  /** The longest content, first start to last end, in characters. */
  reach: number;
}

function contentIndex(attributions: Attribution[]): ContentIndex {
  const order: number[] = [];
  let reach = 0;
  attributions.forEach((a, j) => {
    const sp = a.content.spans;
    if (!sp.length) return;
    order.push(j);
    reach = Math.max(reach, sp[sp.length - 1][1] - sp[0][0]);
  });
  order.sort((x, y) => attributions[x].content.spans[0][0] - attributions[y].content.spans[0][0] || x - y);
  return { order, starts: order.map((j) => attributions[j].content.spans[0][0]), reach };
}

/** The last attribution (in input order) passing `ok` whose content holds offset `at`; -1 when none. */
function lastHolder(ix: ContentIndex, attributions: Attribution[], at: number, ok: (j: number) => boolean): number {
  let lo = 0;
  let hi = ix.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ix.starts[mid] < at - ix.reach) lo = mid + 1;
    else hi = mid;
  }
  let holder = -1;
  for (let k = lo; k < ix.order.length && ix.starts[k] <= at; k++) {
    const j = ix.order[k];
    if (j <= holder || !ok(j)) continue;
    if (attributions[j].content.spans.some(([s, e]) => at >= s && at < e)) holder = j;
  }
  return holder;
}

function posOf(a: Attribution): number {
  return a.source ? a.source.spans[0][0] : a.cue.spans[0][0];
}

/**
 * Resolves who speaks in each attribution: the canonical entity behind its source (names merged,
 * pronouns and nominals resolved, unnamed sources typed anonymous), the outlets that relayed the words,
 * and whether the writer hedges. Attributions come back in their input order with speaker, via and
 * hedged filled; entities are those that speak or relay.
 */
export function resolveSpeakers(doc: Doc, attributions: Attribution[], options: SpeakerOptions = {}): SpeakerLayer {
  if (!attributions.length || !doc.tokens.length) return { attributions, entities: [] };
  const ix = indexDoc(doc);
  const table = clusterNames(ix);
  const ctx = buildCorefContext(ix, table);
  const weights = options.resolver === 'rules' ? null : options.weights ?? loadRanker();
  const r: Resolver = { ix, table, ctx, weights, state: { lastSpeaker: null }, current: null, onRank: options.onRank };
  const order = attributions.map((a, i) => i).sort((x, y) => posOf(attributions[x]) - posOf(attributions[y]));
  const speaker: (EntityDraft | null)[] = new Array(attributions.length).fill(null);
  const via: EntityDraft[][] = attributions.map(() => []);
  const hedged: boolean[] = new Array(attributions.length).fill(false);
  const firstPerson: number[] = [];
  const spans: ({ cue: SpanRef; content: SpanRef } | null)[] = attributions.map(() => null);
  for (const i of order) {
    const a = attributions[i];
    const plan = planRelay(ix, a);
    if (plan.cueTail) spans[i] = moveToCue(doc.text, a, plan.cueTail);
    hedged[i] = a.hedged || isHedged(ix, a, plan);
    for (const v of plan.via) {
      const d = resolvePhrase(r, v, true, false);
      if (d && d !== 'first-person') via[i].push(d);
    }
    for (const d of viaNameDrafts(ix, table, plan)) if (!via[i].includes(d)) via[i].push(d);
    if (plan.agentless || !plan.speaker) continue;
    r.current = a.id;
    const d = resolvePhrase(r, plan.speaker, true, true);
    r.current = null;
    if (d === 'first-person') firstPerson.push(i);
    else {
      speaker[i] = d;
      if (d) r.state.lastSpeaker = d;
    }
  }
  // "I" and "we" inside a quotation: the speaker of the attribution whose content holds them.
  const byId = new Map(attributions.map((a, i) => [a.id, i]));
  const holders = firstPerson.length ? contentIndex(attributions) : null;
  for (const i of firstPerson) {
    const a = attributions[i];
    const at = a.source!.spans[0][0];
    const holder0 = lastHolder(holders!, attributions, at, (j) => j !== i && !!speaker[j]);
    const holder = holder0 < 0 && a.parent ? byId.get(a.parent) ?? -1 : holder0;
    if (holder >= 0 && speaker[holder]) {
      speaker[i] = speaker[holder];
      speaker[i]!.ranges.push([a.source!.spans[0][0], a.source!.spans[0][1]]);
    } else {
      const [ts, te] = tokensIn(doc, a.source!.spans[0][0], a.source!.spans[0][1]);
      const d = resolvePhrase(r, [ts, te], true, false);
      speaker[i] = d === 'first-person' ? null : d;
    }
  }
  // Nesting: words inside another attribution's content reach the writer through its speaker.
  const viaOf = (i: number, depth: number): EntityDraft[] => {
    const a = attributions[i];
    const p = a.parent ? byId.get(a.parent) : undefined;
    if (p === undefined || depth > 8) return via[i];
    const outer = [...viaOf(p, depth + 1)];
    if (speaker[p]) outer.push(speaker[p]!);
    return [...outer, ...via[i]].filter((d, k, all) => all.indexOf(d) === k && d !== speaker[i]);
  };
  const finalVia = attributions.map((_, i) => viaOf(i, 0));
  const used: EntityDraft[] = [];
  for (let i = 0; i < attributions.length; i++) {
    if (speaker[i]) used.push(speaker[i]!);
    used.push(...finalVia[i]);
  }
  const { entities, ids } = toEntities(used);
  const out = attributions.map((a, i) => ({
    ...a,
    ...(spans[i] ?? {}),
    speaker: speaker[i] ? ids.get(speaker[i]!) ?? null : null,
    via: finalVia[i].map((d) => ids.get(d)!).filter(Boolean),
    hedged: hedged[i],
  }));
  return { attributions: out, entities };
}
