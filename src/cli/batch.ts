import type { Command } from 'commander';
import { availableParallelism } from 'node:os';
import { addDbOption, parseBudget, parseCount, planOrExplain, stoppable, TIME_BUDGET_HELP, withStore } from './db.js';
import { UserError } from './errors.js';
import { parseSize } from './analyze.js';

interface BatchFlags {
  db: string;
  workers?: string;
  batchSize: string;
  maxBytes: string;
  progress?: boolean;
  quiet?: boolean;
  timeBudget: string;
}

/** Exit status of a batch run whose documents were not all stored (see --help). */
export const EXIT_SOME_FAILED = 3;

export function registerBatch(program: Command): void {
  const cmd = program
    .command('batch')
    .description('analyse many articles into a store: directories (.txt, .html), JSONL files, or - (JSONL on stdin); resumable')
    .argument('<inputs...>', 'directories, .jsonl files ({id?, title?, text | html, url?, outlet?, published?} per line), or -');
  addDbOption(cmd)
    .option('--workers <n>', `analysis threads (default: the number of cores, ${availableParallelism()})`)
    .option('--batch-size <n>', 'documents per transaction', '200')
    .option('--max-bytes <size>', 'largest document accepted', '5M')
    .option('--time-budget <seconds>', TIME_BUDGET_HELP, '30')
    .option('--no-progress', 'no progress bar or progress lines, only the summary')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary)')
    .addHelpText(
      'after',
      `\nJSONL "published" must be a date (2024-03-01) or a date-time (2024-03-01T12:00:00Z, RFC 2822); a line with
anything else ("last Tuesday") is not stored and is listed by whosaid errors with the reason.

Exit status: 0 every document stored (or already stored); ${EXIT_SOME_FAILED} some documents could not be read or analysed
(the summary counts them; whosaid errors lists them; the rest are stored); 1 the run could not go on (the store,
an input, a flag value); 2 unknown option or missing argument; 130 stopped by Ctrl-C or SIGTERM (run the same
command again to go on).`,
    )
    .action(async (inputs: string[], flags: BatchFlags) => {
      const workers = flags.workers !== undefined ? parseCount(flags.workers, '--workers') : availableParallelism();
      const batchSize = parseCount(flags.batchSize, '--batch-size');
      const maxBytes = parseSize(flags.maxBytes);
      const budgetMs = parseBudget(flags.timeBudget);
      const plan = planOrExplain(inputs);
      // cli-progress and the batch machinery load only when a batch runs, not at every start-up.
      const [{ runPlan }, { createProgress, summaryLine }] = await Promise.all([import('../corpus/batch.js'), import('../corpus/progress.js')]);
      await withStore(flags.db, async (store) => {
        const progress = flags.progress === false || flags.quiet ? null : createProgress(process.stderr);
        await stoppable('stopped; run the same command again to go on', async (signal) => {
          const counts = await runPlan(store, plan, {
            workers,
            batchSize,
            maxBytes,
            budgetMs,
            signal,
            onProgress: (c) => progress?.update(c),
          }).catch((err: Error) => {
            // Workers that cannot analyse (no model) or died: one line; what was committed stays.
            if (/^(analysis cannot run|an analysis worker stopped)/.test(err.message)) throw new UserError(err.message);
            throw err;
          });
          if (progress) progress.stop(counts);
          else if (!flags.quiet) process.stderr.write(`${summaryLine(counts)}\n`);
          if (counts.errors) process.exitCode = EXIT_SOME_FAILED;
        });
      });
    });
}
