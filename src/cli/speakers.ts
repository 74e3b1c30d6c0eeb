import type { Command } from 'commander';
import type { SpeakerType } from '../store/types.js';
import { addDbOption, parseCount, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';

const TYPES = ['person', 'organization', 'media', 'anonymous', 'other', 'unresolved'];

export function registerSpeakers(program: Command): void {
  const cmd = program.command('speakers').description('top speakers in a store, with their outlets and counts');
  addDbOption(cmd)
    .option('--limit <n>', 'how many', '20')
    .option('--type <type>', `only one type: ${TYPES.join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (flags: { db: string; limit: string; type?: string; json?: boolean }) => {
      if (flags.type !== undefined && !TYPES.includes(flags.type)) throw new UserError(`--type must be one of ${TYPES.join(', ')}, got "${flags.type}"`);
      const list = await withStore(flags.db, (s) => s.speakers({ limit: parseCount(flags.limit, '--limit'), type: flags.type as SpeakerType | undefined }), {
        mustExist: true,
      });
      const write = stdoutWriter();
      if (flags.json) return write(`${JSON.stringify(list, null, 2)}\n`);
      if (!list.length) {
        process.stderr.write('no speakers yet\n');
        return;
      }
      const w = Math.max(...list.map((s) => s.name.length), 7);
      await write(`${'speaker'.padEnd(w)}  type          quotes  articles  outlets\n`);
      for (const s of list) {
        const outlets = s.outlets.map((o) => `${o.outlet ?? '(none)'} ${o.attributions}`).join(', ');
        await write(`${s.name.padEnd(w)}  ${s.type.padEnd(12)}  ${String(s.attributions).padStart(6)}  ${String(s.documents).padStart(8)}  ${outlets}\n`);
      }
    });
}
