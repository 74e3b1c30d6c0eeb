import type { Command } from 'commander';
import { addDbOption, stdoutWriter, withStore } from './db.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function registerStats(program: Command): void {
  const cmd = program.command('stats').description('per outlet: attributions per article, anonymous share, direct share');
  addDbOption(cmd)
    .option('--json', 'print JSON')
    .action(async (flags: { db: string; json?: boolean }) => {
      const rows = await withStore(flags.db, (s) => s.stats(), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) return write(`${prettyJson(rows)}\n`);
      // Outlet names come from the input: printed with terminal escapes neutralised.
      const name = (r: { outlet: string | null }) => (r.outlet === null ? '(none)' : safeLine(r.outlet));
      const w = Math.max(6, ...rows.map((r) => name(r).length));
      await write(`${'outlet'.padEnd(w)}  articles  attributions  per article  anonymous  direct\n`);
      for (const r of rows) {
        await write(
          `${name(r).padEnd(w)}  ${String(r.documents).padStart(8)}  ${String(r.attributions).padStart(12)}  ${r.attributionsPerDocument
            .toFixed(2)
            .padStart(11)}  ${pct(r.anonymousShare).padStart(9)}  ${pct(r.directShare).padStart(6)}\n`,
        );
      }
    });
}
