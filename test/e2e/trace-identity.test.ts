/**
 * Documents are occurrences: the same text under two file names is two documents, analysed once; re-runs
 * store nothing twice; a store written before occurrences (old schema, old keys) upgrades, keeps its
 * data, and a re-run over the same input recognises what it holds. SQLite and PostgreSQL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { analyze } from '../../src/index.js';
import { runBatch, keysOf } from '../../src/corpus/batch.js';
import { contentHash, openStore, prepareDocument, type Store } from '../../src/store/index.js';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import { migrations as pgMigrations } from '../../src/store/postgres/migrations.js';
import { traceText, widestTraces } from '../../src/trace/index.js';

const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

const WIRE = 'Port strike ends\n\n"We are finished here and the cranes will stay idle until Friday," Capt. Maria Okonkwo-Hale said on Monday. The union said the talks had collapsed.';
const OTHER = 'Budget vote\n\nThe minister said the budget would pass on Friday, officials said.';

function writeInputs(dir: string): string {
  const input = join(dir, 'in');
  mkdirSync(input, { recursive: true });
  writeFileSync(join(input, 'a.txt'), WIRE);
  writeFileSync(join(input, 'b.txt'), WIRE); // the same bytes under another name: republished
  writeFileSync(join(input, 'c.txt'), OTHER);
  return input;
}

/** The rows the old code stored for input/a.txt: keyed by its bytes alone (id-less content hash). */
function oldRow(input: string) {
  const bytes = readFileSync(join(input, 'a.txt'));
  const p = prepareDocument({ hash: contentHash(bytes, null), analysis: analyze(WIRE, { id: 'a' }), text: WIRE, meta: { input, locator: 'a.txt' } });
  return p;
}

interface Engine {
  name: string;
  /** A store location holding the old schema with one document stored by the old code. */
  oldStore(input: string): Promise<string>;
  fresh(): Promise<string>;
  cleanup(): Promise<void>;
}

const engines: Engine[] = [
  (() => {
    let dir = '';
    let n = 0;
    return {
      name: 'sqlite',
      async fresh() {
        dir ||= mkdtempSync(join(tmpdir(), 'whosaid-occ-'));
        return join(dir, `s${n++}.db`);
      },
      async oldStore(input: string) {
        const path = await this.fresh();
        const db = new Database(path);
        db.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
        for (const m of sqliteMigrations.slice(0, 2)) {
          db.exec(m.sql);
          db.prepare(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01')`).run(m.version, m.name);
        }
        const p = oldRow(input);
        db.prepare(`INSERT INTO documents (doc, hash, id, title, input, locator, chars, text, analysis, n_attributions, n_anonymous, n_direct, added_at)
          VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, '2026-01-01')`).run(p.hash, p.id, p.title, p.input, p.locator, p.chars, p.text, p.analysisJson, p.nAttributions);
        for (const a of p.attributions) {
          db.prepare(`INSERT INTO attributions (doc, attr_id, ord, kind, cue_text, content_text, content_spans, anonymous, hedged, confidence)
            VALUES (1, ?, ?, ?, ?, ?, ?, 0, 0, ?)`).run(a.attrId, a.ord, a.kind, a.cueText, a.contentText, a.contentSpans, a.confidence);
        }
        // Schema 2 indexes words per transaction, as the old addPrepared did.
        db.exec(`INSERT INTO attributions_fts (rowid, content_text, source_text) SELECT rid, content_text, source_text FROM attributions`);
        db.close();
        return path;
      },
      async cleanup() {
        if (dir) rmSync(dir, { recursive: true, force: true });
      },
    };
  })(),
  (() => {
    const schemas: string[] = [];
    const fresh = async () => {
      const schema = `occ_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    };
    return {
      name: 'postgres',
      fresh,
      async oldStore(input: string) {
        const location = await fresh();
        const schema = schemas[schemas.length - 1];
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        try {
          await c.query(`CREATE SCHEMA "${schema}"; SET search_path = "${schema}"`);
          await c.query(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
          await c.query(pgMigrations[0].sql);
          await c.query(`INSERT INTO schema_migrations VALUES (1, $1, '2026-01-01')`, [pgMigrations[0].name]);
          const p = oldRow(input);
          await c.query(
            `INSERT INTO documents (doc, hash, id, title, input, locator, chars, text, analysis, n_attributions, n_anonymous, n_direct, added_at)
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, 0, 0, '2026-01-01')`,
            [p.hash, p.id, p.title, p.input, p.locator, p.chars, p.text, p.analysisJson, p.nAttributions],
          );
          await c.query(`SELECT setval('documents_doc_seq', 1)`);
          for (const a of p.attributions) {
            await c.query(
              `INSERT INTO attributions (doc, attr_id, ord, kind, cue_text, content_text, content_spans, anonymous, hedged, confidence, search)
               VALUES (1, $1, $2, $3, $4, $5, $6, false, false, $7, to_tsvector('simple', $5))`,
              [a.attrId, a.ord, a.kind, a.cueText, a.contentText, a.contentSpans, a.confidence],
            );
          }
        } finally {
          await c.end();
        }
        return location;
      },
      async cleanup() {
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        for (const s of schemas) await c.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
        await c.end();
      },
    };
  })(),
];

async function ids(store: Store): Promise<string[]> {
  return (await store.listDocuments({ limit: 100 })).map((d) => d.id).sort();
}

for (const engine of engines) {
  describe(`documents are occurrences (${engine.name})`, () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'whosaid-occ-in-'));
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await engine.cleanup();
    });

    it('the same text under two file names is two documents, analysed once; a re-run stores nothing', async () => {
      const input = writeInputs(join(dir, 'fresh'));
      const store = await openStore(await engine.fresh());
      try {
        const first = await runBatch(store, [input], { workers: 1 });
        assert.equal(first.stored, 3);
        assert.equal(first.reused, 1, 'the second copy reuses the first one’s analysis');
        assert.deepEqual(await ids(store), ['a', 'b', 'c']);
        const a = await store.getDocument('a');
        const b = await store.getDocument('b');
        assert.equal(b?.document.id, 'b');
        assert.deepEqual(b?.attributions, a?.attributions);
        assert.ok((a?.attributions.length ?? 0) > 0);
        const again = await runBatch(store, [input], { workers: 1 });
        assert.deepEqual([again.stored, again.skipped, again.reused], [0, 3, 0]);
        assert.equal(await store.countDocuments(), 3);
      } finally {
        await store.close();
      }
    });

    it('an old-schema store upgrades, keeps its data, and a re-run recognises what it holds', async () => {
      const input = writeInputs(join(dir, 'old'));
      const location = await engine.oldStore(input);
      const store = await openStore(location);
      try {
        assert.deepEqual(await ids(store), ['a']);
        const kept = await store.getDocument('a');
        assert.ok(kept && kept.attributions.length > 0, 'the stored analysis is kept');
        assert.equal((await store.search({ text: 'finished here' })).length, 1, 'its attributions are kept');
        // Re-keyed as batch keys it now.
        const key = keysOf({ input, locator: 'a.txt', bytesRead: 0, id: 'a', bytes: readFileSync(join(input, 'a.txt')), ext: '.txt' }).hash;
        assert.equal((await store.hasHashes([key])).size, 1);
        const r = await runBatch(store, [input], { workers: 1 });
        assert.deepEqual([r.stored, r.skipped], [2, 1], 'a.txt is recognised; b.txt (lost before) and c.txt are stored');
        assert.equal(r.reused, 1, 'b.txt reuses a.txt’s stored analysis');
        assert.deepEqual(await ids(store), ['a', 'b', 'c']);
        assert.equal((await store.search({ text: 'finished here' })).length, 2);
        // The document stored before the quote index existed was indexed on opening: its quote and the
        // republished copy are one trace, rooted at the old document.
        const t = await traceText(store, 'we are finished here and the cranes will stay idle');
        assert.deepEqual(t.occurrences.map((o) => o.document.id).sort(), ['a', 'b']);
        const [top] = await widestTraces(store);
        assert.equal(top?.root?.document.id, 'a');
        assert.equal(top?.documents, 2);
      } finally {
        await store.close();
      }
    });
  });
}
