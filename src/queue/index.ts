/**
 * Scale-out over PostgreSQL: pg-boss (10.x) holds the job queue in the same database as the store.
 * `enqueue` packs documents into jobs (the documents themselves travel in the job, so a worker on another
 * machine needs only the database); `worker` fetches jobs, analyses them and stores each job's results in
 * one idempotent transaction; `status` reads the queue's state. No coordinator of our own: pg-boss leases
 * jobs with `FOR UPDATE SKIP LOCKED`, expires the lease of a worker that vanished and retries its job.
 */
import PgBoss from 'pg-boss';
import { StoreError, type DocumentMeta } from '../store/types.js';
import { ARCHIVE_DONE_AFTER_SECONDS, DEFAULT_LEASE_SECONDS, DEFAULT_QUEUE_SCHEMA, DEFAULT_RETRY_LIMIT, QUEUE } from './defaults.js';

export {
  ARCHIVE_DONE_AFTER_SECONDS,
  DEFAULT_JOB_SIZE,
  DEFAULT_LEASE_SECONDS,
  DEFAULT_QUEUE_SCHEMA,
  DEFAULT_RETRY_LIMIT,
  MAX_JOB_BYTES,
  QUEUE,
} from './defaults.js';

/** One document in a job: everything a worker needs, with no shared filesystem. */
export interface QueuedDoc {
  /** Content hash: the store's key (same as `whosaid batch` computes). */
  hash: string;
  /** Key of the analysed content: documents with the same text share one analysis (absent in older jobs). */
  content?: string;
  /** Document id for the analysis. */
  id: string;
  /** "input:locator", for messages. */
  name: string;
  title?: string | null;
  /** A document file's bytes, base64 (validated and decoded by the worker, as batch does). */
  bytes?: string;
  /** Extension of a document file (".txt", ".html"). */
  ext?: string;
  text?: string;
  html?: string;
  meta: DocumentMeta & { input: string; locator: string };
  /** The whole document as base64 JSON, when a string in it cannot go into jsonb (see enqueue.ts `storable`). */
  packed?: string;
}

/** The document a queued entry stands for (unpacking a packed one). */
export function unpackDoc(d: QueuedDoc): QueuedDoc {
  return d.packed ? (JSON.parse(Buffer.from(d.packed, 'base64').toString('utf8')) as QueuedDoc) : d;
}

export interface JobData {
  /** Payload version. */
  v: 1;
  docs: QueuedDoc[];
  /** Largest document accepted (bytes). */
  maxBytes?: number;
}

/** What a worker reports when it completes a job (pg-boss keeps it as the job's output). */
export interface JobOutput {
  stored: number;
  /** Already stored before this attempt (a retry, a duplicate, or another run). */
  skipped: number;
  errors: number;
  /** 0 on the first attempt. */
  attempt: number;
  /** Milliseconds spent on the job, from receiving it to marking it done. */
  ms: number;
  /** Of which: waiting for the analysis threads. */
  analysisMs: number;
  /** Of which: the store's transaction (and error rows). */
  writeMs: number;
  /** The fetch that handed out this job. */
  fetchMs: number;
  worker: string;
}

export interface BossOptions {
  /** pg-boss schema (default whosaid_queue). */
  schema?: string;
  /** Run pg-boss maintenance (lease expiry, archiving) every this many seconds; 0 = never (enqueue, status). */
  maintenanceSeconds?: number;
  /** Connections in pg-boss's pool. */
  max?: number;
}

/** The connection string without the store's ?schema= parameter (pg-boss has its own schema). */
export function bossConnectionString(location: string): string {
  const url = new URL(location);
  url.searchParams.delete('schema');
  return url.toString();
}

/** The password-free "host:port/db" of a URL, for messages. */
export function describeDb(location: string): string {
  try {
    const url = new URL(location);
    return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the database';
  }
}

export function checkSchemaName(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new StoreError(`queue schema must be a lower-case SQL name (letters, digits, _), got "${schema}"`);
  }
  return schema;
}

/** Starts pg-boss (installing its schema on first use) and makes sure the queue exists. */
export async function openBoss(location: string, options: BossOptions = {}): Promise<PgBoss> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_QUEUE_SCHEMA);
  const maint = options.maintenanceSeconds ?? 0;
  const boss = new PgBoss({
    connectionString: bossConnectionString(location),
    schema,
    max: options.max ?? 3,
    application_name: 'whosaid',
    supervise: maint > 0,
    ...(maint > 0 ? { maintenanceIntervalSeconds: maint } : {}),
    schedule: false,
    migrate: true,
    // A done job still holds its documents: move it out of the job table after an hour, delete it a day
    // later (pg-boss keeps them 12 h + 7 days by default: ~4.6 KiB an article, 300+ GB at 10M a day).
    // Failed jobs stay visible for a week (`whosaid status`); enqueue again re-sends whatever is not stored.
    archiveCompletedAfterSeconds: ARCHIVE_DONE_AFTER_SECONDS,
    archiveFailedAfterSeconds: 7 * 86_400,
    deleteAfterHours: 24,
  });
  // Connection hiccups during polling are retried by the next poll; fatal ones surface from calls.
  boss.on('error', (err) => {
    if (process.env.WHOSAID_DEBUG) process.stderr.write(`whosaid: queue: ${err.message}\n`);
  });
  try {
    await boss.start();
    await boss.createQueue(QUEUE, { name: QUEUE, retryLimit: DEFAULT_RETRY_LIMIT, expireInSeconds: DEFAULT_LEASE_SECONDS });
  } catch (err) {
    await boss.stop({ graceful: false, wait: true }).catch(() => {});
    const e = err as { code?: string; message?: string };
    const why = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === '3D000' ? 'database does not exist' : (e.message ?? String(err));
    throw new StoreError(`cannot open the job queue at ${describeDb(location)}: ${why}`, err);
  }
  return boss;
}

export { PgBoss };
