import type { Command } from 'commander';
import { traceAttribution, traceText, TraceError, type TraceOptions } from '../trace/index.js';
import { formatTrace } from '../trace/format.js';
import { addDbOption, parseCount, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';

interface TraceFlags {
  db: string;
  attribution?: string;
  similarity?: string;
  limit: string;
  json?: boolean;
}

/** "DOC:ID" → document (id or hash) and attribution id; the id is after the last colon (document ids may hold colons). */
export function parseAttributionRef(ref: string): { doc: string; id: string } {
  const at = ref.lastIndexOf(':');
  if (at <= 0 || at === ref.length - 1) throw new UserError(`--attribution must be DOC:ID (a document id or hash, and an attribution id such as a3), got "${ref}"`);
  return { doc: ref.slice(0, at), id: ref.slice(at + 1) };
}

export function parseSimilarity(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 1) throw new UserError(`--similarity must be a number in (0, 1], got "${v}"`);
  return n;
}

export function registerTrace(program: Command): void {
  const cmd = program
    .command('trace')
    .description('trace a quote or a claim across the stored articles: occurrences in time order, relays, wording changes and findings')
    .argument('[text]', 'the words of the quote or claim');
  addDbOption(cmd)
    .option('--attribution <doc:id>', 'trace a stored attribution (document id or hash, then its id, e.g. "wash-post_2016-01-05:a3")')
    .option('--similarity <s>', 'least similarity (Jaccard over 3-word shingles) for a claim to count as the same', '0.5')
    .option('--limit <n>', 'most candidate occurrences', '500')
    .option('--json', 'print the trace as JSON')
    .action(async (text: string | undefined, flags: TraceFlags) => {
      if ((text === undefined) === (flags.attribution === undefined)) throw new UserError('give the text to trace or --attribution DOC:ID (one of them)');
      const options: TraceOptions = { threshold: parseSimilarity(flags.similarity), limit: parseCount(flags.limit, '--limit') };
      const trace = await withStore(
        flags.db,
        async (s) => {
          try {
            if (flags.attribution !== undefined) {
              const r = parseAttributionRef(flags.attribution);
              return await traceAttribution(s, r.doc, r.id, options);
            }
            return await traceText(s, text!, options);
          } catch (err) {
            if (err instanceof TraceError) throw new UserError(err.message);
            throw err;
          }
        },
        { mustExist: true },
      );
      const write = stdoutWriter();
      await write(flags.json ? `${JSON.stringify(trace, null, 2)}\n` : formatTrace(trace));
    });
}
