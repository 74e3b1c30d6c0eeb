import { Option, type Command } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { analysisLine } from '../formats/jsonl.js';
import { ATTRIBUTION_CSV_HEADER, attributionRows, csvRow } from '../formats/csv.js';
import { bratBaseName, toBrat } from '../formats/brat-writer.js';
import { addDbOption, stdoutWriter, withStore } from './db.js';
import { UserError } from './errors.js';
import { makeOutDir } from './paths.js';

export function registerExport(program: Command): void {
  const cmd = program.command('export').description('write every stored analysis: JSONL (whosaid/1 with text), CSV (one row per attribution) or BRAT');
  addDbOption(cmd)
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv', 'brat']).default('jsonl'))
    .option('-o, --out <path>', 'file to write (jsonl, csv; default standard output) or directory (brat, required)')
    .action(async (flags: { db: string; format: string; out?: string }) => {
      if (flags.format === 'brat' && !flags.out) throw new UserError('--format brat needs --out DIR (one .txt and .ann per document)');
      if (flags.format === 'brat') makeOutDir(flags.out!);
      let write: (s: string) => Promise<void>;
      let end = async () => {};
      if (flags.out && flags.format !== 'brat') {
        const out = createWriteStream(flags.out);
        await once(out, 'open').catch((err) => {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EISDIR') throw new UserError(`--out ${flags.out}: is a folder; give a file name (a folder is for --format brat)`);
          throw new UserError(`--out ${flags.out}: cannot write (${code})`);
        });
        write = async (s) => {
          if (!out.write(s)) await once(out, 'drain');
        };
        end = async () => {
          out.end();
          await once(out, 'finish');
        };
      } else write = stdoutWriter();
      let n = 0;
      await withStore(
        flags.db,
        async (store) => {
          if (flags.format === 'csv') await write(csvRow(ATTRIBUTION_CSV_HEADER));
          for await (const d of store.exportDocuments()) {
            n++;
            if (flags.format === 'jsonl') {
              const a = d.analysis;
              await write(analysisLine(d.text !== null ? { ...a, document: { ...a.document, text: d.text } } : a));
            } else if (flags.format === 'csv') {
              // The corpus speaker's gender and role, as the store's identity stage decided them.
              const speakers = await store.views.attributionSpeakers(d.summary.hash);
              await write(attributionRows(d.analysis, (id) => speakers.get(id) ?? null));
            }
            else {
              const base = join(flags.out!, bratBaseName(d.summary.id, d.summary.hash));
              writeFileSync(`${base}.txt`, d.text ?? '');
              writeFileSync(`${base}.ann`, toBrat(d.analysis, d.text ?? ''));
            }
          }
        },
        { mustExist: true },
      );
      await end();
      if (flags.out) process.stderr.write(`exported ${n} documents to ${flags.out}\n`);
    });
}
