/**
 * A batch run: inputs streamed in, analysed in worker threads, written by one writer (this thread) in
 * batched transactions. Resumable and exact: documents are keyed by content hash, stored ones are skipped
 * before analysis, and each batch commits documents with their attributions and entities atomically, so
 * a run killed at any moment and started again ends with every document stored exactly once.
 */
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { contentHash } from '../store/index.js';
import { asOccurrence, occurrenceKey, withDocumentId } from '../store/identity.js';
import { normalizePublished, prepareDocument, type PreparedDocument } from '../store/rows.js';
import type { DocumentError, DocumentMeta, Store } from '../store/types.js';
import { planInputs, readSources, type Plan, type RawDoc, type RawItem } from './sources.js';
import { storeOutcome, WorkerPool, type Job, type JobResult } from './pool.js';

export interface BatchOptions {
  /** Worker threads (default: the number of cores). */
  workers?: number;
  /** Documents per transaction (default 200). */
  batchSize?: number;
  /** Documents per message to a worker (default 4). */
  chunkSize?: number;
  /** Largest document in bytes. */
  maxBytes?: number;
  /** Called often with the running counts (the CLI's progress bar). */
  onProgress?: (c: BatchCounts) => void;
  /** JSONL for "-" (default process.stdin). */
  stdin?: Readable;
  /** Stop early (the run ends cleanly with what is committed). */
  signal?: AbortSignal;
  /** Longest one document may take, in milliseconds (default 30 s; 0 for no limit): a document over it is recorded as an error. */
  budgetMs?: number;
}

export interface BatchCounts {
  /**
   * Documents done with: analysed (or failed) as each worker result arrives, skipped as already stored,
   * or refused on reading. Runs ahead of `stored`, which counts only at commit (progress shows both).
   */
  processed: number;
  /** Newly stored. */
  stored: number;
  /** Already in the store (skipped before analysis, or stored by a concurrent run). */
  skipped: number;
  /** Recorded as errors. */
  errors: number;
  /** Stored without analysis: the same text was analysed already (another name, outlet or URL). */
  reused: number;
  attributions: number;
  totalDocs: number | null;
  totalBytes: number | null;
  bytesRead: number;
  elapsedMs: number;
}

interface Pending {
  raw: RawDoc;
  hash: string;
  content: string;
}

/** A document read, with its keys (see keysOf). */
export interface Keyed {
  raw: RawDoc;
  hash: string;
  content: string;
  id: string;
}

/** Plans the inputs (throws InputPlanError for missing ones) and runs the batch. */
export async function runBatch(store: Store, inputs: string[], options: BatchOptions = {}): Promise<BatchCounts> {
  const plan = planInputs(inputs);
  return runPlan(store, plan, options);
}

/** The base key: a document file's bytes alone; a JSONL article's id and content (the key stores had before occurrences). */
export function hashOf(raw: RawDoc): string {
  if (raw.bytes) return contentHash(raw.bytes, null);
  return contentHash(raw.text ?? raw.html ?? '', raw.id);
}

/**
 * A document's keys: `hash`, the document (occurrence) key over its base key, id, outlet and URL, so the
 * same text under two names, outlets or URLs is two documents; `content`, the key of what is analysed
 * (bytes; or text/HTML with the title given), shared by every document with that text, so it is analysed once.
 */
export function keysOf(raw: RawDoc): Keyed {
  const base = hashOf(raw);
  const id = raw.id ?? base.slice(0, 16);
  const meta = metaOf(raw);
  const content = raw.bytes
    ? base
    : contentHash(raw.text ?? raw.html ?? '', `jsonl\u001f${raw.html !== undefined ? 'html' : 'text'}\u001f${raw.title === undefined ? 'detect' : JSON.stringify(raw.title)}`);
  return { raw, hash: occurrenceKey(base, id, meta.outlet, meta.url), content, id };
}

/** Documents whose content is being analysed in this run: the first (the leader) is analysed, the others copy it. */
type Leaders = Map<string, { prepared?: PreparedDocument; followers: Keyed[] }>;

function occurrenceOf(k: Keyed) {
  return { hash: k.hash, id: k.id, meta: metaOf(k.raw) };
}

export async function runPlan(store: Store, plan: Plan, options: BatchOptions = {}): Promise<BatchCounts> {
  const started = Date.now();
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const chunkSize = Math.max(1, options.chunkSize ?? 4);
  const counts: BatchCounts = {
    processed: 0, stored: 0, skipped: 0, errors: 0, reused: 0, attributions: 0,
    totalDocs: plan.totalDocs, totalBytes: plan.totalBytes, bytesRead: 0, elapsedMs: 0,
  };
  const progress = () => {
    counts.elapsedMs = Date.now() - started;
    options.onProgress?.(counts);
  };

  // Documents between reading and commit, by sequence number; hashes in flight (duplicates within a run).
  const pending = new Map<number, Pending>();
  const inFlightHashes = new Set<string>();
  const leaders: Leaders = new Map();
  let toWrite: PreparedDocument[] = [];
  let errorsToWrite: DocumentError[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const signal = () => {
    const w = wake;
    wake = null;
    w?.();
  };

  const pool = new WorkerPool(
    workers,
    (results: JobResult[]) => {
      for (const r of results) {
        const p = pending.get(r.seq);
        if (!p) continue;
        pending.delete(r.seq);
        counts.processed++;
        const o = storeOutcome(r);
        const leader = leaders.get(p.content);
        if ('prepared' in o) {
          toWrite.push(o.prepared);
          // The same text under other names: the analysis is reused, not recomputed.
          for (const f of leader?.followers ?? []) toWrite.push(asOccurrence(o.prepared, occurrenceOf(f)));
          if (leader) {
            leader.prepared = o.prepared;
            leader.followers = [];
          }
        } else {
          leaders.delete(p.content);
          for (const f of [{ raw: p.raw, hash: p.hash }, ...(leader?.followers ?? [])]) {
            inFlightHashes.delete(f.hash);
            errorsToWrite.push({ input: f.raw.input, locator: f.raw.locator, message: o.error, hash: f.hash });
          }
        }
      }
      progress();
      signal();
    },
    (err) => {
      failure = err;
      signal();
    },
    { budgetMs: options.budgetMs },
  );

  // The single writer: one transaction per batch; runs while reading goes on.
  let writing: Promise<void> = Promise.resolve();
  let writingNow = false;
  const flush = (force: boolean) => {
    if (writingNow || failure) return;
    if (!force && toWrite.length < batchSize && errorsToWrite.length < batchSize) return;
    if (!toWrite.length && !errorsToWrite.length) return;
    const docs = toWrite.splice(0, batchSize);
    const errs = errorsToWrite;
    errorsToWrite = [];
    writingNow = true;
    writing = (async () => {
      try {
        if (docs.length) {
          const r = await store.addPrepared(docs);
          counts.stored += r.inserted;
          counts.skipped += r.skipped;
          for (const d of docs) {
            counts.attributions += d.nAttributions;
            inFlightHashes.delete(d.hash);
            // Stored now: later copies find it in the store.
            if (leaders.get(d.contentHash)?.prepared === d) leaders.delete(d.contentHash);
          }
        }
        if (errs.length) {
          await store.recordErrors(errs);
          counts.errors += errs.length;
        }
      } catch (err) {
        failure = err as Error;
      } finally {
        writingNow = false;
        progress();
        signal();
      }
    })();
  };
  const waitForEvent = () => new Promise<void>((resolve) => (wake = resolve));

  // The writer runs on this thread and a 200-document transaction holds it for ~100–250 ms, during which
  // no chunk can be sent: each worker needs that much work queued or it idles (3 chunks each left
  // workers idle 18% of the run). Queued jobs are small (their texts); results wait in toWrite, bounded below.
  const maxInFlightChunks = workers * 12;
  let seq = 0;
  let chunk: Job[] = [];
  const sendChunk = () => {
    if (!chunk.length) return;
    pool.submit(chunk);
    chunk = [];
  };

  // Reading: collect a group, skip what is stored (one lookup per group), hand the rest to the workers.
  const group: Keyed[] = [];
  const dispatchGroup = async () => {
    if (!group.length) return;
    const stored = await store.hasHashes(group.map((g) => g.hash));
    const unknown = group.filter((g) => !stored.has(g.hash) && !leaders.has(g.content)).map((g) => g.content);
    const storedContent = unknown.length ? await store.storedContent(unknown) : new Map();
    for (const g of group) {
      if (stored.has(g.hash) || inFlightHashes.has(g.hash)) {
        counts.skipped++;
        counts.processed++;
        continue;
      }
      inFlightHashes.add(g.hash);
      const leader = leaders.get(g.content);
      if (leader) {
        counts.reused++;
        if (leader.prepared) toWrite.push(asOccurrence(leader.prepared, occurrenceOf(g)));
        else leader.followers.push(g);
        continue;
      }
      const sc = storedContent.get(g.content);
      if (sc) {
        counts.reused++;
        const analysis = withDocumentId(sc.analysis, g.id);
        toWrite.push(prepareDocument({ hash: g.hash, contentHash: g.content, analysis, text: sc.text, meta: metaOf(g.raw) }));
        continue;
      }
      leaders.set(g.content, { followers: [] });
      const s = seq++;
      pending.set(s, { raw: g.raw, hash: g.hash, content: g.content });
      const raw = g.raw;
      chunk.push({
        seq: s,
        name: raw.locator ? `${raw.input}:${raw.locator}` : raw.input,
        id: g.id,
        ...(raw.title !== undefined ? { title: raw.title } : {}),
        ...(raw.bytes ? { bytes: raw.bytes, ext: raw.ext } : {}),
        ...(raw.text !== undefined ? { text: raw.text } : {}),
        ...(raw.html !== undefined ? { html: raw.html } : {}),
        ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
        store: { hash: g.hash, contentHash: g.content, meta: metaOf(raw) },
      });
      if (chunk.length >= chunkSize) {
        while (pool.inFlight >= maxInFlightChunks && !failure) {
          flush(false);
          await waitForEvent();
        }
        if (failure) throw failure;
        sendChunk();
      }
      // Keep memory flat: bound what waits for the writer.
      while (toWrite.length + errorsToWrite.length >= batchSize * 3 && !failure) {
        flush(false);
        await waitForEvent();
      }
    }
    group.length = 0;
    flush(false);
  };

  try {
    for await (const item of readSources(plan, options.stdin, options.maxBytes) as AsyncGenerator<RawItem>) {
      if (failure) throw failure;
      if (options.signal?.aborted) break;
      counts.bytesRead = item.bytesRead;
      if ('error' in item) {
        counts.processed++;
        errorsToWrite.push({ input: item.input, locator: item.locator, message: item.error });
        continue;
      }
      group.push(keysOf(item));
      if (group.length >= 64) {
        await dispatchGroup();
        progress();
      }
    }
    await dispatchGroup();
    sendChunk();
    while ((pending.size > 0 || writingNow) && !failure) {
      flush(false);
      await waitForEvent();
    }
    if (failure) throw failure;
    // Drain what is left, batch by batch.
    while ((toWrite.length || errorsToWrite.length) && !failure) {
      flush(true);
      await writing;
    }
    await writing;
    if (failure) throw failure;
  } finally {
    await writing.catch(() => {});
    await pool.close();
    counts.elapsedMs = Date.now() - started;
  }
  return counts;
}

/** The stored metadata of a document: where it came from, its URL, outlet (the URL's host when not given) and date. */
export function metaOf(raw: RawDoc): DocumentMeta & { input: string; locator: string } {
  return {
    input: raw.input,
    locator: raw.locator,
    url: raw.url ?? null,
    outlet: raw.outlet ?? hostOf(raw.url) ?? null,
    published: normalizePublished(raw.published),
  };
}

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.replace(/^www\./, '') || undefined;
  } catch {
    return undefined;
  }
}
