/**
 * Faults and hostile documents must not stall or sink the rest (issue 14): the per-document time
 * budget in the worker pool, `batch`, and the server; the server's timeouts and refusals; NULs with
 * PostgreSQL in a batch (the good documents of the same transaction are kept).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { WorkerPool, type JobResult } from '../../src/corpus/pool.js';
import { buildServer } from '../../src/server/app.js';
import { openStore } from '../../src/store/index.js';
import { GAP } from '../../src/core/span.js';
import type { Analysis } from '../../src/core/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');
const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A document that takes far longer than a second to analyse (every other word a cue), linear as it is. */
const SLOW = 'X said Y said '.repeat(40_000) + 'Z.';
const GOOD = 'Port talks\n\n"We are finished here," Capt. Maria Okonkwo-Hale said on Monday.';

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function spansMatch(a: Analysis, text: string): void {
  for (const at of a.attributions) {
    for (const ref of [at.source, at.cue, at.content]) {
      if (ref) assert.equal(ref.text, ref.spans.map(([s, e]) => text.slice(s, e)).join(GAP));
    }
  }
}

describe('time budget per document', () => {
  it('the pool answers an over-budget document with its reason, replaces the thread, and runs the next one', async () => {
    const results = new Map<number, JobResult>();
    let pool!: WorkerPool;
    await new Promise<void>((done, fail) => {
      pool = new WorkerPool(
        1,
        (rs) => {
          for (const r of rs) results.set(r.seq, r);
          if (results.size === 2) done();
        },
        fail,
        { budgetMs: 1500 },
      );
      pool.submit([{ seq: 1, name: 'slow', id: 'slow', text: SLOW }, { seq: 2, name: 'good', id: 'good', text: GOOD }]);
    });
    await pool.close();
    const slow = results.get(1)!;
    assert.equal(slow.ok, false);
    assert.ok(!slow.ok && slow.overBudget && /longer than the 1\.5 s time budget/.test(slow.error), JSON.stringify(slow));
    const good = results.get(2)!;
    assert.ok(good.ok && 'analysis' in good && good.analysis.attributions.length > 0);
  });

  it('batch records the slow document in errors and stores the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-budget-'));
    try {
      const docs = join(dir, 'docs');
      spawnSync('mkdir', [docs]);
      writeFileSync(join(docs, 'a-slow.txt'), SLOW);
      for (let i = 0; i < 3; i++) writeFileSync(join(docs, `b${i}.txt`), `${GOOD} (${i})`);
      const db = join(dir, 'c.db');
      const r = cli(['batch', docs, '--db', db, '--workers', '1', '--time-budget', '1.5', '--no-progress'], dir);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      const e = cli(['errors', '--db', db], dir);
      assert.match(e.stdout + e.stderr, /a-slow\.txt: analysis took longer than the 1\.5 s time budget per document/);
      const store = await openStore(db);
      assert.equal(await store.countDocuments(), 3);
      await store.close();
      assert.match(cli(['batch', '--help'], dir).stdout, /--time-budget <seconds>/);
      assert.match(cli(['batch', docs, '--db', db, '--time-budget', 'soon'], dir).stderr, /--time-budget must be a number of seconds/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('server under abuse', () => {
  const app = buildServer({ workers: 1, budgetMs: 1500, headersTimeoutMs: 500, requestTimeoutMs: 1000 });
  let port = 0;
  before(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
  });
  after(() => app.close());
  const post = (payload: string | Buffer) => app.inject({ method: 'POST', url: '/api/analyze', payload, headers: { 'content-type': 'application/json' } });

  it('answers a document over the time budget with 422 and a reason; the next request is served', async () => {
    const slow = await post(JSON.stringify({ text: SLOW }));
    assert.equal(slow.statusCode, 422, slow.body);
    assert.equal(slow.json().error, 'over-time-budget');
    assert.match(slow.json().message, /time budget/);
    const good = await post(JSON.stringify({ text: GOOD }));
    assert.equal(good.statusCode, 200, good.body);
    spansMatch(good.json(), GOOD);
  });

  it('refuses invalid UTF-8 with a 400 instead of repairing it', async () => {
    const r = await post(Buffer.concat([Buffer.from('{"text": "caf'), Buffer.from([0xe9]), Buffer.from('"}')]));
    assert.equal(r.statusCode, 400);
    assert.equal(r.json().error, 'bad-encoding');
  });

  it('answers 404 for /assets/constructor and other inherited names', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const r = await app.inject(`/assets/${name}`);
      assert.equal(r.statusCode, 404, name);
    }
  });

  it('closes a connection whose request is sent too slowly', async () => {
    const closed = await new Promise<{ data: string; ms: number }>((resolve) => {
      const t0 = Date.now();
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('POST /api/analyze HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"text": "');
      });
      let data = '';
      sock.on('data', (d) => (data += d));
      sock.on('close', () => resolve({ data, ms: Date.now() - t0 }));
      sock.on('error', () => {});
      setTimeout(() => sock.destroy(), 20_000).unref();
    });
    assert.ok(closed.ms < 15_000, `closed after ${closed.ms} ms`);
    assert.match(closed.data, /^HTTP\/1\.1 408/);
  });
});

describe('server date filters', () => {
  let dir: string;
  let app: ReturnType<typeof buildServer>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-dates-'));
    const store = await openStore(join(dir, 's.db'));
    app = buildServer({ store });
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 400 with a reason for impossible since/until dates', async () => {
    for (const q of ['until=2024-02-31', 'until=2024-13-45', 'since=2023-02-29', 'until=9999-99-99T00:00:00Z']) {
      const r = await app.inject(`/api/search?q=x&${q}`);
      assert.equal(r.statusCode, 400, `${q}: ${r.body}`);
      assert.match(r.json().message, /must be a date/);
    }
    assert.equal((await app.inject('/api/search?q=x&until=2024-02-29')).statusCode, 200);
  });
});

describe('NUL characters with PostgreSQL', () => {
  const schema = `nul_${process.pid}`;
  const url = `${PG_URL}?schema=${schema}`;
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-nul-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  });

  it('batch stores a document holding NULs with its neighbours; offsets still index the stored text', async () => {
    const texts = [GOOD, 'The minister\u0000 said "it is\u0000 over" on Monday.', 'Officials said the strike would end.'];
    const lines = texts.map((text, i) => JSON.stringify({ id: `n${i}`, text })).join('\n');
    writeFileSync(join(dir, 'docs.jsonl'), lines + '\n');
    const r = cli(['batch', join(dir, 'docs.jsonl'), '--db', url, '--workers', '1', '--no-progress'], dir);
    assert.doesNotMatch(r.stderr, /\n\s+at /, r.stderr);
    const store = await openStore(url);
    try {
      for (let i = 0; i < texts.length; i++) {
        const doc = await store.getDocument(`n${i}`);
        assert.ok(doc, `n${i} stored`);
        assert.equal(doc.document.text!.length, texts[i].length);
        spansMatch(doc, doc.document.text!);
      }
      assert.equal((await store.getDocument('n1'))!.document.text, texts[1].replace(/\u0000/g, '\ufffd'));
    } finally {
      await store.close();
    }
  });
});
