#!/usr/bin/env node
// What a change costs in analyze(): two builds of whosaid (their dist/ folders, e.g. a worktree of the
// commit before the change and this checkout) analyse the same texts in one process, interleaved text
// by text and in alternating order, so that machine load and frequency drift fall on both alike. Prints
// the wall time per article of each and the difference, per round. No assertions: run by hand.
//   node bench/compare-builds.mjs --base /path/to/other/checkout [--data DIR] [--rounds 3] [--limit N]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const value = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const baseDir = value('--base', null);
if (!baseDir) {
  console.error('compare-builds: --base DIR (a built checkout to compare with) is required');
  process.exit(2);
}
const data = value('--data', join(REPO, '..', 'shared', 'data', 'polnear', 'train', 'text'));
const rounds = Number(value('--rounds', '3'));
const limit = Number(value('--limit', 'Infinity'));
const files = readdirSync(data).filter((f) => f.endsWith('.txt')).sort().slice(0, limit).map((f) => readFileSync(join(data, f), 'utf8'));
const load = (dir) => import(pathToFileURL(join(dir, 'dist', 'index.js')).href);
const builds = [['base', await load(baseDir)], ['this', await load(REPO)]];
for (const t of files.slice(0, 100)) for (const [, b] of builds) b.analyze(t);
for (let r = 0; r < rounds; r++) {
  const ms = { base: 0, this: 0 };
  files.forEach((text, i) => {
    for (const [name, b] of i % 2 ? builds : [...builds].reverse()) {
      const t0 = performance.now();
      b.analyze(text);
      ms[name] += performance.now() - t0;
    }
  });
  const [a, b] = [ms.base / files.length, ms.this / files.length];
  console.log(`round ${r + 1}: base ${a.toFixed(2)} ms/article, this ${b.toFixed(2)} ms/article (${b >= a ? '+' : ''}${((b / a - 1) * 100).toFixed(1)}%)`);
}
