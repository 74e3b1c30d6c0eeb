/**
 * Trace latency on a large store: N documents (default 100,000), ~8 attributions each with random
 * contents (a Zipf-drawn 5,000-word vocabulary, as bench/search.ts), and 200 "wire" quotes and claims
 * republished across outlets, some trimmed or with a word changed, in 2% of the documents.
 *
 *   node --import tsx bench/trace.ts [--docs 100000] [--db /tmp/whosaid-bench-trace.db | postgres://…]
 *
 * Builds the store once through addAnalyses (the quote/claim index is written as documents arrive;
 * the build time is printed), then times traces by text and by attribution, 30 each: median and p95 in
 * milliseconds. No assertions: the figures go in docs/trace.md.
 */
import { existsSync, rmSync } from 'node:fs';
import { contentHash, openStore, type StoreInput } from '../src/store/index.js';
import type { Analysis, Attribution } from '../src/core/types.js';
import { traceAttribution, traceText } from '../src/trace/index.js';
import { arg, args } from './args.js';

const N = Number(arg('docs', '100000'));
const DB = arg('db', '/tmp/whosaid-bench-trace.db');

let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const zipf = (n: number) => Math.min(n - 1, Math.floor(Math.pow(rand(), 2.5) * n));
const VOCAB = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
const OUTLETS = ['Planet', 'Bugle', 'Herald', 'Courier', 'Gazette', 'Tribune', 'Ledger', 'Sentinel'];
const sentence = (n: number) => Array.from({ length: n }, () => VOCAB[zipf(VOCAB.length)]).join(' ');
// The wire: 200 quotes of 12–30 words (distinct words, so each is its own).
const WIRE = Array.from({ length: 200 }, (_, i) => Array.from({ length: 12 + (i % 19) }, (_, j) => `q${i}x${j}`).join(' '));

function makeDoc(i: number): StoreInput {
  const attributions: Attribution[] = [];
  const k = 4 + Math.floor(rand() * 9);
  for (let j = 0; j < k; j++) {
    let content = sentence(8 + Math.floor(rand() * 20));
    let kind: Attribution['kind'] = rand() < 0.4 ? 'direct' : 'indirect';
    if (j === 0 && i % 50 === 0) {
      const w = WIRE[(i / 50) % WIRE.length].split(' ');
      const r = rand();
      const words = r < 0.2 ? w.slice(0, Math.ceil(w.length * 0.7)) : r < 0.4 ? w.map((x, n) => (n === 3 ? 'changed' : x)) : w;
      kind = 'direct';
      content = `“${words.join(' ')}”`;
    }
    if (kind === 'direct' && !content.startsWith('“')) content = `“${content}”`;
    attributions.push({
      id: `a${j + 1}`,
      source: { text: 'a source', spans: [[0, 8]] },
      cue: { text: 'said', spans: [[0, 4]] },
      content: { text: content, spans: [[10, 10 + content.length]] },
      kind, speaker: null, via: [], parent: null, hedged: false, confidence: 0.9,
    });
  }
  const id = `doc-${i}`;
  const analysis: Analysis = {
    schema: 'whosaid/1', document: { id, title: null, chars: 1000 }, attributions, entities: [],
    profile: { attributions: k, speakers: 0, named: 0, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
  const day = String(1 + (i % 28)).padStart(2, '0');
  return { hash: contentHash(id, id), analysis, text: null, meta: { outlet: OUTLETS[i % OUTLETS.length], published: `2026-02-${day}` } };
}

const pg = /^postgres/.test(DB);
if (!pg && existsSync(DB) && args.includes('--fresh')) for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) if (existsSync(f)) rmSync(f);
const store = await openStore(DB);
const have = await store.countDocuments();
if (have < N) {
  const t0 = performance.now();
  for (let i = have; i < N; i += 1000) {
    await store.addAnalyses(Array.from({ length: Math.min(1000, N - i) }, (_, j) => makeDoc(i + j)));
    if ((i / 1000) % 10 === 0) process.stderr.write(`\r${i + 1000} documents`);
  }
  process.stderr.write(`\nbuilt ${N - have} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

async function time(label: string, fn: (i: number) => Promise<number>): Promise<void> {
  const ms: number[] = [];
  let found = 0;
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    found += await fn(i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label}: median ${ms[15].toFixed(1)} ms, p95 ${ms[28].toFixed(1)} ms (${(found / 30).toFixed(1)} occurrences on average)`);
}

console.log(`${await store.countDocuments()} documents, ${await store.countAttributions()} attributions (${store.engine})`);
await time('trace by text (a wire quote)', async (i) => (await traceText(store, `"${WIRE[i * 3].split(' ').slice(2, 12).join(' ')}"`)).occurrences.length);
await time('trace by attribution (a wire quote)', async (i) => (await traceAttribution(store, `doc-${i * 150}`, 'a1')).occurrences.length);
await time('trace by text (no match)', async (i) => (await traceText(store, `"${sentence(12)} ${i}"`)).occurrences.length);
await store.close();
