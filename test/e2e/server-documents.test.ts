/**
 * Outlet filters and paging on both engines: GET /api/documents returns the filtered total (the outlet's
 * case ignored), search matches an outlet whatever its case, and speakers page with an offset.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { buildServer } from '../../src/server/app.js';
import { contentHash, openStore, type Store } from '../../src/store/index.js';
import { SAMPLE_TEXT, sampleAnalysis } from '../fixtures/report-sample.js';

const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const SCHEMA = `whosaid_test_${randomBytes(6).toString('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'whosaid-docs-'));
const engines: [string, string][] = [
  ['SQLite', join(dir, 'c.db')],
  ['PostgreSQL', `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${SCHEMA}`],
];

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${SCHEMA}" CASCADE`);
  await c.end();
});

for (const [engine, location] of engines) {
  describe(`outlet filters and paging (${engine})`, () => {
    let store: Store;
    let app: ReturnType<typeof buildServer>;
    before(async () => {
      store = await openStore(location);
      const outlets = ['Wire', 'Wire', 'Wire', 'Bugle', 'Planet'];
      await store.addAnalyses(
        outlets.map((outlet, i) => {
          const a = sampleAnalysis();
          a.document.id = `d${i}`;
          return { hash: contentHash(`${SAMPLE_TEXT} ${i}`, `d${i}`), analysis: a, text: SAMPLE_TEXT, meta: { outlet } };
        }),
      );
      app = buildServer({ store });
    });
    after(async () => {
      await app.close();
      await store.close();
    });

    it('the documents API returns the filtered total, not the store total', async () => {
      assert.equal((await app.inject('/api/documents')).json().total, 5);
      const wire = (await app.inject('/api/documents?outlet=wire&limit=2')).json();
      assert.equal(wire.total, 3);
      assert.equal(wire.documents.length, 2);
      for (const d of wire.documents) assert.equal(d.outlet, 'Wire');
      assert.equal((await app.inject('/api/documents?outlet=Nowhere')).json().total, 0);
    });

    it('search matches the outlet whatever its case', async () => {
      const hits = await store.search({ outlet: 'BUGLE', limit: 100 });
      assert.ok(hits.length > 0);
      for (const h of hits) assert.equal(h.document.outlet, 'Bugle');
    });

    it('speakers page with an offset', async () => {
      const all = (await store.speakers({ limit: 100 })).map((s) => s.id);
      assert.ok(all.length >= 2, `${all.length} speakers`);
      assert.deepEqual((await store.speakers({ limit: 1, offset: 1 })).map((s) => s.id), all.slice(1, 2));
      assert.deepEqual(await store.speakers({ offset: all.length }), []);
    });
  });
}
