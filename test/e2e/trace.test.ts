/**
 * Tracing over articles written for the purpose: a quote republished verbatim, trimmed, with a word
 * changed, credited to another person; a claim relayed through two outlets; an anonymous origin later
 * credited to a named speaker. Stored by a batch run (as users do), then traced by text and by attribution.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBatch } from '../../src/corpus/batch.js';
import { openStore, type Store } from '../../src/store/index.js';
import { traceAttribution, traceText, widestTraces, type Trace } from '../../src/trace/index.js';
import { buildServer } from '../../src/server/app.js';
import { webAssets } from '../../src/formats/html/assets.js';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import Database from 'better-sqlite3';

const PG_URL = process.env.WHOSAID_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');

const ARTICLES = [
  {"id": "gazette-1", "outlet": "Harbour Gazette", "published": "2026-03-01", "text": "Port of Valdoria closes\n\n\"The harbour will stay closed until every crane has been inspected and the unions have signed the new safety agreement,\" Maria Okonkwo-Hale, the head of the port authority, said on Monday. Ships were turned away at dawn.\n"},
  {"id": "coastal-1", "outlet": "Coastal Times", "published": "2026-03-02", "text": "Valdoria port shut\n\n\"The harbour will stay closed until every crane has been inspected and the unions have signed the new safety agreement,\" Maria Okonkwo-Hale said on Monday. Fishermen were worried about the closure.\n"},
  {"id": "wire-1", "outlet": "Daily Wire", "published": "2026-03-03", "text": "Cranes to be checked\n\n\"The harbour will stay closed until every crane has been inspected,\" Maria Okonkwo-Hale told reporters on Monday. Dockers waited outside.\n"},
  {"id": "evening-1", "outlet": "Evening Post", "published": "2026-03-04", "text": "Harbour stays shut\n\n\"The harbour will stay shut until every crane has been inspected and the unions have signed the new safety agreement,\" Maria Okonkwo-Hale said on Monday. The unions did not comment.\n"},
  {"id": "star-1", "outlet": "Morning Star", "published": "2026-03-05", "text": "Minister on the port\n\n\"The harbour will stay closed until every crane has been inspected and the unions have signed the new safety agreement,\" Transport Minister Pavel Ivanov said on Tuesday. The opposition called for a debate.\n"},
  {"id": "relay-1", "outlet": "Coastal Times", "published": "2026-03-06", "text": "Port talks\n\nThe Harbour Gazette quoted Okonkwo-Hale as saying that the port authority would hire forty new crane inspectors before the summer season begins in June.\n"},
  {"id": "relay-2", "outlet": "Capital Courier", "published": "2026-03-07", "text": "Inspectors hired\n\nThe Coastal Times, citing the Harbour Gazette, quoted Okonkwo-Hale as saying that the port authority would hire forty new crane inspectors before the summer season begins in June.\n"},
  {"id": "anon-1", "outlet": "Harbour Gazette", "published": "2026-03-08", "text": "Airports to close\n\nA senior official at the ministry, who spoke on condition of anonymity, said the government would close three regional airports before the end of the year to save money.\n"},
  {"id": "anon-2", "outlet": "Capital Courier", "published": "2026-03-09", "text": "Airport closures\n\nTransport Minister Pavel Ivanov said the government would close three regional airports before the end of next year to save money. Local mayors protested.\n"}
];

function byDoc(t: Trace) {
  return new Map(t.occurrences.map((o) => [o.document.id, o]));
}

for (const engine of ['sqlite', 'postgres'] as const) describe(`trace (written articles, ${engine})`, () => {
  let dir: string;
  let db: string;
  let store: Store;
  const schema = `trace_${randomBytes(4).toString('hex')}`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-trace-'));
    const file = join(dir, 'articles.jsonl');
    writeFileSync(file, ARTICLES.map((a) => JSON.stringify(a)).join('\n') + '\n');
    db = engine === 'sqlite' ? join(dir, 'trace.db') : `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
    store = await openStore(db);
    const r = await runBatch(store, [file], { workers: 1 });
    assert.equal(r.stored, ARTICLES.length);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (engine === 'postgres') {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  });

  it('finds a quote republished verbatim, trimmed, with a word changed and credited to someone else, in time order', async () => {
    const t = await traceAttribution(store, 'gazette-1', 'a1');
    assert.deepEqual(t.occurrences.map((o) => o.document.id), ['gazette-1', 'coastal-1', 'wire-1', 'evening-1', 'star-1']);
    assert.equal(t.earliest?.document.id, 'gazette-1');
    assert.equal(t.earliest?.document.outlet, 'Harbour Gazette');
    const o = byDoc(t);
    assert.equal(o.get('coastal-1')?.relation, 'verbatim');
    assert.equal(o.get('wire-1')?.relation, 'fragment', 'trimmed');
    assert.equal(o.get('evening-1')?.relation, 'changed');
    assert.deepEqual(o.get('evening-1')?.diff.filter((d) => d.op !== '='), [
      { op: '-', text: 'closed' },
      { op: '+', text: 'shut' },
    ]);
    assert.equal(o.get('star-1')?.attribution.speaker, 'Pavel Ivanov');
    assert.equal(t.outlets, 5);
    // Findings, each with its evidence.
    const codes = t.findings.map((f) => f.code).sort();
    assert.deepEqual(codes, ['different-speakers', 'wording-changed']);
    const speakers = t.findings.find((f) => f.code === 'different-speakers')!;
    assert.ok(speakers.evidence.some((e) => e.document === 'star-1' && /Pavel Ivanov/.test(e.detail)));
    assert.ok(speakers.evidence.some((e) => e.document === 'gazette-1' && /Okonkwo-Hale/.test(e.detail)));
    const wording = t.findings.find((f) => f.code === 'wording-changed')!;
    assert.deepEqual(wording.evidence.map((e) => e.document), ['evening-1']);
    assert.match(wording.evidence[0].detail, /dropped "closed", added "shut"/);
  });

  it('traces free text: a fragment quoted on its own finds the longer quotes; punctuation and case do not matter', async () => {
    const t = await traceText(store, '“the HARBOUR will stay closed until every crane has been inspected …”');
    assert.equal(t.query.kind, 'quote');
    const ids = t.occurrences.map((o) => o.document.id);
    for (const id of ['gazette-1', 'coastal-1', 'wire-1', 'star-1']) assert.ok(ids.includes(id), id);
    assert.ok(!ids.includes('relay-1'));
    // The copy with a word changed shares a run of 8 words or more with this longer fragment (winnowing's guarantee).
    const longer = await traceText(store, '"until every crane has been inspected and the unions have signed the new safety agreement"');
    assert.ok(longer.occurrences.some((o) => o.document.id === 'evening-1' && o.relation === 'changed'));
  });

  it('follows a claim relayed through two outlets back to the outlet it came from', async () => {
    const t = await traceAttribution(store, 'relay-2', 'a2');
    assert.deepEqual(t.occurrences.map((o) => o.document.id), ['relay-1', 'relay-2']);
    assert.deepEqual(t.occurrences.map((o) => o.attribution.via[0]), ['Harbour Gazette', 'Coastal Times']);
    const link = t.chain.find((c) => c.document === 'relay-2');
    assert.deepEqual(link?.citesInCorpus, ['relay-1'], 'the Capital Courier cites the Coastal Times, whose article is here');
    const single = t.findings.find((f) => f.code === 'single-outlet-origin');
    assert.ok(single, JSON.stringify(t.findings));
    assert.match(single.message, /Harbour Gazette/);
  });

  it('flags an anonymous origin that a later copy credits to a named speaker', async () => {
    const t = await traceAttribution(store, 'anon-1', 'a1');
    assert.deepEqual(t.occurrences.map((o) => o.document.id), ['anon-1', 'anon-2']);
    const f = t.findings.find((x) => x.code === 'anonymous-origin-established');
    assert.ok(f, JSON.stringify(t.findings));
    assert.deepEqual(f.evidence.map((e) => e.document), ['anon-1', 'anon-2']);
    // A higher similarity threshold than the copies share leaves the origin alone.
    assert.equal((await traceAttribution(store, 'anon-1', 'a1', { threshold: 0.9 })).occurrences.length, 1);
  });

  it('lists the widest-spread quote first', async () => {
    const list = await widestTraces(store, { limit: 5 });
    assert.equal(list[0].kind, 'quote');
    assert.equal(list[0].outlets, 5);
    assert.match(list[0].root?.attribution.content ?? '', /harbour will stay closed/);
  });

  it('GET /api/trace and /api/traces answer from the store; bad parameters are one-line 400s', async () => {
    const app = buildServer({ store });
    try {
      const r = await app.inject('/api/trace?doc=gazette-1&attribution=a1');
      assert.equal(r.statusCode, 200, r.body);
      const t = r.json() as Trace;
      assert.equal(t.occurrences.length, 5);
      assert.ok(t.findings.some((f) => f.code === 'wording-changed'));
      const byText = await app.inject(`/api/trace?text=${encodeURIComponent('until every crane has been inspected and the unions have signed the new safety agreement')}`);
      assert.equal(byText.statusCode, 200);
      assert.ok((byText.json() as Trace).occurrences.length >= 4);
      const list = await app.inject('/api/traces?limit=2&kind=quote');
      assert.equal((list.json() as { traces: { outlets: number }[] }).traces[0].outlets, 5);
      for (const [url, status] of [['/api/trace', 400], ['/api/trace?doc=gazette-1&attribution=a99', 404], ['/api/trace?text=too%20short', 400], ['/api/trace?text=x&similarity=2', 400], ['/api/traces?kind=rumour', 400]] as const) {
        const bad = await app.inject(url);
        assert.equal(bad.statusCode, status, url);
        assert.equal(typeof bad.json().message, 'string');
      }
    } finally {
      await app.close();
    }
  });

  it('the CLI prints a trace as text and JSON, and explains bad references in one line', { skip: engine === 'postgres' ? 'the CLI is the same over both engines' : false }, () => {
    const run = (args: string[]) => spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { encoding: 'utf8', timeout: 120_000 });
    const text = run(['trace', '--db', db, '--attribution', 'gazette-1:a1']);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /5 occurrences in 5 outlets/);
    assert.match(text.stdout, /\[-closed-\] \{\+shut\+\}/);
    const json = run(['trace', '--db', db, '--json', 'will stay closed until every crane has been inspected']);
    assert.equal(json.status, 0, json.stderr);
    // A short query (under ten words) matches only where its words appear whole: not in the copy with "shut".
    assert.equal((JSON.parse(json.stdout) as Trace).occurrences.length, 4);
    const bad = run(['trace', '--db', db, '--attribution', 'nowhere:a1']);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr.trim(), 'whosaid: no attribution a1 in a document nowhere');
    const list = run(['traces', '--db', db, '--limit', '3']);
    assert.equal(list.status, 0, list.stderr);
    assert.match(list.stdout, /^1\. quote, 5 outlets, 5 documents/);
  });

  it('rebuilding the index from the stored analyses (an upgraded store) gives the index the batch wrote', async () => {
    const before = JSON.stringify(await widestTraces(store, { limit: 50 }));
    const trace = JSON.stringify(await traceAttribution(store, 'gazette-1', 'a1'));
    await store.close();
    // A store whose documents were stored before the index existed (empty index tables), with the marker
    // the migration leaves in such a store.
    if (engine === 'sqlite') {
      const raw = new Database(db);
      raw.exec(`DELETE FROM trace_keys; DELETE FROM trace_members; DELETE FROM trace_clusters; INSERT INTO trace_rebuild VALUES (1)`);
      raw.close();
    } else {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`SET search_path = "${schema}"; TRUNCATE trace_keys, trace_members, trace_clusters; INSERT INTO trace_rebuild VALUES (1)`);
      await c.end();
    }
    store = await openStore(db);
    assert.equal(JSON.stringify(await widestTraces(store, { limit: 50 })), before);
    assert.equal(JSON.stringify(await traceAttribution(store, 'gazette-1', 'a1')), trace);
  });
});

describe('the page', () => {
  it('bundles the "where else" view, which puts article text into the page as text only', () => {
    const app = webAssets()['app.js'];
    assert.match(app, /\/api\/trace\?/);
    assert.match(app, /\/api\/traces\?/);
    assert.match(app, /Where else was/);
    assert.doesNotMatch(app, /innerHTML|insertAdjacentHTML|document\.write/);
  });
});
