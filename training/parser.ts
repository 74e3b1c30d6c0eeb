// Trains the dependency parser (src/attribution/parser.ts) on GUM's UD trees (../shared/data/gum/dep).
//   node --import tsx training/parser.ts [--seed 7] [--epochs 10] [--bits 17] [--out DIR]
// Without --out it holds out every fifth document (by name hash) and prints attachment scores on it;
// with --out it trains on every document and writes DIR/parser.json and DIR/parser.f32.gz.
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DependencyParser, PARSER_CLASSES, coarseRelation, projective, type ParseInput, type ParseOutput } from '../src/attribution/parser.js';
import { hashString, rng, shuffle } from '../src/attribution/hash.js';
import { fnv } from '../bench/speakers-data.js';
import { walkConllu } from '../bench/speakers-gum.js';

const args = process.argv.slice(2);
const value = (name: string, dflt: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const seed = Number(value('--seed', '7'));
const epochs = Number(value('--epochs', '10'));
const bits = Number(value('--bits', '17'));
const out = args.includes('--out') ? value('--out', '') : null;
const DIR = new URL('../../shared/data/gum/dep/', import.meta.url).pathname;

interface Sentence { doc: string; x: ParseInput; gold: ParseOutput }

function readConllu(name: string): Sentence[] {
  const sents: Sentence[] = [];
  let rows: string[][] = [];
  const flush = () => {
    if (!rows.length) return;
    const words = rows.map((r) => hashString(r[1].toLowerCase()));
    const tags = rows.map((r) => hashString(r[3]));
    const head = Int32Array.from(rows.map((r) => Number(r[6]) - 1));
    const rel = Uint8Array.from(rows.map((r) => coarseRelation(r[7])));
    sents.push({ doc: name, x: { words, tags }, gold: { head, rel } });
    rows = [];
  };
  walkConllu(join(DIR, name), (cols) => rows.push(cols), flush);
  return sents;
}

const all = readdirSync(DIR).filter((f) => f.endsWith('.conllu')).sort().flatMap(readConllu);
const heldOut = (s: Sentence) => out === null && fnv(s.doc) % 5 === 0;
const train = all.filter((s) => !heldOut(s) && projective(s.gold.head));
const test = all.filter(heldOut);
console.error(`${all.length} sentences; training on ${train.length} projective ones, testing on ${test.length}`);

const parser = new DependencyParser(bits);
const random = rng(seed);
for (let e = 1; e <= epochs; e++) {
  let errors = 0;
  for (const s of shuffle(train.slice(), random)) errors += parser.train(s.x, s.gold);
  console.error(`epoch ${e}: ${errors} wrong transitions`);
}
parser.average();

if (test.length) {
  let n = 0, uas = 0, las = 0;
  for (const s of test) {
    const p = parser.parse(s.x);
    for (let t = 0; t < p.head.length; t++) {
      n++;
      if (p.head[t] === s.gold.head[t]) {
        uas++;
        if (p.rel[t] === s.gold.rel[t]) las++;
      }
    }
  }
  console.log(`held-out GUM documents: ${test.length} sentences, ${n} tokens; UAS ${(uas / n).toFixed(3)}, coarse LAS ${(las / n).toFixed(3)}`);
}
if (out) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'parser.f32.gz'), gzipSync(Buffer.from(parser.weights.buffer)));
  writeFileSync(join(out, 'parser.json'), JSON.stringify({ format: 'whosaid-parser/1', bits, classes: PARSER_CLASSES, seed, epochs, sentences: train.length }, null, 1) + '\n');
  console.error(`wrote ${out}/parser.json and parser.f32.gz`);
}
