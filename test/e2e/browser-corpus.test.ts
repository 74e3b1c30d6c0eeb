/**
 * The corpus views in chromium, on a store of 64 analysed articles over three outlets and six months:
 * paging, filters and sorting; provenance with safe external links; search with highlighted words, a hit
 * opening its document at the passage, speaker names linking to their pages; the figures' charts; the
 * CSV / JSONL export of the current search. Hostile text and URLs run nothing; nothing is fetched from
 * outside. Screenshots go to test-artifacts/corpus-*.png.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTIFACTS, launchChromium, openPage as openBrowserPage } from '../fixtures/browser.js';
import { buildServer } from '../../src/server/app.js';
import { analyze } from '../../src/index.js';
import { contentHash, openStore, type Store, type StoreInput } from '../../src/store/index.js';

const OUTLETS = ['Planet', 'Bugle', 'Herald'];
const PEOPLE = ['Maria Okonkwo', 'John Smith', 'Ana Pereira', 'Lee Chang'];
const TOPICS = ['prices', 'the harbour', 'the budget', 'wages'];
const HOSTILE_TITLE = 'Hostile <img src=x onerror="window.__pwned=1">';

function article(i: number): StoreInput {
  // Half the articles quote one person, so a speaker page has more passages than one page shows
  // (unnamed sources such as "Officials" stay per article and no longer make a corpus-wide speaker).
  const who = i % 2 === 0 ? PEOPLE[0] : PEOPLE[1 + (i % 3)];
  const topic = TOPICS[i % TOPICS.length];
  let text = `"${topic[0].toUpperCase()}${topic.slice(1)} will recover soon," said ${who}, a spokesperson for the union.\n\nOfficials said the talks about ${topic} would resume on Monday.`;
  if (i === 7) text += `\n\n"<script>window.__pwned=1</script> is fine," said ${who}.`;
  const id = `art-${i}`;
  const analysis = analyze(text, { id, title: i === 7 ? HOSTILE_TITLE : `Article ${i} on ${topic}`, includeText: true });
  const month = String(1 + (i % 6)).padStart(2, '0');
  const url = i === 3 ? 'javascript:window.__pwned=1' : `https://news.example/${OUTLETS[i % 3].toLowerCase()}/${i}`;
  return { hash: contentHash(text, id), analysis, text, meta: { outlet: OUTLETS[i % 3], published: `2024-${month}-${String(1 + (i % 27)).padStart(2, '0')}`, url } };
}

describe('corpus views in chromium', () => {
  let browser: Browser;
  let store: Store;
  let app: ReturnType<typeof buildServer>;
  let base: string;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-corpus-browser-'));
    store = await openStore(join(dir, 'c.db'));
    await store.addAnalyses(Array.from({ length: 64 }, (_, i) => article(i)));
    app = buildServer({ store });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const openPage = () => openBrowserPage(browser, (url) => url.startsWith(base));

  const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

  it('documents: pages through all 64, filters by outlet and month, sorts, shows safe source links', async () => {
    const { page, errors, outside } = await openPage();
    try {
      await page.goto(base + '/#/documents');
      await page.waitForSelector('.ws-docs tbody tr');
      assert.equal(await page.locator('.ws-docs tbody tr').count(), 50);
      assert.match((await page.textContent('.ws-pager .ws-where'))!, /1–50 of 64 \(page 1 of 2\)/);
      // Newest first: June before May.
      const dates = await page.locator('.ws-docs tbody tr td:nth-child(3)').allTextContents();
      assert.deepEqual(dates, [...dates].sort().reverse());
      await page.locator('.ws-pager .ws-next').first().click();
      await page.waitForFunction(() => /51–64 of 64/.test(document.querySelector('.ws-pager .ws-where')?.textContent ?? ''));
      assert.equal(await page.locator('.ws-docs tbody tr').count(), 14);
      // Every source link is http(s), opens apart and sends no referrer; the javascript: URL is text.
      const links = await page.locator('.ws-docs a.ws-external').evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target')]));
      assert.ok(links.length > 0);
      for (const [href, rel, target] of links) {
        assert.match(href!, /^https:\/\/news\.example\//);
        assert.equal(rel, 'noopener noreferrer');
        assert.equal(target, '_blank');
      }
      // Outlet and months from the filter bar.
      await page.goto(base + '/#/documents');
      await page.waitForSelector('#ws-f-outlet option[value="Bugle"]', { state: 'attached' });
      await page.selectOption('#ws-f-outlet', 'Bugle');
      await page.fill('#ws-f-since', '2024-02');
      await page.fill('#ws-f-until', '2024-03');
      await page.selectOption('#ws-f-sort', 'oldest');
      await page.click('.ws-filters button[type=submit]');
      await page.waitForFunction(() => /outlet=Bugle/.test(location.hash) && !!document.querySelector('.ws-docs'));
      const rows = await page.locator('.ws-docs tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
      const expected = Array.from({ length: 64 }, (_, i) => i).filter((i) => i % 3 === 1 && [1, 2].includes(i % 6)).length;
      assert.equal(rows.length, expected);
      assert.ok(rows.every((r) => r[1] === 'Bugle' && /^2024-0[23]/.test(r[2]!)));
      assert.deepEqual(rows.map((r) => r[2]), rows.map((r) => r[2]).sort());
      assert.match((await page.textContent('.ws-pager .ws-where'))!, new RegExp(`of ${expected}$`));
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-documents.png'), fullPage: true });
      // The hostile document: title and text shown as text; its javascript: URL is not a link.
      await page.goto(base + '/#/doc/art-7');
      await page.waitForSelector('.ws-text .ws-seg');
      assert.equal(await page.textContent('.ws-title'), HOSTILE_TITLE);
      assert.match((await page.textContent('.ws-text'))!, /<script>window.__pwned=1<\/script> is fine/);
      assert.equal(await page.locator('#ws-corpus-body img, #ws-corpus-body script, #whosaid-view img, #whosaid-view script').count(), 0);
      await page.goto(base + '/#/doc/art-3');
      await page.waitForSelector('.ws-provenance');
      assert.equal(await page.locator('.ws-provenance a.ws-external').count(), 0);
      assert.equal(await page.textContent('.ws-provenance .ws-url-unsafe'), 'javascript:window.__pwned=1');
      assert.equal(await pwned(page), undefined);
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });

  it('search: words highlighted, a hit opens its document at the passage, names link to speaker pages', async () => {
    const { page, errors, outside } = await openPage();
    try {
      await page.goto(base + '/#/search?q=harbour');
      await page.waitForSelector('.ws-results li');
      const marks = await page.locator('.ws-results mark').allTextContents();
      assert.ok(marks.length > 0 && marks.every((m) => m.toLowerCase() === 'harbour'), marks.join(','));
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-search.png'), fullPage: true });
      // The export links carry the current search.
      const csvHref = await page.getAttribute('.ws-export-csv', 'href');
      assert.match(csvHref!, /^\/api\/export\?q=harbour&format=csv$/);
      const csv = await page.evaluate((u) => fetch(u).then((r) => r.text()), csvHref!);
      const lines = csv.trim().split('\r\n');
      assert.match(lines[0], /^document_hash,document_id,title,outlet,published,url,attribution_id/);
      assert.equal(lines.length - 1, await page.evaluate(() => fetch('/api/search?q=harbour&limit=500').then((r) => r.json()).then((j) => j.hits.length)));
      assert.ok(lines.slice(1).every((l) => /harbour/i.test(l)));
      const jsonl = await page.evaluate((u) => fetch(u).then((r) => r.text()), (await page.getAttribute('.ws-export-jsonl', 'href'))!);
      assert.equal(jsonl.trim().split('\n').length, lines.length - 1);
      // Open a hit: its document, scrolled to that passage and selected.
      const first = page.locator('.ws-results li').first();
      const content = (await first.locator('.ws-quote').textContent())!;
      await first.locator('a.ws-doclink').click();
      await page.waitForSelector('.ws-text .ws-sel');
      assert.match(page.url(), /#\/doc\/[0-9a-f]+\?a=a\d+$/);
      const selected = (await page.locator('.ws-text .ws-sel').allTextContents()).join('');
      assert.ok(selected.includes(content.slice(0, 20)), `${selected} / ${content}`);
      assert.match((await page.textContent('.ws-details .ws-dd-content'))!, new RegExp(content.slice(0, 15).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      // Provenance.
      assert.match((await page.textContent('.ws-provenance'))!, /Outlet(Planet|Bugle|Herald)Published2024-/);
      assert.equal(await page.getAttribute('.ws-provenance a.ws-external', 'rel'), 'noopener noreferrer');
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-document.png') });
      // A speaker's name in the document links to its corpus page.
      const link = page.locator('.ws-speakers .ws-speaker-name.ws-corpus-link').first();
      const name = (await link.textContent())!;
      await link.click();
      await page.waitForSelector('.ws-speaker-title');
      assert.equal(await page.textContent('.ws-speaker-title'), name);
      assert.equal(await pwned(page), undefined);
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });

  it('a speaker page: outlets, a timeline, every passage paged, no literal "null"', async () => {
    const { page, errors, outside } = await openPage();
    try {
      await page.goto(base + '/#/speakers');
      await page.waitForSelector('.ws-speakers-table tbody tr');
      const top = page.locator('.ws-speakers-table tbody tr').first();
      const total = Number((await top.locator('td:nth-child(3)').textContent())!.replace(/,/g, ''));
      assert.ok(total > 20, `the top speaker has ${total} attributions`);
      await top.locator('a').click();
      await page.waitForSelector('.ws-speaker-title');
      assert.equal(await page.locator('.ws-charts svg').count(), 2, 'outlets and timeline charts');
      assert.match((await page.textContent('.ws-outlets'))!, /Quoted by (Planet|Bugle|Herald) \(\d+\)/);
      assert.equal(await page.locator('.ws-results li').count(), 20);
      assert.match((await page.textContent('.ws-pager .ws-where'))!, new RegExp(`1–20 of ${total}`));
      let seen = 20;
      while (await page.locator('.ws-pager .ws-next').count()) {
        const before = page.url();
        await page.locator('.ws-pager .ws-next').first().click();
        await page.waitForFunction((u) => location.href !== u && !!document.querySelector('.ws-results'), before);
        await page.waitForSelector('.ws-results li');
        seen += await page.locator('.ws-results li').count();
      }
      assert.equal(seen, total);
      assert.doesNotMatch((await page.textContent('#ws-corpus-body'))!, /\bnull\b|undefined/);
      await page.goto(page.url().replace(/\?page=\d+$/, ''));
      await page.waitForSelector('.ws-charts svg');
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-speaker.png'), fullPage: true });
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });

  it('figures: per-outlet bars and per-month lines, tables with top speakers, an outlet filter', async () => {
    const { page, errors, outside } = await openPage();
    try {
      await page.goto(base + '/#/stats');
      await page.waitForSelector('.ws-outlet-table tbody tr');
      await page.waitForSelector('.ws-quoted-table tbody tr');
      assert.equal(await page.locator('.ws-charts svg').count(), 8);
      assert.equal(await page.locator('.ws-charts svg').first().locator('rect.ws-bar').count(), 3, 'one bar per outlet');
      assert.equal(await page.locator('.ws-month-table tbody tr').count(), 6);
      const stats = await page.evaluate(() => fetch('/api/stats').then((r) => r.json()));
      const bugle = stats.outlets.find((o: { outlet: string }) => o.outlet === 'Bugle');
      const row = await page.locator('.ws-outlet-table tbody tr', { hasText: 'Bugle' }).locator('td').allTextContents();
      assert.equal(Number(row[1]), bugle.documents);
      assert.equal(Number(row[2]), bugle.attributions);
      assert.equal(row[6], `${(100 * bugle.directShare).toFixed(1)}%`);
      assert.ok((await page.locator('.ws-outlet-table .ws-top-speakers a').count()) >= 3);
      // Who is quoted: the page shows the API's distinct speakers and gender shares per outlet.
      const withQuoted = await page.evaluate(() => fetch('/api/stats?quoted=1').then((r) => r.json()));
      assert.equal(stats.outlets[0].quoted, undefined, 'who is quoted only when asked');
      const bugleQ = withQuoted.outlets.find((o: { outlet: string }) => o.outlet === 'Bugle');
      const quoted = await page.locator('.ws-quoted-table tbody tr', { hasText: 'Bugle' }).locator('td').allTextContents();
      assert.equal(Number(quoted[1]), bugleQ.quoted.speakers);
      assert.equal(Number(quoted[2]), bugleQ.quoted.persons);
      assert.equal(quoted[3], `${(100 * (bugleQ.quoted.genderShare.female ?? 0)).toFixed(1)}%`);
      assert.ok(bugleQ.quoted.persons > 0 && bugleQ.quoted.persons < bugleQ.quoted.speakers, 'persons and unnamed sources both quoted');
      assert.equal(await page.locator('.ws-quoted-month-table tbody tr').count(), 6);
      await page.screenshot({ path: join(ARTIFACTS, 'corpus-stats.png'), fullPage: true });
      await page.locator('.ws-outlet-table a', { hasText: 'Herald' }).click();
      await page.waitForFunction(() => /outlet=Herald/.test(location.hash) && document.querySelectorAll('.ws-outlet-table tbody tr').length === 1);
      assert.equal(await page.inputValue('#ws-f-outlet'), 'Herald');
      assert.equal(await pwned(page), undefined);
      assert.deepEqual(errors, []);
      assert.deepEqual(outside, []);
    } finally {
      await page.close();
    }
  });
});
