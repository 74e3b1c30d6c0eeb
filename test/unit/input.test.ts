import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  decodeText, documentId, InputError, invalidUtf8Offset, looksBinary, readInputBytes, readInputFile,
} from '../../src/formats/input.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const utf8 = (s: string) => new TextEncoder().encode(s);

test('invalidUtf8Offset accepts well-formed text of every sequence length', () => {
  assert.equal(invalidUtf8Offset(utf8('plain, é, €, 😀, 大')), -1);
  assert.equal(invalidUtf8Offset(bytes()), -1);
});

test('invalidUtf8Offset finds where the first ill-formed sequence starts', () => {
  assert.equal(invalidUtf8Offset(bytes(0x61, 0xfc, 0x62)), 1, 'Latin-1 ü');
  assert.equal(invalidUtf8Offset(bytes(0x61, 0x80)), 1, 'lone continuation byte');
  assert.equal(invalidUtf8Offset(bytes(0x61, 0x62, 0xc3, 0x28)), 2, 'lead byte then ASCII');
  assert.equal(invalidUtf8Offset(bytes(0xc0, 0xaf)), 0, 'overlong two-byte form');
  assert.equal(invalidUtf8Offset(bytes(0xe0, 0x80, 0xaf)), 0, 'overlong three-byte form');
  assert.equal(invalidUtf8Offset(bytes(0xed, 0xa0, 0x80)), 0, 'UTF-16 surrogate');
  assert.equal(invalidUtf8Offset(bytes(0xf4, 0x90, 0x80, 0x80)), 0, 'above U+10FFFF');
  assert.equal(invalidUtf8Offset(bytes(0x61, 0xf0, 0x9f, 0x98)), 1, 'truncated at the end');
});

test('decodeText drops a byte order mark and keeps \\r\\n', () => {
  assert.equal(decodeText(bytes(0xef, 0xbb, 0xbf, 0x48, 0x69, 0x0d, 0x0a), 'f'), 'Hi\r\n');
});

test('decodeText reports the file and offset of broken UTF-8', () => {
  assert.throws(() => decodeText(bytes(0x41, 0x42, 0xff), 'x.txt'), (err: unknown) => {
    assert.ok(err instanceof InputError);
    assert.equal(err.file, 'x.txt');
    assert.equal(err.problem, 'encoding');
    assert.match(err.message, /^x\.txt: not valid UTF-8: byte 0xff at offset 2/);
    return true;
  });
});

test('looksBinary: NUL bytes or many control characters, but not text with tabs and line breaks', () => {
  assert.equal(looksBinary(utf8('Line one\tcol\r\nLine two\f\n')), false);
  assert.equal(looksBinary(bytes(0x41, 0x00, 0x42)), true);
  assert.equal(looksBinary(bytes(1, 2, 3, 4, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46)), true);
  assert.equal(looksBinary(bytes()), false);
});

test('UTF-16 is named as such, not as binary', () => {
  const le = Uint8Array.from([0xff, 0xfe, ...utf8('H'), 0, ...utf8('i'), 0]);
  assert.throws(() => readInputBytes(le, 'u16.txt', 'u16'), /u16\.txt: looks like UTF-16 text/);
});

test('documentId drops one extension only', () => {
  assert.equal(documentId('/a/b/story.txt'), 'story');
  assert.equal(documentId('story.v2.txt'), 'story.v2');
  assert.equal(documentId('README'), 'README');
  assert.equal(documentId('.hidden'), '.hidden');
});

test('readInputFile: size limit before reading, missing files, directories', () => {
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-input-'));
  try {
    const big = join(dir, 'big.txt');
    writeFileSync(big, 'x'.repeat(2048));
    assert.throws(() => readInputFile(big, { maxBytes: 1024 }), (err: unknown) => err instanceof InputError && err.problem === 'too-large'
      && /big\.txt: 2 KiB is over the 1 KiB input limit/.test(err.message));
    assert.equal(readInputFile(big, { maxBytes: 2048 }).text.length, 2048, 'exactly at the limit is fine');
    assert.throws(() => readInputFile(join(dir, 'nope.txt')), /nope\.txt: no such file/);
    assert.throws(() => readInputFile(dir), /is a directory, not a file/);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    assert.deepEqual(readInputFile(empty), { id: 'empty', text: '' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
