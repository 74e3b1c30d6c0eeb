/**
 * Enqueue: reads inputs as `whosaid batch` does (streamed: directories, JSONL, stdin), skips documents the
 * store already holds (one lookup per group of documents), and sends the rest to the queue in jobs of
 * `jobSize` documents. Documents that cannot even be read are recorded as errors in the store, as batch does.
 */
import type { Readable } from 'node:stream';
import { keysOf, metaOf, type Keyed } from '../corpus/batch.js';
import { readSources, type Plan, type RawItem } from '../corpus/sources.js';
import { checkSize, DEFAULT_MAX_BYTES, InputError } from '../formats/input.js';
import type { DocumentError, Store } from '../store/types.js';
import { DEFAULT_JOB_SIZE, DEFAULT_LEASE_SECONDS, DEFAULT_RETRY_LIMIT, MAX_JOB_BYTES, QUEUE, type JobData, type PgBoss, type QueuedDoc } from './index.js';

export interface EnqueueOptions {
  /** Documents per job (default 100). */
  jobSize?: number;
  /** Seconds a worker may hold a job before pg-boss takes it back (default 15 minutes). */
  leaseSeconds?: number;
  /** Attempts after the first (default 3). */
  retryLimit?: number;
  maxBytes?: number;
  stdin?: Readable;
  signal?: AbortSignal;
  onProgress?: (c: EnqueueCounts) => void;
}

export interface EnqueueCounts {
  /** Documents read from the inputs. */
  read: number;
  /** Sent to the queue. */
  enqueued: number;
  jobs: number;
  /** Already in the store: not enqueued. */
  skipped: number;
  /** Could not be read (recorded in the store's errors). */
  errors: number;
  bytesRead: number;
  elapsedMs: number;
}

/** How many documents to check against the store at once. */
const LOOKUP_GROUP = 256;

function toQueued({ raw, hash, content, id }: Keyed): QueuedDoc {
  return storable({
    hash,
    content,
    id,
    name: raw.locator ? `${raw.input}:${raw.locator}` : raw.input,
    ...(raw.title !== undefined ? { title: raw.title } : {}),
    ...(raw.bytes ? { bytes: Buffer.from(raw.bytes.buffer, raw.bytes.byteOffset, raw.bytes.byteLength).toString('base64'), ext: raw.ext } : {}),
    ...(raw.text !== undefined ? { text: raw.text } : {}),
    ...(raw.html !== undefined ? { html: raw.html } : {}),
    meta: metaOf(raw),
  });
}

/** True when a string cannot go into jsonb as it is: a NUL or a lone surrogate (PostgreSQL refuses both). */
function unstorable(s: unknown): boolean {
  return typeof s === 'string' && (s.includes('\u0000') || LONE_SURROGATE.test(s));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * pg-boss keeps job data as jsonb, which refuses U+0000 and lone surrogates (enqueue crashed on them).
 * Such a document travels packed: its JSON, base64-encoded, unpacked by the worker (`unpackDoc`).
 * Text is text: the document is analysed exactly as read.
 */
export function storable(d: QueuedDoc): QueuedDoc {
  const strings = [d.id, d.name, d.title, d.text, d.html, ...Object.values(d.meta)];
  if (!strings.some(unstorable)) return d;
  return { hash: d.hash, id: d.hash.slice(0, 16), name: 'packed', meta: { input: '', locator: '', url: null, outlet: null, published: null }, packed: Buffer.from(JSON.stringify(d), 'utf8').toString('base64') };
}

function sizeOf(d: QueuedDoc): number {
  return (d.bytes?.length ?? 0) + (d.text?.length ?? 0) + (d.html?.length ?? 0) + (d.packed?.length ?? 0) + 256;
}

export async function runEnqueue(store: Store, boss: PgBoss, plan: Plan, options: EnqueueOptions = {}): Promise<EnqueueCounts> {
  const started = Date.now();
  const jobSize = Math.max(1, options.jobSize ?? DEFAULT_JOB_SIZE);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const lease = options.leaseSeconds ?? DEFAULT_LEASE_SECONDS;
  const retryLimit = options.retryLimit ?? DEFAULT_RETRY_LIMIT;
  const counts: EnqueueCounts = { read: 0, enqueued: 0, jobs: 0, skipped: 0, errors: 0, bytesRead: 0, elapsedMs: 0 };
  const progress = () => {
    counts.elapsedMs = Date.now() - started;
    options.onProgress?.(counts);
  };

  let errors: DocumentError[] = [];
  const flushErrors = async () => {
    if (!errors.length) return;
    const e = errors;
    errors = [];
    await store.recordErrors(e);
    counts.errors += e.length;
  };

  let job: QueuedDoc[] = [];
  let jobBytes = 0;
  const jobHashes = new Set<string>();
  const sendJob = async () => {
    if (!job.length) return;
    const data: JobData = { v: 1, docs: job, maxBytes };
    await boss.insert([{ name: QUEUE, data, expireInSeconds: lease, retryLimit }]);
    counts.jobs++;
    counts.enqueued += job.length;
    job = [];
    jobBytes = 0;
    jobHashes.clear();
    progress();
  };

  const group: Keyed[] = [];
  const dispatch = async () => {
    if (!group.length) return;
    const stored = await store.hasHashes(group.map((g) => g.hash));
    for (const g of group) {
      if (stored.has(g.hash)) {
        counts.skipped++;
        continue;
      }
      if (jobHashes.has(g.hash)) continue; // the same document twice in a row: one is enough
      const d = toQueued(g);
      const size = sizeOf(d);
      if (job.length && jobBytes + size > MAX_JOB_BYTES) await sendJob();
      job.push(d);
      jobHashes.add(g.hash);
      jobBytes += size;
      if (job.length >= jobSize) await sendJob();
    }
    group.length = 0;
    await flushErrors();
  };

  for await (const item of readSources(plan, options.stdin, maxBytes) as AsyncGenerator<RawItem>) {
    if (options.signal?.aborted) break;
    counts.bytesRead = item.bytesRead;
    if ('error' in item) {
      errors.push({ input: item.input, locator: item.locator, message: item.error });
      continue;
    }
    counts.read++;
    if (item.bytes) {
      // A file over the limit is refused here (as batch's worker would), so it never bloats a job.
      const name = item.locator ? `${item.input}:${item.locator}` : item.input;
      try {
        checkSize(name, item.bytes.byteLength, maxBytes);
      } catch (err) {
        const m = (err as Error).message;
        errors.push({ input: item.input, locator: item.locator, message: err instanceof InputError && m.startsWith(`${name}: `) ? m.slice(name.length + 2) : m });
        continue;
      }
    }
    group.push(keysOf(item));
    if (group.length >= LOOKUP_GROUP) await dispatch();
  }
  await dispatch();
  await sendJob();
  await flushErrors();
  counts.elapsedMs = Date.now() - started;
  return counts;
}

export function enqueueSummary(c: EnqueueCounts): string {
  const s = (c.elapsedMs / 1000).toFixed(1);
  return `${c.read} documents read in ${s}s: ${c.enqueued} enqueued in ${c.jobs} jobs, ${c.skipped} already stored, ${c.errors} errors${c.errors ? ' (see: whosaid errors)' : ''}`;
}
