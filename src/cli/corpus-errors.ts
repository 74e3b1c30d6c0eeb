/** `whosaid errors`: the documents a batch could not read or analyse. (errors.ts holds UserError.) */
import type { Command } from 'commander';
import { addDbOption, stdoutWriter, withStore } from './db.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

export function registerErrors(program: Command): void {
  const cmd = program.command('errors').description('documents a batch run could not read or analyse, with the reason');
  addDbOption(cmd)
    .option('--json', 'print JSON')
    .action(async (flags: { db: string; json?: boolean }) => {
      const errs = await withStore(flags.db, (s) => s.errors(), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) return write(`${prettyJson(errs)}\n`);
      if (!errs.length) {
        process.stderr.write('no errors recorded\n');
        return;
      }
      // Paths, locators and messages can carry text from the input (a file name, a quoted JSONL value).
      for (const e of errs) await write(`${safeLine(e.input)}${e.locator ? `:${safeLine(e.locator)}` : ''}: ${safeLine(e.message)}\n`);
    });
}
