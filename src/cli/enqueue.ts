import type { Command } from 'commander';
import { DEFAULT_JOB_SIZE, DEFAULT_LEASE_SECONDS, DEFAULT_QUEUE_SCHEMA, DEFAULT_RETRY_LIMIT } from '../queue/defaults.js';
import type { BossOptions, PgBoss } from '../queue/index.js';
import { isPostgresLocation, StoreError } from '../store/index.js';
import { parseSize } from './analyze.js';
import { parseCount, planOrExplain, stoppable, withStore } from './db.js';
import { UserError } from './errors.js';

interface EnqueueFlags {
  db?: string;
  jobSize: string;
  leaseSeconds: string;
  retries: string;
  queueSchema: string;
  maxBytes: string;
  progress?: boolean;
  quiet?: boolean;
}

/** --db for the queue commands: PostgreSQL only (the queue lives there). */
export function queueDb(db: string | undefined, command: string): string {
  if (!db) throw new UserError(`${command} needs --db postgres://user@host:port/db (the store and the job queue)`);
  if (!isPostgresLocation(db)) throw new UserError(`${command} needs a PostgreSQL store (--db postgres://…), got "${db}"; for one machine use whosaid batch`);
  return db;
}

export async function withBoss<T>(db: string, opts: BossOptions | undefined, fn: (boss: PgBoss) => Promise<T>): Promise<T> {
  // pg-boss (and pg) load only for the queue commands, not at every start-up.
  const { openBoss } = await import('../queue/index.js');
  let boss;
  try {
    boss = await openBoss(db, opts);
  } catch (err) {
    if (err instanceof StoreError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await fn(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true, close: true }).catch(() => {});
  }
}

export function registerEnqueue(program: Command): void {
  program
    .command('enqueue')
    .description('send articles to the job queue in PostgreSQL for whosaid worker processes on any machine; stored ones are skipped')
    .argument('<inputs...>', 'directories (.txt, .html), .jsonl files, or - (JSONL on stdin), as for batch')
    .option('--db <url>', 'the PostgreSQL store, which also holds the queue: postgres://user@host:port/db')
    .option('--job-size <n>', 'documents per job', String(DEFAULT_JOB_SIZE))
    .option('--lease-seconds <n>', 'how long a worker may hold a job before it is taken back and retried', String(DEFAULT_LEASE_SECONDS))
    .option('--retries <n>', 'attempts after the first for a job whose worker failed or vanished', String(DEFAULT_RETRY_LIMIT))
    .option('--queue-schema <name>', 'PostgreSQL schema of the queue tables', DEFAULT_QUEUE_SCHEMA)
    .option('--max-bytes <size>', 'largest document accepted', '5M')
    .option('--no-progress', 'no progress lines, only the summary')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary)')
    .addHelpText('after', '\nJSONL lines are read as batch reads them: a "published" that is not a date makes the line an error (whosaid batch --help).')
    .action(async (inputs: string[], flags: EnqueueFlags) => {
      const db = queueDb(flags.db, 'enqueue');
      const jobSize = parseCount(flags.jobSize, '--job-size');
      const leaseSeconds = parseCount(flags.leaseSeconds, '--lease-seconds');
      const retryLimit = Number(flags.retries);
      if (!Number.isInteger(retryLimit) || retryLimit < 0) throw new UserError(`--retries must be a whole number, got "${flags.retries}"`);
      const maxBytes = parseSize(flags.maxBytes);
      const plan = planOrExplain(inputs);
      const { enqueueSummary, runEnqueue } = await import('../queue/enqueue.js');
      await withStore(db, (store) =>
        withBoss(db, { schema: flags.queueSchema }, async (boss) => {
          let last = 0;
          await stoppable('stopped; run the same command again to go on (stored documents are skipped)', async (signal) => {
            const counts = await runEnqueue(store, boss, plan, {
              jobSize, leaseSeconds, retryLimit, maxBytes, signal,
              onProgress: (c) => {
                if (flags.progress === false || flags.quiet || c.elapsedMs - last < 5000) return;
                last = c.elapsedMs;
                process.stderr.write(`whosaid: ${enqueueSummary(c)}\n`);
              },
            });
            if (!flags.quiet) process.stderr.write(`whosaid: ${enqueueSummary(counts)}\n`);
          });
        }),
      );
    });
}
