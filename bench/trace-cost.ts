/**
 * What quote/claim matching adds to a batch, in CPU time per article: the PolNeAR train texts analysed
 * once, then stored into fresh SQLite stores with the index and without it, alternately, several rounds.
 *
 *   node --import tsx bench/trace-cost.ts [--copies 1] [--rounds 3] [--texts DIR]
 *
 * A batch's work per article is analysis + row preparation (both in the analysis threads) + the write
 * (the writing thread). Matching is the index keys made during preparation (traceEntries) and the index
 * write (postings, candidates, verification, inserts) inside the write. `--copies 3` stores every text
 * three times under other ids with a changed last line, the worst case: every quote and claim then has
 * two earlier occurrences to be verified against. CPU time (process.cpuUsage), so other load on the
 * machine moves the figures less than wall time would; medians of the rounds. No assertions.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/index.js';
import type { Analysis } from '../src/core/types.js';
import { openStore, prepareDocument, type PreparedDocument } from '../src/store/index.js';
import { traceEntries } from '../src/store/rows.js';
import { arg, ROOT } from './args.js';

const TEXTS = arg('texts', join(ROOT, '../shared/data/polnear/train/text'));
const COPIES = Number(arg('copies', '1'));
const ROUNDS = Number(arg('rounds', '3'));
const BATCH = 200;

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const files = readdirSync(TEXTS).filter((f) => f.endsWith('.txt')).sort();
const docs: { id: string; text: string; analysis: Analysis; outlet: string; published: string }[] = [];
// Warmed up first (model loading and compilation are not per-article costs).
for (const f of files.slice(0, 100)) analyze(readFileSync(join(TEXTS, f), 'utf8'));
let t = process.cpuUsage();
for (let c = 0; c < COPIES; c++) {
  for (const f of files) {
    const [outlet, published] = f.split('_');
    const text = readFileSync(join(TEXTS, f), 'utf8') + (c ? `\n\n(${c})` : '');
    const id = `${c}/${f.replace(/\.txt$/, '')}`;
    docs.push({ id, text, analysis: analyze(text, { id }), outlet, published });
  }
}
const analysisMs = cpuMs(t) / docs.length;

/** Preparation and write of every document into a fresh store; with `trace` false, no index keys. */
async function store(trace: boolean): Promise<{ prepare: number; keys: number; write: number }> {
  const path = join(tmpdir(), `whosaid-trace-cost-${process.pid}.db`);
  for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  const s = await openStore(path);
  let prepare = 0;
  let keys = 0;
  let write = 0;
  try {
    for (let i = 0; i < docs.length; i += BATCH) {
      t = process.cpuUsage();
      const batch: PreparedDocument[] = docs.slice(i, i + BATCH).map((d) =>
        prepareDocument({ hash: d.id, analysis: d.analysis, text: d.text, meta: { outlet: d.outlet, published: d.published } }),
      );
      prepare += cpuMs(t);
      // The keys' share of preparation, measured on its own (prepareDocument includes it).
      t = process.cpuUsage();
      for (const d of docs.slice(i, i + BATCH)) traceEntries(d.analysis);
      keys += cpuMs(t);
      if (!trace) for (const p of batch) p.trace = [];
      t = process.cpuUsage();
      await s.addPrepared(batch);
      write += cpuMs(t);
    }
  } finally {
    await s.close();
    for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
  }
  return { prepare: prepare / docs.length, keys: keys / docs.length, write: write / docs.length };
}

const on: { prepare: number; keys: number; write: number }[] = [];
const off: { prepare: number; keys: number; write: number }[] = [];
for (let r = 0; r < ROUNDS; r++) {
  off.push(await store(false));
  on.push(await store(true));
}
const prepare = median(on.map((x) => x.prepare));
const keys = median(on.map((x) => x.keys));
const writeOn = median(on.map((x) => x.write));
const writeOff = median(off.map((x) => x.write));
const total = analysisMs + prepare + writeOn;
const matching = keys + Math.max(0, writeOn - writeOff);
const f = (x: number) => x.toFixed(2);
console.log(`${docs.length} articles (${files.length} texts × ${COPIES}), ${ROUNDS} rounds, CPU ms per article (medians):`);
console.log(`  analysis ${f(analysisMs)}, preparation ${f(prepare)} (index keys ${f(keys)}), write ${f(writeOn)} with the index, ${f(writeOff)} without`);
console.log(`  matching ${f(matching)} of ${f(total)} = ${((100 * matching) / total).toFixed(1)}% of the batch's work per article`);
