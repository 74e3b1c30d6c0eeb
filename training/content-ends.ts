// Trains the content-end ranker (src/attribution/content-ends.ts) and measures it.
//
// Its examples must come from a tagger that had not seen the text (on its own training texts the role
// tagger's ends are nearly always right, and a ranker learnt there learns to change nothing). So the
// texts are split in two halves by name, a model is trained on each (training/content-ends-folds.ts),
// and each half is tagged by the other half's model; every tagged content after its cue whose cue
// overlaps a gold cue gives one example: the candidate ends, and the gold content's last token.
//
//   node --import tsx training/content-ends.ts --models DIR [--all] [--seed 13] [--epochs 10] [--out FILE]
// Without --all: examples from train/ minus the held-out tenth; the ranker is then scored on the tenth
// with DIR/nine (the model trained on the nine tenths), with and without it. With --all: examples from
// all of train/ (DIR/A, DIR/B trained with content-ends-folds.ts --all), for the committed ranker.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir, type AnnotatedText } from '../dist/formats/polnear.js';
import { loadInferenceModel } from '../dist/attribution/model.js';
import { analyze } from '../dist/analyze.js';
import { aggregate, scoreDocument } from '../dist/eval/metrics.js';
import { tokenMask } from '../dist/attribution/train.js';
import { CONTENT_ENDS_FORMAT, ContentEnds, endCandidates, type EndCandidate, type EndInput, type ContentEndsModel } from '../dist/attribution/content-ends.js';
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
const epochs = Number(value('--epochs', '10'));
const bits = 18;
const DATA = new URL('../../shared/data/polnear/', import.meta.url).pathname;

interface Example {
  candidates: EndCandidate[];
  gold: number;
  e0: number;
}

/** Records what the ranker would see for each tagged cue of one document. */
class Recorder {
  seen: { cue: [number, number]; start: number; e0: number; candidates: EndCandidate[] }[] = [];
  refine(input: EndInput): number[] {
    const found = endCandidates(input);
    if (found) this.seen.push({ cue: [input.cue.start, input.cue.end], start: found.start, e0: found.e0, candidates: found.candidates });
    return input.content;
  }
}

function examplesOf(texts: AnnotatedText[], modelDir: string, stats: Record<string, number>): Example[] {
  const model = loadInferenceModel(modelDir);
  const out: Example[] = [];
  for (const t of texts) {
    const rec = new Recorder();
    model.contentEnds = rec;
    const doc = readDoc(t.text);
    extractAttributions(doc, model);
    const golds = t.gold.map((g) => ({ cue: tokenMask(doc, g.cue), content: tokenMask(doc, g.content) }));
    for (const r of rec.seen) {
      const g = golds.find((x) => x.cue.subarray(r.cue[0], r.cue[1]).some((v) => v));
      stats.tagged++;
      if (!g) continue;
      let goldEnd = -1;
      for (let k = g.content.length - 1; k >= 0; k--) if (g.content[k]) { goldEnd = k; break; }
      stats.matched++;
      if (r.e0 === goldEnd) stats.rightAlready++;
      if (goldEnd < r.start) continue;
      if (!r.candidates.some((c) => c.end === goldEnd)) {
        stats.unreachable++;
        continue;
      }
      out.push({ candidates: r.candidates, gold: goldEnd, e0: r.e0 });
    }
  }
  model.contentEnds = null;
  return out;
}

/** Averaged perceptron over candidate sets: the gold end against the best-scoring one. */
function train(examples: Example[]): ContentEndsModel {
  const size = 1 << bits;
  const mask = size - 1;
  const w = new Float64Array(size);
  const total = new Float64Array(size);
  const stamp = new Float64Array(size);
  let dw = 0;
  let dTotal = 0;
  let dStamp = 0;
  let step = 1;
  const random = rng(seed);
  const order = examples.map((_, i) => i);
  const score = (c: EndCandidate) => {
    let s = dw * (c.delta / 10);
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
      const ex = examples[i];
      let best = ex.candidates[0];
      let bestScore = -Infinity;
      for (const c of ex.candidates) {
        const s = score(c);
        if (s > bestScore || (s === bestScore && c.end === ex.e0)) {
          bestScore = s;
          best = c;
        }
      }
      if (best.end !== ex.gold) {
        const gold = ex.candidates.find((c) => c.end === ex.gold)!;
        for (const f of gold.feats) bump(f & mask, 1);
        for (const f of best.feats) bump(f & mask, -1);
        dTotal += (step - dStamp) * dw;
        dStamp = step;
        dw += (gold.delta - best.delta) / 10;
      }
      step++;
    }
  }
  const weights: [number, number][] = [];
  for (let i = 0; i < size; i++) {
    const avg = (total[i] + (step - stamp[i]) * w[i]) / step;
    if (Math.abs(avg) > 1e-6) weights.push([i, Math.round(avg * 1e5) / 1e5]);
  }
  const delta = (dTotal + (step - dStamp) * dw) / step;
  return { format: CONTENT_ENDS_FORMAT, bits, weights, delta: Math.round(delta * 1e5) / 1e5 };
}

function accuracy(ranker: ContentEnds, examples: Example[]): { kept: number; ranker: number } {
  let kept = 0;
  let right = 0;
  for (const ex of examples) {
    if (ex.e0 === ex.gold) kept++;
    let best = ex.e0;
    let bestScore = -Infinity;
    for (const c of ex.candidates) {
      const s = ranker.score(c);
      if (s > bestScore || (s === bestScore && c.end === ex.e0)) {
        bestScore = s;
        best = c.end;
      }
    }
    if (best === ex.gold) right++;
  }
  return { kept: kept / examples.length, ranker: right / examples.length };
}

function score(texts: AnnotatedText[], modelDir: string, ranker: ContentEnds | null) {
  const model = loadInferenceModel(modelDir);
  model.contentEnds = ranker;
  const counts = texts.map((d) => {
    const pred = analyze(d.text, { id: d.name, model }).attributions.filter((a) => a.parent === null)
      .map((a) => ({ source: a.source ? a.source.spans : null, cue: a.cue.spans, content: a.content.spans }));
    return scoreDocument(d.text, pred, d.gold);
  });
  const s = aggregate(counts);
  return `${s.exact.source.f1.toFixed(3)} / ${s.exact.cue.f1.toFixed(3)} / ${s.exact.content.f1.toFixed(3)} / ${s.attribution.f1.toFixed(3)}`;
}

const texts = loadAnnotatedDir(DATA + 'train');
const pool = all ? texts : texts.filter((t) => foldOf(t.name) !== 'tenth');
const half = (t: AnnotatedText) => (fnv(`half:${t.name}`) % 2 === 0 ? 'A' : 'B');
const stats = { tagged: 0, matched: 0, rightAlready: 0, unreachable: 0 };
const t0 = Date.now();
// Each half is tagged by the model trained on the other.
const examples = [
  ...examplesOf(pool.filter((t) => half(t) === 'B'), join(modelsDir, 'A'), stats),
  ...examplesOf(pool.filter((t) => half(t) === 'A'), join(modelsDir, 'B'), stats),
];
console.error(`examples: ${examples.length} (${JSON.stringify(stats)}), ${Math.round((Date.now() - t0) / 1000)} s`);
// A tenth of the examples' texts is kept out of the ranker's training to check it learns at all.
const ranker = train(examples);
const rankerModel = new ContentEnds(ranker);
const fit = accuracy(rankerModel, examples);
console.error(`on its training examples: tagger's end right ${(fit.kept * 100).toFixed(1)}%, ranker's ${(fit.ranker * 100).toFixed(1)}% (${ranker.weights.length} weights, delta ${ranker.delta})`);
ranker.training = { seed, epochs, examples: examples.length, stats, data: all ? 'train (halves tag each other)' : 'train minus the held-out tenth (halves tag each other)' };
const out = value('--out', '');
if (out) writeFileSync(out, JSON.stringify(ranker) + '\n');
if (!all) {
  const tenth = [];
  const seen = new Set<string>();
  for (const t of texts) if (foldOf(t.name) === 'tenth' && !seen.has(t.name) && seen.add(t.name)) tenth.push(t);
  const tenthStats = { tagged: 0, matched: 0, rightAlready: 0, unreachable: 0 };
  const held = examplesOf(tenth, join(modelsDir, 'nine'), tenthStats);
  const acc = accuracy(rankerModel, held);
  console.log(`held-out tenth, content-end choice: tagger ${(acc.kept * 100).toFixed(1)}%, ranker ${(acc.ranker * 100).toFixed(1)}% of ${held.length} (${JSON.stringify(tenthStats)})`);
  console.log(`held-out tenth, exact F1 source / cue / content / attribution: without ${score(tenth, join(modelsDir, 'nine'), null)}; with ${score(tenth, join(modelsDir, 'nine'), rankerModel)}`);
}
