/**
 * The corpus views (src/store/views.ts) on both engines: paging, filters, sorting and the rollup-backed
 * figures, checked against what the fixture documents say, and against a store whose rollups were
 * filled by the migration rather than kept up to date by the writes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { contentHash, openStore, type Store, type StoreInput } from '../../src/store/index.js';
import type { Analysis, Attribution, Entity } from '../../src/core/types.js';
import { migrations as sqliteMigrations } from '../../src/store/sqlite/migrations.js';
import { pgSchema } from '../fixtures/pg-schema.js';


const person = (id: string, name: string, extra: Record<string, unknown> = {}): Entity =>
  ({ id, name, type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [], ...extra }) as Entity;

function attr(id: string, speaker: string | null, source: string | null, kind: Attribution['kind'] = 'indirect'): Attribution {
  return {
    id,
    source: source ? { text: source, spans: [[0, source.length]] } : null,
    cue: { text: 'said', spans: [[0, 4]] },
    content: { text: `words of ${id}`, spans: [[10, 20]] },
    kind,
    speaker,
    via: [],
    parent: null,
    hedged: false,
    confidence: 0.8,
  };
}

/** Document i: outlet, date and who speaks how often. */
interface Spec {
  outlet: string | null;
  published: string | null;
  says: { who: 'ada' | 'bo' | 'anon' | 'none'; kind?: Attribution['kind'] }[];
}

const SPECS: Spec[] = [
  { outlet: 'Planet', published: '2024-01-05', says: [{ who: 'ada', kind: 'direct' }, { who: 'ada' }, { who: 'bo' }] },
  { outlet: 'Planet', published: '2024-02-10', says: [{ who: 'ada' }, { who: 'anon' }] },
  { outlet: 'Bugle', published: '2024-02-20T08:00:00.000Z', says: [{ who: 'bo', kind: 'direct' }, { who: 'none' }] },
  { outlet: 'Bugle', published: null, says: [{ who: 'ada' }] },
  { outlet: null, published: '2024-03-01', says: [] },
];

function docs(): StoreInput[] {
  return SPECS.map((s, i) => {
    const entities: Entity[] = [];
    const atts: Attribution[] = [];
    s.says.forEach((x, j) => {
      const id = `a${j + 1}`;
      if (x.who === 'ada' || x.who === 'bo') {
        const eid = x.who === 'ada' ? 'e1' : 'e2';
        if (!entities.some((e) => e.id === eid)) entities.push(x.who === 'ada' ? person('e1', 'Ada Lovelace', { gender: 'female' }) : person('e2', 'Bo Diddley', { descriptors: ['spokesman'] }));
        atts.push(attr(id, eid, x.who === 'ada' ? 'Ada Lovelace' : 'Bo Diddley', x.kind));
      } else if (x.who === 'anon') {
        atts.push(attr(id, null, 'officials', x.kind));
      } else atts.push(attr(id, null, null, x.kind));
    });
    const analysis: Analysis = {
      schema: 'whosaid/1',
      document: { id: `d${i}`, title: `Document ${i}`, chars: 100 },
      attributions: atts,
      entities,
      profile: { attributions: atts.length, speakers: entities.length, named: 0, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
    };
    return { hash: contentHash(`doc ${i}`, `d${i}`), analysis, text: `text ${i}`, meta: { outlet: s.outlet, published: s.published, url: `https://example.org/${i}` } };
  });
}

const engines: { name: string; open: () => Promise<{ store: Store; cleanup: () => Promise<void> }> }[] = [
  {
    name: 'sqlite',
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'whosaid-views-'));
      return { store: await openStore(join(dir, 'v.db')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const { location, drop } = pgSchema('whosaid_views');
      return { store: await openStore(location), cleanup: drop };
    },
  },
];

for (const engine of engines) {
  describe(`corpus views (${engine.name})`, () => {
    let store: Store;
    let cleanup: () => Promise<void>;
    before(async () => {
      ({ store, cleanup } = await engine.open());
      const all = docs();
      // Two writes, so the rollups are added to, not only created.
      await store.addAnalyses(all.slice(0, 2));
      await store.addAnalyses(all.slice(1)); // d1 again: skipped, and not counted twice
    });
    after(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('documents: filtered total, date order with undated last, paging, outlet and dates', async () => {
      const v = store.views;
      const all = await v.documents({ limit: 2 });
      assert.equal(all.total, 5);
      assert.deepEqual(all.items.map((d) => d.id), ['d4', 'd2']);
      const next = await v.documents({ limit: 2, offset: 2 });
      assert.deepEqual(next.items.map((d) => d.id), ['d1', 'd0']);
      assert.deepEqual((await v.documents({ limit: 2, offset: 4 })).items.map((d) => d.id), ['d3']);
      assert.deepEqual((await v.documents({ sort: 'oldest' })).items.slice(-4).map((d) => d.id), ['d0', 'd1', 'd2', 'd4']);
      assert.deepEqual((await v.documents({ sort: 'attributions', limit: 1 })).items.map((d) => d.id), ['d0']);
      const bugle = await v.documents({ outlet: 'Bugle' });
      assert.equal(bugle.total, 2);
      assert.deepEqual(bugle.items.map((d) => d.id), ['d2', 'd3']);
      const feb = await v.documents({ since: '2024-02-01', until: '2024-02-29' });
      assert.deepEqual([feb.total, ...feb.items.map((d) => d.id)], [2, 'd2', 'd1']);
      assert.equal(feb.items[0].url, 'https://example.org/2');
    });

    it('speakers: by attributions, documents or name; within an outlet or months; paged with a total', async () => {
      const v = store.views;
      const all = await v.speakers({});
      assert.deepEqual(all.items.map((s) => [s.name, s.attributions, s.documents]), [['Ada Lovelace', 4, 3], ['Bo Diddley', 2, 2], ['officials', 1, 1]]);
      assert.equal(all.total, 3);
      assert.deepEqual((await v.speakers({ sort: 'name', limit: 1, offset: 1 })).items.map((s) => s.name), ['Bo Diddley']);
      assert.deepEqual((await v.speakers({ type: 'anonymous' })).items.map((s) => s.name), ['officials']);
      const bugle = await v.speakers({ outlet: 'Bugle' });
      assert.deepEqual(bugle.items.map((s) => [s.name, s.attributions]), [['Ada Lovelace', 1], ['Bo Diddley', 1]]);
      const feb = await v.speakers({ since: '2024-02-01', until: '2024-02-29' });
      // Ties keep the speakers' id order, which differs between engines.
      assert.deepEqual(feb.items.map((s) => [s.name, s.attributions]).sort(), [['Ada Lovelace', 1], ['Bo Diddley', 1], ['officials', 1]]);
      assert.equal(feb.total, 3);
    });

    it('a speaker: info, timeline by month and outlet, passages paged newest first', async () => {
      const v = store.views;
      const ada = (await v.speakers({ limit: 1 })).items[0];
      const info = await v.speakerInfo(ada.id);
      assert.deepEqual([info?.name, info?.attributions, info?.documents], ['Ada Lovelace', 4, 3]);
      assert.equal(await v.speakerInfo(999_999), null);
      const t = await v.speakerTimeline(ada.id);
      assert.deepEqual(t.months.map((m) => [m.month, m.attributions]), [['2024-01', 2], ['2024-02', 1], [null, 1]]);
      assert.deepEqual(t.outlets.map((o) => [o.outlet, o.attributions]), [['Planet', 3], ['Bugle', 1]]);
      const p1 = await v.speakerPassages(ada.id, { limit: 3 });
      assert.equal(p1.total, 4);
      assert.deepEqual(p1.items.map((h) => `${h.document.id}/${h.attribution.id}`), ['d3/a1', 'd1/a1', 'd0/a2']);
      const p2 = await v.speakerPassages(ada.id, { limit: 3, offset: 3 });
      assert.deepEqual(p2.items.map((h) => `${h.document.id}/${h.attribution.id}`), ['d0/a1']);
    });

    it('a document: which corpus speaker each attribution and entity is', async () => {
      const v = store.views;
      const d0 = (await v.documents({ sort: 'attributions', limit: 1 })).items[0];
      const map = await v.documentSpeakers(d0.hash);
      const ada = (await v.speakers({ limit: 1 })).items[0].id;
      assert.equal(map.attributions.a1, ada);
      assert.equal(map.entities.e1, ada);
      assert.notEqual(map.attributions.a3, ada);
      assert.equal(Object.keys(map.attributions).length, 3);
    });

    it('figures per outlet and month: counts, shares, types, gender, top speakers, filters', async () => {
      const f = await store.views.figures({});
      assert.equal(f.total.documents, 5);
      assert.equal(f.total.attributions, 8);
      assert.equal(f.total.directShare, 2 / 8);
      assert.equal(f.total.anonymousShare, 1 / 8);
      assert.equal(f.total.unattributedShare, 1 / 8);
      assert.deepEqual(f.total.byType, { person: 6, anonymous: 1, none: 1 });
      assert.deepEqual(f.total.byGender, { female: 4, unknown: 4 });
      const planet = f.outlets.find((o) => o.outlet === 'Planet')!;
      assert.deepEqual([planet.documents, planet.attributions, planet.directShare], [2, 5, 1 / 5]);
      assert.deepEqual(planet.topSpeakers[0].name, 'Ada Lovelace');
      // Top speakers are named: the unnamed "officials" are counted in the anonymous share, not ranked.
      assert.deepEqual(planet.topSpeakers.map((s) => [s.name, s.attributions]).sort(), [['Ada Lovelace', 3], ['Bo Diddley', 1]]);
      assert.equal(f.outlets.find((o) => o.outlet === null)?.documents, 1);
      assert.deepEqual(f.months.map((m) => [m.month, m.documents, m.attributions]), [['2024-01', 1, 3], ['2024-02', 2, 4], ['2024-03', 1, 0], [null, 1, 1]]);
      assert.deepEqual(f.months[1].topSpeakers.map((s) => s.name).sort(), ['Ada Lovelace', 'Bo Diddley']);
      assert.deepEqual(f.topSpeakers.map((s) => s.name), ['Ada Lovelace', 'Bo Diddley']);
      const bugleFeb = await store.views.figures({ outlet: 'Bugle', since: '2024-02-01', until: '2024-02-29' });
      assert.deepEqual([bugleFeb.total.documents, bugleFeb.total.attributions, bugleFeb.total.unattributedShare], [1, 2, 1 / 2]);
      assert.deepEqual(bugleFeb.outlets.map((o) => o.outlet), ['Bugle']);
      // Who is quoted (asked for): distinct speakers with the identity stage's gender (persons) and role (all).
      assert.equal(f.total.quoted, undefined, 'only when asked');
      const fq = await store.views.figures({ quoted: true });
      const planetQ = fq.outlets.find((o) => o.outlet === 'Planet')!;
      const bugleFebQ = await store.views.figures({ outlet: 'Bugle', since: '2024-02-01', until: '2024-02-29', quoted: true });
      assert.deepEqual(
        [fq.total.quoted!.speakers, fq.total.quoted!.persons, fq.total.quoted!.byGender, fq.total.quoted!.byRole],
        [3, 2, { female: 1, male: 1 }, { unknown: 1, spokesperson: 1, anonymous: 1 }],
      );
      assert.deepEqual(fq.total.quoted!.genderShare, { female: 0.5, male: 0.5 });
      assert.equal(fq.total.quoted!.roleShare.anonymous, 1 / 3);
      const bugle = fq.outlets.find((o) => o.outlet === 'Bugle')!;
      assert.deepEqual([planetQ.quoted!.speakers, planetQ.quoted!.persons, bugle.quoted!.speakers, bugle.quoted!.persons], [3, 2, 2, 2]);
      assert.deepEqual(fq.months.map((m) => [m.month, m.quoted!.speakers, m.quoted!.persons]), [['2024-01', 2, 2], ['2024-02', 3, 2], ['2024-03', 0, 0], [null, 1, 1]]);
      assert.deepEqual([bugleFebQ.total.quoted!.speakers, bugleFebQ.total.quoted!.byGender, bugleFebQ.total.quoted!.byRole], [1, { male: 1 }, { spokesperson: 1 }]);
      assert.deepEqual(bugleFebQ.outlets[0].quoted!.genderShare, { male: 1 });
    });
  });
}

describe('corpus views on an upgraded store (sqlite)', () => {
  it('the migration fills the rollups with what writes would have counted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-views-up-'));
    try {
      // Fresh: rollups kept by the writes.
      const fresh = await openStore(join(dir, 'fresh.db'));
      await fresh.addAnalyses(docs());
      const expected = await fresh.views.figures({});
      const expectedSpeakers = await fresh.views.speakers({ outlet: 'Planet' });
      await fresh.close();
      // Old: the same store as it was before the corpus-view migrations: their tables, indexes and
      // version rows removed (whatever other migrations came before or beside them stay as they are).
      const path = join(dir, 'fresh.db');
      const raw = new Database(path);
      const mine = sqliteMigrations.filter((m) => m.name.startsWith('corpus views:'));
      assert.equal(mine.length, 2);
      for (const t of ['speaker_totals', 'speaker_counts', 'document_counts', 'attribution_counts']) raw.exec(`DROP TABLE ${t}`);
      for (const i of ['documents_outlet_published', 'documents_attributions', 'speakers_name']) raw.exec(`DROP INDEX ${i}`);
      for (const m of mine) raw.prepare(`DELETE FROM schema_migrations WHERE version = ?`).run(m.version);
      raw.close();
      const upgraded = await openStore(path);
      assert.deepEqual(await upgraded.views.figures({}), expected);
      assert.deepEqual(await upgraded.views.speakers({ outlet: 'Planet' }), expectedSpeakers);
      await upgraded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
