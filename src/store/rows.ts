/** Engine-neutral preparation of rows from an analysis: what both engines insert. */
import type { Analysis, Attribution, Entity } from '../core/types.js';
import { documentSpeakers, normalizeName, withoutTitles, type SpeakerKey } from './speaker-identity.js';
import type { DocumentSummary, StoreInput } from './types.js';

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

/** Turns a StoreInput into the rows both engines write. Speakers are one per real person or body (identity.ts). */
export function prepareDocument(item: StoreInput): PreparedDocument {
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
  return {
    hash: item.hash,
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

/** Bounds on `published` as string comparisons: [lower inclusive, upper exclusive-or-inclusive]. */
export function dateBounds(since?: string, until?: string): { since?: string; untilExclusive?: string; untilInclusive?: string } {
  const out: { since?: string; untilExclusive?: string; untilInclusive?: string } = {};
  if (since) out.since = since;
  if (until) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(until)) {
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
  return Number.isNaN(t) ? s : new Date(t).toISOString();
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
