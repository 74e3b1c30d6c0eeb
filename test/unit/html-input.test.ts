import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractArticle, HtmlExtractError } from '../../src/formats/html-input.js';

const para = (s: string) => `<p>${s}</p>`;
const long = 'The minister said the port would reopen on Monday, though unions disputed the timetable. ';

test('extracts title and main text, dropping navigation and scripts', () => {
  const html = `<!doctype html><html><head><title>Port strike ends</title><style>p{}</style></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Port strike ends</h1>${para(long.repeat(6))}${para('"We are finished here," she said.')}</article>
    <script>window.x = 1</script><footer>© News Ltd</footer></body></html>`;
  const { title, text } = extractArticle(html);
  assert.equal(title, 'Port strike ends');
  assert.match(text, /^The minister said/);
  assert.match(text, /\n\n"We are finished here," she said\.$/);
  assert.doesNotMatch(text, /window\.x|Home|p\{\}/);
});

test('paragraphs become blank-line separated blocks; whitespace collapses; entities decode', () => {
  const { text } = extractArticle('<div><p>One\n   two &amp; three</p><p>Four<br>five</p><ul><li>six</li></ul></div>');
  assert.equal(text, 'One two & three\n\nFour\nfive\n\nsix');
});

test('fragments, bare text and malformed markup do not throw', () => {
  assert.equal(extractArticle('just words').text, 'just words');
  assert.equal(extractArticle('<html><div>x<p>y').text, 'x\n\ny');
  assert.equal(extractArticle('<<<>>>&&&').text, '<<<>>>&&&');
  assert.equal(extractArticle('<p>unclosed <b>bold <i>italic</p> tail').text.replace(/\s+/g, ' ').trim(), 'unclosed bold italic tail');
  assert.equal(extractArticle('<title>T</title><p>para</p>').title, 'T');
});

test('no text at all is a clear error', () => {
  for (const html of ['', '   ', '<script>alert(1)</script>', '<html><head><title>x</title></head><body></body></html>']) {
    assert.throws(() => extractArticle(html), HtmlExtractError);
  }
});
