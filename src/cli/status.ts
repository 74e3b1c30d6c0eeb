import type { Command } from 'commander';
import { ARCHIVE_DONE_AFTER_SECONDS, DEFAULT_QUEUE_SCHEMA } from '../queue/defaults.js';
import { StoreError } from '../store/index.js';
import { parseCount, withStore } from './db.js';
import { queueDb } from './enqueue.js';
import { UserError } from './errors.js';

interface StatusFlags {
  db?: string;
  queueSchema: string;
  window: string;
  json?: boolean;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('progress of the job queue: queued, active, done and failed jobs, and the recent rate')
    .option('--db <url>', 'the PostgreSQL store and queue: postgres://user@host:port/db')
    .option('--queue-schema <name>', 'PostgreSQL schema of the queue tables', DEFAULT_QUEUE_SCHEMA)
    .option('--window <seconds>', 'rate over the jobs completed in this many seconds (at most 3600)', '300')
    .option('--json', 'print the figures as JSON')
    .action(async (flags: StatusFlags) => {
      const db = queueDb(flags.db, 'status');
      const windowSeconds = parseCount(flags.window, '--window');
      if (windowSeconds > ARCHIVE_DONE_AFTER_SECONDS) throw new UserError(`--window can be at most ${ARCHIVE_DONE_AFTER_SECONDS} seconds (done jobs are archived after that)`);
      // pg loads only when the queue is read, not at every start-up.
      const { queueStatus, statusText } = await import('../queue/status.js');
      let status;
      try {
        status = await queueStatus(db, { schema: flags.queueSchema, windowSeconds });
      } catch (err) {
        if (err instanceof StoreError) throw new UserError(err.message);
        throw err;
      }
      if (!status) throw new UserError(`no job queue in schema ${flags.queueSchema} of this database (start one with: whosaid enqueue INPUT... --db ${db.replace(/:[^:@/]*@/, ':***@')})`);
      const stored = await withStore(db, (store) => store.countDocuments());
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...status, storedDocuments: stored })}\n`);
      else process.stdout.write(statusText(status, stored));
    });
}
