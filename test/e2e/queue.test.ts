/**
 * Scale-out through the real CLI (from source under tsx) over the CI PostgreSQL: three worker processes,
 * one killed with SIGKILL in the middle of a job. Every document must be stored exactly once, none lost,
 * and the killed worker's job retried after its (short) lease ran out. Also: a graceful SIGTERM finishes
 * the job in hand, enqueue skips what is stored, and the queue commands refuse a SQLite store.
 * Each run uses its own store schema and its own pg-boss schema, dropped afterwards.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore } from '../../src/store/index.js';
import { keysOf } from '../../src/corpus/batch.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');
const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEXTS = join(ROOT, '../shared/data/polnear/train/text');
const QUEUE = 'whosaid-analyze';

/** Real articles where the shared data is there (so a job takes a while), else synthetic ones. */
function sampleTexts(n: number, from = 0): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(TEXTS).filter((f) => f.endsWith('.txt')).sort().slice(from, from + n);
  } catch {
    /* no shared data here */
  }
  const texts = files.map((f) => readFileSync(join(TEXTS, f), 'utf8'));
  for (let i = texts.length; i < n; i++) {
    const k = from + i;
    texts.push(`Talks ${k}\n\n"We are finished here," Capt. Maria Okonkwo-Hale said on day ${k}. Officials said the port would reopen, according to a union leader. The minister told reporters that talks number ${k} had failed.`);
  }
  return texts;
}

function cli(args: string[], opts: { cwd: string; input?: string }) {
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd: opts.cwd, input: opts.input, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Proc {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name), rejects after `ms`. */
  exited: (ms: number) => Promise<number | string>;
  /** Resolves with the first match of `re` in stderr, rejects after `ms`. */
  waitFor: (re: RegExp, ms: number) => Promise<RegExpMatchArray>;
}

const running = new Set<ChildProcess>();

function start(args: string[], cwd: string): Proc {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let err = '';
  const listeners = new Set<() => void>();
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
    for (const l of listeners) l();
  });
  child.stdout!.resume();
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => {
    running.delete(child);
    resolve(code ?? signal ?? 'unknown');
  }));
  const timeout = <T>(p: Promise<T>, ms: number, what: string) =>
    new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}; stderr:\n${err}`)), ms);
      p.then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
    });
  return {
    child,
    stderr: () => err,
    exited: (ms) => timeout(exit, ms, 'exit'),
    waitFor: (re, ms) =>
      timeout(
        new Promise<RegExpMatchArray>((resolve, reject) => {
          const check = () => {
            const m = err.match(re);
            if (m) {
              listeners.delete(check);
              resolve(m);
            }
          };
          listeners.add(check);
          check();
          exit.then(() => { if (listeners.has(check)) reject(new Error(`exited before ${re}; stderr:\n${err}`)); });
        }),
        ms,
        String(re),
      ),
  };
}

/**
 * A test run's own store and pg-boss schemas (dropped afterwards), a scratch folder and an admin
 * connection, set up and torn down by the enclosing describe's hooks; `ready` receives the folder and
 * the connection once they exist.
 */
function queueRun(prefix: string, dirPrefix: string, ready: (dir: string, admin: pg.Client) => void) {
  const tag = randomBytes(6).toString('hex');
  const schema = `${prefix}_${tag}`;
  const qschema = `${prefix}_${tag}_boss`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  let dir = '';
  let admin: pg.Client | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), dirPrefix));
    admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    ready(dir, admin);
  });
  after(async () => {
    for (const c of running) c.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (!admin) return;
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${qschema}" CASCADE`);
    await admin.end();
  });
  return { tag, schema, qschema, url };
}

describe('whosaid enqueue / worker / status (PostgreSQL, pg-boss)', () => {
  const { schema, qschema, url } = queueRun('whosaid_qe2e', 'whosaid-queue-', (d, a) => ([dir, admin] = [d, a]));
  let dir: string;
  let admin: pg.Client;

  it('three workers, one killed with SIGKILL mid-job: every document stored exactly once, the job retried', async () => {
    const N = 60;
    const texts = sampleTexts(N);
    const file = join(dir, 'articles.jsonl');
    writeFileSync(file, texts.map((text, i) => JSON.stringify({ id: `d${i}`, text, outlet: i % 2 ? 'Planet' : 'Bugle' })).join('\n') + '\n');

    const enq = cli(['enqueue', file, '--db', url, '--queue-schema', qschema, '--job-size', '5', '--lease-seconds', '10', '--no-progress'], { cwd: dir });
    assert.equal(enq.code, 0, enq.stderr);
    assert.match(enq.stderr, /60 documents read .*: 60 enqueued in 12 jobs, 0 already stored, 0 errors/);

    const workerArgs = ['worker', '--db', url, '--queue-schema', qschema, '--concurrency', '1', '--check-seconds', '1', '--poll-seconds', '0.2', '--until-empty'];
    const victim = start(workerArgs, dir);
    const others = [start(workerArgs, dir), start(workerArgs, dir)];
    // Kill the victim as soon as it holds a job (its first job also waits for its analysis thread to load).
    const [, jobId] = await victim.waitFor(/job ([0-9a-f-]{36}): \d+ documents/, 120_000);
    victim.child.kill('SIGKILL');
    assert.equal(await victim.exited(30_000), 'SIGKILL');
    assert.doesNotMatch(victim.stderr(), new RegExp(`job ${jobId}: done`));

    // The others drain the queue, the killed job included once its lease has run out.
    const codes = await Promise.all(others.map((w) => w.exited(240_000)));
    assert.deepEqual(codes, [0, 0], others.map((w) => w.stderr()).join('\n'));

    // Stored exactly once: every document there, no row twice, attributions not duplicated.
    const docs = await admin.query(`SELECT count(*)::int AS n, count(DISTINCT hash)::int AS distinct_n, sum(n_attributions)::int AS attrs FROM "${schema}".documents`);
    assert.deepEqual([docs.rows[0].n, docs.rows[0].distinct_n], [N, N]);
    const attrs = await admin.query(`SELECT count(*)::int AS n FROM "${schema}".attributions`);
    assert.equal(attrs.rows[0].n, docs.rows[0].attrs);
    const store = await openStore(url);
    try {
      // Document keys as batch and enqueue make them (content, id, outlet, URL).
      const keys = texts.map((text, i) => keysOf({ input: file, locator: `line ${i + 1}`, bytesRead: 0, id: `d${i}`, text, outlet: i % 2 ? 'Planet' : 'Bugle' }).hash);
      const have = await store.hasHashes(keys);
      assert.equal(have.size, N, 'every enqueued document is stored');
      assert.equal((await store.errors()).length, 0);
    } finally {
      await store.close();
    }

    // Every job done; the killed one on a later attempt by another worker.
    const jobs = await admin.query(`SELECT id::text, state, retry_count, output FROM "${qschema}".job WHERE name = $1`, [QUEUE]);
    assert.equal(jobs.rows.length, 12);
    assert.deepEqual([...new Set(jobs.rows.map((r) => r.state))], ['completed']);
    const killed = jobs.rows.find((r) => r.id === jobId);
    assert.ok(killed, `job ${jobId} in the queue`);
    assert.ok(killed.retry_count >= 1, `the killed job was retried (retry_count ${killed.retry_count})`);
    assert.ok(killed.output.attempt >= 1);
    assert.notEqual(killed.output.worker.split(':').pop(), String(victim.child.pid));
    assert.match(others.map((w) => w.stderr()).join('\n'), new RegExp(`job ${jobId}: \\d+ documents, attempt [2-9]`));
    // What the job outputs say was newly stored adds up to the documents, unless the victim committed before dying.
    const storedByJobs = jobs.rows.reduce((n, r) => n + r.output.stored, 0);
    assert.ok(storedByJobs <= N && storedByJobs >= N - 5, `jobs report ${storedByJobs} stored`);

    const st = cli(['status', '--db', url, '--queue-schema', qschema, '--json'], { cwd: dir });
    assert.equal(st.code, 0, st.stderr);
    const s = JSON.parse(st.stdout);
    assert.deepEqual(
      { queued: s.jobs.queued, active: s.jobs.active, done: s.jobs.done, failed: s.jobs.failed, stored: s.storedDocuments },
      { queued: 0, active: 0, done: 12, failed: 0, stored: N },
    );
    assert.ok(s.jobs.retried >= 1);
    assert.ok(s.recent.perSecond > 0);
    const text = cli(['status', '--db', url, '--queue-schema', qschema], { cwd: dir });
    assert.match(text.stdout, /^jobs: 0 queued, 0 active, 12 done, 0 failed; \d+ needed a retry$/m);

    // Enqueuing the same input again sends nothing: all stored.
    const again = cli(['enqueue', file, '--db', url, '--queue-schema', qschema, '--no-progress'], { cwd: dir });
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /: 0 enqueued in 0 jobs, 60 already stored, 0 errors/);
  });

  it('SIGTERM: the worker finishes the job in hand, then stops; the rest stays queued', async () => {
    const texts = sampleTexts(10, 100);
    const file = join(dir, 'more.jsonl');
    writeFileSync(file, texts.map((text, i) => JSON.stringify({ id: `m${i}`, text })).join('\n') + '\n');
    const enq = cli(['enqueue', file, '--db', url, '--queue-schema', qschema, '--job-size', '5', '--no-progress'], { cwd: dir });
    assert.equal(enq.code, 0, enq.stderr);
    const w = start(['worker', '--db', url, '--queue-schema', qschema, '--concurrency', '1', '--poll-seconds', '0.2'], dir);
    const [, jobId] = await w.waitFor(/job ([0-9a-f-]{36}): 5 documents/, 120_000);
    w.child.kill('SIGTERM');
    assert.equal(await w.exited(120_000), 130, w.stderr());
    assert.match(w.stderr(), new RegExp(`job ${jobId}: done, 5 stored`));
    const jobs = await admin.query(`SELECT id::text, state FROM "${qschema}".job WHERE name = $1 AND state <> 'completed'`, [QUEUE]);
    assert.deepEqual(jobs.rows.map((r) => r.state), ['created'], 'the second job is still queued, not held');
    const st = JSON.parse(cli(['status', '--db', url, '--queue-schema', qschema, '--json'], { cwd: dir }).stdout);
    assert.deepEqual([st.jobs.queued, st.jobs.active, st.storedDocuments], [1, 0, 65]);
  });

  it('the queue commands need PostgreSQL', () => {
    const r = cli(['worker', '--db', join(dir, 'x.db')], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^whosaid: worker needs a PostgreSQL store/m);
    const s = cli(['status'], { cwd: dir });
    assert.equal(s.code, 1);
    assert.match(s.stderr, /^whosaid: status needs --db postgres:/m);
  });
});

describe('queue with hostile text and a database that goes away', () => {
  const { tag, schema, qschema, url } = queueRun('whosaid_qh', 'whosaid-queue-h-', (d, a) => ([dir, admin] = [d, a]));
  let dir: string;
  let admin: pg.Client;

  it('a NUL or a lone surrogate neither crashes enqueue nor fails the job; every document is stored', async () => {
    const texts = ['"We are done," the minister\u0000 said.', 'A s\ud800urce said "yes" on Monday.', 'Officials said the port would reopen.'];
    writeFileSync(join(dir, 'h.jsonl'), texts.map((text, i) => JSON.stringify({ id: `h${i}`, text })).join('\n') + '\n');
    const e = cli(['enqueue', join(dir, 'h.jsonl'), '--db', url, '--queue-schema', qschema, '--no-progress'], { cwd: dir });
    assert.equal(e.code, 0, e.stderr);
    const w = cli(['worker', '--db', url, '--queue-schema', qschema, '--concurrency', '1', '--poll-seconds', '0.2', '--until-empty', '--no-progress'], { cwd: dir });
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /3 stored/);
    const store = await openStore(url);
    try {
      for (let i = 0; i < texts.length; i++) {
        const d = await store.getDocument(`h${i}`);
        assert.ok(d, `h${i}`);
        const text = d.document.text!;
        assert.equal(text.length, texts[i].length, 'offsets index the stored text');
        for (const a of d.attributions) assert.equal(a.content.text, a.content.spans.map(([s, t]) => text.slice(s, t)).join(' … '));
      }
    } finally {
      await store.close();
    }
  });

  it('a worker whose store connections are cut while it works logs, goes on, and stores everything once', async () => {
    const texts = sampleTexts(24, 300);
    writeFileSync(join(dir, 'cut.jsonl'), texts.map((text, i) => JSON.stringify({ id: `c${i}`, text })).join('\n') + '\n');
    assert.equal(cli(['enqueue', join(dir, 'cut.jsonl'), '--db', url, '--queue-schema', qschema, '--job-size', '2', '--no-progress'], { cwd: dir }).code, 0);
    // The store's connections carry this name (pg-boss names its own "whosaid"): only they are cut.
    const app = `whosaid-cut-${tag}`;
    const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'worker', '--db', url, '--queue-schema', qschema, '--concurrency', '1', '--poll-seconds', '0.2', '--until-empty'], {
      cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PGAPPNAME: app },
    });
    running.add(child);
    let err = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.stdout!.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for the first job, then cut the store's connections again and again for a while.
    for (let i = 0; i < 600 && !/job .*: 2 documents/.test(err); i++) await new Promise((r) => setTimeout(r, 100));
    let cut = 0;
    for (let i = 0; i < 30; i++) {
      const r = await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]);
      cut += r.rowCount ?? 0;
      await new Promise((r) => setTimeout(r, 100));
    }
    const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('timeout'), 180_000))]);
    running.delete(child);
    assert.equal(code, 0, err);
    assert.doesNotMatch(err, /Unhandled 'error' event|\n\s+at /, err);
    assert.ok(cut > 0, 'some connection was cut');
    const store = await openStore(url);
    try {
      for (let i = 0; i < texts.length; i++) assert.ok(await store.getDocument(`c${i}`), `c${i} stored\n${err}`);
    } finally {
      await store.close();
    }
  });
});
