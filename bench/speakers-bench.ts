/**
 * How much the speakers stage adds to analyze time. Runs the pipeline stages on PolNeAR dev texts:
 * readDoc + extractAttributions (the rest of analyze) against resolveSpeakers + buildProfile.
 *
 *   node --import tsx bench/speakers-bench.ts [rounds]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDoc } from '../src/nlp/document.js';
import { extractAttributions } from '../src/attribution/extract.js';
import { loadDefaultModel } from '../src/attribution/model.js';
import { resolveSpeakers } from '../src/speakers/index.js';
import { buildProfile } from '../src/profile/index.js';

const root = new URL('..', import.meta.url).pathname;
const dir = join(root, '../shared/data/polnear/dev/text');
const texts = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
const rounds = Number(process.argv[2] ?? 3);
const model = loadDefaultModel();

let base = 0;
let stage = 0;
let tokens = 0;
let atts = 0;
for (let r = 0; r <= rounds; r++) {
  for (const text of texts) {
    const t0 = performance.now();
    const doc = readDoc(text);
    const found = extractAttributions(doc, model);
    const t1 = performance.now();
    const { attributions, entities } = resolveSpeakers(doc, found);
    buildProfile({ doc, attributions, entities, title: null });
    const t2 = performance.now();
    if (r === 0) continue; // warm-up round
    base += t1 - t0;
    stage += t2 - t1;
    tokens += doc.tokens.length;
    atts += found.length;
  }
}
const n = texts.length * rounds;
console.log(`${texts.length} documents × ${rounds} rounds, ${Math.round(tokens / n)} tokens and ${(atts / n).toFixed(1)} attributions per document`);
console.log(`read + attributions: ${(base / n).toFixed(2)} ms/doc`);
console.log(`speakers + profile:  ${(stage / n).toFixed(2)} ms/doc  (+${((100 * stage) / base).toFixed(1)}% of the rest of analyze)`);
console.log(`throughput: ${Math.round((1000 * n) / (base + stage))} documents/s on one core`);
