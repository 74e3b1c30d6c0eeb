/**
 * One suite, two engines: every case runs against SQLite (a temp file) and PostgreSQL (a random schema in
 * the `test` database at 127.0.0.1:5432, dropped afterwards; override with WHOSAID_TEST_PG).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { contentHash, openStore, StoreError, type Store, type StoreInput } from '../../src/store/index.js';
import type { Analysis, Attribution, Entity } from '../../src/core/types.js';
import { analyze } from '../../src/index.js';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import { migrations as pgMigrations } from '../../src/store/postgres/migrations.js';
import { PG_URL, pgSchema } from '../fixtures/pg-schema.js';


let seq = 0;
function attr(p: Partial<Attribution> & { content: string; source?: string | null }): Attribution {
  seq++;
  const { content, source, ...rest } = p;
  return {
    id: `a${seq}`,
    source: source ? { text: source, spans: [[0, source.length]] } : null,
    cue: { text: 'said', spans: [[0, 4]] },
    content: { text: content, spans: [[10, 10 + content.length]] },
    kind: 'indirect',
    speaker: null,
    via: [],
    parent: null,
    hedged: false,
    confidence: 0.9,
    ...rest,
  };
}

function analysis(id: string, title: string, attributions: Attribution[], entities: Entity[] = []): Analysis {
  return {
    schema: 'whosaid/1',
    document: { id, title, chars: 1000 },
    attributions,
    entities,
    profile: { attributions: attributions.length, speakers: entities.length, named: 0, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
}

function item(a: Analysis, meta: StoreInput['meta'] = {}): StoreInput {
  const text = `text of ${a.document.id}`;
  return { hash: contentHash(text, a.document.id), analysis: a, text, meta };
}

const okonkwo: Entity = {
  id: 'e1', name: 'Maria Okonkwo-Hale', type: 'person', anonymous: false,
  aliases: ['Capt. Maria Okonkwo-Hale', 'Okonkwo-Hale'], descriptors: ['head of the port authority'], mentions: [[0, 5]],
};
const jose: Entity = { id: 'e2', name: 'José Núñez', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [] };
const anon: Entity = { id: 'e3', name: 'a senior official', type: 'anonymous', anonymous: true, aliases: [], descriptors: [], mentions: [] };

function fixtures(): StoreInput[] {
  seq = 0;
  return [
    item(
      analysis('doc-1', 'Port strike over?', [
        attr({ content: '"We are finished here," the strike is over', source: 'Capt. Maria Okonkwo-Hale', speaker: 'e1', kind: 'direct' }),
        attr({ content: 'talks would resume on Monday', source: 'a senior official', speaker: 'e3' }),
        attr({ content: 'the port is reportedly closed', source: null, hedged: true }),
      ], [okonkwo, anon]),
      { outlet: 'Daily Planet', published: '2024-03-01', url: 'https://planet.example/1' },
    ),
    item(
      analysis('doc-2', 'Núñez speaks', [
        attr({ content: 'prices will fall 50% by "next year"; DROP TABLE documents', source: 'José Núñez', speaker: 'e2', kind: 'direct' }),
        attr({ content: 'the union SELECT * FROM members is angry', source: 'Okonkwo-Hale', speaker: 'e1' }),
      ], [{ ...jose }, { ...okonkwo, aliases: ['Okonkwo-Hale'] }]),
      { outlet: 'The Bugle', published: '2024-03-15T10:00:00.000Z' },
    ),
    item(
      analysis('doc-3', null as unknown as string, [
        attr({ content: 'the election was stolen', source: 'Senator Bob Smith' }),
        attr({ content: 'nobody knows the "truth" OR the facts', source: 'officials' }),
        attr({ content: 'it is fine', source: 'he' }),
      ]),
      { outlet: 'Daily Planet', published: '2024-04-02' },
    ),
  ];
}

const engines: { name: string; open: () => Promise<{ store: Store; cleanup: () => Promise<void>; location: string }> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'whosaid-store-'));
      const location = join(dir, 'test.db');
      const store = await openStore(location);
      return { store, location, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const { location, drop } = pgSchema('whosaid_test');
      return { store: await openStore(location), location, cleanup: drop };
    },
  },
];

for (const engine of engines) {
  describe(`store (${engine.name})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    let location: string;
    const items = fixtures();

    before(async () => {
      ({ store, cleanup, location } = await engine.open());
    });
    after(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('adds a batch in one transaction and skips what is stored', async () => {
      assert.deepEqual(await store.addAnalyses(items), { inserted: 3, skipped: 0 });
      assert.deepEqual(await store.addAnalyses([items[0], items[1]]), { inserted: 0, skipped: 2 });
      assert.equal(await store.countDocuments(), 3);
      assert.equal(await store.countAttributions(), 8);
      const has = await store.hasHashes([items[0].hash, 'f'.repeat(64)]);
      assert.deepEqual([...has], [items[0].hash]);
    });

    it('a batch that fails stores nothing', async () => {
      seq = 100;
      const dupIds = analysis('doc-bad', 'bad', [attr({ content: 'x' }), attr({ content: 'y' })]);
      dupIds.attributions[1].id = dupIds.attributions[0].id; // violates the (doc, attr_id) key
      const fine = item(analysis('doc-fine', 'fine', [attr({ content: 'fine words' })]));
      await assert.rejects(store.addAnalyses([fine, item(dupIds)]));
      assert.equal(await store.countDocuments(), 3);
      assert.equal((await store.hasHashes([fine.hash])).size, 0);
      assert.equal((await store.search({ text: 'fine words' })).length, 0);
    });

    it('gives back the whosaid/1 analysis with its metadata', async () => {
      const a = await store.getDocument('doc-1');
      assert.ok(a);
      assert.equal(a.schema, 'whosaid/1');
      assert.equal(a.document.id, 'doc-1');
      assert.equal(a.document.outlet, 'Daily Planet');
      assert.equal(a.document.published, '2024-03-01');
      assert.equal(a.document.text, 'text of doc-1');
      assert.deepEqual(a.attributions, items[0].analysis.attributions);
      assert.deepEqual(a.entities, items[0].analysis.entities);
      const byHash = await store.getDocument(items[1].hash);
      assert.equal(byHash?.document.id, 'doc-2');
      assert.equal(await store.getDocument('nope'), null);
      const list = await store.listDocuments({ limit: 2 });
      assert.equal(list.length, 2);
      assert.deepEqual((await store.listDocuments({ outlet: 'The Bugle' })).map((d) => d.id), ['doc-2']);
    });

    it('finds a speaker through entities, aliases, diacritics and source text', async () => {
      const okon = await store.search({ speaker: 'okonkwo hale' });
      assert.deepEqual(okon.map((h) => h.document.id).sort(), ['doc-1', 'doc-2']);
      assert.equal(okon[0].attribution.speaker?.name, 'Maria Okonkwo-Hale');
      assert.deepEqual((await store.search({ speaker: 'Capt. Maria Okonkwo-Hale' })).length, 2);
      const jose1 = await store.search({ speaker: 'jose nunez' });
      assert.equal(jose1.length, 1);
      assert.equal(jose1[0].attribution.speaker?.name, 'José Núñez');
      assert.equal((await store.search({ speaker: 'NÚÑEZ' })).length, 1);
      // Unresolved speakers fall back to the source text.
      const smith = await store.search({ speaker: 'bob smith' });
      assert.equal(smith.length, 1);
      assert.equal(smith[0].attribution.content, 'the election was stolen');
      assert.equal(smith[0].attribution.speaker?.type, 'unresolved');
      // Whole words only; pronouns are nobody.
      assert.equal((await store.search({ speaker: 'smit' })).length, 0);
      assert.equal((await store.search({ speaker: 'he' })).length, 0);
    });

    it('treats quotes, %, ;, SQL keywords and FTS syntax as plain words', async () => {
      assert.equal((await store.search({ text: '50%' })).length, 1);
      assert.equal((await store.search({ speaker: '%' })).length, 0);
      assert.equal((await store.search({ speaker: "'; DROP TABLE speakers; --" })).length, 0);
      assert.equal((await store.search({ text: '"next year"; DROP TABLE documents' })).length, 1);
      assert.equal((await store.search({ text: 'SELECT * FROM members' })).length, 1);
      assert.equal((await store.search({ text: '"truth" OR' })).length, 1);
      assert.equal((await store.search({ text: 'truth NEAR facts' })).length, 0);
      assert.equal((await store.search({ text: 'content_text:truth' })).length, 0);
      assert.equal((await store.search({ text: '-truth (facts' })).length, 1);
      assert.equal((await store.search({ text: 'stol*' })).length, 0);
      assert.equal((await store.search({ text: '""' })).length, 0);
      assert.equal((await store.search({ text: "O'Malley's" })).length, 0);
      assert.equal(await store.countDocuments(), 3);
    });

    it('filters by words, outlet, anonymity and dates', async () => {
      const strike = await store.search({ text: 'strike' });
      assert.equal(strike.length, 1);
      assert.equal(strike[0].document.title, 'Port strike over?');
      assert.equal(strike[0].attribution.kind, 'direct');
      assert.equal((await store.search({ text: 'STRIKE Finished' })).length, 1);
      assert.equal((await store.search({ text: 'strike', outlet: 'The Bugle' })).length, 0);
      assert.equal((await store.search({ outlet: 'Daily Planet' })).length, 6);
      const anonHits = await store.search({ anonymous: true });
      assert.deepEqual(anonHits.map((h) => h.attribution.source).sort(), ['a senior official', 'officials']);
      assert.equal((await store.search({ since: '2024-03-02' })).length, 5);
      assert.equal((await store.search({ until: '2024-03-15' })).length, 5);
      assert.equal((await store.search({ since: '2024-03-15', until: '2024-03-15' })).length, 2);
      assert.equal((await store.search({ limit: 2 })).length, 2);
      assert.equal((await store.search({ limit: 2, offset: 7 })).length, 1);
    });

    it('lists speakers with their outlets, and one speaker in full', async () => {
      const top = await store.speakers();
      assert.equal(top[0].name, 'Maria Okonkwo-Hale');
      assert.equal(top[0].attributions, 2);
      assert.equal(top[0].documents, 2);
      assert.deepEqual(top[0].outlets.map((o) => o.outlet).sort(), ['Daily Planet', 'The Bugle']);
      assert.ok(!top.some((s) => s.name === 'he'));
      const people = await store.speakers({ type: 'person' });
      assert.deepEqual(people.map((s) => s.name).sort(), ['José Núñez', 'Maria Okonkwo-Hale']);
      const one = await store.speaker(top[0].id);
      assert.ok(one);
      // Aliases are names: the title of "Capt. Maria Okonkwo-Hale" is not one.
      assert.deepEqual(one.aliases, ['okonkwo hale']);
      assert.deepEqual(one.descriptors, [{ descriptor: 'head of the port authority', documents: 2 }]);
      assert.equal(one.role, 'official');
      assert.equal(one.scope, 'corpus');
      assert.equal(one.recent.length, 2);
      assert.equal(await store.speaker(999999), null);
    });

    it('gives per-outlet figures', async () => {
      const st = await store.stats();
      const planet = st.find((s) => s.outlet === 'Daily Planet')!;
      assert.equal(planet.documents, 2);
      assert.equal(planet.attributions, 6);
      assert.equal(planet.attributionsPerDocument, 3);
      assert.equal(planet.anonymousShare, 2 / 6);
      assert.equal(planet.directShare, 1 / 6);
    });

    it('records errors once per (input, locator)', async () => {
      await store.recordErrors([{ input: 'a.jsonl', locator: 'line 3', message: 'bad JSON' }]);
      await store.recordErrors([
        { input: 'a.jsonl', locator: 'line 3', message: 'bad JSON again' },
        { input: 'dir', locator: 'x.txt', message: 'empty document' },
      ]);
      const errs = await store.errors();
      assert.equal(errs.length, 2);
      assert.equal(errs.find((e) => e.locator === 'line 3')?.message, 'bad JSON again');
      await store.clearErrors([{ input: 'dir', locator: 'x.txt' }]);
      assert.equal((await store.errors()).length, 1);
    });

    it('exports every document, page by page', async () => {
      const ids: string[] = [];
      for await (const d of store.exportDocuments({ pageSize: 2 })) {
        ids.push(d.summary.id);
        assert.equal(d.text, `text of ${d.summary.id}`);
        assert.equal(d.analysis.schema, 'whosaid/1');
      }
      assert.deepEqual(ids.sort(), ['doc-1', 'doc-2', 'doc-3']);
    });

    it('stores a real analysis', async () => {
      const text = 'Port talks\n\n"We are finished here," Capt. Maria Okonkwo-Hale said on Monday. Officials said the port would reopen.';
      const a = analyze(text, { id: 'real' });
      const r = await store.addAnalyses([{ hash: contentHash(text, 'real'), analysis: a, text }]);
      assert.equal(r.inserted, 1);
      const back = await store.getDocument('real');
      assert.deepEqual(back?.attributions, a.attributions);
    });

    it('reopens an existing store (migrations are idempotent)', async () => {
      const again = await openStore(location);
      assert.equal(await again.countDocuments(), await store.countDocuments());
      await again.close();
    });
  });
}

/**
 * The corpus views' speaker rollups (speaker_totals, speaker_counts) against a direct count over the
 * stored attributions (store.speakers counts attributions JOIN speakers; its outlets likewise).
 */
async function assertSpeakerRollupsMatch(store: Store): Promise<void> {
  const direct = await store.speakers({ limit: 10_000 });
  const views = await store.views.speakers({ limit: 10_000 });
  const key = (r: { id: number; attributions: number; documents: number }) => `${r.id}:${r.attributions}:${r.documents}`;
  assert.deepEqual(views.items.map(key).sort(), direct.map(key).sort());
  assert.equal(views.total, direct.length);
  // Per outlet (speaker_counts): what views list for an outlet is what the attributions say.
  const outlets = new Set(direct.flatMap((s) => s.outlets.map((o) => o.outlet)).filter((o): o is string => o !== null));
  for (const outlet of outlets) {
    const expected = direct.flatMap((s) => s.outlets.filter((o) => o.outlet === outlet).map((o) => `${s.id}:${o.attributions}`));
    const got = (await store.views.speakers({ outlet, limit: 10_000 })).items.map((r) => `${r.id}:${r.attributions}`);
    assert.deepEqual(got.sort(), expected.sort(), outlet);
  }
}

for (const engine of engines) {
  describe(`speaker rollups follow identity (${engine.name})`, () => {
    it('after a batch that relinks a bare surname to a corpus person, the views count what is stored', async () => {
      const { store, cleanup } = await engine.open();
      const doc = (text: string, id: string, outlet: string, published: string): StoreInput =>
        ({ hash: contentHash(text, id), analysis: analyze(text, { id }), text, meta: { outlet, published } });
      try {
        // First batch: only a bare "Obama", kept to its article (no corpus person of that surname yet).
        await store.addAnalyses([doc('Speech\n\nObama said the economy had recovered. "We are better off," Obama said.', 'bare', 'Planet', '2024-01-05')]);
        const before = (await store.views.speakers({ limit: 100 })).items.filter((s) => s.name === 'Obama');
        assert.equal(before.length, 1);
        assert.equal(before[0].scope, 'document');
        const bareAttributions = before[0].attributions;
        assert.ok(bareAttributions >= 1);
        await assertSpeakerRollupsMatch(store);
        // Second batch: Barack Obama enters the corpus; the bare surname's attributions move to him.
        await store.addAnalyses([0, 1, 2].map((i) =>
          doc(`Rally ${i}\n\nBarack Obama said on day ${i} that the deal was good.`, `full-${i}`, i ? 'Bugle' : 'Planet', `2024-02-0${i + 1}`)));
        const direct = await store.speakers({ limit: 100 });
        assert.equal(direct.filter((s) => s.name === 'Obama').length, 0, 'the bare surname was relinked');
        const views = (await store.views.speakers({ limit: 100 })).items;
        assert.equal(views.filter((s) => s.name === 'Obama').length, 0);
        const obama = views.find((s) => s.name === 'Barack Obama');
        assert.ok(obama);
        assert.deepEqual([obama.attributions, obama.documents], [bareAttributions + 3, 4]);
        await assertSpeakerRollupsMatch(store);
        // The filtered (per outlet and month) views agree as well.
        const january = (await store.views.speakers({ since: '2024-01-01', until: '2024-01-31' })).items;
        assert.deepEqual(january.map((s) => [s.name, s.attributions]), [['Barack Obama', bareAttributions]]);
      } finally {
        await store.close();
        await cleanup();
      }
    });
  });
}

describe('store upgrades (sqlite)', () => {
  it('a schema-1 store keeps its word index and indexes what is added after the upgrade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-upgrade-'));
    const path = join(dir, 'old.db');
    try {
      // A store as schema 1 left it: rows indexed by the per-row trigger.
      const old = new Database(path);
      old.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      old.exec(sqliteMigrations[0].sql);
      old.prepare(`INSERT INTO schema_migrations VALUES (1, 'v1', '2026-01-01')`).run();
      old.prepare(`INSERT INTO documents (doc, hash, id, chars, analysis, n_attributions, n_anonymous, n_direct, added_at)
        VALUES (1, 'h-old', 'old-doc', 10, ?, 1, 0, 0, '2026-01-01')`).run(JSON.stringify(analysis('old-doc', 'old', [])));
      old.prepare(`INSERT INTO attributions (doc, attr_id, ord, kind, cue_text, content_text, content_spans, anonymous, hedged, confidence)
        VALUES (1, 'a1', 0, 'indirect', 'said', 'the harbour pilots walked out', '[]', 0, 0, 0.9)`).run();
      old.close();

      const store = await openStore(path);
      assert.equal((await store.search({ text: 'harbour pilots' })).length, 1);
      assert.deepEqual(await store.addAnalyses(fixtures()), { inserted: 3, skipped: 0 });
      assert.equal((await store.search({ text: 'harbour pilots' })).length, 1);
      assert.deepEqual((await store.search({ text: 'talks resume' })).map((h) => h.document.id), ['doc-1']);
      assert.equal((await store.search({ text: 'election stolen' })).length, 1);
      // Every attribution is in the word index exactly once.
      const db = new Database(path, { readonly: true });
      const [n, indexed] = [db.prepare(`SELECT count(*) FROM attributions`).pluck().get(), db.prepare(`SELECT count(*) FROM attributions_fts`).pluck().get()];
      db.close();
      assert.equal(n, 9);
      assert.equal(indexed, 9);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Old stores as the migrations before speaker identity left them: speakers keyed by their written name
 * ("Donald J. Trump" apart from "Donald Trump", "I" a speaker). Opening one rebuilds its speakers from
 * the stored analyses.
 */
const OLD_TEXTS = [
  'Wall vow\n\nDonald J. Trump said on Monday that the wall would be built. "We will build it," Mr. Trump said.',
  'Rally\n\nDonald Trump told reporters that the polls were rigged.',
  'Diary\n\n"I will stay," I said. The company said profits fell.',
];

/** Rows as the old write path made them, as SQL statements with "?" placeholders and their values. */
function oldRows(): { doc: unknown[]; speakers: string[]; attrs: unknown[][] }[] {
  return OLD_TEXTS.map((text, i) => {
    const a = analyze(text, { id: `old-${i}` });
    const { text: _t, ...docInfo } = a.document;
    void _t;
    const speakers: string[] = [];
    const attrs = a.attributions.map((at, ord) => {
      const ent = a.entities.find((e) => e.id === at.speaker);
      const name = ent?.name ?? at.source?.text ?? null;
      if (name && !speakers.includes(name)) speakers.push(name);
      return [at.id, ord, at.kind, at.source?.text ?? null, at.cue.text, at.content.text, JSON.stringify(at.content.spans), at.speaker, name];
    });
    return {
      doc: [contentHash(text, `old-${i}`), `old-${i}`, text.length, text, JSON.stringify({ ...a, document: docInfo }), a.attributions.length],
      speakers,
      attrs,
    };
  });
}

async function checkUpgraded(store: Store): Promise<void> {
  // The corpus views' speaker rollups were refilled from the rebuilt speakers.
  await assertSpeakerRollupsMatch(store);
  assert.ok((await store.views.speakers({})).items.some((s) => s.name === 'Donald Trump'));
  const all = await store.speakers({ limit: 100 });
  assert.equal(all.filter((s) => /trump/i.test(s.name)).length, 1, all.map((s) => s.name).join(', '));
  const trump = all.find((s) => s.name === 'Donald Trump');
  assert.ok(trump);
  assert.equal(trump.documents, 2);
  assert.equal(trump.gender, 'male');
  assert.ok(!all.some((s) => ['I', 'i', 'The company', 'the company'].includes(s.name)));
  // What is added after the upgrade joins the rebuilt speakers.
  const text = 'Later\n\nDonald Trump said the deal was done.';
  await store.addAnalyses([{ hash: contentHash(text, 'new'), analysis: analyze(text, { id: 'new' }), text }]);
  const after = (await store.speakers({ limit: 100 })).filter((s) => /trump/i.test(s.name));
  assert.equal(after.length, 1);
  assert.equal(after[0].documents, 3);
  await assertSpeakerRollupsMatch(store);
}

describe('store upgrades to speaker identity', () => {
  it('sqlite: a schema-2 store gets its speakers rebuilt from the stored analyses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-upgrade-'));
    const path = join(dir, 'old.db');
    try {
      const old = new Database(path);
      old.exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      for (const m of sqliteMigrations.filter((m) => m.version <= 2)) {
        old.exec(m.sql);
        old.prepare(`INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01')`).run(m.version, m.name);
      }
      for (const r of oldRows()) {
        const doc = old.prepare(`INSERT INTO documents (hash, id, chars, text, analysis, n_attributions, n_anonymous, n_direct, added_at)
          VALUES (?, ?, ?, ?, ?, ?, 0, 0, '2026-01-01')`).run(...r.doc).lastInsertRowid;
        for (const name of r.speakers) {
          old.prepare(`INSERT OR IGNORE INTO speakers (norm, type, name, padded) VALUES (?, 'person', ?, ?)`).run(name.toLowerCase(), name, ` ${name.toLowerCase()} `);
        }
        for (const [id, ord, kind, source, cue, content, spans, entity, name] of r.attrs) {
          old.prepare(`INSERT INTO attributions (doc, attr_id, ord, kind, source_text, cue_text, content_text, content_spans, entity_id, speaker_id, anonymous, hedged, confidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT id FROM speakers WHERE norm = ?), 0, 0, 0.9)`)
            .run(doc, id, ord, kind, source, cue, content, spans, entity, name === null ? null : String(name).toLowerCase());
        }
      }
      assert.ok((old.prepare(`SELECT count(*) FROM speakers WHERE name = 'I'`).pluck().get() as number) === 1);
      old.close();
      const store = await openStore(path);
      await checkUpgraded(store);
      await store.close();
      // Rebuilt once: a second open finds nothing pending.
      const db = new Database(path, { readonly: true });
      assert.equal(db.prepare(`SELECT count(*) FROM identity_rebuild`).pluck().get(), 0);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('postgres: a schema-1 store gets its speakers rebuilt from the stored analyses', async () => {
    const schema = `whosaid_test_${randomBytes(6).toString('hex')}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA "${schema}"`);
      await c.query(`SET search_path = "${schema}"`);
      await c.query(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      await c.query(pgMigrations[0].sql);
      await c.query(`INSERT INTO schema_migrations VALUES (1, $1, '2026-01-01')`, [pgMigrations[0].name]);
      for (const r of oldRows()) {
        const doc = (await c.query(`INSERT INTO documents (hash, id, chars, text, analysis, n_attributions, n_anonymous, n_direct, added_at)
          VALUES ($1, $2, $3, $4, $5, $6, 0, 0, '2026-01-01') RETURNING doc`, r.doc)).rows[0].doc;
        for (const name of r.speakers) {
          await c.query(`INSERT INTO speakers (norm, type, name, padded) VALUES ($1, 'person', $2, $3) ON CONFLICT DO NOTHING`, [name.toLowerCase(), name, ` ${name.toLowerCase()} `]);
        }
        for (const [id, ord, kind, source, cue, content, spans, entity, name] of r.attrs) {
          await c.query(`INSERT INTO attributions (doc, attr_id, ord, kind, source_text, cue_text, content_text, content_spans, entity_id, speaker_id, anonymous, hedged, confidence, search)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, (SELECT id FROM speakers WHERE norm = $10), false, false, 0.9, to_tsvector('simple', $7))`,
            [doc, id, ord, kind, source, cue, content, spans, entity, name === null ? null : String(name).toLowerCase()]);
        }
      }
      const store = await openStore(`${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`);
      try {
        await checkUpgraded(store);
      } finally {
        await store.close();
      }
    } finally {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });
});

/**
 * Stores written under the first identity rules (SQLite 7 / PostgreSQL 6) are re-derived under the
 * current ones on open: a place the speakers stage typed as a person ("New Hampshire" in two articles)
 * was one corpus person; now it is a speaker of each article.
 */
function placeAsPerson(i: number): StoreInput {
  const text = `New Hampshire said the primary would be close, report ${i}.`;
  const e: Entity = { id: 'e1', name: 'New Hampshire', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [[0, 13]] };
  const at: Attribution = {
    id: 'a1', source: { text: 'New Hampshire', spans: [[0, 13]] }, cue: { text: 'said', spans: [[14, 18]] },
    content: { text: 'the primary would be close', spans: [[19, 45]] }, kind: 'indirect', speaker: 'e1', via: [], parent: null, hedged: false, confidence: 0.9,
  };
  const analysis: Analysis = {
    schema: 'whosaid/1', document: { id: `nh-${i}`, title: null, chars: text.length }, attributions: [at], entities: [e],
    profile: { attributions: 1, speakers: 1, named: 1, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
  return { hash: contentHash(text, `nh-${i}`), analysis, text, meta: { outlet: 'Planet', published: `2024-0${i + 1}-01` } };
}

async function checkRederived(store: Store): Promise<void> {
  const nh = (await store.speakers({ limit: 100 })).filter((s) => s.name === 'New Hampshire');
  assert.deepEqual(nh.map((s) => [s.scope, s.documents]), [['document', 1], ['document', 1]]);
  assert.ok(!(await store.speakers({ limit: 100 })).some((s) => s.name === 'Stale'));
  await assertSpeakerRollupsMatch(store);
  const f = await store.views.figures({ quoted: true });
  assert.equal(f.total.quoted?.speakers, 2);
}

describe('store upgrades to the current identity rules', () => {
  it('sqlite: a store from before the re-derivation step re-derives its speakers on open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-rekey-'));
    const path = join(dir, 'x.db');
    try {
      const store = await openStore(path);
      await store.addAnalyses([placeAsPerson(0), placeAsPerson(1)]);
      await store.close();
      // As the first rules left it: one corpus speaker for both, and the re-derivation step not applied.
      const raw = new Database(path);
      const ids = raw.prepare(`SELECT id FROM speakers WHERE name = 'New Hampshire' ORDER BY id`).pluck().all() as number[];
      assert.equal(ids.length, 2);
      raw.prepare(`UPDATE attributions SET speaker_id = ?, local_speaker_id = ?`).run(ids[0], ids[0]);
      raw.prepare(`UPDATE speakers SET name = 'Stale', scope = 'corpus' WHERE id = ?`).run(ids[0]);
      const step = sqliteMigrations.find((m) => m.name.startsWith('speaker identity: re-derive'));
      assert.ok(step);
      raw.prepare(`DELETE FROM schema_migrations WHERE version = ?`).run(step.version);
      raw.close();
      const upgraded = await openStore(path);
      try {
        await checkRederived(upgraded);
      } finally {
        await upgraded.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('postgres: a store from before the re-derivation step re-derives its speakers on open', async () => {
    const schema = `whosaid_test_${randomBytes(6).toString('hex')}`;
    const url = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      const store = await openStore(url);
      await store.addAnalyses([placeAsPerson(0), placeAsPerson(1)]);
      await store.close();
      await c.query(`SET search_path = "${schema}"`);
      const ids = (await c.query(`SELECT id FROM speakers WHERE name = 'New Hampshire' ORDER BY id`)).rows.map((r) => Number(r.id));
      assert.equal(ids.length, 2);
      await c.query(`UPDATE attributions SET speaker_id = $1, local_speaker_id = $1`, [ids[0]]);
      await c.query(`UPDATE speakers SET name = 'Stale', scope = 'corpus' WHERE id = $1`, [ids[0]]);
      const step = pgMigrations.find((m) => m.name.startsWith('speaker identity: re-derive'));
      assert.ok(step);
      await c.query(`DELETE FROM schema_migrations WHERE version = $1`, [step.version]);
      const upgraded = await openStore(url);
      try {
        await checkRederived(upgraded);
      } finally {
        await upgraded.close();
      }
    } finally {
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });
});

describe('store errors', () => {
  it('an unreachable PostgreSQL is a clear StoreError', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/test'), (err: unknown) => {
      assert.ok(err instanceof StoreError);
      assert.match(err.message, /cannot connect to PostgreSQL at 127\.0\.0\.1:1\/test: connection refused/);
      return true;
    });
  });

  it('a locked SQLite file is a clear StoreError and nothing is written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-lock-'));
    const path = join(dir, 'locked.db');
    try {
      (await openStore(path)).close();
      const holder = new Database(path);
      holder.exec('BEGIN EXCLUSIVE');
      try {
        const store = await openStore(path, { busyTimeoutMs: 100 });
        await assert.rejects(store.addAnalyses(fixtures()), (err: unknown) => {
          assert.ok(err instanceof StoreError);
          assert.match(err.message, /locked by another process/);
          return true;
        });
        await store.close();
      } finally {
        holder.exec('ROLLBACK');
        holder.close();
      }
      const store = await openStore(path);
      assert.equal(await store.countDocuments(), 0);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
