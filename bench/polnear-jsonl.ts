/**
 * PolNeAR as batch input with its outlets and dates: one JSONL line per article of a split, from
 * metadata.tsv (publisher → outlet, publication_date → published) and text/NAME.txt (the text as is;
 * its first line is the headline, which the analysis detects as it does for a .txt file).
 *
 *   node --import tsx bench/polnear-jsonl.ts train > /tmp/polnear-train.jsonl
 *   whosaid batch /tmp/polnear-train.jsonl --db polnear-train.db
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const split = process.argv[2] ?? 'train';
const root = process.argv[3] ?? join(import.meta.dirname, '../../shared/data/polnear');
const rows = readFileSync(join(root, 'metadata.tsv'), 'utf8').split('\n').filter(Boolean);
const head = rows[0].split('\t');
const col = (name: string) => {
  const i = head.indexOf(name);
  if (i < 0) throw new Error(`${join(root, 'metadata.tsv')}: no column "${name}"`);
  return i;
};
const [cComp, cFile, cPub, cDate] = [col('compartment'), col('filename'), col('publisher'), col('publication_date')];
let n = 0;
for (const line of rows.slice(1)) {
  const f = line.split('\t');
  if (f[cComp] !== split) continue;
  const path = join(root, split, 'text', `${f[cFile]}.txt`);
  if (!existsSync(path)) continue;
  process.stdout.write(`${JSON.stringify({ id: f[cFile], outlet: f[cPub], published: f[cDate], text: readFileSync(path, 'utf8') })}\n`);
  n++;
}
process.stderr.write(`${n} ${split} articles\n`);
