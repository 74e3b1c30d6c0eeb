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
  | { seq: number; ok: false; error: string };

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

interface Slot {
  worker: Worker;
  inFlight: number;
}

/** Sends chunks of jobs to the least busy worker; results come back through `onResults`. */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private failed: Error | null = null;
  private closing = false;

  constructor(size: number, private readonly onResults: (results: JobResult[]) => void, private readonly onFailure: (err: Error) => void) {
    const entry = workerEntry();
    for (let i = 0; i < Math.max(1, size); i++) {
      const worker = new Worker(entry.file, { eval: !!entry.eval });
      const slot: Slot = { worker, inFlight: 0 };
      worker.on('message', (msg: { results?: JobResult[]; fatal?: string }) => {
        slot.inFlight--;
        if (msg.fatal) return this.fail(new Error(`analysis cannot run: ${msg.fatal}`));
        this.onResults(msg.results ?? []);
      });
      worker.on('error', (err) => this.fail(err));
      worker.on('exit', (code) => {
        if (!this.closing && code !== 0) this.fail(new Error(`an analysis worker stopped (exit code ${code})`));
      });
      this.slots.push(slot);
    }
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
    return this.slots.reduce((n, s) => n + s.inFlight, 0);
  }

  submit(jobs: Job[]): void {
    if (this.failed) throw this.failed;
    let best = this.slots[0];
    for (const s of this.slots) if (s.inFlight < best.inFlight) best = s;
    best.inFlight++;
    const transfer = jobs.flatMap((j) => (j.bytes && j.bytes.byteOffset === 0 && j.bytes.byteLength === j.bytes.buffer.byteLength ? [j.bytes.buffer as ArrayBuffer] : []));
    best.worker.postMessage({ jobs }, transfer);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
