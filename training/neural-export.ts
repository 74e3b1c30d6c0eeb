// Training data of the neural role tagger (training/neural_role.py): one JSON line per PolNeAR text
// with its units, token input keys, and one instance per cue to condition on: every gold cue, and
// every cue the committed cue taggers find that overlaps a gold cue without equalling it (the cue
// marks the role tagger sees at run time), each labelled with that gold attribution's source and
// content. The cue marks among the token inputs are the union of gold and found cues, as in
// `whosaid train`'s role tagger.
//   node --import tsx training/neural-export.ts --data ../shared/data/polnear/train --out /tmp/neural/train.jsonl
import { createWriteStream } from 'node:fs';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { readDoc } from '../src/nlp/document.js';
import { buildContext, cueMarks, ROLE } from '../src/attribution/features.js';
import { findCues } from '../src/attribution/extract.js';
import { DEFAULT_MODEL_DIR, loadInferenceModel } from '../src/attribution/model.js';
import { tokenMask } from '../src/attribution/train.js';
import { neuralUnits, neuralWindow, pairFeatures, tokenKeys } from '../src/attribution/neural-inputs.js';

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) throw new Error(`${name} is required`);
  return args[i + 1];
};
const texts = loadAnnotatedDir(value('--data'));
const model = loadInferenceModel(args.includes('--model') ? value('--model') : DEFAULT_MODEL_DIR);
const out = createWriteStream(value('--out'));


let instances = 0;
let found = 0;
for (const t of texts) {
  const doc = readDoc(t.text);
  const ctx = buildContext(doc, model.clusters);
  const gold = t.gold.map((g) => {
    const m = tokenMask(doc, g.cue);
    const toks = [...m.keys()].filter((k) => m[k]);
    return { g, start: toks.length ? toks[0] : -1, end: toks.length ? toks[toks.length - 1] + 1 : -1 };
  }).filter((c) => c.start >= 0);
  const isCue = new Uint8Array(ctx.n);
  for (const c of gold) for (let k = c.start; k < c.end; k++) isCue[k] = 1;
  const { outer, inner } = findCues(ctx, model);
  const predicted = [...outer, ...inner];
  for (const c of predicted) for (let k = c.start; k < c.end; k++) isCue[k] = 1;
  const cues = cueMarks(isCue);
  const units = neuralUnits(ctx);
  const conditioned = gold.map((c) => ({ ...c, pred: 0 }));
  for (const p of predicted) {
    const match = gold.find((c) => c.start < p.end && p.start < c.end);
    if (match && (match.start !== p.start || match.end !== p.end)) conditioned.push({ g: match.g, start: p.start, end: p.end, pred: 1 });
  }
  const inst = conditioned.map(({ g, start, end, pred }) => {
    const cue = { start, end };
    const [from, to] = neuralWindow(ctx, units, cue);
    const src = tokenMask(doc, g.source);
    const con = tokenMask(doc, g.content);
    const y: number[] = [];
    for (let k = from; k < to; k++) {
      const prev = y.length ? y[y.length - 1] : ROLE.O;
      if (k >= start && k < end) y.push(ROLE.O);
      else if (src[k]) y.push(prev === ROLE.BS || prev === ROLE.IS ? ROLE.IS : ROLE.BS);
      else if (con[k]) y.push(prev === ROLE.BC || prev === ROLE.IC ? ROLE.IC : ROLE.BC);
      else y.push(ROLE.O);
    }
    found += pred;
    return { cs: start, ce: end, from, to, pair: Array.from(pairFeatures(ctx, cue, from, to, cues)), y, pred };
  });
  instances += inst.length;
  out.write(JSON.stringify({ name: t.name, units, keys: tokenKeys(ctx, cues), inst }) + '\n');
}
out.end();
console.error(`${texts.length} texts, ${instances} instances (${found} on found cues that differ from gold)`);
