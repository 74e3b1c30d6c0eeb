/**
 * Timings of the pathological inputs of issue 14 ("cost without bound"), through the CLI as a user
 * runs it: each input is written to a temporary folder and `whosaid analyze FILE` is timed, with a
 * wall-clock limit so that a regression shows as "> limit" instead of a hung benchmark.
 *
 *   nice -n 5 node --import tsx bench/fuzz/pathological.ts [--limit 120] [--only name,name] [--bin bin/whosaid.js]
 *
 * Every stage should be linear in its input: doubling an input should at most about double its time.
 * The inputs come in pairs (n, 2n) so the table shows that directly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const polnear = process.env.POLNEAR_DIR ?? resolve(root, '../shared/data/polnear');

/** Real article text, as many train articles as it takes to reach `bytes`. */
export function realText(bytes: number): string {
  const dir = join(polnear, 'train', 'text');
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
  let out = '';
  for (let i = 0; out.length < bytes; i++) out += readFileSync(join(dir, files[i % files.length]), 'utf8') + '\n\n';
  return out.slice(0, bytes);
}

const nestedDivs = (n: number) => `<html><body>${'<div>'.repeat(n)}<p>The minister said the plan "will work".</p>${'</div>'.repeat(n)}</body></html>`;
const unclosedDivs = (n: number) => `<html><body>${'<div><p>a said b'.repeat(n)}</body></html>`;

/** name → [file extension, generator]. */
export const PATHOLOGICAL: Record<string, [string, () => string]> = {
  'spaces-4000': ['.txt', () => ' '.repeat(4000) + 'x'],
  'spaces-8000': ['.txt', () => ' '.repeat(8000) + 'x'],
  'spaces-headline-8000': ['.txt', () => ' '.repeat(8000) + 'Port strike over\n\nThe minister said it was over.'],
  'div-1000': ['.html', () => nestedDivs(1000)],
  'div-2000': ['.html', () => nestedDivs(2000)],
  'div-10000': ['.html', () => nestedDivs(10000)],
  'div-unclosed-5000': ['.html', () => unclosedDivs(5000)],
  'text-1MB': ['.txt', () => realText(1024 * 1024)],
  'text-2MB': ['.txt', () => realText(2 * 1024 * 1024)],
  'text-5MB': ['.txt', () => realText(5 * 1024 * 1024 - 1024)],
  'quotes-100k': ['.txt', () => '"'.repeat(100_000)],
  'quotes-200k': ['.txt', () => '"'.repeat(200_000)],
  'curly-quotes-100k': ['.txt', () => '“'.repeat(50_000) + '”'.repeat(50_000)],
  'quote-words-100k': ['.txt', () => '"a" '.repeat(25_000)],
  'nested-quotes-2000': ['.txt', () => 'He said "she said “they said «'.repeat(700) + 'yes' + '» ” "'.repeat(700)],
  'said-chain-10000': ['.txt', () => 'X said Y said '.repeat(10_000) + 'Z.'],
  'said-chain-20000': ['.txt', () => 'X said Y said '.repeat(20_000) + 'Z.'],
  'said-sentences-10000': ['.txt', () => 'The minister said the plan was good. '.repeat(10_000)],
  'said-sentences-20000': ['.txt', () => 'The minister said the plan was good. '.repeat(20_000)],
  'quoted-named-10000': ['.txt', () => '"We will win," said John Smith. '.repeat(10_000)],
  'quoted-named-20000': ['.txt', () => '"We will win," said John Smith. '.repeat(20_000)],
  'huge-line-1MB': ['.txt', () => 'word '.repeat(200_000)],
  'huge-line-2MB': ['.txt', () => 'word '.repeat(400_000)],
  'combining-100k': ['.txt', () => 'a' + '\u0301'.repeat(100_000)],
  'no-spaces-1MB': ['.txt', () => 'x'.repeat(1024 * 1024)],
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const limit = Number(arg('--limit') ?? 120);
  const only = arg('--only')?.split(',');
  const bin = resolve(arg('--bin') ?? join(root, 'bin/whosaid.js'));
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-patho-'));
  console.log(`input | bytes | wall s | CPU s | exit | note`);
  console.log(`---|---|---|---|---|---`);
  try {
    for (const [name, [ext, make]] of Object.entries(PATHOLOGICAL)) {
      if (only && !only.includes(name)) continue;
      const file = join(dir, name + ext);
      const text = make();
      writeFileSync(file, text);
      const t0 = performance.now();
      // /usr/bin/time reports the CPU time too: on a shared machine the wall time says little.
      const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, bin, 'analyze', '--max-bytes', '10M', file], { timeout: limit * 1000, maxBuffer: 1 << 30, encoding: 'utf8' });
      const s = (performance.now() - t0) / 1000;
      const timedOut = r.signal === 'SIGTERM' && s >= limit - 1;
      const cpuLine = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
      const cpu = cpuLine ? (Number(cpuLine[1]) + Number(cpuLine[2])).toFixed(2) : '?';
      const errLines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('CPU ') && !l.startsWith('Command '));
      const note = timedOut ? 'killed at the limit' : r.status === 0 ? '' : (errLines.pop() ?? '').slice(0, 100);
      console.log(`${name} | ${Buffer.byteLength(text)} | ${timedOut ? `> ${limit}` : s.toFixed(2)} | ${timedOut ? '' : cpu} | ${r.status ?? r.signal} | ${note}`);
      rmSync(file);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
