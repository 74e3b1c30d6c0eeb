/**
 * Batch runs through the real CLI (from source under tsx): resumable after kill -9, bad documents recorded,
 * clear errors for unusable stores, and the same on PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore, prepareDocument } from '../../src/store/index.js';
import { storeOutcome } from '../../src/corpus/pool.js';
import { analyze } from '../../src/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');
const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEXTS = join(ROOT, '../shared/data/polnear/train/text');
const FALLBACK = [
  'Port talks\n\n"We are finished here," Capt. Maria Okonkwo-Hale said on Monday.',
  'The minister said the budget would pass. Officials said it would not.',
];

function sampleTexts(n: number): string[] {
  let files: string[] = [];
  try {
    files = readdirSync(TEXTS).filter((f) => f.endsWith('.txt')).sort().slice(0, n);
  } catch {
    /* no shared data here: synthetic texts */
  }
  const texts = files.map((f) => readFileSync(join(TEXTS, f), 'utf8'));
  for (let i = texts.length; i < n; i++) texts.push(`${FALLBACK[i % 2]} (${i})`);
  return texts;
}

function cli(args: string[], opts: { cwd: string; input?: string; env?: Record<string, string> }) {
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonl(records: unknown[]): string {
  return records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';
}

describe('whosaid batch (SQLite)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-batch-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('stores a directory, records bad files, and skips everything on a re-run', () => {
    const docs = join(dir, 'docs');
    mkdirSync(join(docs, 'sub'), { recursive: true });
    const texts = sampleTexts(6);
    texts.slice(0, 4).forEach((t, i) => writeFileSync(join(docs, `a${i}.txt`), t));
    texts.slice(4).forEach((t, i) => writeFileSync(join(docs, 'sub', `b${i}.txt`), t));
    writeFileSync(join(docs, 'page.html'), `<html><head><title>Harbour news</title></head><body><article><p>${'The harbour master said the port would reopen on Monday after the storm. '.repeat(8)}</p></article></body></html>`);
    writeFileSync(join(docs, 'empty.txt'), '   \n');
    writeFileSync(join(docs, 'broken.txt'), Buffer.from([0x61, 0x62, 0xff, 0xfe, 0x63]));
    writeFileSync(join(docs, 'ignored.md'), 'not read');
    const db = join(dir, 'dir.db');
    const r = cli(['batch', docs, '--db', db, '--workers', '2'], { cwd: dir });
    assert.equal(r.code, 3, r.stderr); // 3: some documents failed (whosaid batch --help)
    assert.match(r.stderr, /9 documents .*: 7 stored, 0 already stored, 2 errors/);
    const s = new Database(db, { readonly: true });
    assert.equal(s.prepare('SELECT count(*) FROM documents').pluck().get(), 7);
    const ids = s.prepare('SELECT id FROM documents ORDER BY id').pluck().all();
    assert.deepEqual(ids, ['a0', 'a1', 'a2', 'a3', 'page', 'sub/b0', 'sub/b1']);
    assert.equal(s.prepare(`SELECT title FROM documents WHERE id = 'page'`).pluck().get(), 'Harbour news');
    s.close();
    const errs = cli(['errors', '--db', db], { cwd: dir });
    assert.equal(errs.code, 0);
    assert.match(errs.stdout, /broken\.txt: not valid UTF-8/);
    assert.match(errs.stdout, /empty\.txt: empty document/);
    const again = cli(['batch', docs, '--db', db], { cwd: dir });
    assert.equal(again.code, 3, again.stderr); // 3: some documents failed (whosaid batch --help)
    assert.match(again.stderr, /0 stored, 7 already stored, 2 errors/);
    const s2 = new Database(db, { readonly: true });
    assert.equal(s2.prepare('SELECT count(*) FROM documents').pluck().get(), 7);
    assert.equal(s2.prepare('SELECT count(*) FROM errors').pluck().get(), 2);
    s2.close();
  });

  it('a JSONL with bad lines records them and stores the rest (also from stdin)', () => {
    const texts = sampleTexts(4);
    const lines = jsonl([
      { id: 'j1', title: 'One', text: texts[0], outlet: 'Planet', published: '2024-03-01', url: 'https://planet.example/1' },
      '{"id": "j2", "text": ', // bad JSON
      { id: 'j3', text: '' }, // empty
      '',
      { id: 'j4', text: texts[1], url: 'https://www.bugle.example/x' },
      '[1, 2]',
      { id: 'j5', html: `<p>${texts[2]}</p>`, outlet: 'Planet' },
      { id: 'j6', title: 7, text: 'x' },
      { text: texts[3] },
    ]);
    const broken = Buffer.concat([Buffer.from(lines), Buffer.from('{"id": "j9", "text": "caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]);
    const file = join(dir, 'articles.jsonl');
    writeFileSync(file, broken);
    const db = join(dir, 'jsonl.db');
    const r = cli(['batch', file, '--db', db, '--workers', '1', '--no-progress'], { cwd: dir });
    assert.equal(r.code, 3, r.stderr); // 3: some documents failed (whosaid batch --help)
    assert.match(r.stderr, /: 4 stored, 0 already stored, 5 errors/);
    const errs = cli(['errors', '--db', db, '--json'], { cwd: dir });
    const list = JSON.parse(errs.stdout) as { locator: string; message: string }[];
    assert.deepEqual(
      list.map((e) => `${e.locator}: ${e.message.split(':')[0]}`).sort(),
      ['line 10: not valid UTF-8', 'line 2: bad JSON', 'line 3: empty document', 'line 6: not a JSON object', 'line 8: "title" must be a string'],
    );
    const s = new Database(db, { readonly: true });
    const rows = s.prepare(`SELECT id, outlet, published, url FROM documents ORDER BY id LIKE 'j%' DESC, id`).all() as { id: string; outlet: string | null }[];
    assert.equal(rows.length, 4);
    assert.deepEqual(rows.slice(0, 3), [
      { id: 'j1', outlet: 'Planet', published: '2024-03-01', url: 'https://planet.example/1' },
      { id: 'j4', outlet: 'bugle.example', published: null, url: 'https://www.bugle.example/x' },
      { id: 'j5', outlet: 'Planet', published: null, url: null },
    ]);
    assert.match(rows[3].id, /^[0-9a-f]{16}$/, 'an article without id is named by its hash');
    s.close();
    // The same articles on stdin: all already stored (stdin errors are keyed under "-").
    const again = cli(['batch', '-', '--db', db, '--no-progress'], { cwd: dir, input: lines });
    assert.equal(again.code, 3, again.stderr); // 3: some documents failed (whosaid batch --help)
    assert.match(again.stderr, /0 stored, 4 already stored, 4 errors/);
  });

  it('killed with kill -9 at any moment and resumed: every document stored exactly once', async () => {
    const texts = sampleTexts(40);
    const N = 400;
    const records = Array.from({ length: N }, (_, i) => ({ id: `k${i}`, text: texts[i % texts.length], outlet: `o${i % 3}` }));
    const file = join(dir, 'kill.jsonl');
    writeFileSync(file, jsonl(records));
    const db = join(dir, 'kill.db');
    const count = () => {
      try {
        const s = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return s.prepare('SELECT count(*) FROM documents').pluck().get() as number;
        } finally {
          s.close();
        }
      } catch {
        return 0;
      }
    };
    // Kill twice at different points, then let it finish.
    for (const atLeast of [1, 150]) {
      const child = spawn(process.execPath, ['--import', TSX, ENTRY, 'batch', file, '--db', db, '--workers', '2', '--batch-size', '7', '--no-progress'], {
        cwd: dir,
        stdio: 'ignore',
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      let done = false;
      child.once('exit', () => (done = true));
      while (!done && count() < atLeast) await sleep(20);
      child.kill('SIGKILL');
      await exited;
    }
    const before = count();
    assert.ok(before < N, `the runs were killed before the end (${before} of ${N} stored)`);
    const r = cli(['batch', file, '--db', db, '--no-progress'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`: ${N - before} stored, ${before} already stored, 0 errors`));
    const s = new Database(db, { readonly: true });
    assert.equal(s.prepare('SELECT count(*) FROM documents').pluck().get(), N);
    assert.equal(s.prepare('SELECT count(DISTINCT id) FROM documents').pluck().get(), N);
    assert.equal(
      s.prepare('SELECT count(*) FROM attributions').pluck().get(),
      s.prepare('SELECT coalesce(sum(n_attributions), 0) FROM documents').pluck().get(),
    );
    assert.equal(s.prepare('SELECT count(*) FROM attributions a LEFT JOIN documents d ON d.doc = a.doc WHERE d.doc IS NULL').pluck().get(), 0);
    assert.equal(s.prepare(`SELECT count(*) FROM attributions_fts`).pluck().get(), s.prepare('SELECT count(*) FROM attributions').pluck().get());
    assert.equal(s.prepare('SELECT count(*) FROM errors').pluck().get(), 0);
    s.close();
  });

  it('a locked SQLite file is a clear error, and nothing is written', () => {
    const texts = sampleTexts(3);
    const file = join(dir, 'locked.jsonl');
    writeFileSync(file, jsonl(texts.map((text, i) => ({ id: `l${i}`, text }))));
    const db = join(dir, 'locked.db');
    assert.equal(cli(['stats', '--db', db], { cwd: dir }).code, 1, 'no store yet');
    const holder = new Database(db);
    holder.exec('CREATE TABLE hold (x)');
    holder.exec('BEGIN EXCLUSIVE');
    try {
      const r = cli(['batch', file, '--db', db, '--no-progress'], { cwd: dir, env: { WHOSAID_SQLITE_BUSY_MS: '200' } });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^whosaid: the SQLite file .*locked\.db is locked by another process/m);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    const s = new Database(db, { readonly: true });
    const tables = s.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'documents'`).pluck().all();
    const n = tables.length ? (s.prepare('SELECT count(*) FROM documents').pluck().get() as number) : 0;
    s.close();
    assert.equal(n, 0);
  });

  it('refuses missing inputs and bad flags in one line', () => {
    const r = cli(['batch', join(dir, 'nope'), '--db', join(dir, 'x.db')], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^whosaid: .*nope: no such file or directory/m);
    const w = cli(['batch', dir, '--workers', '0', '--db', join(dir, 'x.db')], { cwd: dir });
    assert.equal(w.code, 1);
    assert.match(w.stderr, /--workers must be a whole number/);
  });
});

describe('whosaid batch (PostgreSQL)', () => {
  const schema = `whosaid_e2e_${randomBytes(6).toString('hex')}`;
  const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-batch-pg-'));
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  });

  it('stores a JSONL into PostgreSQL, resumes, and records bad lines', async () => {
    const texts = sampleTexts(12);
    const file = join(dir, 'pg.jsonl');
    writeFileSync(file, jsonl([...texts.map((text, i) => ({ id: `p${i}`, text, outlet: i % 2 ? 'Planet' : 'Bugle' })), 'not json']));
    const r = cli(['batch', file, '--db', url, '--workers', '2', '--batch-size', '5', '--no-progress'], { cwd: dir });
    assert.equal(r.code, 3, r.stderr); // 3: some documents failed (whosaid batch --help)
    assert.match(r.stderr, /: 12 stored, 0 already stored, 1 errors/);
    const again = cli(['batch', file, '--db', url, '--no-progress'], { cwd: dir });
    assert.match(again.stderr, /: 0 stored, 12 already stored, 1 errors/);
    const store = await openStore(url);
    try {
      assert.equal(await store.countDocuments(), 12);
      assert.equal((await store.errors()).length, 1);
      const stats = await store.stats();
      assert.deepEqual(stats.map((s) => [s.outlet, s.documents]).sort(), [['Bugle', 6], ['Planet', 6]]);
    } finally {
      await store.close();
    }
  });

  it('an unreachable PostgreSQL is a clear one-line error', () => {
    const file = join(dir, 'one.jsonl');
    writeFileSync(file, jsonl([{ id: 'x', text: 'He said so.' }]));
    const r = cli(['batch', file, '--db', 'postgres://postgres@127.0.0.1:1/test'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^whosaid: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test: connection refused$/m);
  });
});

describe('worker results for the writer', () => {
  it('passes rows through, and turns an error or a result without rows into a recorded error', () => {
    const prepared = prepareDocument({ hash: 'h1', analysis: analyze('"We are done," the minister said.'), text: null });
    assert.deepEqual(storeOutcome({ seq: 1, ok: true, prepared }), { prepared });
    assert.deepEqual(storeOutcome({ seq: 2, ok: false, error: 'empty document' }), { error: 'empty document' });
    const noRows = storeOutcome({ seq: 3, ok: true, analysis: analyze('Nothing here.') });
    assert.ok('error' in noRows && /no rows/.test(noRows.error));
  });
});
