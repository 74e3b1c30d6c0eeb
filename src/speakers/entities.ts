/**
 * Entities: named mentions clustered into one draft per real speaker (name variants, surnames, titles
 * merged), and drafts for unnamed speakers. The drafts become whosaid/1 entities at the end.
 */
import type { Entity, EntityType, Range } from '../core/types.js';
import type { Gender } from '../nlp/lexicons/first-names.js';
import type { DocIndex, Mention } from './mentions.js';
import { acronymOf, foldName, nameParts, orgKey, personNamesMatch, type NameParts } from './names.js';

export interface EntityDraft {
  n: number;
  name: string;
  nameWords: number;
  type: EntityType | null;
  anonymous: boolean;
  gender: Gender | null;
  plural: boolean;
  place: boolean;
  aliases: Set<string>;
  descriptors: Set<string>;
  /** Mentions usable as antecedents, in text order as added. */
  mentions: Mention[];
  ranges: Range[];
  parts: NameParts | null;
  key: string;
  /** Unnamed drafts are keyed by their phrase: "officials" twice is one group. */
  phraseKey: string | null;
  /** Called by the given name alone somewhere ("Melania"). */
  givenOnly?: boolean;
}

export class EntityTable {
  readonly drafts: EntityDraft[] = [];
  readonly byMention = new Map<Mention, EntityDraft>();

  create(init: Partial<EntityDraft> & { name: string; type: EntityType | null }): EntityDraft {
    const d: EntityDraft = {
      n: this.drafts.length,
      nameWords: init.name.split(/\s+/).length,
      anonymous: false,
      gender: null,
      plural: false,
      place: false,
      aliases: new Set(),
      descriptors: new Set(),
      mentions: [],
      ranges: [],
      parts: null,
      key: orgKey(init.name),
      phraseKey: null,
      ...init,
    };
    this.drafts.push(d);
    return d;
  }

  attach(d: EntityDraft, m: Mention): void {
    this.byMention.set(m, d);
    d.mentions.push(m);
    d.ranges.push([m.start, m.end]);
    if (m.surface && m.kind === 'name') d.aliases.add(m.surface);
    if (m.kind === 'name' && m.name !== m.surface) d.aliases.add(m.name);
    for (const x of m.descriptors) d.descriptors.add(x);
    if (!d.gender && m.gender) d.gender = m.gender;
    if (m.type && (!d.type || (d.type !== 'person' && m.type === 'person' && !d.place))) d.type = m.type;
    if (m.place) d.place = d.place || d.mentions.length === 1;
  }

  private readonly byPhrase = new Map<string, EntityDraft>();

  /** Finds the unnamed draft already standing for this phrase, or makes one. */
  phrase(key: string, make: () => EntityDraft): EntityDraft {
    // A map, not a scan of every draft for every phrase (quadratic on a long document).
    const found = this.byPhrase.get(key);
    if (found) return found;
    const d = make();
    d.phraseKey = key;
    this.byPhrase.set(key, d);
    return d;
  }
}

function isOrgLike(t: EntityType | null): boolean {
  return t === 'organization' || t === 'media' || t === 'other';
}

/**
 * A name is compared with at most this many drafts, the most recent first: a news article has far
 * fewer entities, and comparing each name with every entity so far made long texts quadratic.
 */
const MAX_DRAFTS = 400;

/** Clusters the document's named mentions into drafts. */
export function clusterNames(ix: DocIndex): EntityTable {
  const table = new EntityTable();
  for (const m of ix.names) {
    const key = orgKey(m.name);
    let target: EntityDraft | null = null;
    const oldest = Math.max(0, table.drafts.length - MAX_DRAFTS);
    // Same written name: one entity (the most recent one, where several share it).
    for (let k = table.drafts.length - 1; k >= oldest && !target; k--) if (table.drafts[k].key === key) target = table.drafts[k];
    if (!target && isOrgLike(m.type)) {
      const acr = key.replace(/[^a-z]/g, '');
      for (let k = table.drafts.length - 1; k >= oldest && !target; k--) {
        const d = table.drafts[k];
        if (!isOrgLike(d.type) || d.place) continue;
        if ((acr.length >= 2 && acronymOf(d.name) === acr) || (d.key.length >= 2 && acronymOf(m.name) === d.key.replace(/[^a-z]/g, ''))) target = d;
      }
    }
    if (!target && (m.type === 'media' || m.type === 'organization') && !m.place) {
      // "The Post" after "The New York Post": a short form ending the longer name.
      for (let k = table.drafts.length - 1; k >= oldest && !target; k--) {
        const d = table.drafts[k];
        if ((d.type === m.type || (d.type === 'media' && m.type === 'organization')) && !d.place && d.key.endsWith(` ${key}`)) target = d;
      }
    }
    if (!target && (m.type === 'person' || m.type === null) && !m.place) {
      const parts = nameParts(m.name);
      const fits: EntityDraft[] = [];
      for (let k = table.drafts.length - 1; k >= oldest; k--) {
        const d = table.drafts[k];
        if (!d.parts || (d.type && d.type !== 'person')) continue;
        if (!personNamesMatch(d.parts, parts)) continue;
        // Two full names with different given names never merge; a gender clash never merges.
        if (m.gender && d.gender && m.gender !== d.gender) continue;
        fits.push(d);
      }
      // Several people share the surname ("Bill" and "Hillary Clinton"): the most salient one so far.
      target = fits.length > 1 && parts.all.length === 1 ? mostSalient(fits, m.sentence) : fits[0] ?? null;
    }
    if (!target) {
      target = table.create({ name: m.name, type: m.type, parts: m.type === 'person' || m.type === null ? nameParts(m.name) : null, place: m.place, plural: m.plural });
    } else if (target.parts && m.type !== 'organization' && m.type !== 'media') {
      const words = m.name.split(/\s+/).length;
      if (words > target.nameWords) {
        target.name = m.name;
        target.nameWords = words;
        target.parts = nameParts(m.name);
        target.key = orgKey(m.name);
      }
    }
    if (target.parts && target.parts.given.length && !m.name.includes(' ') && nameParts(m.name).surname === target.parts.given[0]) target.givenOnly = true;
    table.attach(target, m);
  }
  return table;
}

const MAX_SALIENT_MENTIONS = 200;

function mostSalient(ds: EntityDraft[], sentence: number): EntityDraft {
  let best = ds[0];
  let top = -Infinity;
  for (const d of ds) {
    let s = 0.3 * Math.log(1 + d.mentions.length);
    const last = d.mentions[d.mentions.length - 1];
    if (last) s -= 0.4 * Math.min(6, sentence - last.sentence);
    // The latest mentions only (MAX_SALIENT_MENTIONS): bounded work however often a name recurs.
    for (let k = Math.max(0, d.mentions.length - MAX_SALIENT_MENTIONS); k < d.mentions.length; k++) {
      const m = d.mentions[k];
      if (m.firstInSentence && !m.modifier && !m.possessive) s += 0.5;
    }
    // A person the writer calls by given name alone ("Melania") is not the one a bare surname means.
    if (d.givenOnly) s -= 1.5;
    if (s > top) {
      top = s;
      best = d;
    }
  }
  return best;
}

/** The whosaid/1 entities for the drafts that speak or relay, numbered in order of first mention. */
export function toEntities(drafts: EntityDraft[]): { entities: Entity[]; ids: Map<EntityDraft, string> } {
  const used = [...new Set(drafts)].sort((a, b) => firstAt(a) - firstAt(b));
  const ids = new Map<EntityDraft, string>();
  const entities: Entity[] = used.map((d, i) => {
    const id = `e${i + 1}`;
    ids.set(d, id);
    const aliases = [...d.aliases].filter((x) => x !== d.name);
    const seen = new Set<string>();
    const descriptors = [...d.descriptors].filter((x) => {
      const k = foldName(x);
      if (!x || seen.has(k) || k === foldName(d.name)) return false;
      seen.add(k);
      return true;
    });
    return {
      id,
      name: d.name,
      type: d.type ?? 'person',
      anonymous: d.anonymous,
      aliases,
      descriptors,
      mentions: mergeRanges(d.ranges),
      gender: (d.type ?? 'person') === 'person' && !d.plural ? (d.gender === 'f' ? 'female' : d.gender === 'm' ? 'male' : 'unknown') : 'unknown',
    };
  });
  return { entities, ids };
}

function firstAt(d: EntityDraft): number {
  let m = Infinity;
  for (const r of d.ranges) if (r[0] < m) m = r[0];
  return m;
}

function mergeRanges(rs: Range[]): Range[] {
  const s = rs.map((r) => [r[0], r[1]] as Range).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const r of s) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) last[1] = Math.max(last[1], r[1]);
    else if (!last || last[0] !== r[0] || last[1] !== r[1]) out.push(r);
  }
  return out;
}
