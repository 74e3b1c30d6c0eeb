import type { Command } from 'commander';
import { widestTraces } from '../trace/index.js';
import { formatTraces } from '../trace/format.js';
import { addDbOption, parseCount, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';

interface TracesFlags {
  db: string;
  limit: string;
  kind?: string;
  json?: boolean;
}

export function registerTraces(program: Command): void {
  const cmd = program.command('traces').description('list the quotes and claims spread over the most outlets and documents');
  addDbOption(cmd)
    .option('--limit <n>', 'how many', '20')
    .option('--kind <kind>', 'only "quote" or only "claim"')
    .option('--json', 'print the list as JSON')
    .action(async (flags: TracesFlags) => {
      if (flags.kind !== undefined && flags.kind !== 'quote' && flags.kind !== 'claim') throw new UserError(`--kind must be "quote" or "claim", got "${flags.kind}"`);
      const kind = flags.kind as 'quote' | 'claim' | undefined;
      const list = await withStore(flags.db, (s) => widestTraces(s, { limit: parseCount(flags.limit, '--limit'), ...(kind ? { kind } : {}) }), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) await write(`${JSON.stringify(list, null, 2)}\n`);
      else if (!list.length) process.stderr.write('no quote or claim occurs in more than one document\n');
      else await write(formatTraces(list));
    });
}
