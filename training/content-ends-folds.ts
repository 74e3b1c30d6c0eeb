// Models for the span-edge ranker's training data, none of which saw the texts it will tag:
// train/ minus the held-out tenth (the texts experiment.ts scores on) split in two halves by name,
// a model trained on each half, plus one trained on the whole nine tenths (what the tenth is scored
// with). With --all it instead trains the two halves of all of train/ (for the committed ranker).
//   npm run build && node --import tsx training/content-ends-folds.ts --out DIR [--seed 13] [--all]
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir } from '../dist/formats/polnear.js';
import { trainModel } from '../dist/attribution/train.js';
import { saveModel } from '../dist/attribution/model.js';
import { fnv, foldOf } from './content-ends-split.js';

const args = process.argv.slice(2);
const value = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const out = value('--out', '');
if (!out) throw new Error('--out DIR is required');
const seed = Number(value('--seed', '13'));
const all = args.includes('--all');
const DATA = new URL('../../shared/data/polnear/', import.meta.url).pathname;
const texts = loadAnnotatedDir(DATA + 'train');
const pool = all ? texts : texts.filter((t) => foldOf(t.name) !== 'tenth');
const jobs: [string, typeof texts][] = [
  ['A', pool.filter((t) => fnv(`half:${t.name}`) % 2 === 0)],
  ['B', pool.filter((t) => fnv(`half:${t.name}`) % 2 === 1)],
];
if (!all) jobs.push(['nine', pool]);
for (const [name, part] of jobs) {
  const dir = join(out, name);
  if (existsSync(join(dir, 'model.json'))) continue;
  const t0 = Date.now();
  const { model, info } = await trainModel(part, { seed });
  saveModel(model, dir, { ...info, texts: part.length, fold: name });
  console.error(`${name}: ${part.length} texts, ${Math.round((Date.now() - t0) / 1000)} s`);
}
