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
  timeBudget: string;
}

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
    .action(async (inputs: string[], flags: BatchFlags) => {
      const workers = flags.workers !== undefined ? parseCount(flags.workers, '--workers') : availableParallelism();
      const batchSize = parseCount(flags.batchSize, '--batch-size');
      const maxBytes = parseSize(flags.maxBytes);
      const budgetMs = parseBudget(flags.timeBudget);
      const plan = planOrExplain(inputs);
      // cli-progress and the batch machinery load only when a batch runs, not at every start-up.
      const [{ runPlan }, { createProgress, summaryLine }] = await Promise.all([import('../corpus/batch.js'), import('../corpus/progress.js')]);
      await withStore(flags.db, async (store) => {
        const progress = flags.progress === false ? null : createProgress(process.stderr);
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
          else process.stderr.write(`${summaryLine(counts)}\n`);
        });
      });
    });
}
