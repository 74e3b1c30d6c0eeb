import { Option, type Command } from 'commander';
import type { MonthFigures, OutletFigures } from '../store/views.js';
import { addDbOption, parseCount, parseDate, stdoutWriter, withStore } from './db.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const GENDERS = ['female', 'male', 'unknown'];
const ROLES = ['politician', 'official', 'spokesperson', 'expert', 'citizen', 'media', 'organisation', 'anonymous', 'unknown'];

interface Flags {
  db: string;
  json?: boolean;
  by: 'outlet' | 'month';
  outlet?: string;
  since?: string;
  until?: string;
  top: string;
}

export function registerStats(program: Command): void {
  const cmd = program
    .command('stats')
    .description('per outlet (or per month): articles, attributions, anonymous / unattributed / direct shares, top speakers, who is quoted by gender and role');
  addDbOption(cmd)
    .addOption(new Option('--by <what>', 'one row per outlet or per month').choices(['outlet', 'month']).default('outlet'))
    .option('--outlet <name>', 'only this outlet')
    .option('--since <date>', 'from the month of this date (YYYY-MM-DD)')
    .option('--until <date>', 'to the end of the month of this date (YYYY-MM-DD)')
    .option('--top <n>', 'top speakers listed per row', '3')
    .option('--json', 'print JSON (per row: counts, shares, attributions by speaker type and gender, quoted speakers by gender and role, top speakers)')
    .action(async (flags: Flags) => {
      const query = {
        outlet: flags.outlet,
        since: flags.since === undefined ? undefined : parseDate(flags.since, '--since'),
        until: flags.until === undefined ? undefined : parseDate(flags.until, '--until'),
        top: parseCount(flags.top, '--top'),
        quoted: true,
      };
      const figures = await withStore(flags.db, (s) => s.views.figures(query), { mustExist: true });
      const rows: (OutletFigures | MonthFigures)[] = flags.by === 'month' ? figures.months : figures.outlets;
      const keyOf = (r: OutletFigures | MonthFigures) => ('outlet' in r ? r.outlet : r.month);
      const write = stdoutWriter();
      if (flags.json) {
        const out = rows.map((r) => ({ ...r, attributionsPerDocument: r.documents ? r.attributions / r.documents : 0 }));
        return write(`${prettyJson(out)}\n`);
      }
      const none = flags.by === 'month' ? '(undated)' : '(none)';
      // Outlet and speaker names come from the input: printed with terminal escapes neutralised.
      const name = (r: OutletFigures | MonthFigures) => safeLine(keyOf(r) ?? none);
      const w = Math.max(6, ...rows.map((r) => name(r).length));
      await write(`${flags.by.padEnd(w)}  articles  attributions  per article  anonymous  direct  unattributed  top speakers\n`);
      for (const r of rows) {
        const per = r.documents ? r.attributions / r.documents : 0;
        const top = r.topSpeakers.map((s) => `${safeLine(s.name)} ${s.attributions}`).join(', ');
        await write(
          `${name(r).padEnd(w)}  ${String(r.documents).padStart(8)}  ${String(r.attributions).padStart(12)}  ${per.toFixed(2).padStart(11)}  ` +
            `${pct(r.anonymousShare).padStart(9)}  ${pct(r.directShare).padStart(6)}  ${pct(r.unattributedShare).padStart(12)}  ${top}\n`,
        );
      }
      // Who gets quoted: distinct speakers, gender shares over persons, role shares over all speakers.
      await write(`\nwho is quoted (distinct speakers; gender shares of persons, role shares of all speakers)\n`);
      const head = ['speakers', 'persons', ...GENDERS, ...ROLES];
      await write(`${flags.by.padEnd(w)}  ${head.map((h) => h.padStart(Math.max(7, h.length))).join('  ')}\n`);
      for (const r of rows) {
        const q = r.quoted!;
        const cells = [
          String(q.speakers), String(q.persons),
          ...GENDERS.map((g) => pct(q.genderShare[g] ?? 0)),
          ...ROLES.map((k) => pct(q.roleShare[k] ?? 0)),
        ];
        await write(`${name(r).padEnd(w)}  ${cells.map((c, i) => c.padStart(Math.max(7, head[i].length))).join('  ')}\n`);
      }
    });
}
