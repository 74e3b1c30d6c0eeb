/**
 * A pool of analysis worker threads. The worker entry is found next to this file: worker.js when running
 * compiled (dist/), worker.ts under tsx (tests), with tsx's loader passed on to the thread.
 */
import { Worker } from 'node:worker_threads';
import type { Analysis } from '../core/types.js';
import type { DocumentMeta } from '../store/types.js';
import type { PreparedDocument } from '../store/rows.js';

export interface Job {
  seq: number;
  /** For messages: the input and locator. */
  name: string;
  id: string;
  title?: string | null;
  bytes?: Uint8Array;
  ext?: string;
  text?: string;
  html?: string;
  maxBytes?: number;
  /**
   * For a document on its way to a store: its key and metadata. The worker then returns the rows to
   * store (`prepared`), made there rather than on the thread that writes them.
   */
  store?: { hash: string; contentHash?: string; meta: DocumentMeta };
}

export type JobResult =
  | { seq: number; ok: true; analysis: Analysis; /** The analysed text when the main thread does not have it. */ text?: string }
  | { seq: number; ok: true; /** For a job with `store`. */ prepared: PreparedDocument }
  | { seq: number; ok: false; error: string; /** The document ran over the time budget. */ overBudget?: boolean };

/** What a job sent with `store` gives the writer: its rows, or why there are none. */
export function storeOutcome(r: JobResult): { prepared: PreparedDocument } | { error: string } {
  if (!r.ok) return { error: r.error };
  // Never expected; recorded rather than dropped, so that no document is silently lost.
  return 'prepared' in r ? { prepared: r.prepared } : { error: 'the analysis worker returned no rows to store' };
}

/** The worker to start: the compiled worker.js, or under tsx a small bootstrap that registers tsx, then loads worker.ts. */
export function workerEntry(): { file: URL | string; eval?: boolean } {
  const here = import.meta.url;
  const ts = /\.[mc]?ts$/.test(new URL(here).pathname);
  if (!ts) return { file: new URL('./worker.js', here) };
  const api = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./worker.ts', here).href;
  return {
    file: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(worker)}); })`,
    eval: true,
  };
}

/** Default per-document time budget of `batch`, `worker` and `serve`, in milliseconds. */
export const DEFAULT_BUDGET_MS = 30_000;

/** The one-line reason recorded for a document that ran over the budget. */
export function overBudgetMessage(budgetMs: number): string {
  return `analysis took longer than the ${formatSeconds(budgetMs)} time budget per document; skipped (raise it with --time-budget)`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

export interface PoolOptions {
  /**
   * Longest one document may take in a thread, in milliseconds (default DEFAULT_BUDGET_MS; 0 for none).
   * A document over it comes back as a failed result with `overBudget`, its thread is terminated and
   * replaced, and the documents queued behind it go to the new thread.
   */
  budgetMs?: number;
  /**
   * Chunks sent to one thread before it answers (default: no limit). The others wait on this thread,
   * where `cancel` can still take them back. The server uses 1, so that a slow request never delays
   * another queued behind it on a busy thread while a free thread waits.
   */
  maxChunksPerWorker?: number;
}

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered, chunk by chunk, in the order the thread works on them. */
  chunks: Job[][];
  /** When the thread began its current job (as near as this thread can tell). */
  since: number;
  /** The thread has loaded the model: its time budget runs from then on. */
  ready: boolean;
}

/**
 * Sends chunks of jobs to the least busy worker; results come back through `onResults`, one message
 * per job, so that this thread always knows which job a thread is on and since when.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: Job[][] = [];
  private failed: Error | null = null;
  private closing = false;
  private readonly budgetMs: number;
  private readonly maxChunks: number;
  private readonly entry = workerEntry();
  private watchdog: NodeJS.Timeout | null = null;

  constructor(size: number, private readonly onResults: (results: JobResult[]) => void, private readonly onFailure: (err: Error) => void, options: PoolOptions = {}) {
    this.budgetMs = Math.max(0, options.budgetMs ?? DEFAULT_BUDGET_MS);
    this.maxChunks = Math.max(1, options.maxChunksPerWorker ?? Infinity);
    for (let i = 0; i < Math.max(1, size); i++) {
      const slot: Slot = { worker: null as unknown as Worker, chunks: [], since: 0, ready: false };
      this.start(slot);
      this.slots.push(slot);
    }
    if (this.budgetMs > 0) {
      this.watchdog = setInterval(() => this.check(), Math.min(1000, Math.max(20, this.budgetMs / 4)));
      this.watchdog.unref();
    }
  }

  private start(slot: Slot): void {
    const worker = new Worker(this.entry.file, { eval: !!this.entry.eval });
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (msg: { results?: JobResult[]; fatal?: string; ready?: boolean }) => {
      if (slot.worker !== worker) return;
      if (msg.fatal) return this.fail(new Error(`analysis cannot run: ${msg.fatal}`));
      if (msg.ready) {
        slot.ready = true;
        slot.since = Date.now();
        return;
      }
      for (const r of msg.results ?? []) this.answered(slot, r.seq);
      slot.since = Date.now();
      this.onResults(msg.results ?? []);
      this.dispatch();
    });
    worker.on('error', (err) => {
      if (slot.worker === worker) this.fail(err);
    });
    worker.on('exit', (code) => {
      if (!this.closing && slot.worker === worker && code !== 0) this.fail(new Error(`an analysis worker stopped (exit code ${code})`));
    });
  }

  /** Drops an answered job from its slot's chunks. */
  private answered(slot: Slot, seq: number): void {
    const chunk = slot.chunks[0];
    if (!chunk) return;
    const k = chunk.findIndex((j) => j.seq === seq);
    if (k >= 0) chunk.splice(k, 1);
    if (!chunk.length) slot.chunks.shift();
  }

  /** Times out a thread's current job: records it as over budget, replaces the thread, resends the rest. */
  private check(): void {
    if (this.failed || this.closing) return;
    const now = Date.now();
    for (const slot of this.slots) {
      const current = slot.chunks[0]?.[0];
      if (!current || !slot.ready || now - slot.since <= this.budgetMs) continue;
      this.restart(slot, current, overBudgetMessage(this.budgetMs), true);
    }
  }

  /** Ends `slot`'s thread, answers `job` with `message`, and hands the jobs queued behind it to a new thread. */
  private restart(slot: Slot, job: Job | null, message: string | null, overBudget: boolean): void {
    const rest = slot.chunks.map((c) => c.filter((j) => j !== job)).filter((c) => c.length);
    slot.chunks = [];
    const old = slot.worker;
    this.start(slot);
    void old.terminate();
    slot.since = Date.now();
    for (const c of rest.reverse()) this.waiting.unshift(c);
    if (job && message !== null) this.onResults([{ seq: job.seq, ok: false, error: message, ...(overBudget ? { overBudget: true } : {}) }]);
    this.dispatch();
  }

  private fail(err: Error): void {
    if (this.failed) return;
    this.failed = err;
    this.onFailure(err);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Chunks waiting or running across the pool. */
  get inFlight(): number {
    return this.waiting.length + this.slots.reduce((n, s) => n + s.chunks.length, 0);
  }

  submit(jobs: Job[]): void {
    if (this.failed) throw this.failed;
    if (!jobs.length) return;
    this.waiting.push(jobs);
    this.dispatch();
  }

  /**
   * Takes a job back (its requester went away): dropped if it has not reached a thread yet; a thread
   * busy on it is replaced. Nothing is reported for it. Returns whether it was found.
   */
  cancel(seq: number): boolean {
    for (let i = 0; i < this.waiting.length; i++) {
      const k = this.waiting[i].findIndex((j) => j.seq === seq);
      if (k < 0) continue;
      this.waiting[i].splice(k, 1);
      if (!this.waiting[i].length) this.waiting.splice(i, 1);
      return true;
    }
    for (const slot of this.slots) {
      const current = slot.chunks[0]?.[0];
      if (current?.seq === seq) {
        this.restart(slot, current, null, false);
        return true;
      }
    }
    return false;
  }

  private dispatch(): void {
    while (this.waiting.length && !this.failed && !this.closing) {
      let best: Slot | null = null;
      for (const s of this.slots) if (s.chunks.length < this.maxChunks && (!best || s.chunks.length < best.chunks.length)) best = s;
      if (!best) return;
      const jobs = this.waiting.shift()!;
      if (!best.chunks.length) best.since = Date.now();
      best.chunks.push(jobs);
      // Copied, not transferred: a job may have to be sent again to a replacement thread.
      best.worker.postMessage({ jobs });
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.watchdog) clearInterval(this.watchdog);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
