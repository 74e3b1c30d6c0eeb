#!/usr/bin/env node
// Throughput and memory of `whosaid analyze`, run by hand (no assertions on time):
//   node bench/analyze.mjs [--data DIR] [--limit N] [--only cli|lib]
// cli: the built binary as a user runs it, one process over all files with --out (start-up included).
// lib: analyze() alone, in this process, after the model is loaded.
// Needs dist/ (npm run build). Data defaults to PolNeAR train texts beside the repository.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem, availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const REPO = fileURLToPath(new URL('..', import.meta.url));

function parseArgs(argv) {
  const opts = { data: join(REPO, '..', 'shared', 'data', 'polnear', 'train', 'text'), limit: Infinity, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data') opts.data = argv[++i];
    else if (a === '--limit') opts.limit = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

function machine() {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${cpu}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}`;
}

/** Peak RSS of a child in bytes: from /usr/bin/time -v when present, else by polling /proc. */
function runMeasured(cmd, args) {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const child = timeBin ? spawn(timeBin, ['-v', cmd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] }) : spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let polledKb = 0;
  const poll = timeBin ? null : setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) polledKb = Math.max(polledKb, Number(m[1]));
    } catch { /* the process has just ended */ }
  }, 50);
  const t0 = performance.now();
  return new Promise((resolve) => child.on('close', (code) => {
    const seconds = (performance.now() - t0) / 1000;
    if (poll) clearInterval(poll);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
    resolve({ code, seconds, peakBytes: (m ? Number(m[1]) : polledKb) * 1024, stderr });
  }));
}

function summary(label, files, words, seconds, peakBytes) {
  const mb = (peakBytes / 2 ** 20).toFixed(0);
  return `${label}: ${files} articles, ${words.toLocaleString('en-US')} words in ${seconds.toFixed(1)} s -> `
    + `${(files / seconds).toFixed(1)} articles/s, ${Math.round(words / seconds).toLocaleString('en-US')} words/s, peak RSS ${mb} MiB`;
}

async function benchCli(paths, words) {
  const out = mkdtempSync(join(tmpdir(), 'whosaid-bench-'));
  try {
    const r = await runMeasured(process.execPath, [join(REPO, 'bin', 'whosaid.js'), 'analyze', '--out', out, ...paths]);
    const written = readdirSync(out).length;
    if (r.code !== 0 || written !== paths.length) {
      throw new Error(`analyze exited ${r.code} with ${written}/${paths.length} outputs:\n${r.stderr.slice(-2000)}`);
    }
    return { ...r, line: summary('cli (whole process, --out)', paths.length, words, r.seconds, r.peakBytes) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function benchLib(texts, words) {
  const lib = await import(pathToFileURL(join(REPO, 'dist', 'index.js')).href);
  const t0 = performance.now();
  const model = lib.loadDefaultModel();
  const loadSeconds = (performance.now() - t0) / 1000;
  let attributions = 0;
  const t1 = performance.now();
  for (const [i, text] of texts.entries()) if (text.length) attributions += lib.analyze(text, { id: String(i), model }).attributions.length;
  const seconds = (performance.now() - t1) / 1000;
  const peakBytes = process.resourceUsage().maxRSS * 1024;
  return { seconds, loadSeconds, attributions, peakBytes, line: `${summary('lib (analyze() only)', texts.length, words, seconds, peakBytes)}; model load ${loadSeconds.toFixed(2)} s; ${attributions} attributions` };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(join(REPO, 'dist', 'cli', 'index.js'))) throw new Error('dist/ is missing: run "npm run build" first');
  const names = readdirSync(opts.data).filter((f) => f.endsWith('.txt')).sort().slice(0, opts.limit);
  if (!names.length) throw new Error(`no .txt files in ${opts.data}`);
  const paths = names.map((n) => join(opts.data, n));
  const texts = paths.map((p) => readFileSync(p, 'utf8'));
  const words = texts.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
  console.log(`machine: ${machine()}`);
  console.log(`data: ${paths.length} texts from ${opts.data}`);
  const results = {};
  if (opts.only !== 'lib') {
    results.cli = await benchCli(paths, words);
    console.log(results.cli.line);
  }
  if (opts.only !== 'cli') {
    results.lib = await benchLib(texts, words);
    console.log(results.lib.line);
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exitCode = 1;
});
