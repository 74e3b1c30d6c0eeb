import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { parseHTML } from 'linkedom';
import { renderReport, escapeHtml, jsonForScript } from '../../src/formats/html-report.js';
import { webAssets } from '../../src/formats/html/assets.js';
import { SAMPLE_TEXT, sampleAnalysis } from '../fixtures/report-sample.js';

interface Segment { start: number; end: number; marks: { id: string; role: string }[] }
interface ViewApi {
  segments(text: string, attributions: unknown[]): Segment[];
  render(container: unknown, analysis: unknown, text?: string): { select(id: string): boolean };
}

/** Runs the browser view script against a linkedom document. */
function loadView(html = '<!DOCTYPE html><html><head></head><body><div id="v"></div></body></html>') {
  const { window, document } = parseHTML(html);
  const context = vm.createContext({ window, document, CSS: { escape: (s: string) => s } });
  vm.runInContext(webAssets()['report.js'], context);
  return { view: (window as unknown as { WhosaidView: ViewApi }).WhosaidView, document };
}

test('escapeHtml escapes the five HTML metacharacters', () => {
  assert.equal(escapeHtml(`<a href="x" onclick='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  assert.equal(escapeHtml(null), '');
});

test('jsonForScript cannot close its script element and round-trips', () => {
  const value = { t: '</script><script>alert(1)</script><!-- \u2028 & >' };
  const out = jsonForScript(value);
  assert.doesNotMatch(out, /<|>|&/);
  assert.deepEqual(JSON.parse(out), value);
});

test('report: article text never becomes markup', () => {
  const analysis = sampleAnalysis();
  analysis.document.title = '</title><script>window.__pwned=1</script>';
  const html = renderReport(analysis, SAMPLE_TEXT);
  // The only script elements are the JSON data and the view script itself.
  const scripts = html.match(/<script[^>]*>/g) ?? [];
  assert.deepEqual(scripts, ['<script type="application/json" id="whosaid-data">', '<script>']);
  assert.ok(!html.includes('<script>window.__pwned'), 'article/title script must be escaped');
  assert.ok(!html.includes('<img src=x'), 'article img must be escaped');
  assert.ok(html.includes('&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;'));
  // The embedded data reads back to exactly the analysis and text.
  const { document } = parseHTML(html);
  const data = JSON.parse(document.getElementById('whosaid-data')!.textContent!);
  assert.equal(data.text, SAMPLE_TEXT);
  assert.deepEqual(data.analysis.attributions, analysis.attributions);
});

test('report is self-contained: no external loads, CSP hashes match the inline code', () => {
  const html = renderReport(sampleAnalysis(), SAMPLE_TEXT);
  assert.doesNotMatch(html, /\s(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
  assert.doesNotMatch(html, /@import|url\(\s*["']?(?:https?:)?\/\//i);
  assert.doesNotMatch(html, /<(?:link|iframe|img|object|embed)\b/i);
  const csp = parseHTML(html).document.querySelector('meta[http-equiv="Content-Security-Policy"]')!.getAttribute('content')!;
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1];
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1];
  const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
  assert.ok(csp.includes(`script-src ${hash(script)}`), 'script hash');
  assert.ok(csp.includes(`style-src ${hash(style)}`), 'style hash');
});

test('segments: contiguous cover of the text; overlapping and nested spans keep every mark', () => {
  const { view } = loadView();
  const analysis = sampleAnalysis();
  // JSON round trip: arrays from the vm realm are not deepStrictEqual to this realm's.
  const segs: Segment[] = JSON.parse(JSON.stringify(view.segments(SAMPLE_TEXT, analysis.attributions)));
  assert.equal(segs[0].start, 0);
  assert.equal(segs[segs.length - 1].end, SAMPLE_TEXT.length);
  for (let i = 1; i < segs.length; i++) assert.equal(segs[i].start, segs[i - 1].end);
  const marksAt = (phrase: string) => {
    const pos = SAMPLE_TEXT.indexOf(phrase);
    const seg = segs.find((s) => s.start <= pos && pos < s.end)!;
    return seg.marks.map((m) => `${m.id}:${m.role}`).sort();
  };
  // a4 is nested in a3's content: its cue and content are also a3's content.
  assert.deepEqual(marksAt('is said to'), ['a3:content', 'a4:cue']);
  assert.deepEqual(marksAt('favour'), ['a3:content', 'a4:content']);
  assert.deepEqual(marksAt('A source'), ['a3:source']);
  assert.deepEqual(marksAt('Reuters'), []);
  // Out-of-range and empty spans are clipped or ignored rather than breaking the cover.
  const odd: Segment[] = JSON.parse(JSON.stringify(view.segments('abc', [{ id: 'x', cue: { spans: [[2, 99], [1, 1]] }, content: { spans: [[-5, 1]] } }])));
  assert.deepEqual(odd.map((s) => [s.start, s.end, s.marks.length]), [[0, 1, 1], [1, 2, 0], [2, 3, 1]]);
});

test('render: the marked text reads back exactly; hostile text stays text; details show speaker', () => {
  const { view, document } = loadView();
  const container = document.getElementById('v');
  const api = view.render(container, sampleAnalysis(), SAMPLE_TEXT);
  const article = document.querySelector('.ws-text')!;
  assert.equal(article.textContent, SAMPLE_TEXT);
  assert.equal(document.querySelectorAll('script, img').length, 0);
  // A segment in both a3's content and a4's cue nests both role layers.
  const nested = [...document.querySelectorAll('.ws-seg')].find((n) => n.textContent === 'is said to')!;
  assert.ok(nested.querySelector('.ws-r-content .ws-r-cue'));
  assert.ok(api.select('a2'));
  const details = document.querySelector('.ws-details')!.textContent!;
  assert.match(details, /Maria Okonkwo-Hale \(person\)/);
  assert.match(details, /Reuters \(media outlet\)/);
  assert.match(details, /direct/);
  assert.match(details, /93%/);
  assert.equal(document.querySelectorAll('.ws-text .ws-sel').length, 4); // her, quoted, as saying, the quote
  // Speaker panel: entities with type, descriptors, and their passages (said and relayed).
  const speakers = document.querySelector('.ws-speakers')!.textContent!;
  assert.match(speakers, /head of the port authority/);
  assert.match(speakers, /\(relayed\)/);
  assert.match(speakers, /No source/); // a4 has no speaker and no source
});

test('render copes with no entities, speaker null and missing text', () => {
  const { view, document } = loadView();
  const a = sampleAnalysis();
  a.entities = [];
  for (const x of a.attributions) { x.speaker = null; x.via = []; }
  view.render(document.getElementById('v'), a, '');
  assert.match(document.querySelector('.ws-speakers')!.textContent!, /No speakers were resolved/);
  assert.match(document.querySelector('.ws-text')!.textContent!, /not available/);
});
