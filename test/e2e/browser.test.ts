/**
 * The web page and the HTML report in a real browser (playwright-core driving Debian's chromium):
 * analyze the bundled example, click an attribution and read its details; hostile article text shows
 * as text and runs nothing; nothing is fetched from outside. Screenshots go to test-artifacts/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, launchChromium, openPage as openBrowserPage } from '../fixtures/browser.js';
import { buildServer } from '../../src/server/app.js';
import { renderReport } from '../../src/formats/html-report.js';
import { contentHash, openStore } from '../../src/store/index.js';
import { SAMPLE_TEXT, sampleAnalysis } from '../fixtures/report-sample.js';

const HOSTILE = 'The mayor said the vote was fixed.\n\n"Look at this," an official said: <script>window.__pwned=1</script> and <img src=x onerror="window.__pwned=1"> too.';

describe('web page and report in chromium', () => {
  let browser: Browser;
  let app: ReturnType<typeof buildServer>;
  let base: string;

  before(async () => {
    app = buildServer();
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
  });

  const openPage = (allowed: (url: string) => boolean) => openBrowserPage(browser, allowed);

  it('analyzes the example, clicks an attribution and shows its speaker, kind and confidence', async () => {
    const { page, errors, outside } = await openPage((u) => u.startsWith(base));
    try {
      await page.goto(base + '/');
      await page.click('#ws-example');
      await page.waitForFunction(() => (document.getElementById('ws-input') as HTMLTextAreaElement).value.length > 100);
      await page.click('#ws-analyze');
      await page.waitForSelector('.ws-text .ws-seg');
      assert.match(await page.textContent('#ws-status') ?? '', /Found \d+ attributions?/);
      // The article text reads back exactly.
      const example = await page.inputValue('#ws-input');
      assert.equal(await page.textContent('.ws-text'), example);
      // Click a cue: the details panel names the speaker, the kind and the confidence.
      const cue = page.locator('.ws-text .ws-seg[role=button]').first();
      await cue.click();
      await page.waitForSelector('.ws-details .ws-dd-speaker');
      const speaker = (await page.textContent('.ws-details .ws-dd-speaker'))!.trim();
      assert.ok(speaker.length > 0, 'speaker shown');
      assert.match((await page.textContent('.ws-details .ws-dd-kind'))!, /direct|indirect|mixed/);
      assert.match((await page.textContent('.ws-details .ws-dd-confidence'))!, /\d+%/);
      assert.ok((await page.locator('.ws-text .ws-sel').count()) > 0, 'the selected attribution is outlined');
      // A link in the attribution list selects another one.
      await page.click('.ws-list summary');
      await page.locator('.ws-all a[data-attr]').nth(1).click();
      assert.match((await page.textContent('.ws-details h2'))!, /Attribution a\d+/);
      await cue.click();
      await page.locator('.ws-details').scrollIntoViewIfNeeded();
      await page.locator('#whosaid-view').evaluate((n) => n.scrollIntoView());
      await page.screenshot({ path: join(ARTIFACTS, 'browser-example.png') });
      await page.screenshot({ path: join(ARTIFACTS, 'browser-example-full.png'), fullPage: true });
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });

  it('shows hostile article text as text and runs none of it (plain text and HTML input)', async () => {
    const { page, errors, outside } = await openPage((u) => u.startsWith(base));
    try {
      await page.goto(base + '/');
      await page.fill('#ws-input', HOSTILE);
      await page.click('#ws-analyze');
      await page.waitForFunction(() => /Found/.test(document.getElementById('ws-status')!.textContent ?? ''));
      await page.screenshot({ path: join(ARTIFACTS, 'browser-hostile-text.png') });
      const shown = await page.textContent('.ws-text');
      assert.equal(shown, HOSTILE);
      assert.ok(shown!.includes('<script>window.__pwned=1</script>'));
      assert.equal(await page.locator('#whosaid-view img, #whosaid-view script').count(), 0);
      assert.equal(await page.locator('.ws-title').textContent(), 'The mayor said the vote was fixed.');
      // As HTML: the page's markup is parsed server-side; scripts and handlers are dropped, not run.
      await page.fill('#ws-input', `<html><body><article><p>${HOSTILE}</p><p>&lt;b&gt;escaped&lt;/b&gt; text, the clerk said.</p></article></body></html>`);
      await page.check('#ws-is-html');
      await page.click('#ws-analyze');
      await page.waitForFunction(() => document.querySelector('.ws-text')?.textContent?.includes('escaped'));
      assert.match((await page.textContent('.ws-text'))!, /<b>escaped<\/b> text/);
      assert.equal(await page.locator('#whosaid-view img, #whosaid-view script, #whosaid-view b').count(), 0);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      await page.screenshot({ path: join(ARTIFACTS, 'browser-hostile.png') });
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });

  it('the self-contained report works offline: marks, click-through details, no script from the text', async () => {
    const file = join(ARTIFACTS, 'report-sample.html');
    writeFileSync(file, renderReport(sampleAnalysis(), SAMPLE_TEXT));
    const url = 'file://' + file;
    const { page, errors, outside } = await openPage((u) => u === url);
    try {
      await page.goto(url);
      await page.waitForSelector('.ws-text .ws-seg');
      assert.equal(await page.textContent('.ws-text'), SAMPLE_TEXT);
      await page.locator('.ws-text .ws-seg', { hasText: 'quoted' }).click();
      assert.match((await page.textContent('.ws-details .ws-dd-speaker'))!, /Maria Okonkwo-Hale \(person\)/);
      assert.match((await page.textContent('.ws-details .ws-dd-via'))!, /Reuters \(media outlet\)/);
      // A profile flag links to its spans.
      await page.locator('.ws-flag a[data-attr="a4"]').first().click();
      assert.match((await page.textContent('.ws-details .ws-dd-hedged'))!, /^yes/);
      assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
      assert.equal(await page.locator('#whosaid-view img, #whosaid-view script').count(), 0);
      await page.screenshot({ path: join(ARTIFACTS, 'report-sample.png') });
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });
  it('with a store: lists documents, opens one, shows a speaker page and searches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'whosaid-browser-'));
    const store = await openStore(join(dir, 'c.db'));
    const corpus = buildServer({ store });
    try {
      await store.addAnalyses([{ hash: contentHash(SAMPLE_TEXT, 'sample'), analysis: sampleAnalysis(), text: SAMPLE_TEXT, meta: { outlet: 'Wire' } }]);
      const url = await corpus.listen({ port: 0, host: '127.0.0.1' });
      const { page, errors, outside } = await openPage((u) => u.startsWith(url));
      try {
        await page.goto(url + '/#/corpus');
        await page.waitForSelector('#ws-corpus-body a');
        assert.match((await page.textContent('#ws-corpus-body'))!, /Documents \(1\)Is the port strike over\?/);
        await page.click('#ws-corpus-body >> text=Maria Okonkwo-Hale');
        await page.waitForFunction(() => /Quoted by Wire \(2\)/.test(document.getElementById('ws-corpus-body')!.textContent!));
        await page.click('#ws-corpus-body >> text=Is the port strike over?');
        await page.waitForSelector('.ws-text .ws-seg');
        assert.equal(await page.textContent('.ws-text'), SAMPLE_TEXT);
        await page.locator('.ws-speaker-search').first().click();
        await page.waitForFunction(() => document.querySelectorAll('#ws-corpus-body .ws-results li').length === 2 && /1–2/.test(document.querySelector('.ws-pager')?.textContent ?? ''));
        assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
        assert.deepEqual(errors, []);
        assert.deepEqual(outside, []);
      } finally {
        await page.close();
      }
    } finally {
      await corpus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
