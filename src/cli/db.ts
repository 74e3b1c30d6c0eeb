/** Shared by the corpus commands: the --db option, opening the store, and writing to stdout. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_STORE, isPostgresLocation, openStore, StoreError, type Store } from '../store/index.js';
import { UserError } from './errors.js';
import { InputPlanError, planInputs, type Plan } from '../corpus/sources.js';

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <path|url>', `the store: a SQLite file, or postgres://user@host:port/db`, DEFAULT_STORE);
}

/** Opens the store (for reading commands, a SQLite file must exist), runs `fn`, closes it. */
export async function withStore<T>(db: string, fn: (store: Store) => Promise<T>, opts: { mustExist?: boolean } = {}): Promise<T> {
  if (opts.mustExist && !isPostgresLocation(db) && !existsSync(db)) {
    throw new UserError(`no store at ${db} (create one with: whosaid batch INPUT... --db ${db})`);
  }
  let store: Store;
  try {
    store = await openStore(db);
  } catch (err) {
    if (err instanceof StoreError) throw new UserError(err.message);
    throw err;
  }
  try {
    return await fn(store);
  } catch (err) {
    if (err instanceof StoreError) throw new UserError(err.message);
    throw err;
  } finally {
    await store.close().catch(() => {});
  }
}

/** Writes to stdout, waiting when the pipe is full; a closed pipe (| head) ends quietly. */
export function stdoutWriter(): (s: string) => Promise<void> {
  process.stdout.once('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  return (s: string) =>
    new Promise<void>((resolve) => {
      if (process.stdout.write(s)) resolve();
      else process.stdout.once('drain', resolve);
    });
}

export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}

/** --offset: a whole number, 0 or more. */
export function parseOffset(value: string, flag = '--offset'): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new UserError(`${flag} must be a whole number (0 or more), got "${value}"`);
  return n;
}

/** A date as --since/--until take it: YYYY-MM-DD or a full ISO date-time. */
export function parseDate(value: string, flag: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return value;
  const t = Date.parse(value);
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(t)) return new Date(t).toISOString();
  throw new UserError(`${flag} must be a date such as 2024-03-01 (or 2024-03-01T12:00:00Z), got "${value}"`);
}

/** Plans a batch's inputs; a missing or unreadable input is the user's mistake, told in one line. */
export function planOrExplain(inputs: string[]): Plan {
  try {
    return planInputs(inputs);
  } catch (err) {
    if (err instanceof InputPlanError) throw new UserError(err.message);
    throw err;
  }
}

/**
 * Runs a long command that Ctrl-C or SIGTERM stops cleanly: the signal aborts `run`'s signal, and
 * once `run` returns, a stop is reported with `stoppedMessage` and exit code 130.
 */
export async function stoppable<T>(stoppedMessage: string, run: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const result = await run(stop.signal);
    if (stop.signal.aborted) {
      process.stderr.write(`whosaid: ${stoppedMessage}\n`);
      process.exitCode = 130;
    }
    return result;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** The --time-budget flag: seconds per document (fractions allowed), 0 for no limit; milliseconds out. */
export function parseBudget(value: string): number {
  const n = Number(value);
  if (!value.trim() || !Number.isFinite(n) || n < 0) throw new UserError(`--time-budget must be a number of seconds (0 for no limit), got "${value}"`);
  return Math.round(n * 1000);
}

/** The help line of --time-budget, the same in batch, worker and serve. */
export const TIME_BUDGET_HELP = 'seconds one document may take to analyse before it is skipped and recorded as an error (0: no limit)';
