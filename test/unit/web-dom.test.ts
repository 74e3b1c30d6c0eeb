/** The browser helpers that keep untrusted text and URLs safe (src/web/dom.ts), run in Node. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseHTML } from 'linkedom';
import { highlightRuns, queryWords, safeHref } from '../../src/web/dom.js';

test('safeHref: only http(s) URLs become links', () => {
  assert.equal(safeHref('https://news.example/a?b=1'), 'https://news.example/a?b=1');
  assert.equal(safeHref(' http://x.example '), 'http://x.example/');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>1</script>', 'vbscript:x', '/relative', '//evil.example', 'file:///etc/passwd', '', null, 42]) {
    assert.equal(safeHref(bad), null, String(bad));
  }
});

test('highlightRuns: whole words, case- and accent-insensitive, text kept exactly', () => {
  const text = 'The Harbour, harbours and HARBOUR; Núñez said nunez.';
  const runs = highlightRuns(text, queryWords('harbour nunez'));
  assert.equal(runs.map((r) => r.text).join(''), text);
  assert.deepEqual(runs.filter((r) => r.hit).map((r) => r.text), ['Harbour', 'HARBOUR', 'Núñez', 'nunez']);
  assert.deepEqual(highlightRuns('abc', []), [{ text: 'abc', hit: false }]);
});

test('externalLink: rel and target on http(s) links, plain text otherwise', async () => {
  const { document } = parseHTML('<!DOCTYPE html><html><body></body></html>');
  (globalThis as { document?: unknown }).document = document;
  try {
    const { externalLink } = await import('../../src/web/dom.js');
    const a = externalLink('https://news.example/1');
    assert.equal(a.tagName, 'A');
    assert.equal(a.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(a.getAttribute('target'), '_blank');
    const s = externalLink('javascript:window.__pwned=1');
    assert.equal(s.tagName, 'SPAN');
    assert.equal(s.getAttribute('href'), null);
    assert.equal(s.textContent, 'javascript:window.__pwned=1');
  } finally {
    delete (globalThis as { document?: unknown }).document;
  }
});
