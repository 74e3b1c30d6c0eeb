// Chooses the slack of the source fallback (src/attribution/extract.ts `fallbackSource`: a cue the role
// tagger gave no source gets the best-scoring source start of its sentence when that start scored
// within the slack of the label chosen for it). Scores a model trained without the held-out tenth of
// train (training/experiment.ts --save DIR) on that tenth for each slack, and picks the one with the
// best attribution F1 (ties: the better exact source F1). Dev is never read.
//   npm run build && node --import tsx training/experiment.ts --seed 13 --save /tmp/m9
//   node --import tsx training/source-fallback.ts /tmp/m9 [--write]   (--write puts it in models/attribution/model.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { loadAnnotatedDir, type AnnotatedText } from '../dist/formats/polnear.js';
import { analyze } from '../dist/analyze.js';
import { evaluateTexts } from '../dist/eval/run.js';
import { loadInferenceModel } from '../dist/attribution/model.js';
import { foldOf } from './content-ends-split.js';

const [dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: source-fallback.ts MODEL_DIR [--write]');
const SLACKS = [null, -200, -100, -50, -20, 0, 50, 100];
const DATA = new URL('../../shared/data/polnear/', import.meta.url).pathname;
const seen = new Set<string>();
const tenth: AnnotatedText[] = loadAnnotatedDir(DATA + 'train').filter((t) => foldOf(t.name) === 'tenth' && !seen.has(t.name) && seen.add(t.name));
const model = loadInferenceModel(dir);
const f = (x: number) => x.toFixed(3);
let best: { slack: number | null; att: number; src: number } | null = null;
for (const slack of SLACKS) {
  if (slack === null) delete model.meta.sourceFallback;
  else model.meta.sourceFallback = slack;
  const s = evaluateTexts(tenth, (text, name) => analyze(text, { id: name, model }).attributions).scores;
  const row = { slack, att: s.attribution.f1, src: s.exact.source.f1 };
  console.log(`slack ${slack ?? 'none'}\tsource exact P/R/F1 ${f(s.exact.source.precision)} ${f(s.exact.source.recall)} ${f(row.src)}\tsource overlap R ${f(s.overlap.source.recall)}\tattribution F1 ${f(row.att)}\tcontent exact F1 ${f(s.exact.content.f1)}`);
  // Rounded to the three decimals the report shows, so a choice is never made on noise below them.
  const key = (r: typeof row) => [Math.round(r.att * 1000), Math.round(r.src * 1000)];
  if (!best || key(row)[0] > key(best)[0] || (key(row)[0] === key(best)[0] && key(row)[1] > key(best)[1])) best = row;
}
console.log(`chosen slack: ${best!.slack ?? 'none'} (${tenth.length} held-out texts)`);
if (process.argv.includes('--write')) {
  const file = new URL('../models/attribution/model.json', import.meta.url).pathname;
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  if (best!.slack === null) delete meta.sourceFallback;
  else meta.sourceFallback = best!.slack;
  writeFileSync(file, JSON.stringify(meta, null, 1) + '\n');
  console.log(`wrote ${file}`);
}
