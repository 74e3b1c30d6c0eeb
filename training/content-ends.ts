// Trains the span-edge ranker (src/attribution/content-ends.ts) and measures it.
//
// Its examples must come from a tagger that had not seen the text (on its own training texts the role
// tagger's edges are nearly always right, and a ranker learnt there learns to change nothing). So the
// texts are split in two halves by name, a model is trained on each (training/content-ends-folds.ts),
// and each half is tagged by the other half's model; every tagged cue that overlaps a gold cue gives
// up to four examples (the content's end and start, the source's end and start): the candidate edges,
// and the gold span's edge when it is among them.
//
//   node --import tsx training/content-ends.ts --models DIR [--all] [--seed 13] [--epochs 2] [--out FILE] [--calibrate MODEL_DIR]
// Without --all: examples from train/ minus the held-out tenth; the ranker is then scored on the tenth
// with DIR/nine (the model trained on the nine tenths), with and without it. With --all: examples from
// all of train/ (DIR/A, DIR/B trained with content-ends-folds.ts --all), for the committed ranker.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir, type AnnotatedText } from '../dist/formats/polnear.js';
import { loadInferenceModel } from '../dist/attribution/model.js';
import { analyze } from '../dist/analyze.js';
import { evaluateTexts } from '../dist/eval/run.js';
import { fitFromData, heldOutCalibrationData, mergeCalibrationData, tokenMask } from '../dist/attribution/train.js';
import { CONTENT_ENDS_FORMAT, ContentEnds, edgeChoices, type EdgeCandidate, type EdgeChoice, type EdgeKey, type EndInput, type ContentEndsModel, type Refined } from '../dist/attribution/content-ends.js';
import { rng, shuffle } from '../dist/attribution/hash.js';
import { readDoc } from '../dist/nlp/document.js';
import { extractAttributions } from '../dist/attribution/extract.js';
import { fnv, foldOf } from './content-ends-split.js';

const args = process.argv.slice(2);
const value = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const modelsDir = value('--models', '');
if (!modelsDir) throw new Error('--models DIR is required');
const all = args.includes('--all');
const seed = Number(value('--seed', '13'));
const epochs = Number(value('--epochs', '2'));
const bits = Number(value('--bits', '16'));
const DATA = new URL('../../shared/data/polnear/', import.meta.url).pathname;

interface Example {
  choice: EdgeChoice;
  gold: number;
}

/** Records what the ranker would see for each tagged cue of one document. */
class Recorder {
  seen: { cue: [number, number]; choices: EdgeChoice[] }[] = [];
  refine(input: EndInput): Refined {
    this.seen.push({ cue: [input.cue.start, input.cue.end], choices: edgeChoices(input) });
    return { source: input.source, content: input.content };
  }
}

type Stats = Record<string, number>;

function examplesOf(texts: AnnotatedText[], modelDir: string, stats: Stats): Example[] {
  const model = loadInferenceModel(modelDir);
  const out: Example[] = [];
  for (const t of texts) {
    const rec = new Recorder();
    model.contentEnds = rec;
    const doc = readDoc(t.text);
    extractAttributions(doc, model);
    const golds = t.gold.map((g) => ({ cue: tokenMask(doc, g.cue), content: tokenMask(doc, g.content), source: g.source ? tokenMask(doc, g.source) : null }));
    for (const r of rec.seen) {
      const g = golds.find((x) => x.cue.subarray(r.cue[0], r.cue[1]).some((v) => v));
      if (!g) continue;
      for (const choice of r.choices) {
        const mask = choice.role === 'content' ? g.content : g.source;
        if (!mask || mask.indexOf(1) < 0) continue;
        const gold = choice.edge === 'end' ? mask.lastIndexOf(1) : mask.indexOf(1);
        const key = (k: string) => `${choice.role}:${choice.edge} ${k}`;
        stats[key('matched')] = (stats[key('matched')] ?? 0) + 1;
        if (choice.at === gold) stats[key('right')] = (stats[key('right')] ?? 0) + 1;
        if (!choice.candidates.some((c) => c.at === gold)) {
          stats[key('unreachable')] = (stats[key('unreachable')] ?? 0) + 1;
          continue;
        }
        out.push({ choice, gold });
      }
    }
  }
  model.contentEnds = null;
  return out;
}

/**
 * One ranker per role (content, source), trained apart so that neither's averaging schedule depends
 * on how many examples the other has, and stored in one table (their features are salted by role).
 */
function train(examples: Example[]): ContentEndsModel {
  const parts = (['content', 'source'] as const).map((role) => trainRole(examples.filter((e) => e.choice.role === role)));
  const merged = new Map<number, number>();
  for (const p of parts) for (const [i, w] of p.weights) merged.set(i, Math.round(((merged.get(i) ?? 0) + w) * 1e5) / 1e5);
  const delta: Partial<Record<EdgeKey, number>> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p.delta) as [EdgeKey, number][]) if (v) delta[k] = v;
  return { format: CONTENT_ENDS_FORMAT, bits, weights: [...merged].sort((a, b) => a[0] - b[0]), delta };
}

/** Averaged perceptron over candidate sets: the gold edge against the best-scoring one. */
function trainRole(examples: Example[]): ContentEndsModel {
  const size = 1 << bits;
  const mask = size - 1;
  const w = new Float64Array(size);
  const total = new Float64Array(size);
  const stamp = new Float64Array(size);
  const KEYS: EdgeKey[] = ['content:end', 'content:start', 'source:end', 'source:start'];
  const zeros = () => Object.fromEntries(KEYS.map((k) => [k, 0])) as Record<EdgeKey, number>;
  const dw = zeros();
  const dTotal = zeros();
  const dStamp = zeros();
  let step = 1;
  const random = rng(seed);
  const order = examples.map((_, i) => i);
  const score = (key: EdgeKey, c: EdgeCandidate) => {
    let s = dw[key] * c.delta;
    for (const f of c.feats) s += w[f & mask];
    return s;
  };
  const bump = (i: number, by: number) => {
    total[i] += (step - stamp[i]) * w[i];
    stamp[i] = step;
    w[i] += by;
  };
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const i of shuffle(order, random)) {
      const { choice, gold: goldAt } = examples[i];
      const key: EdgeKey = `${choice.role}:${choice.edge}`;
      let best = choice.candidates[0];
      let bestScore = -Infinity;
      for (const c of choice.candidates) {
        const s = score(key, c);
        if (s > bestScore || (s === bestScore && c.at === choice.at)) {
          bestScore = s;
          best = c;
        }
      }
      if (best.at !== goldAt) {
        const gold = choice.candidates.find((c) => c.at === goldAt)!;
        for (const f of gold.feats) bump(f & mask, 1);
        for (const f of best.feats) bump(f & mask, -1);
        dTotal[key] += (step - dStamp[key]) * dw[key];
        dStamp[key] = step;
        dw[key] += gold.delta - best.delta;
      }
      step++;
    }
  }
  const weights: [number, number][] = [];
  for (let i = 0; i < size; i++) {
    const avg = (total[i] + (step - stamp[i]) * w[i]) / step;
    if (Math.abs(avg) > 1e-6) weights.push([i, Math.round(avg * 1e5) / 1e5]);
  }
  const avgDelta = (k: EdgeKey) => Math.round(((dTotal[k] + (step - dStamp[k]) * dw[k]) / step) * 1e5) / 1e5;
  return { format: CONTENT_ENDS_FORMAT, bits, weights, delta: Object.fromEntries(KEYS.map((k) => [k, avgDelta(k)])) };
}

/** Per edge: how often the tagger's edge and the ranker's choice are the gold one. */
function accuracy(ranker: ContentEnds, examples: Example[]): string {
  return (['content:end', 'content:start', 'source:end', 'source:start'] as const).map((edge) => {
    const mine = examples.filter((e) => `${e.choice.role}:${e.choice.edge}` === edge);
    const kept = mine.filter((e) => e.choice.at === e.gold).length;
    const right = mine.filter((e) => ranker.choose(e.choice) === e.gold).length;
    return `${edge}: tagger ${((kept / mine.length) * 100).toFixed(1)}%, ranker ${((right / mine.length) * 100).toFixed(1)}% of ${mine.length}`;
  }).join('; ');
}

function score(texts: AnnotatedText[], modelDir: string, ranker: ContentEnds | null) {
  const model = loadInferenceModel(modelDir);
  model.contentEnds = ranker;
  const s = evaluateTexts(texts, (text, name) => analyze(text, { id: name, model }).attributions).scores;
  return `${s.exact.source.f1.toFixed(3)} / ${s.exact.cue.f1.toFixed(3)} / ${s.exact.content.f1.toFixed(3)} / ${s.attribution.f1.toFixed(3)}`;
}

const texts = loadAnnotatedDir(DATA + 'train');
const pool = all ? texts : texts.filter((t) => foldOf(t.name) !== 'tenth');
const half = (t: AnnotatedText) => (fnv(`half:${t.name}`) % 2 === 0 ? 'A' : 'B');
const stats: Stats = {};
const t0 = Date.now();
// Each half is tagged by the model trained on the other.
const examplesB = examplesOf(pool.filter((t) => half(t) === 'B'), join(modelsDir, 'A'), stats);
const nB = examplesB.length;
const examples = [...examplesB, ...examplesOf(pool.filter((t) => half(t) === 'A'), join(modelsDir, 'B'), stats)];
console.error(`examples: ${examples.length} (${JSON.stringify(stats)}), ${Math.round((Date.now() - t0) / 1000)} s`);
// Two-fold check within the examples (by the half their text is in): does the ranker generalise?
const foldRanker: Record<string, ContentEnds> = {};
for (const [fit, test, name] of [[examples.slice(nB), examples.slice(0, nB), 'B'], [examples.slice(0, nB), examples.slice(nB), 'A']] as const) {
  foldRanker[name] = new ContentEnds(train([...fit]));
  console.error(`two-fold, examples of half ${name} (ranker learnt on the other): ${accuracy(foldRanker[name], [...test])}`);
}
// With --calibrate MODEL_DIR: the probability that the spans are exact (exactWeights) is refitted with
// the ranker in place, on each half tagged by the other half's model and a ranker that saw neither the
// half's texts nor its examples, and written into MODEL_DIR/model.json. The attribution-level weights
// and the threshold stay as training fitted them (the ranker barely moves what they estimate).
const calibrateDir = value('--calibrate', '');
if (calibrateDir) {
  const parts = (['B', 'A'] as const).map((h) => {
    const model = loadInferenceModel(join(modelsDir, h === 'B' ? 'A' : 'B'));
    model.contentEnds = foldRanker[h];
    return heldOutCalibrationData(model, pool.filter((t) => half(t) === h));
  });
  const fitted = fitFromData(mergeCalibrationData(parts));
  const file = join(calibrateDir, 'model.json');
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  console.error(`exactWeights: ${JSON.stringify(meta.calibration.exactWeights)} -> ${JSON.stringify(fitted.exactWeights)} (${fitted.examples} held-out attributions)`);
  meta.calibration.exactWeights = fitted.exactWeights;
  meta.training = { ...meta.training, exactCalibration: { examples: fitted.examples, with: 'span-edge ranker (training/content-ends.ts --calibrate)' } };
  writeFileSync(file, JSON.stringify(meta, null, 1) + '\n');
}
const ranker = train(examples);
const rankerModel = new ContentEnds(ranker);
console.error(`on its training examples: ${accuracy(rankerModel, examples)} (${ranker.weights.length} weights)`);
ranker.training = { seed, epochs, examples: examples.length, stats, data: all ? 'train (halves tag each other)' : 'train minus the held-out tenth (halves tag each other)' };
const out = value('--out', '');
if (out) writeFileSync(out, JSON.stringify(ranker) + '\n');
if (!all) {
  const tenth = [];
  const seen = new Set<string>();
  for (const t of texts) if (foldOf(t.name) === 'tenth' && !seen.has(t.name) && seen.add(t.name)) tenth.push(t);
  const tenthStats: Stats = {};
  const held = examplesOf(tenth, join(modelsDir, 'nine'), tenthStats);
  console.log(`held-out tenth, edge choice: ${accuracy(rankerModel, held)} (${JSON.stringify(tenthStats)})`);
  console.log(`held-out tenth, exact F1 source / cue / content / attribution: without ${score(tenth, join(modelsDir, 'nine'), null)}; with ${score(tenth, join(modelsDir, 'nine'), rankerModel)}`);
}
