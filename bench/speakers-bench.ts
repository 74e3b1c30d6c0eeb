/**
 * What the speakers stage costs inside analyze(): each stage timed on the PolNeAR dev texts (read,
 * attributions, speakers, profile), the speakers stage's share of the whole, with the learned ranker
 * and with the hand-ordered rules it replaced (same process, same texts, alternating per text so that
 * machine load falls on both alike). Target (issue 13): at most 30% of analyze() time.
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

const t = { read: 0, attributions: 0, ranker: 0, rules: 0, profile: 0 };
let tokens = 0;
let atts = 0;
for (let r = 0; r <= rounds; r++) {
  for (const text of texts) {
    const t0 = performance.now();
    const doc = readDoc(text);
    const t1 = performance.now();
    const found = extractAttributions(doc, model);
    const t2 = performance.now();
    const { attributions, entities } = resolveSpeakers(doc, found);
    const t3 = performance.now();
    buildProfile({ doc, attributions, entities, title: null });
    const t4 = performance.now();
    resolveSpeakers(doc, found, { resolver: 'rules' });
    const t5 = performance.now();
    if (r === 0) continue; // warm-up round
    t.read += t1 - t0;
    t.attributions += t2 - t1;
    t.ranker += t3 - t2;
    t.profile += t4 - t3;
    t.rules += t5 - t4;
    tokens += doc.tokens.length;
    atts += found.length;
  }
}
const n = texts.length * rounds;
const ms = (x: number) => `${(x / n).toFixed(2)} ms/doc`;
const total = t.read + t.attributions + t.ranker + t.profile;
const share = (x: number, all: number) => `${((100 * x) / all).toFixed(1)}%`;
console.log(`${texts.length} dev documents × ${rounds} rounds, ${Math.round(tokens / n)} tokens and ${(atts / n).toFixed(1)} attributions per document`);
console.log(`read:          ${ms(t.read)}`);
console.log(`attributions:  ${ms(t.attributions)}`);
console.log(`speakers:      ${ms(t.ranker)}  (${share(t.ranker, total)} of analyze)`);
console.log(`profile:       ${ms(t.profile)}`);
console.log(`speakers with the old hand-ordered rules: ${ms(t.rules)}  (${share(t.rules, total - t.ranker + t.rules)} of analyze)`);
console.log(`analyze: ${ms(total)}, ${Math.round((1000 * n) / total)} documents/s on one core`);
