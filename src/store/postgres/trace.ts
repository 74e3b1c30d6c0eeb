/** The quote/claim index on PostgreSQL: written inside addPrepared's transaction, read by trace. */
import type pg from 'pg';
import type { Analysis } from '../../core/types.js';
import { traceEntries, type PreparedDocument } from '../rows.js';
import { DEFAULT_CLAIM_THRESHOLD, entriesByOrd, planTraceIndex, traceItems, type StoredAttributionRow, type TraceItem } from '../trace-index.js';
import type { TraceKind } from '../trace-keys.js';
import { toOccurrence, traceSql, type CandRow, type ClusterSummary, type OccRow, type OccurrenceRow, type TraceStore } from '../trace-sql.js';

const SQL = traceSql('postgres');

type Query = <R extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<R[]>;

/** Indexes the attributions of the documents just inserted (docOf: hash → doc). Call inside the transaction. */
export async function indexTraces(c: pg.PoolClient, fresh: PreparedDocument[], docOf: Map<string, number>, threshold = DEFAULT_CLAIM_THRESHOLD): Promise<void> {
  const withTrace = fresh.filter((p) => p.trace?.length);
  if (!withTrace.length) return;
  const docs = withTrace.map((p) => docOf.get(p.hash)!);
  const rows = await attributionRows(c, docs);
  const byDoc = new Map(withTrace.map((p) => [docOf.get(p.hash)!, entriesByOrd(p.trace)]));
  const items = traceItems(rows, (r) => byDoc.get(Number(r.doc)));
  await indexItems(c, items, threshold);
}

/**
 * Builds the index again from every stored analysis, in storage order: for stores written before the
 * index existed (the trace_rebuild marker of migration 7). Call inside a transaction.
 */
export async function rebuildTraces(c: pg.PoolClient, threshold = DEFAULT_CLAIM_THRESHOLD): Promise<void> {
  await c.query(`TRUNCATE trace_keys, trace_members, trace_clusters`);
  let after = 0;
  for (;;) {
    const docs = (await c.query<{ doc: string; analysis: string }>(`SELECT doc, analysis FROM documents WHERE doc > $1 ORDER BY doc LIMIT 200`, [after])).rows;
    if (!docs.length) break;
    const entries = new Map(docs.map((d) => [Number(d.doc), entriesByOrd(traceEntries(JSON.parse(d.analysis) as Analysis))]));
    const rows = await attributionRows(c, docs.map((d) => Number(d.doc)));
    const items = traceItems(rows, (r) => entries.get(Number(r.doc)));
    await indexItems(c, items, threshold);
    after = Number(docs[docs.length - 1].doc);
  }
}

/** The stored attributions of these documents, as the index reads them. */
async function attributionRows(c: pg.PoolClient, docs: number[]): Promise<StoredAttributionRow[]> {
  return (await c.query<StoredAttributionRow>(`SELECT rid, doc, ord, kind, content_text FROM attributions WHERE doc = ANY($1::bigint[])`, [docs])).rows;
}

/** Matches these attributions against the index and writes their keys and clusters. */
async function indexItems(c: pg.PoolClient, items: TraceItem[], threshold: number): Promise<void> {
  // In row order, as SQLite indexes them: earlier rows are the older members.
  items.sort((a, b) => a.rid - b.rid);
  if (!items.length) return;
  const keys = [...new Set(items.flatMap((i) => i.keys))];
  const postings = (await c.query<{ key: string; rid: string }>(SQL.postings, [keys])).rows.map((p) => ({ key: Number(p.key), rid: Number(p.rid) }));
  const rids = [...new Set(postings.map((p) => p.rid))];
  const cands = rids.length ? (await c.query<CandRow>(SQL.candidates, [rids])).rows : [];
  const plan = planTraceIndex(
    items,
    postings,
    cands.map((x) => ({ rid: Number(x.rid), doc: Number(x.doc), kind: x.trace_kind as TraceKind, cluster: Number(x.cluster), attrKind: x.kind, content: x.content_text })),
    threshold,
  );
  if (plan.keys.length) {
    await c.query(`INSERT INTO trace_keys (key, rid) SELECT * FROM unnest($1::bigint[], $2::bigint[]) ON CONFLICT DO NOTHING`, [
      plan.keys.map((k) => k.key),
      plan.keys.map((k) => k.rid),
    ]);
  }
  await c.query(
    `INSERT INTO trace_members (rid, cluster, doc, kind, via) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) ON CONFLICT DO NOTHING`,
    [plan.members.map((m) => m.rid), plan.members.map((m) => m.cluster), plan.members.map((m) => m.doc), plan.members.map((m) => m.kind), plan.members.map((m) => m.via)],
  );
  // Sorted, so that concurrent writers take the cluster rows' locks in the same order.
  const clusters = [...plan.clusters].sort((a, b) => a[0] - b[0]);
  await c.query(
    `INSERT INTO trace_clusters (cluster, kind, size) SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[])
     ON CONFLICT (cluster) DO UPDATE SET size = trace_clusters.size + excluded.size`,
    [clusters.map((x) => x[0]), clusters.map((x) => x[1].kind), clusters.map((x) => x[1].added)],
  );
}

export class PgTraceIndex implements TraceStore {
  constructor(private readonly query: Query) {}

  async lookup(keys: number[], limit = 5000): Promise<number[]> {
    if (!keys.length) return [];
    return (await this.query<{ rid: string }>(SQL.lookup, [keys, limit])).map((r) => Number(r.rid));
  }

  async members(cluster: number, limit = 5000): Promise<number[]> {
    return (await this.query<{ rid: string }>(SQL.members, [cluster, limit])).map((r) => Number(r.rid));
  }

  async occurrences(rids: number[]): Promise<OccurrenceRow[]> {
    if (!rids.length) return [];
    return (await this.query<OccRow>(SQL.occurrences, [rids])).map(toOccurrence);
  }

  async findAttribution(doc: string, attrId: string): Promise<OccurrenceRow | null> {
    const r = (await this.query<OccRow>(SQL.findAttribution, [attrId, doc, doc, doc]))[0];
    return r ? toOccurrence(r) : null;
  }

  async topClusters(options: { limit?: number; kind?: TraceKind } = {}): Promise<ClusterSummary[]> {
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 20)));
    const kind = options.kind ?? '';
    const top = (await this.query<{ cluster: string; kind: TraceKind; size: number }>(SQL.topClusters, [kind, kind, limit * 4])).map((t) => ({
      cluster: Number(t.cluster),
      kind: t.kind,
      size: Number(t.size),
    }));
    if (!top.length) return [];
    const spread = new Map(
      (await this.query<{ cluster: string; docs: number; outlets: number }>(SQL.clusterSpread, [top.map((t) => t.cluster)])).map((r) => [Number(r.cluster), r]),
    );
    const roots = new Map((await this.occurrences(top.map((t) => t.cluster))).map((o) => [o.rid, o]));
    return top
      .map((t) => ({
        ...t,
        documents: Number(spread.get(t.cluster)?.docs ?? 0),
        outlets: Number(spread.get(t.cluster)?.outlets ?? 0),
        root: roots.get(t.cluster) ?? null,
      }))
      .filter((c) => c.documents > 1)
      .sort((a, b) => b.outlets - a.outlets || b.documents - a.documents || a.cluster - b.cluster)
      .slice(0, limit);
  }
}
