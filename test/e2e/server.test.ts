/**
 * The HTTP API through fastify's inject (and one real loopback port): health, analyze text and HTML,
 * clear 400s and 413s, hostile text returned as data, security headers, and the corpus endpoints
 * over a SQLite store.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/server/app.js';
import { contentHash, openStore, type Store } from '../../src/store/index.js';
import { SAMPLE_TEXT, sampleAnalysis } from '../fixtures/report-sample.js';

const EXAMPLE = readFileSync(new URL('../../examples/port-strike.txt', import.meta.url), 'utf8');

describe('server API', () => {
  const app = buildServer({ maxBytes: 64 * 1024 });
  after(() => app.close());

  const post = (payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    app.inject({ method: 'POST', url: '/api/analyze', payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers });

  it('health answers with the schema and limits', async () => {
    const r = await app.inject('/api/health');
    assert.equal(r.statusCode, 200);
    assert.deepEqual(r.json(), { status: 'ok', schema: 'whosaid/1', maxBytes: 65536, store: null, example: true });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
  });

  it('analyzes plain text into whosaid/1', async () => {
    const r = await post({ text: EXAMPLE, title: 'Port strike' });
    assert.equal(r.statusCode, 200, r.body);
    const a = r.json();
    assert.equal(a.schema, 'whosaid/1');
    assert.equal(a.document.title, 'Port strike');
    assert.equal(a.document.chars, EXAMPLE.length);
    assert.equal(a.document.text, undefined);
    assert.ok(a.attributions.length > 0, 'the example has attributions');
    for (const x of a.attributions) for (const [s, e] of x.content.spans) assert.ok(s >= 0 && e <= EXAMPLE.length);
    const withText = (await post({ text: 'Hello.', includeText: true })).json();
    assert.equal(withText.document.text, 'Hello.');
  });

  it('analyzes HTML: extracted title and text; offsets index document.text', async () => {
    const body = EXAMPLE.split('\n\n').slice(1).map((p) => `<p>${p}</p>`).join('\n');
    const html = `<!doctype html><html><head><title>Dockworkers walk out</title></head><body><nav>Home | World</nav><article><h1>Dockworkers walk out</h1>${body}</article><script>var x = 1;</script></body></html>`;
    const r = await post({ html });
    assert.equal(r.statusCode, 200, r.body);
    const a = r.json();
    assert.equal(a.document.title, 'Dockworkers walk out');
    assert.ok(a.document.text.startsWith('HALDEN BAY'), a.document.text.slice(0, 40));
    assert.doesNotMatch(a.document.text, /var x|Home \| World/);
    assert.ok(a.attributions.length > 0);
    for (const x of a.attributions) {
      const [[s, e]] = x.cue.spans;
      assert.equal(a.document.text.slice(s, e), x.cue.text.split(' … ')[0]);
    }
  });

  it('empty text is an article with nothing in it', async () => {
    const r = await post({ text: '  \n' });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().attributions.length, 0);
  });

  it('bad JSON and bad fields get a 400 with a reason', async () => {
    const cases: [unknown, RegExp][] = [
      ['{"text": "unterminated', /not valid JSON: .+/],
      ['', /body is empty/],
      ['[1, 2]', /JSON object/],
      [{ title: 'x' }, /missing field: "text".*or "html"/],
      [{ text: 42 }, /"text" must be a string/],
      [{ text: 'a', html: '<p>a</p>' }, /either "text" or "html"/],
      [{ html: '<script>alert(1)</script>' }, /no article text/],
      [{ text: 'a', title: 5 }, /"title" must be a string/],
    ];
    for (const [payload, reason] of cases) {
      const r = await post(payload);
      assert.equal(r.statusCode, 400, `${JSON.stringify(payload)} → ${r.statusCode} ${r.body}`);
      assert.match(r.json().message, reason);
      assert.ok(r.json().error);
    }
  });

  it('a body over the limit gets a 413 naming the limit', async () => {
    const r = await post({ text: 'x'.repeat(70 * 1024) });
    assert.equal(r.statusCode, 413);
    assert.match(r.json().message, /over the 64 KiB limit/);
  });

  it('returns hostile text as data, never as markup', async () => {
    const text = 'He said "<script>window.__pwned=1</script>" and <img src=x onerror="window.__pwned=1"> was posted.';
    const r = await post({ text, includeText: true });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.json().document.text, text);
  });

  it('serves the page and its assets with a CSP that allows no inline script and no external loads', async () => {
    const page = await app.inject('/');
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    const csp = String(page.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.doesNotMatch(page.body, /<script>(?!<\/script>)|\son\w+=|https?:\/\//);
    for (const asset of ['app.js', 'app.css']) {
      const r = await app.inject(`/assets/${asset}`);
      assert.equal(r.statusCode, 200, asset);
      assert.doesNotMatch(r.body, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/, asset);
    }
    // The page loads exactly the bundled assets the server has.
    assert.deepEqual([...page.body.matchAll(/(?:src|href)="([^"#]+)"/g)].map((m) => m[1]).sort(), ['/assets/app.css', '/assets/app.js']);
    assert.equal((await app.inject('/assets/nope.js')).statusCode, 404);
    assert.equal((await app.inject('/api/documents')).json().error, 'no-store');
  });

  it('listens on a real loopback port', async () => {
    const real = buildServer();
    const address = await real.listen({ port: 0, host: '127.0.0.1' });
    try {
      assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${address}/api/analyze`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "The minister said the port would reopen."}' });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).schema, 'whosaid/1');
    } finally {
      await real.close();
    }
  });
});

describe('server with analysis worker threads', () => {
  const app = buildServer({ workers: 1 });
  after(() => app.close());

  it('gives the same answers as in-process analysis', async () => {
    const inProcess = buildServer();
    try {
      const body = { text: EXAMPLE, title: 'Port strike' };
      const post = (a: typeof app) => a.inject({ method: 'POST', url: '/api/analyze', payload: body });
      const [w, p] = await Promise.all([post(app), post(inProcess)]);
      assert.equal(w.statusCode, 200, w.body);
      assert.deepEqual(w.json(), p.json());
      const html = await app.inject({ method: 'POST', url: '/api/analyze', payload: { html: '<title>T</title><p>The minister said the port would reopen.</p>' } });
      assert.equal(html.statusCode, 200, html.body);
      assert.equal(html.json().document.title, 'T');
      assert.equal(html.json().document.text, 'The minister said the port would reopen.');
      const none = await app.inject({ method: 'POST', url: '/api/analyze', payload: { html: '<script>x()</script>' } });
      assert.equal(none.statusCode, 400);
      assert.match(none.json().message, /no article text/);
    } finally {
      await inProcess.close();
    }
  });
});

describe('server corpus endpoints (SQLite store)', () => {
  let dir: string;
  let store: Store;
  let app: ReturnType<typeof buildServer>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-serve-'));
    store = await openStore(join(dir, 'c.db'));
    await store.addAnalyses([{ hash: contentHash(SAMPLE_TEXT, 'sample'), analysis: sampleAnalysis(), text: SAMPLE_TEXT, meta: { outlet: 'Wire' } }]);
    app = buildServer({ store });
  });
  after(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, fetches, searches and shows speakers', async () => {
    const health = (await app.inject('/api/health')).json();
    assert.equal(health.store, 'sqlite');
    const list = (await app.inject('/api/documents')).json();
    assert.equal(list.total, 1);
    assert.equal(list.documents[0].id, 'sample');
    const doc = (await app.inject('/api/documents/sample')).json();
    assert.equal(doc.document.text, SAMPLE_TEXT);
    assert.equal(doc.attributions.length, 4);
    assert.equal((await app.inject('/api/documents/nope')).statusCode, 404);
    const hits = (await app.inject('/api/search?speaker=Okonkwo-Hale')).json().hits;
    assert.ok(hits.length >= 1);
    assert.equal(hits[0].attribution.speaker.name, 'Maria Okonkwo-Hale');
    const speakers = (await app.inject('/api/speakers')).json().speakers;
    const maria = speakers.find((s: { name: string }) => s.name === 'Maria Okonkwo-Hale');
    assert.ok(maria);
    const detail = (await app.inject(`/api/speakers/${maria.id}`)).json();
    assert.equal(detail.name, 'Maria Okonkwo-Hale');
    assert.ok(detail.recent.length >= 1);
    assert.equal((await app.inject('/api/speakers/abc')).statusCode, 400);
    assert.equal((await app.inject('/api/search?limit=-1')).statusCode, 400);
  });
});
