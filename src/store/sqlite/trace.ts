/** The quote/claim index on SQLite: written inside addPrepared's transaction, read by trace. */
import type Database from 'better-sqlite3';
import type { Analysis } from '../../core/types.js';
import { traceEntries, type PreparedDocument } from '../rows.js';
import { entriesByOrd, planTraceIndex, DEFAULT_CLAIM_THRESHOLD, traceItems, type StoredAttributionRow, type TraceItem } from '../trace-index.js';
import type { TraceKind } from '../trace-keys.js';
import { toOccurrence, traceSql, type CandRow, type ClusterSummary, type OccRow, type OccurrenceRow, type TraceStore } from '../trace-sql.js';

type DB = Database.Database;
const SQL = traceSql('sqlite');

export class SqliteTraceIndex implements TraceStore {
  private readonly st;

  constructor(private readonly db: DB, private readonly threshold = DEFAULT_CLAIM_THRESHOLD) {
    this.st = {
      newRows: db.prepare(`SELECT a.rid, a.doc, a.ord, a.kind, a.content_text, d.hash FROM attributions a JOIN documents d ON d.doc = a.doc WHERE a.rid > ?`),
      postings: db.prepare(SQL.postings),
      candidates: db.prepare(SQL.candidates),
      insertKey: db.prepare(`INSERT OR IGNORE INTO trace_keys (key, rid) VALUES (?, ?)`),
      insertMember: db.prepare(`INSERT OR IGNORE INTO trace_members (rid, cluster, doc, kind, via) VALUES (?, ?, ?, ?, ?)`),
      bumpCluster: db.prepare(`INSERT INTO trace_clusters (cluster, kind, size) VALUES (?, ?, ?) ON CONFLICT (cluster) DO UPDATE SET size = size + excluded.size`),
      lookup: db.prepare(SQL.lookup).pluck(),
      members: db.prepare(SQL.members).pluck(),
      occurrences: db.prepare(SQL.occurrences),
      findAttribution: db.prepare(SQL.findAttribution),
      topClusters: db.prepare(SQL.topClusters),
      clusterSpread: db.prepare(SQL.clusterSpread),
    };
  }

  /** Indexes the attributions stored in this transaction (row ids above `before`). Call inside it. */
  index(before: number, prepared: PreparedDocument[]): void {
    const entries = new Map(prepared.filter((p) => p.trace?.length).map((p) => [p.hash, entriesByOrd(p.trace)]));
    const rows = this.st.newRows.all(before) as (StoredAttributionRow & { hash: string })[];
    const items = traceItems(rows, (r) => entries.get(r.hash));
    this.indexItems(items);
  }

  /**
   * Builds the index again from every stored analysis, in storage order (so clusters come out as if the
   * documents had been indexed as they arrived): for stores written before the index existed (the
   * trace_rebuild marker of migration 8). Call inside a transaction.
   */
  rebuild(): void {
    this.db.exec(`DELETE FROM trace_keys; DELETE FROM trace_members; DELETE FROM trace_clusters;`);
    const page = this.db.prepare(`SELECT doc, analysis FROM documents WHERE doc > ? ORDER BY doc LIMIT 200`);
    const attrs = this.db.prepare(`SELECT rid, doc, ord, kind, content_text FROM attributions WHERE doc IN (SELECT value FROM json_each(?)) ORDER BY rid`);
    let after = 0;
    for (;;) {
      const docs = page.all(after) as { doc: number; analysis: string }[];
      if (!docs.length) break;
      const entries = new Map(docs.map((d) => [d.doc, entriesByOrd(traceEntries(JSON.parse(d.analysis) as Analysis))]));
      const items = traceItems(attrs.all(JSON.stringify(docs.map((d) => d.doc))) as StoredAttributionRow[], (r) => entries.get(Number(r.doc)));
      this.indexItems(items);
      after = docs[docs.length - 1].doc;
    }
  }

  /** Matches these attributions (in row order) against the index and writes their keys and clusters. */
  private indexItems(items: TraceItem[]): void {
    if (!items.length) return;
    const keys = [...new Set(items.flatMap((i) => i.keys))];
    const postings = this.st.postings.all(JSON.stringify(keys)) as { key: number; rid: number }[];
    const rids = [...new Set(postings.map((p) => p.rid))];
    const cands = rids.length ? (this.st.candidates.all(JSON.stringify(rids)) as CandRow[]) : [];
    const plan = planTraceIndex(
      items,
      postings,
      cands.map((c) => ({ rid: Number(c.rid), doc: Number(c.doc), kind: c.trace_kind as TraceKind, cluster: Number(c.cluster), attrKind: c.kind, content: c.content_text })),
      this.threshold,
    );
    for (const k of plan.keys) this.st.insertKey.run(k.key, k.rid);
    for (const m of plan.members) this.st.insertMember.run(m.rid, m.cluster, m.doc, m.kind, m.via);
    for (const [cluster, c] of plan.clusters) this.st.bumpCluster.run(cluster, c.kind, c.added);
  }

  async lookup(keys: number[], limit = 5000): Promise<number[]> {
    if (!keys.length) return [];
    return this.st.lookup.all(JSON.stringify(keys), limit) as number[];
  }

  async members(cluster: number, limit = 5000): Promise<number[]> {
    return this.st.members.all(cluster, limit) as number[];
  }

  async occurrences(rids: number[]): Promise<OccurrenceRow[]> {
    if (!rids.length) return [];
    return (this.st.occurrences.all(JSON.stringify(rids)) as OccRow[]).map(toOccurrence);
  }

  async findAttribution(doc: string, attrId: string): Promise<OccurrenceRow | null> {
    const r = this.st.findAttribution.get(attrId, doc, doc, doc) as OccRow | undefined;
    return r ? toOccurrence(r) : null;
  }

  async topClusters(options: { limit?: number; kind?: TraceKind } = {}): Promise<ClusterSummary[]> {
    const limit = Math.max(1, Math.min(1000, Math.floor(options.limit ?? 20)));
    const kind = options.kind ?? '';
    // The largest clusters by members, then ranked by spread (outlets, documents) among them.
    const top = this.st.topClusters.all(kind, kind, limit * 4) as { cluster: number; kind: TraceKind; size: number }[];
    if (!top.length) return [];
    const spread = new Map(
      (this.st.clusterSpread.all(JSON.stringify(top.map((t) => t.cluster))) as { cluster: number; docs: number; outlets: number }[]).map((r) => [Number(r.cluster), r]),
    );
    const roots = new Map((await this.occurrences(top.map((t) => t.cluster))).map((o) => [o.rid, o]));
    return top
      .map((t) => ({
        cluster: t.cluster,
        kind: t.kind,
        size: t.size,
        documents: Number(spread.get(t.cluster)?.docs ?? 0),
        outlets: Number(spread.get(t.cluster)?.outlets ?? 0),
        root: roots.get(t.cluster) ?? null,
      }))
      .filter((c) => c.documents > 1)
      .sort((a, b) => b.outlets - a.outlets || b.documents - a.documents || a.cluster - b.cluster)
      .slice(0, limit);
  }
}
