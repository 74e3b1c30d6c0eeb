/**
 * A batch run: inputs streamed in, analysed in worker threads, written by one writer (this thread) in
 * batched transactions. Resumable and exact: documents are keyed by content hash, stored ones are skipped
 * before analysis, and each batch commits documents with their attributions and entities atomically, so
 * a run killed at any moment and started again ends with every document stored exactly once.
 */
import { availableParallelism } from 'node:os';
import { Readable } from 'node:stream';
import { contentHash } from '../store/index.js';
import { normalizePublished, type PreparedDocument } from '../store/rows.js';
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
  attributions: number;
  totalDocs: number | null;
  totalBytes: number | null;
  bytesRead: number;
  elapsedMs: number;
}

interface Pending {
  raw: RawDoc;
  hash: string;
}

/** Plans the inputs (throws InputPlanError for missing ones) and runs the batch. */
export async function runBatch(store: Store, inputs: string[], options: BatchOptions = {}): Promise<BatchCounts> {
  const plan = planInputs(inputs);
  return runPlan(store, plan, options);
}

export function hashOf(raw: RawDoc): string {
  // Document files are keyed by their bytes alone (ids follow paths, which move); JSONL articles by id + content.
  if (raw.bytes) return contentHash(raw.bytes, null);
  return contentHash(raw.text ?? raw.html ?? '', raw.id);
}

export async function runPlan(store: Store, plan: Plan, options: BatchOptions = {}): Promise<BatchCounts> {
  const started = Date.now();
  const workers = Math.max(1, options.workers ?? availableParallelism());
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const chunkSize = Math.max(1, options.chunkSize ?? 4);
  const counts: BatchCounts = {
    processed: 0, stored: 0, skipped: 0, errors: 0, attributions: 0,
    totalDocs: plan.totalDocs, totalBytes: plan.totalBytes, bytesRead: 0, elapsedMs: 0,
  };
  const progress = () => {
    counts.elapsedMs = Date.now() - started;
    options.onProgress?.(counts);
  };

  // Documents between reading and commit, by sequence number; hashes in flight (duplicates within a run).
  const pending = new Map<number, Pending>();
  const inFlightHashes = new Set<string>();
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
        if ('prepared' in o) toWrite.push(o.prepared);
        else {
          inFlightHashes.delete(p.hash);
          errorsToWrite.push({ input: p.raw.input, locator: p.raw.locator, message: o.error, hash: p.hash });
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
  const group: { raw: RawDoc; hash: string }[] = [];
  const dispatchGroup = async () => {
    if (!group.length) return;
    const stored = await store.hasHashes(group.map((g) => g.hash));
    for (const g of group) {
      if (stored.has(g.hash) || inFlightHashes.has(g.hash)) {
        counts.skipped++;
        counts.processed++;
        continue;
      }
      inFlightHashes.add(g.hash);
      const s = seq++;
      pending.set(s, { raw: g.raw, hash: g.hash });
      const raw = g.raw;
      chunk.push({
        seq: s,
        name: raw.locator ? `${raw.input}:${raw.locator}` : raw.input,
        id: raw.id ?? g.hash.slice(0, 16),
        ...(raw.title !== undefined ? { title: raw.title } : {}),
        ...(raw.bytes ? { bytes: raw.bytes, ext: raw.ext } : {}),
        ...(raw.text !== undefined ? { text: raw.text } : {}),
        ...(raw.html !== undefined ? { html: raw.html } : {}),
        ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
        store: { hash: g.hash, meta: metaOf(raw) },
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
      group.push({ raw: item, hash: hashOf(item) });
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
