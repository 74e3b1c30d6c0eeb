/**
 * Search latency on a synthetic store: N documents (default 100,000) with ~8 attributions each, speakers
 * drawn from 20,000 names with a Zipf-like popularity, words from a 5,000-word vocabulary.
 *
 *   node --import tsx bench/search.ts [--docs 100000] [--db /tmp/whosaid-bench-search.db | postgres://…] [--keep]
 *
 * Builds the store once (reused when it already holds N documents), then times each query 30 times
 * and prints the median and p95 in milliseconds. No assertions: figures go in the README.
 */
import { existsSync, rmSync } from 'node:fs';
import { contentHash, openStore, type StoreInput } from '../src/store/index.js';
import type { Analysis, Attribution, Entity } from '../src/core/types.js';
import { arg } from './args.js';

const N = Number(arg('docs', '100000'));
const DB = arg('db', '/tmp/whosaid-bench-search.db');

let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.pow(rand(), 2.5) * n));

const FIRST = ['Maria', 'John', 'Aleksandr', 'Fatima', 'Chen', 'José', 'Anna', 'David', 'Priya', 'Olga', 'Kwame', 'Sofia', 'Ahmed', 'Lena', 'Tom', 'Ines', 'Hiroshi', 'Grace', 'Pedro', 'Nadia'];
const LAST = Array.from({ length: 1000 }, (_, i) => `${['Smith', 'Okonkwo', 'Petrov', 'Núñez', 'Garcia', 'Kim', 'Müller', 'Rossi', 'Haddad', 'Novak'][i % 10]}${i < 10 ? '' : i}`);
const SPEAKERS = Array.from({ length: 20000 }, (_, i) => `${FIRST[i % 20]} ${LAST[Math.floor(i / 20)]}`);
const VOCAB = Array.from({ length: 5000 }, (_, i) => (i < 50 ? ['the', 'said', 'port', 'strike', 'budget', 'election', 'minister', 'union', 'prices', 'talks'][i % 10] + (i < 10 ? '' : i) : `w${i.toString(36)}`));
const OUTLETS = ['Planet', 'Bugle', 'Herald', 'Courier', 'Gazette', 'Tribune', 'Ledger', 'Sentinel'];

function sentence(n: number): string {
  return Array.from({ length: n }, () => VOCAB[zipf(VOCAB.length)]).join(' ');
}

function makeDoc(i: number): StoreInput {
  const entities: Entity[] = [];
  const attributions: Attribution[] = [];
  const k = 4 + Math.floor(rand() * 9);
  for (let j = 0; j < k; j++) {
    const named = rand() < 0.8;
    let speaker: string | null = null;
    let source: string | null = null;
    if (named) {
      const name = SPEAKERS[zipf(SPEAKERS.length)];
      let e = entities.find((x) => x.name === name);
      if (!e) {
        e = { id: `e${entities.length + 1}`, name, type: 'person', anonymous: false, aliases: [name.split(' ')[1]], descriptors: [], mentions: [] };
        entities.push(e);
      }
      speaker = e.id;
      source = name;
    } else source = rand() < 0.5 ? 'officials' : 'a senior source';
    const content = sentence(8 + Math.floor(rand() * 20));
    attributions.push({
      id: `a${j + 1}`,
      source: source ? { text: source, spans: [[0, source.length]] } : null,
      cue: { text: 'said', spans: [[0, 4]] },
      content: { text: content, spans: [[10, 10 + content.length]] },
      kind: rand() < 0.4 ? 'direct' : 'indirect',
      speaker,
      via: [],
      parent: null,
      hedged: false,
      confidence: 0.9,
    });
  }
  const analysis: Analysis = {
    schema: 'whosaid/1',
    document: { id: `syn-${i}`, title: `Synthetic ${i}`, chars: 3000 },
    attributions,
    entities,
    profile: { attributions: k, speakers: entities.length, named: 0, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
  const day = new Date(Date.UTC(2020, 0, 1) + (i % 1500) * 86400000).toISOString().slice(0, 10);
  return { hash: contentHash(`syn ${i}`, `syn-${i}`), analysis, text: null, meta: { outlet: OUTLETS[i % OUTLETS.length], published: day } };
}

const store = await openStore(DB);
const have = await store.countDocuments();
if (have !== N) {
  if (have > 0) {
    await store.close();
    if (DB.startsWith('postgres')) throw new Error(`${DB} holds ${have} documents, not ${N}: use an empty database or schema`);
    for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) if (existsSync(f)) rmSync(f);
    console.error('rebuilding the store');
    process.argv.push('--rebuilt');
  }
}
const s2 = have === N ? store : await openStore(DB);
if (have !== N) {
  const t0 = performance.now();
  for (let i = 0; i < N; i += 1000) {
    const batch: StoreInput[] = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) batch.push(makeDoc(j));
    await s2.addAnalyses(batch);
    if ((i / 1000) % 10 === 0) console.error(`  ${i + batch.length} documents (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  console.error(`built ${N} documents, ${await s2.countAttributions()} attributions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function time(label: string, q: Parameters<typeof s2.search>[0]): Promise<void> {
  const ms: number[] = [];
  let hits = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    hits = (await s2.search(q)).length;
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(44)} median ${ms[15].toFixed(2).padStart(7)} ms   p95 ${ms[28].toFixed(2).padStart(7)} ms   (${hits} hits, limit 50)`);
}

console.log(`${s2.engine}: ${await s2.countDocuments()} documents, ${await s2.countAttributions()} attributions`);
await time('speaker: full name, popular ("Maria Smith")', { speaker: 'Maria Smith' });
await time('speaker: surname, many speakers ("smith")', { speaker: 'smith' });
await time(`speaker: never quoted ("${SPEAKERS[19999]}")`, { speaker: SPEAKERS[19999] });
await time('speaker: accents folded ("jose nunez")', { speaker: 'jose nunez' });
await time('words: common ("budget")', { text: 'budget' });
await time('words: two ("strike talks")', { text: 'strike talks' });
await time('words: rare ("w3k1")', { text: 'w3k1' });
await time('speaker + words ("smith" + "budget")', { speaker: 'smith', text: 'budget' });
await time('words + outlet + since', { text: 'election', outlet: 'Herald', since: '2022-01-01' });
await time('anonymous + outlet', { anonymous: true, outlet: 'Bugle' });
{
  const t = performance.now();
  await s2.speakers({ limit: 20 });
  console.log(`${'speakers() top 20'.padEnd(44)} ${(performance.now() - t).toFixed(0)} ms (once)`);
  const t2 = performance.now();
  await s2.stats();
  console.log(`${'stats()'.padEnd(44)} ${(performance.now() - t2).toFixed(0)} ms (once)`);
}
await s2.close();
if (s2 !== store) await store.close().catch(() => {});
