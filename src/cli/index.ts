import { Command, CommanderError } from 'commander';
import { readFileSync } from 'node:fs';
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

/** Exit status when the command line cannot be parsed. */
export const EXIT_USAGE = 2;

/** Each command lives in its own file and registers itself here. */
const commands: ((program: Command) => void)[] = [
  registerAnalyze, registerEval, registerTrain,
  registerBatch, registerSearch, registerSpeakers, registerStats, registerExport, registerErrors,
  registerServe,
  registerEnqueue, registerWorker, registerStatus,
  registerTrace, registerTraces,
];

/** The package's version; package.json sits two folders up from both src/cli and dist/cli. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('whosaid')
    .description('Who said what, through whom, and how well it is sourced.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
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
      // Help and --version end with 0; a command line that cannot be parsed (unknown option, missing
      // argument, a value outside its choices) with 2, as is usual, apart from 1 for failures.
      process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
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
