/** The quote/claim index's reads, shared by both engines; lists of ids travel as one parameter. */
import type { Engine, HitRow } from './sql.js';
import { numbered } from './sql.js';
import type { TraceKind } from './trace-keys.js';

/** One occurrence of a quote or claim: an attribution with its document's metadata. */
export interface OccurrenceRow {
  rid: number;
  document: { hash: string; id: string; title: string | null; outlet: string | null; url: string | null; published: string | null };
  attribution: {
    id: string;
    kind: string;
    source: string | null;
    cue: string;
    content: string;
    speaker: { name: string; type: string } | null;
    anonymous: boolean;
    hedged: boolean;
    confidence: number;
    /** Relays named in the article, nearest to the writer first. */
    via: string[];
  };
  /** The index's view: the cluster it joined when stored (null when not indexed: too short). */
  cluster: number | null;
  traceKind: TraceKind | null;
}

export interface ClusterSummary {
  cluster: number;
  kind: TraceKind;
  /** Attributions in the cluster. */
  size: number;
  documents: number;
  outlets: number;
  /** The cluster's first member (its root). */
  root: OccurrenceRow | null;
}

/** The quote/claim index, read side (what `trace` and `traces` need). */
export interface TraceStore {
  /** Attributions indexed under any of these keys (at most `limit`). */
  lookup(keys: number[], limit?: number): Promise<number[]>;
  /** Members of a cluster (at most `limit`). */
  members(cluster: number, limit?: number): Promise<number[]>;
  occurrences(rids: number[]): Promise<OccurrenceRow[]>;
  /** An attribution by its document (id or hash) and attribution id. */
  findAttribution(doc: string, attrId: string): Promise<OccurrenceRow | null>;
  /** The clusters spread over the most outlets, then documents. */
  topClusters(options?: { limit?: number; kind?: TraceKind }): Promise<ClusterSummary[]>;
}

/** "IN (…)" over a list passed as one parameter: a JSON array in SQLite, an array in PostgreSQL. */
export function idList(engine: Engine): string {
  return engine === 'sqlite' ? `(SELECT value FROM json_each(?))` : `(SELECT unnest(?::bigint[]))`;
}

export function listParam(engine: Engine, ids: number[]): unknown {
  return engine === 'sqlite' ? JSON.stringify(ids) : ids;
}

function q(engine: Engine, sql: string): string {
  return engine === 'postgres' ? numbered(sql) : sql;
}

const OCC_COLUMNS = `a.rid, d.hash, d.id, d.title, d.outlet, d.url, d.published, a.attr_id, a.kind, a.source_text, a.cue_text,
  a.content_text, s.name AS speaker_name, s.type AS speaker_type, a.anonymous, a.hedged, a.confidence, m.cluster, m.kind AS trace_kind, m.via`;
const OCC_FROM = `attributions a JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id LEFT JOIN trace_members m ON m.rid = a.rid`;

export const traceSql = (engine: Engine) => ({
  lookup: q(engine, `SELECT DISTINCT rid FROM trace_keys WHERE key IN ${idList(engine)} LIMIT ?`),
  members: q(engine, `SELECT rid FROM trace_members WHERE cluster = ? ORDER BY rid LIMIT ?`),
  occurrences: q(engine, `SELECT ${OCC_COLUMNS} FROM ${OCC_FROM} WHERE a.rid IN ${idList(engine)}`),
  findAttribution: q(
    engine,
    `SELECT ${OCC_COLUMNS} FROM ${OCC_FROM} WHERE a.attr_id = ? AND a.doc = (SELECT doc FROM documents WHERE hash = ? OR id = ? ORDER BY (hash = ?) DESC, doc DESC LIMIT 1)`,
  ),
  topClusters: q(engine, `SELECT cluster, kind, size FROM trace_clusters WHERE size > 1 AND (? = '' OR kind = ?) ORDER BY size DESC, cluster LIMIT ?`),
  clusterSpread: q(
    engine,
    `SELECT m.cluster, count(DISTINCT m.doc) AS docs, count(DISTINCT coalesce(d.outlet, d.id)) AS outlets
     FROM trace_members m JOIN documents d ON d.doc = m.doc WHERE m.cluster IN ${idList(engine)} GROUP BY m.cluster`,
  ),
  // Writing side: postings and candidates for a batch's keys.
  postings: q(engine, `SELECT key, rid FROM trace_keys WHERE key IN ${idList(engine)}`),
  candidates: q(
    engine,
    `SELECT m.rid, m.doc, m.kind AS trace_kind, m.cluster, a.kind, a.content_text FROM trace_members m JOIN attributions a ON a.rid = m.rid
     WHERE m.rid IN ${idList(engine)}`,
  ),
});

/** An occurrence row: a search hit's columns (less the spans and speaker id) and the index's. */
export interface OccRow extends Omit<HitRow, 'content_spans' | 'speaker_id'> {
  rid: number | string;
  cluster: number | string | null;
  trace_kind: string | null;
  via: string | null;
}

export function toOccurrence(r: OccRow): OccurrenceRow {
  return {
    rid: Number(r.rid),
    document: { hash: r.hash, id: r.id, title: r.title, outlet: r.outlet, url: r.url, published: r.published },
    attribution: {
      id: r.attr_id,
      kind: r.kind,
      source: r.source_text,
      cue: r.cue_text,
      content: r.content_text,
      speaker: r.speaker_name === null ? null : { name: r.speaker_name, type: r.speaker_type ?? 'unresolved' },
      anonymous: !!r.anonymous,
      hedged: !!r.hedged,
      confidence: Number(r.confidence),
      via: r.via ? (JSON.parse(r.via) as string[]) : [],
    },
    cluster: r.cluster === null ? null : Number(r.cluster),
    traceKind: (r.trace_kind as TraceKind | null) ?? null,
  };
}

export interface CandRow {
  rid: number | string;
  doc: number | string;
  trace_kind: string;
  cluster: number | string;
  kind: string;
  content_text: string;
}
