// Held-out experiments for the attribution model: trains on train/ minus a held-out tenth (every
// tenth text by name, from the fourth), scores on that tenth, never on dev unless --dev is given
// (then it trains on all of train/ and scores dev, as `whosaid train` + `whosaid eval` would).
//   npm run build && node --import tsx training/experiment.ts --seed 13 [--all-annotators] [--clusters FILE] [--cue-mix N] [--dev] [--tag NAME] [--save DIR]
import { loadAnnotatedDir, type AnnotatedText } from '../dist/formats/polnear.js';
import { trainModel } from '../dist/attribution/train.js';
import { analyze } from '../dist/analyze.js';
import { evaluateTexts } from '../dist/eval/run.js';
import { forInference, saveModel } from '../dist/attribution/model.js';
import { readClusters } from '../dist/attribution/clusters.js';
import { foldOf } from './content-ends-split.js';
import { loadParser } from '../dist/attribution/parser.js';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const seed = Number(value('--seed', '13'));
const tag = value('--tag', 'run');
const DATA = new URL('../../shared/data/polnear/', import.meta.url).pathname;

const all = loadAnnotatedDir(DATA + 'train', { allAnnotators: flag('--all-annotators') });
const names = [...new Set(all.map((t) => t.name))].sort();
const held = new Set(flag('--dev') ? [] : names.filter((n) => foldOf(n) === 'tenth'));
const train = all.filter((t) => !held.has(t.name));
let test: AnnotatedText[];
if (flag('--dev')) test = loadAnnotatedDir(DATA + 'dev');
else {
  const seen = new Set<string>();
  test = all.filter((t) => held.has(t.name) && !seen.has(t.name) && seen.add(t.name));
}
const t0 = Date.now();
const clusters = args.includes('--clusters') ? readClusters(value('--clusters', '')) : null;
const cueMix = Number(value('--cue-mix', '3'));
let syntax = null;
if (args.includes('--syntax')) {
  const dir = value('--syntax', '');
  const meta = JSON.parse(readFileSync(dir + '/parser.json', 'utf8'));
  const buf = gunzipSync(readFileSync(dir + '/parser.f32.gz'));
  const w = new Float32Array(buf.byteLength / 4);
  new Uint8Array(w.buffer).set(buf);
  syntax = loadParser(meta, w);
}
const { model } = await trainModel(train, { seed, clusters, cueMix, syntax, log: (l) => console.error(l) });
const secs = Math.round((Date.now() - t0) / 1000);
// --save DIR keeps the model for later held-out experiments on the same tenth (no retraining).
if (args.includes('--save')) saveModel(model, value('--save', ''), { heldOut: 'tenth', seed, cueMix });
forInference(model);
const s = evaluateTexts(test, (text, name) => analyze(text, { id: name, model }).attributions).scores;
const f = (x: number) => x.toFixed(3);
console.log(`${tag}\tseed ${seed}\tmix ${cueMix}\t${flag('--dev') ? 'dev' : 'heldout'}\t${f(s.exact.source.f1)} / ${f(s.exact.cue.f1)} / ${f(s.exact.content.f1)} / ${f(s.attribution.f1)}\ttrain ${train.length} texts, ${secs} s`);
