/**
 * End-to-end batch throughput and memory: the 840 PolNeAR train texts, ten times with distinct ids
 * (8,400 articles), as one JSONL into a fresh SQLite store through the real CLI.
 *
 *   node --import tsx bench/batch.ts [--copies 10] [--workers 2] [--db /tmp/whosaid-bench-batch.db]
 *   (NODE_FLAGS="--max-semi-space-size=32 …" passes V8 flags to the batch process)
 *
 * Samples the process's resident memory (main thread and workers together) every second and prints
 * articles/s and the memory curve. No assertions: the figures go in the README.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { arg, ROOT } from './args.js';

const TEXTS = arg('texts', join(ROOT, '../shared/data/polnear/train/text'));
const COPIES = Number(arg('copies', '10'));
const WORKERS = arg('workers', '2');
const DB = arg('db', '/tmp/whosaid-bench-batch.db');
const JSONL = '/tmp/whosaid-bench-batch.jsonl';

const files = readdirSync(TEXTS).filter((f) => f.endsWith('.txt')).sort();
let out = '';
for (let c = 0; c < COPIES; c++) {
  for (const f of files) {
    const [outlet, published] = f.split('_');
    // Each copy's text differs (a last line): the same text under another id is analysed once (it is one
    // content under two documents), and this bench measures analysis.
    const text = readFileSync(join(TEXTS, f), 'utf8') + (c ? `\n\n(${c})` : '');
    out += `${JSON.stringify({ id: `${c}/${f.replace(/\.txt$/, '')}`, text, outlet, published })}\n`;
  }
}
writeFileSync(JSONL, out);
const n = files.length * COPIES;
for (const f of [DB, `${DB}-wal`, `${DB}-shm`]) if (existsSync(f)) rmSync(f);

const t0 = performance.now();
// The built binary, as a user runs it (npm ci builds dist/).
const child = spawn(process.execPath, [...(process.env.NODE_FLAGS ? process.env.NODE_FLAGS.split(' ') : []), join(ROOT, 'bin/whosaid.js'), 'batch', JSONL, '--db', DB, '--workers', WORKERS], {
  stdio: ['ignore', 'inherit', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const samples: { s: number; rssMiB: number }[] = [];
const timer = setInterval(() => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    samples.push({ s: Math.round((performance.now() - t0) / 1000), rssMiB: Math.round(kb / 1024) });
  } catch {
    /* exited */
  }
}, 1000);
const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
clearInterval(timer);
const secs = (performance.now() - t0) / 1000;
const cpu = process.resourceUsage();
console.log(stderr.trim().split('\n').slice(-1)[0]);
console.log(`exit ${code}: ${n} articles in ${secs.toFixed(1)} s = ${(n / secs).toFixed(0)} articles/s end to end (${WORKERS} workers, process start included)`);
// The child is this process's only child, so its CPU time is what resourceUsage reports for children
// beyond our own; os-level accounting: /proc/self/stat fields 16-17 (cutime, cstime) in clock ticks.
const stat = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
const childCpu = (Number(stat[13]) + Number(stat[14])) / 100;
console.log(`CPU: ${childCpu.toFixed(1)} s in the batch process = ${((childCpu * 1000) / n).toFixed(2)} ms per article (own ${((cpu.userCPUTime + cpu.systemCPUTime) / 1e6).toFixed(1)} s)`);
const rss = samples.map((x) => x.rssMiB);
if (rss.length) {
  const q = (p: number) => rss[Math.min(rss.length - 1, Math.floor(p * rss.length))];
  console.log(`RSS MiB: min ${Math.min(...rss)}, at 25% ${q(0.25)}, 50% ${q(0.5)}, 75% ${q(0.75)}, max ${Math.max(...rss)} (${rss.length} samples)`);
  console.log(`RSS curve (s:MiB): ${samples.filter((_, i) => i % Math.max(1, Math.floor(samples.length / 12)) === 0).map((x) => `${x.s}:${x.rssMiB}`).join(' ')}`);
}
