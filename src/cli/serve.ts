import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isPostgresLocation, openStore, StoreError, type Store } from '../store/index.js';
import { DEFAULT_SERVER_MAX_BYTES } from '../server/defaults.js';
import { parseSize } from './analyze.js';
import { UserError } from './errors.js';
import { parseBudget, TIME_BUDGET_HELP } from './db.js';

interface ServeFlags {
  port: string;
  host: string;
  db?: string;
  maxBytes: string;
  log?: boolean;
  workers: string;
  timeBudget: string;
}

/** One analysis thread per core (the request thread mostly waits on I/O), at most 4. */
function defaultWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('HTTP API (POST /api/analyze, GET /api/health) and a web page to read articles in the attribution view')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '8080')
    .option('--host <address>', 'address to bind; the default is this machine only', '127.0.0.1')
    .option('--db <path|url>', 'a corpus store (SQLite file or postgres://…): the page then lists, searches and shows speakers')
    .option('--max-bytes <size>', 'largest request body, in bytes or with a k/M suffix (413 above it)', `${DEFAULT_SERVER_MAX_BYTES / 1024}k`)
    .option('--workers <n>', 'analysis worker threads; 0 analyses on the request thread', String(defaultWorkers()))
    .option('--time-budget <seconds>', `${TIME_BUDGET_HELP}; needs --workers of 1 or more`, '30')
    .option('--log', 'log each request as JSON lines on stdout')
    .action(async (flags: ServeFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be a number from 0 to 65535, got "${flags.port}"`);
      const maxBytes = parseSize(flags.maxBytes);
      const workers = Number(flags.workers);
      if (!Number.isInteger(workers) || workers < 0 || workers > 64) throw new UserError(`--workers must be a number from 0 to 64, got "${flags.workers}"`);
      const budgetMs = parseBudget(flags.timeBudget);
      // fastify loads only for serve, not at every start-up.
      const { buildServer, isLoopback } = await import('../server/app.js');
      let store: Store | null = null;
      if (flags.db) {
        if (!isPostgresLocation(flags.db) && !existsSync(flags.db)) {
          throw new UserError(`no store at ${flags.db} (create one with: whosaid batch INPUT... --db ${flags.db})`);
        }
        try {
          store = await openStore(flags.db, { readonly: !isPostgresLocation(flags.db) });
        } catch (err) {
          if (err instanceof StoreError) throw new UserError(err.message);
          throw err;
        }
      }
      const app = buildServer({ maxBytes, store, logger: !!flags.log, workers, budgetMs });
      let address: string;
      try {
        address = await app.listen({ port, host: flags.host });
      } catch (err) {
        // The analysis worker threads started with the app would keep the process alive: close them too.
        await app.close().catch(() => {});
        await store?.close().catch(() => {});
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'EADDRINUSE') throw new UserError(`port ${port} on ${flags.host} is in use; pick another with --port`);
        if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw new UserError(`cannot bind to ${flags.host}: no such local address`);
        if (e.code === 'EACCES') throw new UserError(`not allowed to bind ${flags.host}:${port}`);
        throw err;
      }
      if (!isLoopback(flags.host)) {
        console.error(`whosaid: warning: listening on ${flags.host}, reachable from other machines; the server has no authentication`);
      }
      console.error(`whosaid: serving on ${address}${store ? ` with the store ${flags.db}` : ''}, ${workers} analysis worker${workers === 1 ? '' : 's'} (Ctrl-C to stop)`);
      const stop = async () => {
        await app.close();
        await store?.close().catch(() => {});
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
