import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { DEFAULT_QUEUE_SCHEMA } from '../queue/defaults.js';
import { parseBudget, parseCount, TIME_BUDGET_HELP, withStore } from './db.js';
import { queueDb, withBoss } from './enqueue.js';
import { UserError } from './errors.js';

interface WorkerFlags {
  db?: string;
  concurrency?: string;
  queueSchema: string;
  checkSeconds: string;
  pollSeconds: string;
  graceSeconds: string;
  untilEmpty?: boolean;
  quiet?: boolean;
  progress?: boolean;
  timeBudget: string;
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('take jobs from the queue in PostgreSQL, analyse them and store the results; run one per machine, as many machines as you like')
    .option('--db <url>', 'the PostgreSQL store and queue: postgres://user@host:port/db')
    .option('--concurrency <n>', `analysis threads, and jobs held at once (default: the number of cores, ${availableParallelism()})`)
    .option('--queue-schema <name>', 'PostgreSQL schema of the queue tables', DEFAULT_QUEUE_SCHEMA)
    .option('--check-seconds <n>', 'how often expired leases are looked for (by one worker at a time)', '30')
    .option('--poll-seconds <n>', 'how often an empty queue is polled', '2')
    .option('--grace-seconds <n>', 'on SIGTERM/SIGINT, how long the jobs in hand may take before they are handed back', '120')
    .option('--until-empty', 'exit once no job is queued or active')
    .option('--time-budget <seconds>', TIME_BUDGET_HELP, '30')
    .option('--no-progress', 'no line per job, only the summary')
    .option('-q, --quiet', 'print nothing but errors and warnings (no line per job, no summary)')
    .action(async (flags: WorkerFlags) => {
      const db = queueDb(flags.db, 'worker');
      const concurrency = flags.concurrency !== undefined ? parseCount(flags.concurrency, '--concurrency') : availableParallelism();
      const checkSeconds = parseCount(flags.checkSeconds, '--check-seconds');
      const pollSeconds = Number(flags.pollSeconds);
      if (!(pollSeconds > 0)) throw new UserError(`--poll-seconds must be a positive number, got "${flags.pollSeconds}"`);
      const graceSeconds = Number(flags.graceSeconds);
      if (!(graceSeconds >= 0)) throw new UserError(`--grace-seconds must be a number of seconds, got "${flags.graceSeconds}"`);
      const budgetMs = parseBudget(flags.timeBudget);
      const { runWorker, workerSummary } = await import('../queue/worker.js');
      await withStore(db, (store) =>
        withBoss(db, { schema: flags.queueSchema, maintenanceSeconds: checkSeconds, max: 2 + concurrency }, async (boss) => {
          const stop = new AbortController();
          const abort = new AbortController();
          let grace: NodeJS.Timeout | undefined;
          const onSignal = (sig: string) => {
            if (stop.signal.aborted) {
              abort.abort();
              return;
            }
            process.stderr.write(`whosaid: ${sig}: finishing the jobs in hand (again to hand them back now)\n`);
            stop.abort();
            grace = setTimeout(() => abort.abort(), graceSeconds * 1000);
            grace.unref();
          };
          process.on('SIGINT', onSignal);
          process.on('SIGTERM', onSignal);
          // Without progress, a job's failure is still an error worth a line; the per-job lines are not.
          const progress = !flags.quiet && flags.progress !== false;
          const log = (line: string) => {
            if (progress || /: failed \(/.test(line)) process.stderr.write(`whosaid: ${line}\n`);
          };
          log(`worker ${process.pid}: ${concurrency} thread${concurrency === 1 ? "" : "s"}, waiting for jobs`);
          try {
            const counts = await runWorker(store, boss, { concurrency, pollSeconds, untilEmpty: !!flags.untilEmpty, stop: stop.signal, abort: abort.signal, log, budgetMs }).catch((err: Error) => {
              if (/^(analysis cannot run|an analysis worker stopped)/.test(err.message)) throw new UserError(err.message);
              throw err;
            });
            if (!flags.quiet) process.stderr.write(`whosaid: ${workerSummary(counts)}\n`);
            if (stop.signal.aborted) process.exitCode = 130;
          } finally {
            if (grace) clearTimeout(grace);
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        }),
      );
    });
}
