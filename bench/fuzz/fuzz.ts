/**
 * Fuzz benchmark: seeded hostile inputs through the CLI and the library, asserting no crash, no hang
 * over the time budget, and every span's `text` equal to its slice of the analysed text.
 *
 *   nice -n 5 node --import tsx bench/fuzz/fuzz.ts [--seed 14] [--files 5000] [--jsonl 1000] [--analyze 400] [--library 4000]
 *
 * - CLI, `whosaid batch DIR --time-budget 30`: generated .txt / .html files (empty, binary, broken
 *   UTF-8, UTF-16, huge lines, floods of quotation or combining marks, bidi controls, mutated PolNeAR
 *   train articles, malformed HTML); then every file must be stored or listed in `errors` (nothing
 *   lost), no stack trace on stderr, exit 0 or 1, and every stored analysis's spans must match the
 *   stored text.
 * - CLI, a JSONL of the same kinds of texts as "text"/"html" fields (with NULs and lone surrogates).
 * - CLI, `whosaid analyze --out DIR` over a sample of the files (the single-file path).
 * - Library: strings (also lone surrogates, which no file can hold) analysed on the worker-thread pool
 *   with a 30 s budget per document; a document over it counts as a hang.
 *
 * Prints the counts; exits 1 when any check fails.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Analysis } from '../../src/core/types.js';
import { GAP } from '../../src/core/span.js';
import { contentHash, openStore } from '../../src/store/index.js';
import { WorkerPool, type JobResult } from '../../src/corpus/pool.js';
import { rng } from '../../src/attribution/hash.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');
const polnear = process.env.POLNEAR_DIR ?? resolve(root, '../shared/data/polnear');
const BUDGET_S = 30;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

type Gen = (r: () => number) => string | Uint8Array;

function articles(): string[] {
  try {
    const dir = join(polnear, 'train', 'text');
    return readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().slice(0, 200).map((f) => readFileSync(join(dir, f), 'utf8'));
  } catch {
    return ['Port talks\n\n"We are finished here," Capt. Maria Okonkwo-Hale said on Monday. Officials said the strike was over, according to Reuters.'];
  }
}

const ARTICLES = articles();
const QUOTES = ['"', '“', '”', '„', '«', '»', '‘', '’', "'", '″', '＂'];
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const ODD = ['\u0000', '\u0001', '\u001b[31m', '\r', '\r\n', '\t', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u200b', '\ufffd', '\u0301', '😀', '\ud83d\ude00', 'İ', 'ß', '\u0e01', '漢'];
const WORDS = ['said', 'says', 'told', 'according to', 'reportedly', 'is said to', 'he', 'she', 'they', 'Reuters', 'the minister', 'a source', 'Clinton', 'Trump', '"', ',', '.', '\n\n', 'that', 'quoted', 'as saying', 'citing'];

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

function mutate(r: () => number, text: string): string {
  // A random part of it, up to 4,000 characters: variety matters more than length (bench/fuzz/pathological.ts has the big ones).
  const from = int(r, 0, Math.max(0, text.length - 1000));
  let s = text.slice(from, from + int(r, 200, 4000));
  const n = int(r, 1, 20);
  for (let k = 0; k < n; k++) {
    const at = int(r, 0, s.length);
    const op = int(r, 0, 6);
    if (op === 0) s = s.slice(0, at) + pick(r, QUOTES) + s.slice(at);
    else if (op === 1) s = s.slice(0, at) + s.slice(at + int(r, 1, 200));
    else if (op === 2) s = s.slice(0, at) + s.slice(int(r, 0, s.length)).slice(0, int(r, 1, 500)) + s.slice(at);
    else if (op === 3) s = s.slice(0, at) + pick(r, ODD) + s.slice(at);
    else if (op === 4) s = s.slice(0, at) + pick(r, BIDI) + s.slice(at);
    else if (op === 5) s = s.slice(0, at) + pick(r, WORDS) + ' ' + s.slice(at);
    else s = s.slice(0, at) + '\n'.repeat(int(r, 1, 3)) + s.slice(at);
  }
  return s;
}

function wordSoup(r: () => number, n: number): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r() < 0.3 ? pick(r, QUOTES) : r() < 0.1 ? pick(r, ODD) : pick(r, WORDS));
  return out.join(r() < 0.5 ? ' ' : '');
}

function malformedHtml(r: () => number): string {
  const tags = ['div', 'p', 'span', 'a', 'b', 'i', 'blockquote', 'table', 'td', 'tr', 'li', 'ul', 'script', 'style', 'title', 'head', 'body', 'html', 'br', 'article', 'h1', '!--', '!doctype html'];
  const parts: string[] = [];
  const n = int(r, 1, 400);
  for (let i = 0; i < n; i++) {
    const t = pick(r, tags);
    const k = int(r, 0, 7);
    if (k === 0) parts.push(`<${t}>`);
    else if (k === 1) parts.push(`</${t}>`);
    else if (k === 2) parts.push(`<${t} class="${pick(r, QUOTES)}x" onclick=alert(1)>`);
    else if (k === 3) parts.push('<'.repeat(int(r, 1, 5)));
    else if (k === 4) parts.push(mutate(r, pick(r, ARTICLES).slice(0, int(r, 0, 600))));
    else if (k === 5) parts.push(`<${t}`.repeat(int(r, 1, 50)));
    else parts.push(wordSoup(r, int(r, 1, 30)));
  }
  return parts.join('');
}

function randomBytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Generators for files (bytes or strings written as UTF-8). */
const FILE_GENS: Record<string, Gen> = {
  empty: () => '',
  whitespace: (r) => ' \t\n\r'.repeat(int(r, 1, 500)),
  binary: (r) => randomBytes(r, int(r, 1, 20_000)),
  brokenUtf8: (r) => {
    const b = Buffer.from(mutate(r, pick(r, ARTICLES)), 'utf8');
    for (let k = 0; k < int(r, 1, 5); k++) b[int(r, 0, b.length - 1)] = pick(r, [0x80, 0xc0, 0xff, 0xfe, 0xed, 0xf5]);
    return b;
  },
  utf16: (r) => {
    const text = pick(r, ARTICLES).slice(0, 3000);
    const le = r() < 0.5;
    const body = Buffer.from(text, 'utf16le');
    if (!le) body.swap16();
    return Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), r() < 0.2 ? body.subarray(0, body.length - 1) : body]);
  },
  utf16NoBom: (r) => Buffer.from(pick(r, ARTICLES).slice(0, 3000), 'utf16le'),
  hugeLine: (r) => pick(r, ['word ', 'said ', '" ', 'x', 'He said "', ' ']).repeat(int(r, 2_000, 12_000)),
  quoteFlood: (r) => Array.from({ length: int(r, 100, 10_000) }, () => pick(r, QUOTES)).join(r() < 0.5 ? '' : ' '),
  combiningFlood: (r) => 'a' + '\u0301\u0308\u0327'.repeat(int(r, 100, 5_000)) + ' said the minister.',
  bidi: (r) => mutate(r, pick(r, ARTICLES)).replace(/ /g, () => (r() < 0.1 ? pick(r, BIDI) : ' ')),
  mutatedArticle: (r) => mutate(r, pick(r, ARTICLES)),
  wordSoup: (r) => wordSoup(r, int(r, 1, 1500)),
  saidChain: (r) => `${pick(r, ['X', 'He', 'Reuters', 'A source'])} said `.repeat(int(r, 10, 800)) + '.',
  nestedQuotes: (r) => 'He said "she said “they said «'.repeat(int(r, 1, 300)) + 'yes' + '» ” "'.repeat(int(r, 1, 300)),
  leadingSpaces: (r) => ' '.repeat(int(r, 100, 20_000)) + pick(r, ['x', 'Headline\n\nHe said it.', '"']),
  controls: (r) => mutate(r, pick(r, ARTICLES)).replace(/e/g, () => (r() < 0.05 ? String.fromCharCode(int(r, 1, 31)) : 'e')),
};

const HTML_GENS: Record<string, Gen> = {
  malformedHtml: malformedHtml,
  deepHtml: (r) => { const n = int(r, 100, 8_000); const t = pick(r, ['div', 'span', 'b', 'blockquote', 'p']); return `<${t}>`.repeat(n) + mutate(r, pick(r, ARTICLES).slice(0, 2000)) + (r() < 0.5 ? `</${t}>`.repeat(n) : ''); },
  articleHtml: (r) => `<html><head><title>${mutate(r, 'Port strike ends')}</title></head><body><article>${pick(r, ARTICLES).split('\n\n').map((p) => `<p>${mutate(r, p)}</p>`).join('')}</article></body></html>`,
  scriptHtml: (r) => `<script>${'"'.repeat(int(r, 1, 5000))}</script><p>${mutate(r, pick(r, ARTICLES).slice(0, 1500))}</p><style>`,
};

/** Strings the library gets (no file can hold a lone surrogate). */
function libraryString(r: () => number): string {
  const k = int(r, 0, 4);
  if (k === 0) return mutate(r, pick(r, ARTICLES)).replace(/o/g, () => (r() < 0.02 ? pick(r, ['\ud800', '\udfff', '\udbff']) : 'o'));
  if (k === 1) return wordSoup(r, int(r, 1, 2000));
  if (k === 2) {
    const g = Object.values(FILE_GENS)[int(r, 0, Object.keys(FILE_GENS).length - 1)](r);
    return typeof g === 'string' ? g : Buffer.from(g).toString('latin1');
  }
  if (k === 3) return String.fromCharCode(...Array.from({ length: int(r, 0, 5000) }, () => int(r, 0, 0xffff)));
  return mutate(r, pick(r, ARTICLES)).split('').reverse().join('');
}

/** Problems with an analysis of `text`: spans out of range or span text not equal to its slice. */
export function spanProblems(a: Analysis, text: string): string[] {
  const out: string[] = [];
  for (const at of a.attributions) {
    for (const [role, ref] of [['source', at.source], ['cue', at.cue], ['content', at.content]] as const) {
      if (!ref) continue;
      for (const [s, e] of ref.spans) if (!(s >= 0 && e <= text.length && s < e)) out.push(`${at.id} ${role}: span [${s}, ${e}) outside the text`);
      const expect = ref.spans.map(([s, e]) => text.slice(s, e)).join(GAP);
      if (ref.text !== expect) out.push(`${at.id} ${role}: text ${JSON.stringify(ref.text.slice(0, 40))} is not its slice ${JSON.stringify(expect.slice(0, 40))}`);
    }
  }
  for (const e of a.entities) for (const [s, t] of e.mentions) if (!(s >= 0 && t <= text.length && s <= t)) out.push(`${e.id}: mention [${s}, ${t}) outside the text`);
  return out;
}

interface Tally {
  inputs: number;
  analysed: number;
  refused: number;
  crashes: number;
  /** Over the wall-clock budget in the run. */
  overBudget: number;
  /** Over the budget in CPU time when analysed alone. */
  hangs: number;
  spanErrors: number;
  lost: number;
}

const tally = (): Tally => ({ inputs: 0, analysed: 0, refused: 0, crashes: 0, overBudget: 0, hangs: 0, spanErrors: 0, lost: 0 });
const problems: string[] = [];
const note = (s: string) => {
  if (problems.length < 60) problems.push(s);
};

const STACK = /\n\s+at .+[:(]\d+/;

function cliEntry(): string[] {
  const dist = join(root, 'bin/whosaid.js');
  if (existsSync(join(root, 'dist/cli/index.js')) && !process.env.FUZZ_FROM_SOURCE) return [dist];
  return ['--import', 'tsx', join(root, 'test/e2e/corpus-cli-entry.ts')];
}

function runCli(args: string[], timeoutMs: number): { code: number | null; stderr: string; signal: NodeJS.Signals | null } {
  const r = spawnSync(process.execPath, [...cliEntry(), ...args], { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 1 << 28, cwd: root });
  return { code: r.status, stderr: r.stderr ?? '', signal: r.signal };
}

/**
 * The budget is wall-clock time, which a loaded machine stretches. A document that ran over it is
 * analysed again alone by the CLI, and counts as a hang only if that takes over the budget in CPU
 * time (or is killed after ten times the budget).
 */
function recheck(work: string, content: string | Uint8Array, ext: string): { hang: boolean; cpu: string } {
  const file = join(work, `recheck${ext}`);
  writeFileSync(file, content);
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...cliEntry(), 'analyze', '--max-bytes', '10M', file], { encoding: 'utf8', timeout: BUDGET_S * 10_000, maxBuffer: 1 << 28, cwd: root });
  rmSync(file, { force: true });
  const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  if (!m || r.signal) return { hang: true, cpu: 'killed' };
  const cpu = Number(m[1]) + Number(m[2]);
  return { hang: cpu > BUDGET_S, cpu: cpu.toFixed(1) };
}

async function main(): Promise<void> {
  const seed = arg('--seed', 14);
  const nFiles = arg('--files', 5000);
  const nJsonl = arg('--jsonl', 1000);
  const nAnalyze = arg('--analyze', 400);
  const nLibrary = arg('--library', 4000);
  const r = rng(seed);
  const work = mkdtempSync(join(tmpdir(), 'whosaid-fuzz-'));
  const t0 = Date.now();
  const results: Record<string, Tally> = {};
  try {
    // 1. Files through `batch`.
    const dir = join(work, 'files');
    mkdirSync(dir);
    const gens = [...Object.entries(FILE_GENS), ...Object.entries(HTML_GENS)];
    const files = new Map<string, string>();
    for (let i = 0; i < nFiles; i++) {
      const [kind, gen] = gens[i % gens.length];
      const name = `${String(i).padStart(5, '0')}-${kind}${kind in HTML_GENS ? '.html' : '.txt'}`;
      const out = gen(r);
      writeFileSync(join(dir, name), out);
      files.set(name, kind);
    }
    // 2. A JSONL of texts and HTML, with NULs and lone surrogates in the JSON.
    const jsonl: string[] = [];
    for (let i = 0; i < nJsonl; i++) {
      const html = r() < 0.25;
      const s = html ? malformedHtml(r) : libraryString(r);
      const rec: Record<string, unknown> = { id: `j${i}`, [html ? 'html' : 'text']: r() < 0.2 ? s.replace(/ /, '\u0000') : s };
      if (r() < 0.3) rec.title = mutate(r, 'A title');
      if (r() < 0.2) rec.published = pick(r, ['2016-02-30', 'last Tuesday', '2016-01-01', '\u0000', '9999-99-99']);
      jsonl.push(r() < 0.03 ? JSON.stringify(rec).slice(0, int(r, 1, 50)) : JSON.stringify(rec));
    }
    const jsonlPath = join(work, 'docs.jsonl');
    writeFileSync(jsonlPath, jsonl.join('\n') + '\n');

    const db = join(work, 'fuzz.db');
    const tb = Date.now();
    const batch = runCli(['batch', dir, jsonlPath, '--db', db, '--time-budget', String(BUDGET_S), '--no-progress'], 3 * 3600_000);
    const batchS = (Date.now() - tb) / 1000;
    const cli: Tally = tally();
    cli.inputs = nFiles + nJsonl;
    if (batch.code !== 0 && batch.code !== 1) {
      cli.crashes++;
      note(`batch exited ${batch.code ?? batch.signal}: ${batch.stderr.slice(-500)}`);
    }
    if (STACK.test(batch.stderr)) {
      cli.crashes++;
      note(`batch printed a stack trace: ${batch.stderr.slice(0, 500)}`);
    }
    const store = await openStore(db);
    try {
      const errors = await store.errors();
      const errorKeys = new Set(errors.map((e) => `${e.input}\u0000${e.locator}`));
      const errorHashes = new Set(errors.map((e) => e.hash).filter(Boolean));
      for (const e of errors) {
        if (!/time budget/.test(e.message)) continue;
        cli.overBudget++;
        const line = /^line (\d+)$/.exec(e.locator);
        let content: string | Uint8Array;
        let ext: string;
        if (line) {
          const rec = JSON.parse(jsonl[Number(line[1]) - 1]) as { text?: string; html?: string };
          content = rec.text ?? rec.html ?? '';
          ext = rec.text !== undefined ? '.txt' : '.html';
        } else {
          content = readFileSync(join(dir, e.locator));
          ext = e.locator.endsWith('.html') ? '.html' : '.txt';
        }
        const again = recheck(work, content, ext);
        note(`over the wall-clock budget in batch: ${e.locator}; alone: ${again.cpu} s CPU`);
        if (again.hang) cli.hangs++;
      }
      cli.refused = errors.length;
      const hashes = new Set<string>();
      const ids = new Set<string>();
      for await (const d of store.exportDocuments()) {
        cli.analysed++;
        hashes.add(d.summary.hash);
        ids.add(d.summary.id);
        const bad = spanProblems(d.analysis, d.text ?? d.analysis.document.text ?? '');
        if (bad.length) {
          cli.spanErrors++;
          note(`batch ${d.summary.id}: ${bad[0]}`);
        }
      }
      // Nothing lost: every file stored (by content) or listed in errors; every JSONL line likewise.
      for (const [name] of files) {
        const h = contentHash(readFileSync(join(dir, name)), null);
        // A copy of a refused file (all empty files are one) is refused with it, under the first one's name.
        if (!hashes.has(h) && !errorHashes.has(h) && !errorKeys.has(`${dir}\u0000${name}`)) {
          cli.lost++;
          note(`lost: ${name}`);
        }
      }
      for (let i = 0; i < nJsonl; i++) {
        if (!ids.has(`j${i}`) && !errorKeys.has(`${jsonlPath}\u0000line ${i + 1}`)) {
          cli.lost++;
          note(`lost: JSONL line ${i + 1}`);
        }
      }
    } finally {
      await store.close();
    }
    results[`CLI batch (${nFiles} files + ${nJsonl} JSONL lines, ${batchS.toFixed(0)} s)`] = cli;

    // 3. `analyze --out` over a sample of the files, a few per process.
    const an: Tally = tally();
    const names = [...files.keys()];
    const outDir = join(work, 'out');
    mkdirSync(outDir);
    const sample: string[] = [];
    for (let i = 0; i < nAnalyze; i++) sample.push(names[Math.floor(r() * names.length)]);
    const unique = [...new Set(sample)];
    for (let i = 0; i < unique.length; i += 50) {
      const part = unique.slice(i, i + 50);
      const res = runCli(['analyze', '--out', outDir, '--include-text', ...part.map((f) => join(dir, f))], (BUDGET_S + 5) * 1000 * part.length);
      an.inputs += part.length;
      if (res.signal) {
        an.hangs++;
        note(`analyze killed (${res.signal}) on ${part[0]}…`);
      }
      if ((res.code !== 0 && res.code !== 1) || STACK.test(res.stderr)) {
        an.crashes++;
        note(`analyze exited ${res.code}: ${res.stderr.slice(0, 300)}`);
      }
      const refusedNow = res.stderr.split('\n').filter((l) => l.startsWith('whosaid: ')).length;
      an.refused += refusedNow;
      for (const f of part) {
        const out = join(outDir, f.replace(/\.(txt|html)$/, '.json'));
        if (!existsSync(out)) continue;
        an.analysed++;
        const a = JSON.parse(readFileSync(out, 'utf8')) as Analysis;
        const bad = spanProblems(a, a.document.text ?? '');
        if (bad.length) {
          an.spanErrors++;
          note(`analyze ${f}: ${bad[0]}`);
        }
      }
      rmSync(outDir, { recursive: true, force: true });
      mkdirSync(outDir);
    }
    if (an.analysed + an.refused < an.inputs) an.lost = an.inputs - an.analysed - an.refused;
    results[`CLI analyze (${unique.length} files)`] = an;

    // 4. The library, on worker threads with the time budget.
    const lib: Tally = tally();
    const texts = new Map<number, string>();
    await new Promise<void>((done, fail) => {
      let left = nLibrary;
      const pool = new WorkerPool(
        2,
        (rs: JobResult[]) => {
          for (const res of rs) {
            const text = texts.get(res.seq) ?? '';
            texts.delete(res.seq);
            if (!res.ok) {
              if (res.overBudget) {
                lib.overBudget++;
                const again = recheck(work, text, '.txt');
                note(`over the wall-clock budget in the library: ${JSON.stringify(text.slice(0, 40))}…; alone: ${again.cpu} s CPU`);
                if (again.hang) lib.hangs++;
              } else if (/empty document/.test(res.error)) lib.refused++;
              else {
                lib.crashes++;
                note(`library threw: ${res.error}`);
              }
            } else if ('analysis' in res) {
              lib.analysed++;
              const bad = spanProblems(res.analysis, text);
              if (bad.length) {
                lib.spanErrors++;
                note(`library: ${bad[0]}`);
              }
            }
            if (--left === 0) pool.close().then(done, fail);
          }
        },
        (err) => fail(err),
        { budgetMs: BUDGET_S * 1000 },
      );
      for (let i = 0; i < nLibrary; i++) {
        const text = libraryString(r);
        texts.set(i, text);
        lib.inputs++;
        pool.submit([{ seq: i, name: `lib${i}`, id: `lib${i}`, text }]);
      }
    });
    results[`library (${nLibrary} strings)`] = lib;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  let total = 0;
  let failed = 0;
  console.log(`seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  console.log('path | inputs | analysed | refused (one-line error) | crashes | over 30 s wall (loaded machine) | hangs > 30 s CPU alone | span text ≠ slice | lost');
  console.log('---|---|---|---|---|---|---|---|---');
  for (const [name, t] of Object.entries(results)) {
    total += t.inputs;
    failed += t.crashes + t.hangs + t.spanErrors + t.lost;
    console.log(`${name} | ${t.inputs} | ${t.analysed} | ${t.refused} | ${t.crashes} | ${t.overBudget} | ${t.hangs} | ${t.spanErrors} | ${t.lost}`);
  }
  console.log(`\n${total} hostile inputs, ${failed} failures`);
  for (const p of problems) console.log(`- ${p}`);
  process.exitCode = failed ? 1 : 0;
}

await main();
