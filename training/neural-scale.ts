// The weight of the neural role tagger's log-probabilities when they are added to the perceptron role
// tagger's scores (WHOSAID_ROLE_TAGGER=ensemble): the ratio of the two taggers' median per-token
// margins (best minus second-best label) over the windows of the cues the model finds in the first
// 100 PolNeAR train texts, so that neither dominates by scale alone. Fixed from training texts, not
// tuned on dev. Writes `ensembleScale` into DIR/role-nn.json.
//   node --import tsx training/neural-scale.ts --data ../shared/data/polnear/train --model models/attribution
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDoc } from '../src/nlp/document.js';
import { buildContext, cueMarks, roleSequence, roleWindow } from '../src/attribution/features.js';
import { findCues } from '../src/attribution/extract.js';
import { loadInferenceModel, scorers } from '../src/attribution/model.js';
import { NEURAL_FILE, NeuralRoleTagger } from '../src/attribution/neural.js';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) throw new Error(`${name} is required`);
  return args[i + 1];
};
const dir = value('--model');
const textDir = join(value('--data'), 'text');
process.env.WHOSAID_ROLE_TAGGER = 'perceptron';
const model = loadInferenceModel(dir);
const neural = NeuralRoleTagger.load(dir);

function gap(em: Float32Array, p: number): number {
  const v = Array.from(em.subarray(p * 5, p * 5 + 5)).sort((a, b) => b - a);
  return v[0] - v[1];
}

const linear: number[] = [];
const net: number[] = [];
for (const f of readdirSync(textDir).filter((n) => n.endsWith('.txt')).sort().slice(0, 100)) {
  const ctx = buildContext(readDoc(readFileSync(join(textDir, f), 'utf8')), model.clusters);
  const { outer, inner } = findCues(ctx, model);
  const isCue = new Uint8Array(ctx.n);
  for (const c of [...outer, ...inner]) for (let t = c.start; t < c.end; t++) isCue[t] = 1;
  const cues = cueMarks(isCue);
  for (const cue of outer) {
    const [from, to] = roleWindow(ctx, cue, model.meta.contextSentences ?? 1);
    const [em] = scorers(model).role.emissions(roleSequence(ctx, cue, from, to, cues));
    for (let t = from; t < to; t++) if (t < cue.start || t >= cue.end) linear.push(gap(em, t - from));
    const r = neural.tag(ctx, cue, cues);
    for (let t = r.from; t < r.to; t++) if (t < cue.start || t >= cue.end) net.push(gap(r.em, t - r.from));
  }
}
const median = (a: number[]) => a.sort((x, y) => x - y)[a.length >> 1];
const scale = Math.round((10 * median(linear)) / median(net)) / 10;
const file = join(dir, `${NEURAL_FILE}.json`);
const meta = JSON.parse(readFileSync(file, 'utf8'));
writeFileSync(file, JSON.stringify({ ...meta, ensembleScale: scale }) + '\n');
console.error(`median margins: perceptron ${median(linear).toFixed(2)}, neural ${median(net).toFixed(3)}; ensembleScale ${scale}`);
