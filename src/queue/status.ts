/**
 * Queue progress, read straight from pg-boss's tables (v10 layout: `job`, and `archive` for jobs done more
 * than the archive interval ago). Reading needs no pg-boss instance, so `status` never installs anything.
 */
import pg from 'pg';
import { StoreError } from '../store/types.js';
import { bossConnectionString, checkSchemaName, describeDb, QUEUE } from './index.js';

export interface QueueStatus {
  queue: string;
  schema: string;
  jobs: {
    /** Waiting for a worker (new, or put back for another attempt). */
    queued: number;
    /** Held by a worker now. */
    active: number;
    done: number;
    /** Out of attempts. */
    failed: number;
    cancelled: number;
    /** Queued jobs that are a retry. */
    retrying: number;
    /** Done or active jobs that needed more than one attempt. */
    retried: number;
  };
  /** Jobs completed within the window, and what they stored. */
  recent: { windowSeconds: number; jobs: number; stored: number; documents: number; perSecond: number; workers: number };
  /** Mean milliseconds a job took (fetch to commit), over the window. */
  meanJobMs: number | null;
}

export async function queueStatus(location: string, options: { schema: string; windowSeconds?: number }): Promise<QueueStatus | null> {
  const schema = checkSchemaName(options.schema);
  const windowSeconds = Math.max(1, options.windowSeconds ?? 300);
  const client = new pg.Client({ connectionString: bossConnectionString(location), connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const e = err as { code?: string; message?: string };
    throw new StoreError(`cannot connect to PostgreSQL at ${describeDb(location)}: ${e.code === 'ECONNREFUSED' ? 'connection refused' : (e.message ?? String(err))}`, err);
  }
  try {
    const exists = await client.query(`SELECT to_regclass($1) AS t`, [`"${schema}".job`]);
    if (!exists.rows[0].t) return null;
    const states = await client.query<{ state: string; n: string; retried: string }>(
      `SELECT state, count(*) AS n, count(*) FILTER (WHERE retry_count > 0) AS retried
         FROM (SELECT state, retry_count FROM "${schema}".job WHERE name = $1
               UNION ALL SELECT state, retry_count FROM "${schema}".archive WHERE name = $1) j
        GROUP BY state`,
      [QUEUE],
    );
    const jobs = { queued: 0, active: 0, done: 0, failed: 0, cancelled: 0, retrying: 0, retried: 0 };
    for (const r of states.rows) {
      const n = Number(r.n);
      const retried = Number(r.retried);
      if (r.state === 'created') jobs.queued += n;
      else if (r.state === 'retry') {
        jobs.queued += n;
        jobs.retrying += n;
      } else if (r.state === 'active') {
        jobs.active += n;
        jobs.retried += retried;
      } else if (r.state === 'completed') {
        jobs.done += n;
        jobs.retried += retried;
      } else if (r.state === 'failed') jobs.failed += n;
      else if (r.state === 'cancelled') jobs.cancelled += n;
    }
    const recent = await client.query<{ jobs: string; stored: string | null; documents: string | null; workers: string; ms: string | null; span: string | null }>(
      `SELECT count(*) AS jobs,
              sum((output->>'stored')::int) AS stored,
              sum((output->>'stored')::int + (output->>'skipped')::int + (output->>'errors')::int) AS documents,
              count(DISTINCT output->>'worker') AS workers,
              avg((output->>'ms')::float) AS ms,
              extract(epoch FROM now() - min(started_on)) AS span
         FROM "${schema}".job
        WHERE name = $1 AND state = 'completed' AND completed_on > now() - make_interval(secs => $2)`,
      [QUEUE, windowSeconds],
    );
    const r = recent.rows[0];
    const documents = Number(r.documents ?? 0);
    // Over the window, or since the first of these jobs started when the run is younger than the window.
    const span = Math.max(1, Math.min(windowSeconds, Number(r.span ?? windowSeconds)));
    return {
      queue: QUEUE,
      schema,
      jobs,
      recent: {
        windowSeconds,
        jobs: Number(r.jobs),
        stored: Number(r.stored ?? 0),
        documents,
        perSecond: documents / span,
        workers: Number(r.workers),
      },
      meanJobMs: r.ms === null ? null : Math.round(Number(r.ms)),
    };
  } finally {
    await client.end().catch(() => {});
  }
}

export function statusText(s: QueueStatus, storedDocuments: number | null): string {
  const j = s.jobs;
  const w = s.recent.windowSeconds;
  const win = w % 60 === 0 ? `${w / 60} min` : `${w} s`;
  const lines = [
    `queue ${s.queue} (schema ${s.schema})`,
    `jobs: ${j.queued} queued${j.retrying ? ` (${j.retrying} waiting for a retry)` : ''}, ${j.active} active, ${j.done} done, ${j.failed} failed${j.retried ? `; ${j.retried} needed a retry` : ''}`,
    `last ${win}: ${s.recent.jobs} jobs, ${s.recent.documents} documents (${s.recent.stored} newly stored) by ${s.recent.workers} worker${s.recent.workers === 1 ? "" : "s"}: ${s.recent.perSecond.toFixed(1)} documents/s${s.meanJobMs !== null ? `, ${(s.meanJobMs / 1000).toFixed(1)} s per job` : ''}`,
  ];
  if (storedDocuments !== null) lines.push(`store: ${storedDocuments} documents`);
  return lines.join('\n') + '\n';
}
