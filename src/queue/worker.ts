/**
 * A queue worker: takes jobs from pg-boss, analyses their documents on the corpus worker-thread pool
 * (the same threads `whosaid batch` uses), and stores each job's results in one transaction through the
 * Store's idempotent `addAnalyses`, then marks the job done. Exactly-once storage comes from the content
 * hash, not from the queue: a job retried after a crash finds what it stored already and skips it.
 *
 * Stopping: `stop` (SIGTERM) stops fetching and lets the jobs in hand finish; `abort` (a second signal, or
 * the grace period running out) hands the jobs in hand back to the queue at once. A worker killed outright
 * holds its job until the lease (`expireInSeconds`) runs out; pg-boss maintenance, run by any live worker,
 * then puts the job back for another attempt.
 */
import { hostname } from 'node:os';
import { storeOutcome, WorkerPool, type Job as PoolJob, type JobResult } from '../corpus/pool.js';
import type { DocumentError, Store } from '../store/types.js';
import { prepareDocument, type PreparedDocument } from '../store/rows.js';
import { asOccurrence, withDocumentId } from '../store/identity.js';
import { QUEUE, unpackDoc, type JobData, type JobOutput, type PgBoss, type QueuedDoc } from './index.js';

export interface WorkerOptions {
  /** Analysis threads, and jobs held at once (default 1). */
  concurrency?: number;
  /** Seconds between polls of an empty queue (default 2). */
  pollSeconds?: number;
  /** Stop once the queue holds no queued or active job (benchmarks, tests, one-shot runs). */
  untilEmpty?: boolean;
  /** Stop fetching; finish the jobs in hand. */
  stop?: AbortSignal;
  /** Hand the jobs in hand back now. */
  abort?: AbortSignal;
  /** One line per job started and finished. */
  log?: (line: string) => void;
  /** Longest one document may take, in milliseconds (default 30 s; 0 for no limit): a document over it is recorded as an error. */
  budgetMs?: number;
}

export interface WorkerCounts {
  jobs: number;
  stored: number;
  skipped: number;
  errors: number;
  /** Jobs handed back (stop without finishing). */
  returned: number;
  elapsedMs: number;
  /** CPU time of the whole process (all analysis threads), user + system. */
  cpuMs: number;
}

/** Documents per message to an analysis thread. */
const CHUNK = 4;

class Returned extends Error {}

export async function runWorker(store: Store, boss: PgBoss, options: WorkerOptions = {}): Promise<WorkerCounts> {
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const pollMs = Math.max(50, (options.pollSeconds ?? 2) * 1000);
  const me = `${hostname()}:${process.pid}`;
  const log = options.log ?? (() => {});
  const counts: WorkerCounts = { jobs: 0, stored: 0, skipped: 0, errors: 0, returned: 0, elapsedMs: 0, cpuMs: 0 };

  // Results come back by sequence number, from any thread, for any job in hand.
  const waiting = new Map<number, (r: JobResult) => void>();
  let fatal: Error | null = null;
  const fatalListeners = new Set<(e: Error) => void>();
  const pool = new WorkerPool(
    concurrency,
    (results) => {
      for (const r of results) {
        const w = waiting.get(r.seq);
        waiting.delete(r.seq);
        w?.(r);
      }
    },
    (err) => {
      fatal = err;
      for (const l of fatalListeners) l(err);
    },
    { budgetMs: options.budgetMs },
  );
  let seq = 0;

  /** Analyses documents; rejects when the pool fails or the worker is told to hand its jobs back. */
  const analyzeAll = (docs: QueuedDoc[], maxBytes: number | undefined): Promise<JobResult[]> =>
    new Promise<JobResult[]>((resolve, reject) => {
      if (fatal) return reject(fatal);
      if (options.abort?.aborted) return reject(new Returned());
      const results: JobResult[] = new Array(docs.length);
      let left = docs.length;
      const seqs: number[] = [];
      const done = (err: Error | null) => {
        fatalListeners.delete(onFatal);
        options.abort?.removeEventListener('abort', onAbort);
        for (const s of seqs) waiting.delete(s);
        if (err) reject(err);
        else resolve(results);
      };
      const onFatal = (e: Error) => done(e);
      const onAbort = () => done(new Returned());
      fatalListeners.add(onFatal);
      options.abort?.addEventListener('abort', onAbort, { once: true });
      if (!left) return done(null);
      let chunk: PoolJob[] = [];
      docs.forEach((d, i) => {
        const s = seq++;
        seqs.push(s);
        waiting.set(s, (r) => {
          results[i] = r;
          if (--left === 0) done(null);
        });
        chunk.push({
          seq: s,
          name: d.name,
          id: d.id,
          ...(d.title !== undefined ? { title: d.title } : {}),
          ...(d.bytes !== undefined ? { bytes: new Uint8Array(Buffer.from(d.bytes, 'base64')), ext: d.ext } : {}),
          ...(d.text !== undefined ? { text: d.text } : {}),
          ...(d.html !== undefined ? { html: d.html } : {}),
          ...(maxBytes ? { maxBytes } : {}),
          store: { hash: d.hash, ...(d.content ? { contentHash: d.content } : {}), meta: d.meta },
        });
        if (chunk.length >= CHUNK || i === docs.length - 1) {
          pool.submit(chunk);
          chunk = [];
        }
      });
    });

  const runJob = async (job: PgBoss.JobWithMetadata<JobData>, fetchMs: number): Promise<void> => {
    const t0 = Date.now();
    const docs = (job.data?.docs ?? []).map(unpackDoc);
    const attempt = job.retryCount ?? 0;
    log(`job ${job.id}: ${docs.length} documents${attempt ? `, attempt ${attempt + 1}` : ''}`);
    try {
      // What an earlier attempt (or another run) stored already is not analysed again.
      const stored = await store.hasHashes(docs.map((d) => d.hash));
      const seen = new Set<string>();
      const todo = docs.filter((d) => {
        if (stored.has(d.hash) || seen.has(d.hash)) return false;
        seen.add(d.hash);
        return true;
      });
      // A text analysed already (stored, or earlier in this job) is not analysed again: its other
      // documents reuse the analysis under their own key, id and metadata.
      const storedContent = await store.storedContent(todo.flatMap((d) => (d.content ? [d.content] : [])));
      const leaderOf = new Map<string, QueuedDoc>();
      const toAnalyze = todo.filter((d) => {
        if (!d.content) return true;
        if (storedContent.has(d.content) || leaderOf.has(d.content)) return false;
        leaderOf.set(d.content, d);
        return true;
      });
      const ta = Date.now();
      const results = await analyzeAll(toAnalyze, job.data?.maxBytes);
      const analysisMs = Date.now() - ta;
      if (options.abort?.aborted) throw new Returned();
      const items: PreparedDocument[] = [];
      const errors: DocumentError[] = [];
      const outcome = new Map<QueuedDoc, ReturnType<typeof storeOutcome>>();
      results.forEach((r, i) => outcome.set(toAnalyze[i], storeOutcome(r)));
      for (const d of todo) {
        const sc = d.content ? storedContent.get(d.content) : undefined;
        if (sc) {
          items.push(prepareDocument({ hash: d.hash, contentHash: d.content, analysis: withDocumentId(sc.analysis, d.id), text: sc.text, meta: d.meta }));
          continue;
        }
        const leader = d.content ? leaderOf.get(d.content)! : d;
        const o = outcome.get(leader)!;
        if (!('prepared' in o)) errors.push({ input: d.meta.input, locator: d.meta.locator, message: o.error, hash: d.hash });
        else items.push(leader === d ? o.prepared : asOccurrence(o.prepared, { hash: d.hash, id: d.id, meta: d.meta }));
      }
      // One transaction for the job's documents (idempotent by content hash).
      const tw = Date.now();
      const added = items.length ? await store.addPrepared(items) : { inserted: 0, skipped: 0 };
      if (errors.length) await store.recordErrors(errors);
      const writeMs = Date.now() - tw;
      const out: JobOutput = {
        stored: added.inserted,
        skipped: docs.length - todo.length + added.skipped,
        errors: errors.length,
        attempt,
        ms: Date.now() - t0,
        analysisMs,
        writeMs,
        fetchMs,
        worker: me,
      };
      await boss.complete(QUEUE, job.id, out);
      counts.jobs++;
      counts.stored += out.stored;
      counts.skipped += out.skipped;
      counts.errors += out.errors;
      log(`job ${job.id}: done, ${out.stored} stored, ${out.skipped} already stored, ${out.errors} errors in ${out.ms} ms`);
    } catch (err) {
      const returned = err instanceof Returned;
      const message = returned ? `returned by ${me} on stop` : `${me}: ${(err as Error).message}`;
      // Hand the job back: fail() puts it up for retry (or in "failed" once its attempts are spent).
      await boss.fail(QUEUE, job.id, { message }).catch(() => {});
      if (returned) {
        // A job returned on stop is no fault of its own: if fail() spent its last attempt, give one back.
        await boss.retry(QUEUE, job.id).catch(() => {});
        counts.returned++;
        log(`job ${job.id}: returned to the queue`);
        return;
      }
      log(`job ${job.id}: failed (${(err as Error).message})`);
      if (fatal) throw fatal;
    }
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        options.stop?.removeEventListener('abort', done);
        resolve();
      }
      options.stop?.addEventListener('abort', done, { once: true });
    });

  const drained = async (): Promise<boolean> => (await boss.getQueueSize(QUEUE, { before: 'completed' })) === 0;

  const slot = async (): Promise<void> => {
    let down = 0;
    while (!options.stop?.aborted && !options.abort?.aborted && !fatal) {
      const tf = Date.now();
      let job: PgBoss.JobWithMetadata<JobData> | undefined;
      try {
        [job] = await boss.fetch<JobData>(QUEUE, { batchSize: 1, includeMetadata: true });
        if (!job && options.untilEmpty && (await drained())) return;
        if (down) log(`database reachable again after ${down} failed ${down === 1 ? 'try' : 'tries'}`);
        down = 0;
      } catch (err) {
        // The database went away (restart, network): say so and try again; the connection pools
        // reconnect on their own. A job in hand when it went comes back after its lease.
        down++;
        log(`cannot reach the queue (${(err as Error).message.split('\n')[0]}); trying again in ${Math.round(Math.min(30_000, pollMs * down) / 1000)} s`);
        await sleep(Math.min(30_000, pollMs * down));
        continue;
      }
      if (!job) {
        await sleep(pollMs);
        continue;
      }
      await runJob(job, Date.now() - tf);
    }
  };

  try {
    await Promise.all(Array.from({ length: concurrency }, () => slot()));
    if (fatal) throw fatal;
  } finally {
    await pool.close();
    counts.elapsedMs = Date.now() - started;
    const cpu = process.cpuUsage(cpu0);
    counts.cpuMs = Math.round((cpu.user + cpu.system) / 1000);
  }
  return counts;
}

export function workerSummary(c: WorkerCounts): string {
  const rate = c.elapsedMs > 0 ? ((c.stored + c.skipped + c.errors) / c.elapsedMs) * 1000 : 0;
  return `${c.jobs} jobs in ${(c.elapsedMs / 1000).toFixed(1)}s (${rate.toFixed(1)} documents/s): ${c.stored} stored, ${c.skipped} already stored, ${c.errors} errors${c.returned ? `, ${c.returned} returned to the queue` : ''}; ${(c.cpuMs / 1000).toFixed(1)} s of CPU`;
}
