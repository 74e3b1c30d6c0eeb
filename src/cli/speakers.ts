import type { Command } from 'commander';
import type { SpeakerType } from '../store/types.js';
import { addDbOption, parseCount, parseOffset, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

const TYPES = ['person', 'organization', 'media', 'anonymous', 'other', 'unresolved'];

interface SpeakersFlags {
  db: string;
  limit: string;
  offset?: string;
  type?: string;
  json?: boolean;
}

export function registerSpeakers(program: Command): void {
  const cmd = program.command('speakers').description('top speakers in a store, with their outlets and counts');
  addDbOption(cmd)
    .option('--limit <n>', 'how many', '20')
    .option('--offset <n>', 'skip this many (the next page: --offset 20 with --limit 20)')
    .option('--type <type>', `only one type: ${TYPES.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (flags: SpeakersFlags) => {
      if (flags.type !== undefined && !TYPES.includes(flags.type)) throw new UserError(`--type must be one of ${TYPES.join(', ')}, got "${flags.type}"`);
      const query = {
        limit: parseCount(flags.limit, '--limit'),
        offset: flags.offset !== undefined ? parseOffset(flags.offset) : 0,
        type: flags.type as SpeakerType | undefined,
      };
      const list = await withStore(flags.db, (s) => s.speakers(query), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) return write(`${prettyJson(list)}\n`);
      if (!list.length) {
        process.stderr.write(query.offset ? `no speakers after the first ${query.offset}\n` : 'no speakers yet\n');
        return;
      }
      // Names and outlets come from article text: printed with terminal escapes neutralised.
      const names = list.map((s) => safeLine(s.name));
      const w = Math.max(...names.map((n) => n.length), 7);
      await write(`${'speaker'.padEnd(w)}  type          quotes  articles  outlets\n`);
      for (const [i, s] of list.entries()) {
        const outlets = s.outlets.map((o) => `${o.outlet === null ? '(none)' : safeLine(o.outlet)} ${o.attributions}`).join(', ');
        await write(`${names[i].padEnd(w)}  ${s.type.padEnd(12)}  ${String(s.attributions).padStart(6)}  ${String(s.documents).padStart(8)}  ${outlets}\n`);
      }
    });
}
