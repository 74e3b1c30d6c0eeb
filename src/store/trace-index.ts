/**
 * Incremental quote/claim clustering, engine-neutral: what to write for a batch of newly stored
 * attributions, given what the index already holds for their keys. Each engine reads the postings and
 * candidates with two indexed queries per batch (never a scan), calls `planTraceIndex`, and writes its rows
 * in the same transaction as the documents.
 *
 * An attribution joins the cluster of the oldest verified match (same quote, word by word; or a claim at
 * least `threshold` similar), or starts its own cluster (named by its own row id). Clusters only rank the
 * widest-spread traces; a trace itself is recomputed against its root at query time.
 */
import { compared, POSTING_CAP, sameTrace, traceWords, type Compared, type TraceEntry, type TraceKind } from './trace-keys.js';

export const DEFAULT_CLAIM_THRESHOLD = 0.5;

/** A newly stored attribution with index keys. */
export interface TraceItem {
  rid: number;
  doc: number;
  kind: TraceKind;
  keys: number[];
  /** The attribution's kind and content text (for verification). */
  attrKind: string;
  content: string;
  /** Names of the relays (the analysis's `via`, resolved to entity names). */
  via: string[];
}

/** An attribution's index entry with the names of its relays (what row preparation computes). */
export type IndexEntry = TraceEntry & { via: string[] };

/** A stored attribution row as both engines read it back (PostgreSQL returns bigint ids as strings). */
export interface StoredAttributionRow {
  rid: number | string;
  doc: number | string;
  ord: number;
  kind: string;
  content_text: string;
}

/** A document's index entries by attribution ordinal. */
export function entriesByOrd(trace: readonly IndexEntry[]): Map<number, IndexEntry> {
  return new Map(trace.map((t) => [t.ord, t]));
}

/** The index items of stored attribution rows that have an entry in their document's entries. */
export function traceItems<R extends StoredAttributionRow>(rows: readonly R[], entriesOf: (row: R) => ReadonlyMap<number, IndexEntry> | undefined): TraceItem[] {
  const items: TraceItem[] = [];
  for (const r of rows) {
    const t = entriesOf(r)?.get(r.ord);
    if (t) items.push({ rid: Number(r.rid), doc: Number(r.doc), kind: t.kind, keys: t.keys, attrKind: r.kind, content: r.content_text, via: t.via });
  }
  return items;
}

/** A stored attribution that shares a key with a new one. */
export interface TraceCandidate {
  rid: number;
  doc: number;
  kind: TraceKind;
  cluster: number;
  attrKind: string;
  content: string;
}

export interface TracePlan {
  keys: { key: number; rid: number }[];
  members: { rid: number; cluster: number; doc: number; kind: TraceKind; via: string }[];
  /** Members added per cluster (new clusters included). */
  clusters: Map<number, { kind: TraceKind; added: number }>;
}

export function planTraceIndex(
  items: TraceItem[],
  postings: { key: number; rid: number }[],
  candidates: TraceCandidate[],
  threshold = DEFAULT_CLAIM_THRESHOLD,
): TracePlan {
  const byKey = new Map<number, number[]>();
  for (const p of postings) {
    const l = byKey.get(p.key);
    if (l) l.push(p.rid);
    else byKey.set(p.key, [p.rid]);
  }
  // Candidates' words (and claims' shingles) are worked out once, when first compared.
  const known = new Map<number, { doc: number; kind: TraceKind; cluster: number; attrKind: string; content: string; cmp?: Compared }>();
  for (const c of candidates) known.set(c.rid, { doc: c.doc, kind: c.kind, cluster: c.cluster, attrKind: c.attrKind, content: c.content });
  const plan: TracePlan = { keys: [], members: [], clusters: new Map() };
  for (const it of items) {
    // Worked out only when there is something to compare with: most attributions share no key.
    let cmp: Compared | undefined;
    const seen = new Set<number>();
    let cluster = Infinity;
    for (const k of it.keys) {
      for (const rid of byKey.get(k) ?? []) {
        if (seen.has(rid)) continue;
        seen.add(rid);
        const c = known.get(rid);
        if (!c || c.doc === it.doc || c.kind !== it.kind || c.cluster >= cluster) continue;
        c.cmp ??= compared(c.kind, traceWords(c.attrKind, c.content).words);
        cmp ??= compared(it.kind, traceWords(it.attrKind, it.content).words);
        if (sameTrace(it.kind, cmp, c.cmp, threshold)) cluster = c.cluster;
      }
    }
    if (cluster === Infinity) cluster = it.rid;
    plan.members.push({ rid: it.rid, cluster, doc: it.doc, kind: it.kind, via: JSON.stringify(it.via) });
    const cl = plan.clusters.get(cluster);
    if (cl) cl.added++;
    else plan.clusters.set(cluster, { kind: it.kind, added: 1 });
    known.set(it.rid, { doc: it.doc, kind: it.kind, cluster, attrKind: it.attrKind, content: it.content, cmp });
    for (const k of it.keys) {
      const l = byKey.get(k);
      if (l && l.length >= POSTING_CAP) continue;
      if (l) l.push(it.rid);
      else byKey.set(k, [it.rid]);
      plan.keys.push({ key: k, rid: it.rid });
    }
  }
  return plan;
}
