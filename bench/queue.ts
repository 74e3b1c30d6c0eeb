/**
 * Scale-out benchmark: throughput of 1 and 2 `whosaid worker` processes (one analysis thread each) over
 * the PostgreSQL queue, the queue's overhead per article, and how many workers 10 million articles a day
 * would take at the measured cost.
 *
 *   node --import tsx bench/queue.ts [--limit 400] [--repeat 1] [--job-size 25] [--workers 1,2] [--pg postgres://…]
 *
 * Articles: the PolNeAR train texts (../shared/data/polnear/train/text). Each run gets fresh store and
 * queue schemas, dropped afterwards. Timings come from the jobs' own records (pg-boss started_on /
 * completed_on, and the worker's per-job output: analysis, store write, fetch), so process start-up is
 * reported apart. No assertions: figures only. On a shared machine, read them as an order of magnitude.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { analyze } from '../src/analyze.js';
import { planInputs } from '../src/corpus/sources.js';
import { openBoss } from '../src/queue/index.js';
import { runEnqueue } from '../src/queue/enqueue.js';
import { openStore } from '../src/store/index.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');
const TEXTS = join(ROOT, '../shared/data/polnear/train/text');

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}
const LIMIT = Number(arg('limit', '400'));
const JOB_SIZE = Number(arg('job-size', '25'));
/** Each text this many times, under distinct ids (so distinct documents), for longer runs. */
const REPEAT = Math.max(1, Number(arg('repeat', '1')));
const WORKERS = arg('workers', '1,2').split(',').map(Number);
const PG_URL = arg('pg', process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test');

const names = readdirSync(TEXTS).filter((f) => f.endsWith('.txt')).sort().slice(0, LIMIT);
const files = Array.from({ length: REPEAT }, (_, k) => names.map((f) => (k ? f.replace(/\.txt$/, `~${k}.txt`) : f))).flat();
const texts = Array.from({ length: REPEAT }, () => names.map((f) => readFileSync(join(TEXTS, f), 'utf8'))).flat();
const words = texts.reduce((n, t) => n + (t.match(/\S+/g)?.length ?? 0), 0);
const dir = mkdtempSync(join(tmpdir(), 'whosaid-bench-queue-'));
const input = join(dir, 'articles.jsonl');
writeFileSync(input, texts.map((text, i) => JSON.stringify({ id: files[i].replace(/\.txt$/, ''), text })).join('\n') + '\n');

function run(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15 * 60_000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, stderr, ms: Date.now() - t0 });
    });
  });
}

const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();

// 1. The analysis alone, in this process, one thread (warm: the model is loaded first).
analyze(texts[0], { id: 'warm-up' });
const ta = performance.now();
for (let i = 0; i < names.length; i++) analyze(texts[i], { id: String(i) });
const analyzeMs = (performance.now() - ta) / names.length;
console.error(`analyze() alone: ${analyzeMs.toFixed(1)} ms/article`);

interface RunResult {
  workers: number;
  docs: number;
  enqueueMsPerDoc: number;
  spanS: number;
  wallS: number;
  perSecond: number;
  analysisMsPerDoc: number;
  writeMsPerDoc: number;
  queueMsPerDoc: number;
  jobs: number;
  retried: number;
  load: number;
  /** Worker processes' CPU (all threads) per article. */
  cpuMsPerDoc: number;
  /** Cores the workers actually got: their CPU time over the run's wall time. */
  coresUsed: number;
  /** On-disk bytes per article: the store's tables (with indexes, TOAST), and pg-boss's (jobs keep their documents until deleted). */
  storeBytesPerDoc: number;
  queueBytesPerDoc: number;
}

async function schemaBytes(schema: string): Promise<number> {
  const r = await admin.query(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::float AS b FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [schema],
  );
  return r.rows[0].b;
}

const results: RunResult[] = [];
for (const w of WORKERS) {
  const tag = randomBytes(4).toString('hex');
  const schema = `whosaid_bench_${tag}`;
  const qschema = `whosaid_bench_${tag}_boss`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  try {
    // Enqueue in this process, timed alone (store and queue opened beforehand).
    const store = await openStore(url);
    const boss = await openBoss(url, { schema: qschema });
    const te = performance.now();
    const enq = await runEnqueue(store, boss, planInputs([input]), { jobSize: JOB_SIZE });
    const enqueueMsPerDoc = (performance.now() - te) / texts.length;
    await boss.stop({ graceful: false, wait: true });
    await store.close();
    if (enq.enqueued !== texts.length) throw new Error(`enqueued ${enq.enqueued} of ${texts.length}`);
    const load0 = loadavg()[0];
    const t0 = Date.now();
    const procs = await Promise.all(
      Array.from({ length: w }, () => run(['worker', '--db', url, '--queue-schema', qschema, '--concurrency', '1', '--poll-seconds', '0.2', '--until-empty', '--quiet'])),
    );
    const wallS = (Date.now() - t0) / 1000;
    for (const p of procs) if (p.code !== 0) throw new Error(`worker failed: ${p.stderr}`);
    const load = (load0 + loadavg()[0]) / 2;
    const j = await admin.query(
      `SELECT count(*)::int AS jobs,
              count(*) FILTER (WHERE retry_count > 0)::int AS retried,
              extract(epoch FROM max(completed_on) - min(started_on))::float AS span,
              sum((output->>'stored')::int + (output->>'skipped')::int + (output->>'errors')::int)::int AS docs,
              sum((output->>'ms')::int)::float AS ms,
              sum((output->>'analysisMs')::int)::float AS analysis,
              sum((output->>'writeMs')::int)::float AS write,
              sum((output->>'fetchMs')::int)::float AS fetch
         FROM "${qschema}".job WHERE state = 'completed'`,
    );
    const r = j.rows[0];
    const queueMs = r.ms - r.analysis - r.write + r.fetch;
    const cpuMs = procs.reduce((n, p) => n + Number(p.stderr.match(/([\d.]+) s of CPU/)?.[1] ?? NaN) * 1000, 0);
    const res: RunResult = {
      workers: w,
      docs: r.docs,
      enqueueMsPerDoc,
      spanS: r.span,
      wallS,
      perSecond: r.docs / r.span,
      analysisMsPerDoc: r.analysis / r.docs,
      writeMsPerDoc: r.write / r.docs,
      queueMsPerDoc: queueMs / r.docs + enqueueMsPerDoc,
      jobs: r.jobs,
      retried: r.retried,
      load,
      cpuMsPerDoc: cpuMs / r.docs,
      coresUsed: cpuMs / 1000 / wallS,
      storeBytesPerDoc: (await schemaBytes(schema)) / r.docs,
      queueBytesPerDoc: (await schemaBytes(qschema)) / r.docs,
    };
    results.push(res);
    console.error(`${w} worker(s): ${res.perSecond.toFixed(1)} articles/s over ${res.spanS.toFixed(1)} s (wall ${wallS.toFixed(1)} s with start-up), ${res.cpuMsPerDoc.toFixed(1)} CPU ms/article, ${res.coresUsed.toFixed(2)} cores, load ${load.toFixed(1)}`);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${qschema}" CASCADE`);
  }
}
await admin.end();
rmSync(dir, { recursive: true, force: true });

const perDay = 10_000_000;
const needPerSecond = perDay / 86_400;
const one = results.find((r) => r.workers === 1) ?? results[0];
// Cost of one article on one worker thread, everything included (analysis, store write, queue).
const costMs = 1000 / one.perSecond;
const workersNeeded = needPerSecond * (costMs / 1000);

console.log(`\n${texts.length} PolNeAR articles (${names.length} texts × ${REPEAT}, ${Math.round(words / texts.length)} words each on average), jobs of ${JOB_SIZE}; ${cpus().length} cores (${cpus()[0]?.model}), Node ${process.version}`);
console.log(`analyze() alone, in-process: ${analyzeMs.toFixed(1)} ms/article\n`);
console.log('| worker processes (1 thread each) | articles/s | speed-up | span (first job start → last job done) | wall incl. start-up | analysis ms/article | store write ms/article | queue ms/article (enqueue + fetch + complete) | worker CPU ms/article | cores the workers got | jobs (retried) | load avg |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(`| ${r.workers} | ${r.perSecond.toFixed(1)} | ${(r.perSecond / one.perSecond).toFixed(2)}× | ${r.spanS.toFixed(1)} s | ${r.wallS.toFixed(1)} s | ${r.analysisMsPerDoc.toFixed(1)} | ${r.writeMsPerDoc.toFixed(2)} | ${r.queueMsPerDoc.toFixed(2)} | ${r.cpuMsPerDoc.toFixed(1)} | ${r.coresUsed.toFixed(2)} | ${r.jobs} (${r.retried}) | ${r.load.toFixed(1)} |`);
}
console.log(`\nOn disk per article: store ${(one.storeBytesPerDoc / 1024).toFixed(1)} KiB, queue ${(one.queueBytesPerDoc / 1024).toFixed(1)} KiB (until pg-boss archives and deletes the job).`);
console.log(`\n10 million articles a day = ${needPerSecond.toFixed(1)} articles/s. At ${costMs.toFixed(1)} ms per article per worker thread (1 worker, all included): ${workersNeeded.toFixed(1)} busy threads, i.e. ${Math.ceil(workersNeeded)} cores at full use; ${Math.ceil(workersNeeded * 1.5)} with 50 % headroom.`);
console.log(JSON.stringify({ limit: texts.length, jobSize: JOB_SIZE, analyzeMs, results, costMs, workersNeeded }));
