/**
 * Hostile input that once cost without bound or slipped through (issue 14): reads with a bound, a NUL
 * past the sniffed part, JSONL fields over --max-bytes, deep HTML, the headline rule, and the
 * store-side handling of NULs and lone surrogates. Correctness only; the timings live in
 * bench/fuzz/pathological.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { InputError, looksBinary, readFileBounded, readInputFile } from '../../src/formats/input.js';
import { boundDepth, extractArticle } from '../../src/formats/html-input.js';
import { jsonlDocs, planInputs, readSources } from '../../src/corpus/sources.js';
import { detectHeadline } from '../../src/analyze.js';
import { pgJson, pgText } from '../../src/store/postgres/index.js';
import { wellFormed } from '../../src/store/rows.js';
import { storable } from '../../src/queue/enqueue.js';
import { unpackDoc, type QueuedDoc } from '../../src/queue/index.js';

const collect = async <T>(it: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
};

test('a device or a pipe is read only up to the limit, then refused', () => {
  assert.throws(() => readFileBounded('/dev/zero', 1024), (e: unknown) => e instanceof InputError && e.problem === 'too-large' && /not a regular file/.test(e.message));
  assert.throws(() => readInputFile('/dev/zero', { maxBytes: 4096 }), (e: unknown) => e instanceof InputError && e.problem === 'too-large');
  assert.equal(readFileBounded('/dev/null', 10).length, 0);
});

test('a symlink to /dev/zero in a batch folder is one error line; the other files are read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-zero-'));
  try {
    symlinkSync('/dev/zero', join(dir, 'zero.txt'));
    writeFileSync(join(dir, 'good.txt'), 'The minister said it was over.');
    const items = await collect(readSources(planInputs([dir]), undefined, 64 * 1024));
    const byName = new Map(items.map((i) => [i.locator, i]));
    assert.match(String((byName.get('zero.txt') as { error?: string }).error), /over the 64 KiB input limit/);
    assert.ok('bytes' in byName.get('good.txt')!);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a NUL after the first 64 KiB is refused like one before it', () => {
  const b = new Uint8Array(70_000).fill(0x61);
  assert.equal(looksBinary(b), false);
  b[69_000] = 0;
  assert.equal(looksBinary(b), true);
});

test('--max-bytes applies to the text and html fields of JSONL', async () => {
  const big = 'x'.repeat(3000);
  const lines = [JSON.stringify({ id: 'a', text: 'short text' }), JSON.stringify({ id: 'b', text: big }), JSON.stringify({ id: 'c', html: `<p>${big}</p>` })].join('\n');
  const items = await collect(jsonlDocs(Readable.from([Buffer.from(lines)]), 'in.jsonl', 2000));
  assert.equal((items[0] as { text?: string }).text, 'short text');
  assert.match(String((items[1] as { error?: string }).error), /"text" is 2\.9 KiB, over the 2 KiB input limit/);
  assert.match(String((items[2] as { error?: string }).error), /"html" is .* over the 2 KiB input limit/);
});

test('HTML nested deeper than the bound is flattened, keeping its text', () => {
  const n = 5000;
  const html = `<html><body>${'<div>'.repeat(n)}<p>The minister said the plan "will work".</p>${'</div>'.repeat(n)}</body></html>`;
  const bounded = boundDepth(html, 50);
  assert.ok(bounded.depth <= 50, `depth ${bounded.depth}`);
  assert.ok(bounded.html.length < html.length);
  assert.equal(extractArticle(html).text, 'The minister said the plan "will work".');
  // Unclosed elements pile up the same way; past the bound their text is kept, run together.
  const unclosed = `<body>${'<div><p>a said b'.repeat(3000)}`;
  assert.equal(extractArticle(unclosed).text.match(/a said b/g)?.length, 3000);
  // Shallow HTML comes back untouched.
  const shallow = '<div><p>one</p><p>two</p></div>';
  assert.deepEqual(boundDepth(shallow, 50), { html: shallow, depth: 2 });
});

test('a flood of unclosed <head and <!doctype is read, not rescanned from every one', () => {
  assert.throws(() => extractArticle('<head '.repeat(20_000)));
  assert.equal(extractArticle('<!doctype html x'.repeat(5000) + '<p>Text here.</p>').text.endsWith('Text here.'), true);
});

test('the headline rule: a short first line and a blank line, spaces before it allowed', () => {
  assert.equal(detectHeadline('  Port strike over \r\n \r\nBody.'), 'Port strike over');
  assert.equal(detectHeadline(' '.repeat(50_000) + 'x'), null);
  assert.equal(detectHeadline(' '.repeat(50_000) + 'Headline\n\nBody'), 'Headline');
  assert.equal(detectHeadline('a'.repeat(201) + '\n\nBody'), null);
  assert.equal(detectHeadline('a'.repeat(200) + '\n\nBody'), 'a'.repeat(200));
  assert.equal(detectHeadline('Line one\nLine two\n\nBody'), null);
  assert.equal(detectHeadline('   \n\nBody'), null);
});

test('PostgreSQL text: each NUL becomes U+FFFD, one unit for one; JSON escapes alike', () => {
  assert.equal(pgText('a\u0000b\u0000'), 'a\ufffdb\ufffd');
  assert.equal(pgText('a\u0000b').length, 3);
  const json = JSON.stringify({ t: 'x\u0000y', lit: '\\u0000' });
  const back = JSON.parse(pgJson(json));
  assert.equal(back.t, 'x\ufffdy');
  assert.equal(back.lit, '\\u0000', 'an escaped backslash followed by u0000 is text, not a NUL');
});

test('lone surrogates are stored as U+FFFD, keeping lengths; pairs are kept', () => {
  assert.equal(wellFormed('a\ud800b\udc00c😀'), 'a\ufffdb\ufffdc😀');
  assert.equal(wellFormed('plain'), 'plain');
});

test('a queued document holding a NUL or a lone surrogate travels packed and comes back exact', () => {
  const meta = { input: 'in.jsonl', locator: 'line 1', url: null, outlet: null, published: null };
  const doc: QueuedDoc = { hash: 'h'.repeat(64), id: 'a', name: 'in.jsonl:line 1', text: 'He said\u0000 "x\ud800".', meta };
  const sent = storable(doc);
  assert.ok(sent.packed);
  assert.doesNotMatch(JSON.stringify(sent), /\\u0000|\\ud800/);
  assert.deepEqual(unpackDoc(sent), doc);
  const plain: QueuedDoc = { ...doc, text: 'Plain.' };
  assert.equal(storable(plain), plain);
});

test('isAbbrev gives what wink-nlp\'s /[a-z].*\\.$/i gives, without backtracking', async () => {
  const { isAbbrev } = await import('../../src/nlp/document.js');
  for (const w of ['Mr.', 'U.S.', 'a.', '1.', '.', 'x', 'etc', 'é.', 'a\n.', 'a\r1.', 'Z1.', '']) {
    assert.equal(isAbbrev(w), /[a-z].*\.$/i.test(w) ? 1 : 0, JSON.stringify(w));
  }
  assert.equal(isAbbrev('x'.repeat(1_000_000)), 0);
});
