/**
 * Reading input files for analysis: size limit, binary and encoding checks, then a reader chosen by
 * the file's extension. Every problem is an `InputError` naming the file, so a batch can report it in
 * one line and go on with the next file.
 *
 * Offsets: the analysis indexes the *decoded* text. A UTF-8 byte order mark is an encoding signature,
 * not content, so it is dropped (as `TextDecoder` does by default); offsets then count from the first
 * character after it. Line endings and everything else are kept exactly as in the file.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { extractArticle, HtmlExtractError } from './html-input.js';

/** What went wrong, for callers that add advice (the CLI names its `--max-bytes` flag for `too-large`). */
export type InputProblem = 'not-found' | 'unreadable' | 'too-large' | 'binary' | 'encoding' | 'unsupported';

export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly file: string, readonly problem: InputProblem, detail: string) {
    super(`${file}: ${detail}`);
  }
}

/** One input, ready for `analyze`. */
export interface InputDocument {
  /** The file's base name without its extension; "stdin" for standard input. */
  id: string;
  /** A title the format itself carries (an HTML <title>); undefined lets analysis detect a headline. */
  title?: string | null;
  /** The text the analysis's offsets index. */
  text: string;
  /** The text is not the file's bytes (extracted from HTML): the analysis should carry it as document.text. */
  includeText?: boolean;
}

export interface InputOptions {
  /** Largest accepted input in bytes. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** Turns a file's validated bytes into a document. `name` is the file as the user gave it. */
export type Reader = (bytes: Uint8Array, name: string, id: string) => InputDocument;

const readText: Reader = (bytes, name, id) => ({ id, text: decodeText(bytes, name) });

/**
 * Readers by lower-case extension; any other extension (or none) is read as plain text.
 * HTML (`.html`/`.htm`): the article's title and main text are extracted (./html-input.ts); the
 * extracted text is what offsets index, so such documents ask for it to be included in the analysis.
 */
export const readers: Record<string, Reader> = {
  '.txt': readText,
  '.html': readHtml,
  '.htm': readHtml,
};

/** HTML: Readability's article text and title; an HTML file with no text at all is an error. */
function readHtml(bytes: Uint8Array, name: string, id: string): InputDocument {
  const html = decodeText(bytes, name);
  try {
    const { title, text } = extractArticle(html);
    return { id, title, text, includeText: true };
  } catch (err) {
    if (err instanceof HtmlExtractError) throw new InputError(name, 'unreadable', 'no article text found in this HTML');
    throw err;
  }
}

export function documentId(path: string): string {
  const base = basename(path);
  const ext = extname(base);
  return ext && ext !== base ? base.slice(0, -ext.length) : base;
}

/** Reads, validates and decodes one file. Throws `InputError`. */
export function readInputFile(path: string, opts: InputOptions = {}): InputDocument {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  // stat first so an oversized file is refused before it is read into memory.
  const size = statOrThrow(path).size;
  checkSize(path, size, maxBytes);
  const bytes = readFileBounded(path, maxBytes);
  return readBytes(bytes, path, documentId(path));
}

/**
 * Reads at most `maxBytes` of a file, and refuses it when there is more: a device (`/dev/zero`, or a
 * link to it) or a pipe has no size to check beforehand, and reading it whole never ends. Throws
 * `InputError`.
 */
export function readFileBounded(path: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw fsError(path, err);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError(path, 'unreadable', 'is a directory, not a file');
    if (st.isFile()) checkSize(path, st.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch (err) {
        throw fsError(path, err);
      }
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) {
        throw new InputError(path, 'too-large', `${st.isFile() ? formatBytes(total) : 'more than ' + formatBytes(maxBytes)} is over the ${formatBytes(maxBytes)} input limit${st.isFile() ? '' : ' (not a regular file)'}`);
      }
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** Validates and decodes bytes that did not come from a named file (standard input, an upload). */
export function readInputBytes(bytes: Uint8Array, name: string, id: string, opts: InputOptions = {}): InputDocument {
  checkSize(name, bytes.byteLength, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  return readBytes(bytes, name, id, readText);
}

function readBytes(bytes: Uint8Array, name: string, id: string, reader?: Reader): InputDocument {
  checkNotBinary(bytes, name);
  const chosen = reader ?? readers[extname(name).toLowerCase()] ?? readText;
  return chosen(bytes, name, id);
}

function statOrThrow(path: string) {
  let st;
  try {
    st = statSync(path);
  } catch (err) {
    throw fsError(path, err);
  }
  if (st.isDirectory()) throw new InputError(path, 'unreadable', 'is a directory, not a file');
  return st;
}

function fsError(path: string, err: unknown): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError(path, 'not-found', 'no such file');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(path, 'unreadable', 'permission denied');
  if (code === 'EISDIR') return new InputError(path, 'unreadable', 'is a directory, not a file');
  return new InputError(path, 'unreadable', `cannot read (${code ?? (err as Error).message})`);
}

export function checkSize(name: string, bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) {
    throw new InputError(name, 'too-large', `${formatBytes(bytes)} is over the ${formatBytes(maxBytes)} input limit`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${trim1(n / 1024)} KiB`;
  return `${trim1(n / (1024 * 1024))} MiB`;
}

function trim1(x: number): string {
  return x.toFixed(1).replace(/\.0$/, '');
}

/** How much of a file the binary check looks at; enough to judge, cheap on large files. */
const SNIFF_BYTES = 64 * 1024;

/**
 * Text has no NUL bytes and few control characters; binary formats (images, archives, PDFs, UTF-16)
 * nearly always have both. Tab, line feed, form feed, carriage return and escape are allowed.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  // A NUL anywhere, not only in the part sniffed below (one after the first 64 KiB got through).
  if (bytes.indexOf(0) >= 0) return true;
  const n = Math.min(bytes.byteLength, SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0c && b !== 0x0d && b !== 0x1b) || b === 0x7f) control++;
  }
  return n > 0 && control / n > 0.1;
}

function checkNotBinary(bytes: Uint8Array, name: string): void {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new InputError(name, 'encoding', 'looks like UTF-16 text; convert it to UTF-8 first');
  }
  if (looksBinary(bytes)) throw new InputError(name, 'binary', 'looks like binary data, not text');
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes strict UTF-8, dropping a leading byte order mark. Throws `InputError` at the first bad byte. */
export function decodeText(bytes: Uint8Array, name: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    // TextDecoder does not say where decoding failed; find it so the user can look.
    const at = invalidUtf8Offset(bytes);
    const hex = bytes[at]?.toString(16).padStart(2, '0') ?? '?';
    throw new InputError(name, 'encoding', `not valid UTF-8: byte 0x${hex} at offset ${at} starts no valid character; convert the file to UTF-8`);
  }
}

/**
 * Byte offset where the first ill-formed UTF-8 sequence starts (Unicode table 3-7: no overlong forms,
 * no surrogates, nothing above U+10FFFF), or -1 when all of it is valid. Like Python's decoder, the
 * offset is that of the sequence's first byte, the one a hex dump should be opened at.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.byteLength;
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      const min = k === 1 ? lo : 0x80;
      const max = k === 1 ? hi : 0xbf;
      if (c < min || c > max) return i;
    }
    i += need + 1;
  }
  return -1;
}
