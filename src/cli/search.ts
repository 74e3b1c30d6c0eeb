import type { Command } from 'commander';
import type { SearchHit, SearchQuery } from '../store/types.js';
import { addDbOption, parseCount, parseDate, parseOffset, stdoutWriter, withStore } from './db.js';
import { safeLine } from '../formats/text-report.js';
import { prettyJson } from '../formats/json.js';

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

/** Stored text is untrusted: one line, terminal escapes and bidi overrides neutralised, cut to `max`. */
function snippet(s: string, max = 160): string {
  const one = safeLine(s);
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function formatHit(h: SearchHit): string {
  const d = h.document;
  const a = h.attribution;
  const head = [snippet(d.id, 120), d.title ? `"${snippet(d.title, 80)}"` : null, d.outlet ? snippet(d.outlet, 80) : null, d.published ? snippet(d.published.slice(0, 10)) : null]
    .filter(Boolean)
    .join('  ');
  const who = a.speaker ? `${snippet(a.speaker.name, 80)} (${a.speaker.type})` : a.source ? snippet(a.source, 80) : '(no source)';
  const tags = [a.kind, a.anonymous ? 'anonymous' : null, a.hedged ? 'hedged' : null].filter(Boolean).join(', ');
  return `${head}\n  ${who} — ${snippet(a.cue, 60)}: ${snippet(a.content)}  [${tags}]\n`;
}

export function registerSearch(program: Command): void {
  const cmd = program.command('search').description('find attributions in a store by speaker, words, outlet, anonymity and date');
  addDbOption(cmd)
    .option('--speaker <name>', 'speaker name (whole words; case and accents ignored; aliases and unresolved sources count)')
    .option('--text <words>', 'words that must all occur in what was said')
    .option('--outlet <name>', 'only this outlet (case ignored)')
    .option('--anonymous', 'only anonymous speakers')
    .option('--since <date>', 'published on or after this date')
    .option('--until <date>', 'published on or before this date')
    .option('--limit <n>', 'most results', '50')
    .option('--offset <n>', 'skip this many results')
    .option('--json', 'print the results as a JSON array')
    .action(async (flags: SearchFlags) => {
      const q: SearchQuery = { limit: parseCount(flags.limit, '--limit') };
      if (flags.offset !== undefined) q.offset = parseOffset(flags.offset);
      if (flags.speaker !== undefined) q.speaker = flags.speaker;
      if (flags.text !== undefined) q.text = flags.text;
      if (flags.outlet !== undefined) q.outlet = flags.outlet;
      if (flags.anonymous) q.anonymous = true;
      if (flags.since !== undefined) q.since = parseDate(flags.since, '--since');
      if (flags.until !== undefined) q.until = parseDate(flags.until, '--until');
      const hits = await withStore(flags.db, (s) => s.search(q), { mustExist: true });
      const write = stdoutWriter();
      if (flags.json) await write(`${prettyJson(hits)}\n`);
      else if (!hits.length) process.stderr.write('no attributions found\n');
      else for (const h of hits) await write(formatHit(h));
    });
}
