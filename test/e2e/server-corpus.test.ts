/** The corpus API routes behind the research views (src/server/corpus.ts and the listing routes in app.ts). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/server/app.js';
import { contentHash, openStore, type Store } from '../../src/store/index.js';
import type { Analysis, Attribution } from '../../src/core/types.js';

function doc(i: number, outlet: string, published: string, contents: string[]): { hash: string; analysis: Analysis; text: string; meta: Record<string, string> } {
  const attributions: Attribution[] = contents.map((c, j) => ({
    id: `a${j + 1}`,
    source: { text: 'Ada Lovelace', spans: [[0, 12]] },
    cue: { text: 'said', spans: [[13, 17]] },
    content: { text: c, spans: [[18, 18 + c.length]] },
    kind: j === 0 ? 'direct' : 'indirect',
    speaker: 'e1',
    via: [],
    parent: null,
    hedged: false,
    confidence: 0.9,
  }));
  const analysis: Analysis = {
    schema: 'whosaid/1',
    document: { id: `d${i}`, title: `Doc ${i}`, chars: 100 },
    attributions,
    entities: [{ id: 'e1', name: 'Ada Lovelace', type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [] }],
    profile: { attributions: attributions.length, speakers: 1, named: 1, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
  return { hash: contentHash(`t${i}`, `d${i}`), analysis, text: `t${i}`, meta: { outlet, published, url: `https://x.example/${i}` } };
}

describe('corpus API', () => {
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof buildServer>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-corpus-api-'));
    store = await openStore(join(dir, 'c.db'));
    await store.addAnalyses([
      doc(0, 'Planet', '2024-01-10', ['=HYPERLINK("http://evil")', 'engines, "quoted" and\nlines']),
      doc(1, 'Bugle', '2024-02-10', ['engines run']),
      doc(2, 'Planet', '2024-03-10', ['engines stop', 'no more']),
    ]);
    app = buildServer({ store });
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (url: string) => {
    const r = await app.inject(url);
    return { status: r.statusCode, json: () => r.json(), body: r.body, headers: r.headers };
  };

  it('documents: filtered total, sort, month bounds; bad sort and dates are 400 with a reason', async () => {
    const r = (await get('/api/documents?outlet=Planet&sort=oldest&limit=1')).json();
    assert.deepEqual([r.total, r.documents.map((d: { id: string }) => d.id)], [2, ['d0']]);
    const feb = (await get('/api/documents?since=2024-02&until=2024-03')).json();
    assert.deepEqual(feb.documents.map((d: { id: string }) => d.id), ['d2', 'd1']);
    const bad = await get('/api/documents?sort=random');
    assert.equal(bad.status, 400);
    assert.match(bad.json().message, /sort must be/);
    const badDate = await get('/api/documents?since=2024-13');
    assert.equal(badDate.status, 400);
    assert.match(badDate.json().message, /since must be a date/);
  });

  it('search: pages with a "more" flag, sorts oldest first', async () => {
    const p1 = (await get('/api/search?q=engines&limit=2')).json();
    assert.equal(p1.hits.length, 2);
    assert.equal(p1.more, true);
    const p2 = (await get('/api/search?q=engines&limit=2&offset=2')).json();
    assert.deepEqual([p2.hits.length, p2.more], [1, false]);
    const oldest = (await get('/api/search?q=engines&sort=oldest&limit=1')).json();
    assert.equal(oldest.hits[0].document.id, 'd0');
    assert.equal((await get('/api/search?sort=sideways')).status, 400);
  });

  it('speakers and a speaker page: totals, outlets, months, passages paged', async () => {
    const list = (await get('/api/speakers?outlet=Planet')).json();
    assert.deepEqual(list.speakers.map((s: { name: string; attributions: number }) => [s.name, s.attributions]), [['Ada Lovelace', 4]]);
    assert.equal(list.total, 1);
    const id = list.speakers[0].id;
    const page = (await get(`/api/speakers/${id}?limit=2&offset=2`)).json();
    assert.equal(page.attributions, 5);
    assert.deepEqual(page.outlets.map((o: { outlet: string; attributions: number }) => [o.outlet, o.attributions]), [['Planet', 4], ['Bugle', 1]]);
    assert.deepEqual(page.months.map((m: { month: string }) => m.month), ['2024-01', '2024-02', '2024-03']);
    assert.equal(page.recent.length, 2);
    assert.deepEqual(page.passages, { total: 5, offset: 2 });
    assert.equal((await get('/api/speakers/99999')).status, 404);
  });

  it('stats, outlets and a document\'s corpus speakers', async () => {
    const st = (await get('/api/stats?outlet=Planet')).json();
    assert.deepEqual([st.total.documents, st.total.attributions, st.total.directShare], [2, 4, 0.5]);
    assert.deepEqual(st.months.map((m: { month: string }) => m.month), ['2024-01', '2024-03']);
    assert.deepEqual((await get('/api/outlets')).json().outlets, [{ outlet: 'Planet', documents: 2 }, { outlet: 'Bugle', documents: 1 }]);
    const sp = (await get('/api/documents/d0/speakers')).json();
    assert.equal(sp.entities.e1, sp.attributions.a1);
    assert.equal((await get('/api/documents/nope/speakers')).status, 404);
  });

  it('export: every hit of the search as CSV (quoted, formulas neutralised) or JSONL, as a download', async () => {
    const csv = await get('/api/export?q=engines&format=csv');
    assert.equal(csv.status, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="whosaid-search.csv"/);
    const rows = csv.body.split('\r\n').filter(Boolean);
    assert.equal(rows[0].split(',')[0], 'document_hash');
    assert.ok(csv.body.includes('"engines, ""quoted"" and\nlines"'));
    const all = await get('/api/export?format=csv');
    assert.ok(all.body.includes(`'=HYPERLINK(""http://evil"")`), 'a formula is prefixed with an apostrophe');
    const jsonl = await get('/api/export?q=engines&format=jsonl&outlet=Planet');
    const lines = jsonl.body.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((h) => h.document.id).sort(), ['d0', 'd2']);
    // The corpus speaker's gender and role: the last two CSV columns, and on each JSONL hit's speaker.
    assert.match(rows[0], /,speaker_gender,speaker_role$/);
    assert.ok(lines.some((x) => x.attribution.speaker), 'hits with a speaker');
    for (const h of lines.filter((x) => x.attribution.speaker)) {
      assert.match(h.attribution.speaker.gender, /^(female|male|unknown)$/);
      assert.equal(typeof h.attribution.speaker.role, 'string');
      const row = all.body.split('\r\n').find((r) => r.includes(`,${h.attribution.id},`) && r.startsWith(h.document.hash));
      assert.ok(row?.endsWith(`,${h.attribution.speaker.gender},${h.attribution.speaker.role}`), row);
    }
    assert.equal((await get('/api/export?format=xml')).status, 400);
  });
});
