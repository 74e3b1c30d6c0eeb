/** Engine-neutral preparation of rows from an analysis: what both engines insert. */
import type { Analysis, Attribution, Entity } from '../core/types.js';
import { documentSpeakers, normalizeName, withoutTitles, type SpeakerKey } from './speaker-identity.js';
import type { DocumentSummary, StoreInput } from './types.js';
import { traceEntry, type TraceEntry } from './trace-keys.js';

export { normalizeName, looksAnonymous, type SpeakerKey } from './speaker-identity.js';

export interface AttributionRow {
  attrId: string;
  ord: number;
  kind: string;
  sourceText: string | null;
  cueText: string;
  contentText: string;
  contentSpans: string;
  entityId: string | null;
  /** Index into PreparedDocument.speakers, or -1. */
  speaker: number;
  anonymous: boolean;
  parent: string | null;
  hedged: boolean;
  confidence: number;
}

export interface EntityRow {
  entityId: string;
  name: string;
  type: string;
  anonymous: boolean;
  speaker: number;
  json: string;
}

export interface PreparedDocument {
  hash: string;
  /** The key of the analysed content (the analysis is computed once per content; see identity.ts). */
  contentHash: string;
  /** Quote/claim index entries, with the names of each attribution's relays. */
  trace: (TraceEntry & { via: string[] })[];
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  input: string | null;
  locator: string | null;
  chars: number;
  text: string | null;
  analysisJson: string;
  nAttributions: number;
  nAnonymous: number;
  nDirect: number;
  speakers: SpeakerKey[];
  attributions: AttributionRow[];
  entities: EntityRow[];
}

/** A lone UTF-16 surrogate: no store can hold one (SQLite turned each into three U+FFFD, shifting offsets). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The string with each lone surrogate replaced by U+FFFD: one unit for one, so every offset stays right. */
export function wellFormed(s: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}

/** Every string in a JSON-able value made well-formed (for a text that had lone surrogates). */
function wellFormedDeep<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? wellFormed(x) : x))) as T;
}

/** The quote/claim index entries of an analysis, with the names of each attribution's relays. */
export function traceEntries(a: Analysis, entityById: Map<string, Entity> = new Map(a.entities.map((e) => [e.id, e]))): PreparedDocument['trace'] {
  const trace: PreparedDocument['trace'] = [];
  a.attributions.forEach((at, ord) => {
    // Outermost attributions only: a nested one's words are inside its parent's content, already indexed.
    if (at.parent !== null) return;
    const t = traceEntry(ord, at.kind, at.content.text);
    if (t) trace.push({ ...t, via: at.via.map((v) => entityById.get(v)?.name ?? v) });
  });
  return trace;
}

/** Turns a StoreInput into the rows both engines write. Speakers are one per real person or body (speaker-identity.ts). */
export function prepareDocument(input: StoreInput): PreparedDocument {
  // Text is text, lone surrogates too: stored as U+FFFD in the text and in every span and name taken
  // from it alike, so that spans still match the stored text. Checked once per document (rare).
  const source = input.text ?? input.analysis.document.text ?? '';
  const item: StoreInput = source !== wellFormed(source) ? { ...input, analysis: wellFormedDeep(input.analysis), ...(input.text != null ? { text: wellFormed(input.text) } : {}) } : input;
  const a: Analysis = item.analysis;
  const meta = item.meta ?? {};
  const ids = documentSpeakers(a, item.hash, item.text ?? a.document.text ?? null);
  const speakers = ids.speakers;
  const entityById = new Map<string, Entity>();
  const entityRows: EntityRow[] = [];
  for (const e of a.entities) {
    entityById.set(e.id, e);
    entityRows.push({
      entityId: e.id,
      name: e.name,
      type: e.type,
      anonymous: e.anonymous,
      speaker: ids.entity.get(e.id) ?? -1,
      json: JSON.stringify(e),
    });
  }
  let nAnonymous = 0;
  let nDirect = 0;
  const rows: AttributionRow[] = a.attributions.map((at: Attribution, ord) => {
    const ent = at.speaker ? entityById.get(at.speaker) : undefined;
    const speaker = ids.forAttribution(at);
    let anonymous = false;
    if (ent) anonymous = ent.anonymous || ent.type === 'anonymous';
    else if (at.source) anonymous = speaker >= 0 && speakers[speaker].type === 'anonymous';
    if (anonymous) nAnonymous++;
    if (at.kind === 'direct') nDirect++;
    return {
      attrId: at.id,
      ord,
      kind: at.kind,
      sourceText: at.source?.text ?? null,
      cueText: at.cue.text,
      contentText: at.content.text,
      contentSpans: JSON.stringify(at.content.spans),
      entityId: at.speaker,
      speaker,
      anonymous,
      parent: at.parent,
      hedged: at.hedged,
      confidence: at.confidence,
    };
  });
  // The stored analysis carries no text (kept in its own column) and no duplicated metadata.
  const { text: _t, ...docInfo } = a.document;
  void _t;
  const analysisJson = JSON.stringify({ ...a, document: docInfo });
  const trace = traceEntries(a, entityById);
  return {
    hash: item.hash,
    contentHash: item.contentHash ?? item.hash,
    trace,
    id: a.document.id,
    title: a.document.title ?? null,
    url: meta.url ?? null,
    outlet: meta.outlet ?? null,
    published: meta.published ?? null,
    input: meta.input ?? null,
    locator: meta.locator ?? null,
    chars: a.document.chars,
    text: item.text ?? a.document.text ?? null,
    analysisJson,
    nAttributions: rows.length,
    nAnonymous,
    nDirect,
    speakers,
    attributions: rows,
    entities: entityRows,
  };
}

/** Padded for whole-word LIKE matching: " donald trump ". */
export function padded(norm: string): string {
  return ` ${norm} `;
}

/** Escapes LIKE wildcards (escape character "\"). */
export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The LIKE pattern that finds `name` as whole words inside a padded normalised name. Speakers'
 * names and aliases carry no titles, so a query's leading titles are dropped ("Capt. Maria Okonkwo-Hale"). */
export function speakerPattern(name: string): string | null {
  const norm = normalizeName(withoutTitles(name));
  return norm ? `% ${escapeLike(norm)} %` : null;
}

/** Words of a free-text query, as the FTS engines see them (letters and digits only). */
export function queryWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** An FTS5 MATCH expression in which every user word is a quoted string: no FTS syntax gets through. */
export function fts5Query(text: string): string | null {
  const words = queryWords(text);
  if (!words.length) return null;
  return words.map((w) => `"${w.replace(/"/g, '""')}"`).join(' AND ');
}

/**
 * A date bound as the store compares it: a calendar date YYYY-MM-DD that exists (no 2024-02-31) or
 * a full ISO date-time. Anything else is refused by the callers (a 400, a one-line CLI error), never
 * left to throw inside `dateBounds`.
 */
export function isDateBound(value: string): boolean {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) {
    const d = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.getUTCFullYear() === Number(day[1]) && d.getUTCMonth() + 1 === Number(day[2]) && d.getUTCDate() === Number(day[3]);
  }
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value));
}

/** Bounds on `published` as string comparisons: [lower inclusive, upper exclusive-or-inclusive]. */
export function dateBounds(since?: string, until?: string): { since?: string; untilExclusive?: string; untilInclusive?: string } {
  const out: { since?: string; untilExclusive?: string; untilInclusive?: string } = {};
  if (since) out.since = since;
  if (until) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(until) && isDateBound(until)) {
      const d = new Date(`${until}T00:00:00Z`);
      d.setUTCDate(d.getUTCDate() + 1);
      out.untilExclusive = d.toISOString().slice(0, 10);
    } else out.untilInclusive = until;
  }
  return out;
}

/** Reads a publication date: ISO 8601 when it parses, the trimmed string otherwise. */
export function normalizePublished(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  const s = String(v).trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const t = Date.parse(s);
  // Not a date ("last Tuesday"): unknown, rather than a string that date filters would compare as text.
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/** Lower case without diacritics: what PostgreSQL's word index holds (FTS5 does the same itself). */
export function searchFold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Merges the stored analysis with the document's metadata and text: the whosaid/1 JSON, extended. */
export function restoreAnalysis(analysisJson: string, r: { hash: string; url: string | null; outlet: string | null; published: string | null }, text: string | null): Analysis {
  const a = JSON.parse(analysisJson) as Analysis;
  a.document = {
    ...a.document,
    ...(r.url ? { url: r.url } : {}),
    ...(r.outlet ? { outlet: r.outlet } : {}),
    ...(r.published ? { published: r.published } : {}),
    hash: r.hash,
    ...(text !== null ? { text } : {}),
  };
  return a;
}

/** A documents row as both engines select it (DOC_COLUMNS). */
export interface DocRow {
  doc: number;
  hash: string;
  id: string;
  title: string | null;
  url: string | null;
  outlet: string | null;
  published: string | null;
  input: string | null;
  locator: string | null;
  chars: number;
  n_attributions: number;
  added_at: string;
}

export function summary(r: DocRow): DocumentSummary {
  return {
    hash: r.hash,
    id: r.id,
    title: r.title,
    outlet: r.outlet,
    url: r.url,
    published: r.published,
    chars: r.chars,
    attributions: r.n_attributions,
    addedAt: r.added_at,
  };
}

export const DOC_COLUMNS = `doc, hash, id, title, url, outlet, published, input, locator, chars, n_attributions, added_at`;
