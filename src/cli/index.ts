import { Command, CommanderError } from 'commander';
import { UserError } from './errors.js';
import { registerTrain } from './train.js';
import { registerAnalyze } from './analyze.js';
import { registerEval } from './eval.js';
import { registerBatch } from './batch.js';
import { registerSearch } from './search.js';
import { registerSpeakers } from './speakers.js';
import { registerStats } from './stats.js';
import { registerExport } from './export.js';
import { registerErrors } from './corpus-errors.js';
import { registerServe } from './serve.js';
import { registerEnqueue } from './enqueue.js';
import { registerWorker } from './worker.js';
import { registerStatus } from './status.js';
import { registerTrace } from './trace.js';
import { registerTraces } from './traces.js';

/** Each command lives in its own file and registers itself here. */
const commands: ((program: Command) => void)[] = [
  registerAnalyze, registerEval, registerTrain,
  registerBatch, registerSearch, registerSpeakers, registerStats, registerExport, registerErrors,
  registerServe,
  registerEnqueue, registerWorker, registerStatus,
  registerTrace, registerTraces,
];

export function buildProgram(): Command {
  const program = new Command('whosaid')
    .description('Who said what, through whom, and how well it is sourced.')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof UserError) {
      console.error(`whosaid: ${err.message}`);
      process.exitCode = err.exitCode;
      return;
    }
    throw err;
  }
}
