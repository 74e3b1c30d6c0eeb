import type { Command } from 'commander';
import type { SearchHit, SearchQuery } from '../store/types.js';
import { addDbOption, parseCount, parseDate, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';

interface SearchFlags {
  db: string;
  speaker?: string;
  text?: string;
  outlet?: string;
  anonymous?: boolean;
  since?: string;
  until?: string;
  limit: string;
  offset?: string;
  json?: boolean;
}

function snippet(s: string, max = 160): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function formatHit(h: SearchHit): string {
  const d = h.document;
  const a = h.attribution;
  const head = [d.id, d.title ? `"${snippet(d.title, 80)}"` : null, d.outlet, d.published?.slice(0, 10)].filter(Boolean).join('  ');
  const who = a.speaker ? `${a.speaker.name} (${a.speaker.type})` : a.source ? a.source : '(no source)';
  const tags = [a.kind, a.anonymous ? 'anonymous' : null, a.hedged ? 'hedged' : null].filter(Boolean).join(', ');
  return `${head}\n  ${who} — ${a.cue}: ${snippet(a.content)}  [${tags}]\n`;
}

export function registerSearch(program: Command): void {
  const cmd = program.command('search').description('find attributions in a store by speaker, words, outlet, anonymity and date');
  addDbOption(cmd)
    .option('--speaker <name>', 'speaker name (whole words; case and accents ignored; aliases and unresolved sources count)')
    .option('--text <words>', 'words that must all occur in what was said')
    .option('--outlet <name>', 'only this outlet')
    .option('--anonymous', 'only anonymous speakers')
    .option('--since <date>', 'published on or after this date')
    .option('--until <date>', 'published on or before this date')
    .option('--limit <n>', 'most results', '50')
    .option('--offset <n>', 'skip this many results')
    .option('--json', 'print the results as a JSON array')
    .action(async (flags: SearchFlags) => {
      const q: SearchQuery = { limit: parseCount(flags.limit, '--limit') };
      if (flags.offset !== undefined) {
        const n = Number(flags.offset);
        if (!Number.isInteger(n) || n < 0) throw new UserError(`--offset must be a whole number, got "${flags.offset}"`);
        q.offset = n;
      }
      if (flags.speaker !== undefined) q.speaker = flags.speaker;
      if (flags.text !== undefined) q.text = flags.text;
      if (flags.outlet !== undefined) q.outlet = flags.outlet;
      if (flags.anonymous) q.anonymous = true;
      if (flags.since !== undefined) q.since = parseDate(flags.since, '--since');
      if (flags.until !== undefined) q.until = parseDate(flags.until, '--until');
      const hits = await withStore(flags.db, (s) => s.search(q), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) await write(`${JSON.stringify(hits, null, 2)}\n`);
      else if (!hits.length) process.stderr.write('no attributions found\n');
      else for (const h of hits) await write(formatHit(h));
    });
}
