import type { Attribution, Doc, Entity } from '../core/types.js';
import { indexDoc, readSource, tokensIn, PRONOUNS, type DocIndex, type SourceInfo } from './mentions.js';
import { clusterNames, toEntities, type EntityDraft, type EntityTable } from './entities.js';
import { addAntecedent, buildCorefContext, resolveNominal, resolvePronoun, type CorefContext } from './coref.js';
import { planRelay } from './relays.js';
import { isHedged } from './hedges.js';
import { ANONYMOUS_HEADS, PERSON_ROLES } from '../nlp/lexicons/roles.js';
import { MEDIA_NOMINALS } from '../nlp/lexicons/organizations.js';
import { foldName } from './names.js';

export interface SpeakerLayer {
  attributions: Attribution[];
  entities: Entity[];
}

export { indexDoc, readSource } from './mentions.js';
export { clusterNames } from './entities.js';
export { planRelay } from './relays.js';
export { isHedged } from './hedges.js';
export { nameParts, personNamesMatch, nameTokenKey } from './names.js';

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
    } else if (src.kind === 'nominal') {
      if (ANONYMOUS_HEADS.has(src.head) && !['spokesman', 'spokeswoman', 'spokesperson'].includes(src.head)) {
        type = 'anonymous';
        anonymous = true;
      } else if (MEDIA_NOMINALS.has(src.head)) type = 'media';
      else if (PERSON_ROLES.has(src.head)) type = 'person';
      else type = 'organization';
    } else if (src.kind === 'group') type = 'organization';
    else if (src.kind === 'pronoun') type = src.plural ? 'other' : 'person';
    return table.create({ name: text, type, anonymous, plural: src.plural, descriptors: new Set(src.text !== src.headText || anonymous ? [src.text] : []) });
  });
}

interface Resolver {
  ix: DocIndex;
  table: EntityTable;
  ctx: CorefContext;
}

/** Resolves one phrase (token range) to a draft, recording the mention. */
function resolvePhrase(r: Resolver, range: [number, number], spoke: boolean, deferFirstPerson: boolean): EntityDraft | null | 'first-person' {
  const src = readSource(r.ix, range[0], range[1]);
  if (!src) return null;
  const sentence = r.ix.doc.tokens[src.tokStart].sentence;
  let d: EntityDraft | null = null;
  switch (src.kind) {
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
      d = resolvePronoun(r.ctx, src, sentence) ?? unnamedDraft(r.table, src);
      break;
    }
    case 'nominal':
      d = resolveNominal(r.ctx, src, sentence) ?? unnamedDraft(r.table, src);
      break;
    default:
      d = unnamedDraft(r.table, src);
  }
  if (!d) return null;
  for (const x of src.descriptors) if (src.kind === 'name' || d.anonymous) d.descriptors.add(x);
  d.ranges.push([src.start, src.end]);
  addAntecedent(r.ctx, d, src.start, src.end, spoke);
  return d;
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
export function resolveSpeakers(doc: Doc, attributions: Attribution[]): SpeakerLayer {
  if (!attributions.length || !doc.tokens.length) return { attributions, entities: [] };
  const ix = indexDoc(doc);
  const table = clusterNames(ix);
  const ctx = buildCorefContext(ix, table);
  const r: Resolver = { ix, table, ctx };
  const order = attributions.map((a, i) => i).sort((x, y) => posOf(attributions[x]) - posOf(attributions[y]));
  const speaker: (EntityDraft | null)[] = new Array(attributions.length).fill(null);
  const via: EntityDraft[][] = attributions.map(() => []);
  const hedged: boolean[] = new Array(attributions.length).fill(false);
  const firstPerson: number[] = [];
  for (const i of order) {
    const a = attributions[i];
    const plan = planRelay(ix, a);
    hedged[i] = a.hedged || isHedged(ix, a, plan);
    for (const v of plan.via) {
      const d = resolvePhrase(r, v, true, false);
      if (d && d !== 'first-person') via[i].push(d);
    }
    for (const ni of plan.viaNames) {
      const d = table.byMention.get(ix.names[ni]);
      if (d && !via[i].includes(d)) via[i].push(d);
    }
    if (plan.agentless || !plan.speaker) continue;
    const d = resolvePhrase(r, plan.speaker, true, true);
    if (d === 'first-person') firstPerson.push(i);
    else speaker[i] = d;
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
    speaker: speaker[i] ? ids.get(speaker[i]!) ?? null : null,
    via: finalVia[i].map((d) => ids.get(d)!).filter(Boolean),
    hedged: hedged[i],
  }));
  return { attributions: out, entities };
}
