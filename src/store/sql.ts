/** SQL shared by both engines, written with "?" placeholders (PostgreSQL's are numbered by `numbered`). */
import type { GenderLabel, RoleCategory, SearchQuery, SearchHit, SpeakerType } from './types.js';
import { dateBounds, fts5Query, queryWords, searchFold, speakerPattern } from './rows.js';

export type Engine = 'sqlite' | 'postgres';

/** Rewrites "?" placeholders as $1, $2, … (our SQL has no "?" anywhere else). */
export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export const HIT_COLUMNS = `d.hash, d.id, d.title, d.outlet, d.url, d.published,
  a.attr_id, a.kind, a.source_text, a.cue_text, a.content_text, a.content_spans,
  a.speaker_id, s.name AS speaker_name, s.type AS speaker_type, s.gender AS speaker_gender, s.role AS speaker_role,
  a.anonymous, a.hedged, a.confidence`;

/** Builds the search query; every user value is a parameter. Returns null when a filter cannot match. */
export function buildSearch(engine: Engine, q: SearchQuery): { sql: string; params: unknown[] } | null {
  const where: string[] = [];
  const params: unknown[] = [];
  let from = `attributions a JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id`;
  let order: string | null = null;
  if (q.speaker !== undefined) {
    const pat = speakerPattern(q.speaker);
    if (!pat) return null;
    where.push(`a.speaker_id IN (SELECT id FROM speakers WHERE padded LIKE ? ESCAPE '\\'
      UNION SELECT speaker_id FROM speaker_aliases WHERE padded LIKE ? ESCAPE '\\')`);
    params.push(pat, pat);
  }
  if (q.text !== undefined) {
    if (engine === 'sqlite') {
      const m = fts5Query(q.text);
      if (!m) return null;
      from = `attributions_fts JOIN attributions a ON a.rid = attributions_fts.rowid JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id`;
      where.push(`attributions_fts MATCH ?`);
      params.push(m);
      order = `attributions_fts.rowid DESC`;
    } else {
      const words = queryWords(q.text);
      if (!words.length) return null;
      where.push(`a.search @@ plainto_tsquery('simple', ?)`);
      params.push(words.map(searchFold).join(' '));
    }
  }
  if (q.outlet !== undefined) {
    // Outlet names come from feeds and URLs in any case ("Reuters", "reuters"): match them alike.
    where.push(`lower(d.outlet) = lower(?)`);
    params.push(q.outlet);
  }
  if (q.anonymous) where.push(engine === 'sqlite' ? `a.anonymous = 1` : `a.anonymous`);
  const b = dateBounds(q.since, q.until);
  if (b.since) {
    where.push(`d.published >= ?`);
    params.push(b.since);
  }
  if (b.untilExclusive) {
    where.push(`d.published < ?`);
    params.push(b.untilExclusive);
  }
  if (b.untilInclusive) {
    where.push(`d.published <= ?`);
    params.push(b.untilInclusive);
  }
  const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 50)));
  const offset = Math.max(0, Math.floor(q.offset ?? 0));
  params.push(limit, offset);
  // Two steps: pick the page of attribution ids with as little as possible (indexes only, where they
  // cover the filters), then fetch the full rows of that page alone.
  const dated = !!b.since || !!b.untilExclusive || !!b.untilInclusive;
  const needsDoc = q.outlet !== undefined || dated;
  // Newest first: by document (then by date when filtering on dates), an order the indexes can give
  // without sorting every match; word search keeps the word index's own order (newest first too).
  if (!order) order = !needsDoc ? 'a.doc DESC, a.rid DESC' : dated ? 'd.published DESC, d.doc DESC, a.rid DESC' : 'd.doc DESC, a.rid DESC';
  // Oldest first walks the same indexes the other way.
  if (q.order === 'oldest') order = order.replace(/ DESC/g, ' ASC');
  const outerOrder = order.startsWith('attributions_fts') ? order.replace('attributions_fts.rowid', 'a.rid') : order;
  const inner = `SELECT a.rid FROM ${from.replace(' LEFT JOIN speakers s ON s.id = a.speaker_id', '').replace(
    ' JOIN documents d ON d.doc = a.doc',
    needsDoc ? ' JOIN documents d ON d.doc = a.doc' : '',
  )}
    ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order} LIMIT ? OFFSET ?`;
  const sql = `SELECT ${HIT_COLUMNS} FROM attributions a JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id
    WHERE a.rid IN (${inner}) ORDER BY ${outerOrder}`;
  return { sql: engine === 'postgres' ? numbered(sql) : sql, params };
}

/** A search result row (both engines name columns the same). */
export interface HitRow {
  hash: string;
  id: string;
  title: string | null;
  outlet: string | null;
  url: string | null;
  published: string | null;
  attr_id: string;
  kind: string;
  source_text: string | null;
  cue_text: string;
  content_text: string;
  content_spans: string;
  speaker_id: number | string | null;
  speaker_name: string | null;
  speaker_type: string | null;
  speaker_gender: string | null;
  speaker_role: string | null;
  anonymous: number | boolean;
  hedged: number | boolean;
  confidence: number;
}

export function toHit(r: HitRow): SearchHit {
  return {
    document: { hash: r.hash, id: r.id, title: r.title, outlet: r.outlet, url: r.url, published: r.published },
    attribution: {
      id: r.attr_id,
      kind: r.kind as SearchHit['attribution']['kind'],
      source: r.source_text,
      cue: r.cue_text,
      content: r.content_text,
      contentSpans: JSON.parse(r.content_spans),
      speaker:
        r.speaker_id === null
          ? null
          : {
              id: Number(r.speaker_id), name: r.speaker_name ?? '', type: (r.speaker_type ?? 'unresolved') as SpeakerType,
              gender: (r.speaker_gender ?? 'unknown') as GenderLabel, role: (r.speaker_role ?? 'unknown') as RoleCategory,
            },
      anonymous: !!r.anonymous,
      hedged: !!r.hedged,
      confidence: Number(r.confidence),
    },
  };
}
