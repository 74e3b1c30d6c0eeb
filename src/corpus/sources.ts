/**
 * Batch inputs, streamed: directories (recursive .txt/.html/.htm), JSONL files, and "-" (JSONL on stdin).
 * Nothing is loaded whole: a directory is listed first (paths only), files are read one at a time, and
 * JSONL is split into lines from a byte stream (so a line of broken UTF-8 is reported on its own instead
 * of being silently replaced by U+FFFD, as a text-mode reader would).
 */
import { createReadStream, readdirSync, statSync, type Stats } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { parseArticleLine, type ArticleRecord } from '../formats/jsonl.js';
import { DEFAULT_MAX_BYTES, formatBytes, InputError, readFileBounded } from '../formats/input.js';

export const DOCUMENT_EXTENSIONS = new Set(['.txt', '.html', '.htm']);

export type Source =
  | { kind: 'dir'; input: string; root: string; files: string[]; bytes: number }
  | { kind: 'file'; input: string; path: string; bytes: number }
  | { kind: 'jsonl'; input: string; path: string; bytes: number }
  | { kind: 'stdin'; input: '-' };

export interface Plan {
  sources: Source[];
  /** Known when every input is a directory or a single document file. */
  totalDocs: number | null;
  /** Known unless stdin is read. */
  totalBytes: number | null;
}

/** One document as read, before analysis. */
export interface RawDoc {
  input: string;
  locator: string;
  /** Bytes of the input consumed so far (for progress by bytes). */
  bytesRead: number;
  id: string | null;
  title?: string | null;
  /** A document file's bytes (validated and decoded by the worker). */
  bytes?: Uint8Array;
  /** Extension of a document file (".txt", ".html"). */
  ext?: string;
  text?: string;
  html?: string;
  url?: string;
  outlet?: string;
  published?: string;
}

/** Something that could not even be read as a document. */
export interface RawError {
  input: string;
  locator: string;
  bytesRead: number;
  error: string;
}

export type RawItem = RawDoc | RawError;

export class InputPlanError extends Error {}

function walk(root: string, dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new InputPlanError(`cannot read directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(root, p, out);
    else if ((e.isFile() || e.isSymbolicLink()) && DOCUMENT_EXTENSIONS.has(extname(e.name).toLowerCase())) out.push(p);
  }
}

/** Lists what will be read. Throws InputPlanError for inputs that do not exist or cannot be read. */
export function planInputs(inputs: string[]): Plan {
  const sources: Source[] = [];
  let totalDocs: number | null = 0;
  let totalBytes: number | null = 0;
  let stdin = false;
  for (const input of inputs) {
    if (input === '-') {
      if (stdin) throw new InputPlanError('"-" (stdin) given twice');
      stdin = true;
      sources.push({ kind: 'stdin', input: '-' });
      totalDocs = null;
      totalBytes = null;
      continue;
    }
    const abs = resolve(input);
    let st: Stats;
    try {
      st = statSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new InputPlanError(`${input}: ${code === 'ENOENT' ? 'no such file or directory' : `cannot read (${code})`}`);
    }
    if (st.isDirectory()) {
      const files: string[] = [];
      walk(abs, abs, files);
      let bytes = 0;
      for (const f of files) {
        try {
          bytes += statSync(f).size;
        } catch {
          /* reported when read */
        }
      }
      sources.push({ kind: 'dir', input: abs, root: abs, files, bytes });
      if (totalDocs !== null) totalDocs += files.length;
      if (totalBytes !== null) totalBytes += bytes;
    } else {
      const ext = extname(abs).toLowerCase();
      if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') {
        sources.push({ kind: 'jsonl', input: abs, path: abs, bytes: st.size });
        totalDocs = null;
      } else if (DOCUMENT_EXTENSIONS.has(ext)) {
        sources.push({ kind: 'file', input: abs, path: abs, bytes: st.size });
        if (totalDocs !== null) totalDocs += 1;
      } else {
        throw new InputPlanError(`${input}: not a directory, a .jsonl file, or a .txt/.html document`);
      }
      if (totalBytes !== null) totalBytes += st.size;
    }
  }
  return { sources, totalDocs, totalBytes };
}

/** The id of a document file: its path under the directory, without extension, with "/" separators. */
export function fileDocId(root: string, path: string): string {
  const rel = relative(root, path).split(sep).join('/');
  const ext = extname(rel);
  return ext ? rel.slice(0, -ext.length) : rel;
}

const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** Splits a byte stream into lines (without "\n" or a final "\r"); over-long lines are yielded as null. */
export async function* byteLines(stream: Readable, maxLineBytes = MAX_LINE_BYTES): AsyncGenerator<{ line: Buffer | null; bytesRead: number }> {
  let parts: Buffer[] = [];
  let partLen = 0;
  let tooLong = false;
  let bytesRead = 0;
  const emit = (buf: Buffer | null) => {
    if (buf && buf.length && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    return { line: tooLong ? null : buf, bytesRead };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      bytesRead += nl + 1 - start;
      const piece = chunk.subarray(start, nl);
      const line = partLen ? Buffer.concat([...parts, piece]) : piece;
      yield emit(tooLong ? null : line);
      parts = [];
      partLen = 0;
      tooLong = false;
      start = nl + 1;
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      bytesRead += rest.length;
      if (!tooLong) {
        partLen += rest.length;
        if (partLen > maxLineBytes) {
          tooLong = true;
          parts = [];
          partLen = 0;
        } else parts.push(Buffer.from(rest)); // copy: the stream may reuse its chunk
      }
    }
  }
  if (partLen || tooLong) yield emit(tooLong ? null : Buffer.concat(parts));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Reads JSONL articles; bad lines come out as RawError (blank lines are skipped). */
export async function* jsonlDocs(stream: Readable, input: string, maxBytes = DEFAULT_MAX_BYTES): AsyncGenerator<RawItem> {
  let n = 0;
  for await (const { line, bytesRead } of byteLines(stream, Math.max(maxBytes * 2, 1024 * 1024))) {
    n++;
    const locator = `line ${n}`;
    if (line === null) {
      yield { input, locator, bytesRead, error: 'line is too long' };
      continue;
    }
    if (line.length > maxBytes * 2) {
      yield { input, locator, bytesRead, error: `${formatBytes(line.length)} is over the input limit` };
      continue;
    }
    let s: string;
    try {
      s = utf8.decode(line);
    } catch {
      yield { input, locator, bytesRead, error: 'not valid UTF-8' };
      continue;
    }
    if (!s.trim()) continue;
    let rec: ArticleRecord;
    try {
      rec = parseArticleLine(s);
    } catch (err) {
      yield { input, locator, bytesRead, error: (err as Error).message };
      continue;
    }
    // The limit applies to the article, as to a file (a 9 MB "text" ran 21 minutes).
    const size = Buffer.byteLength(rec.text ?? rec.html ?? '');
    if (size > maxBytes) {
      yield { input, locator, bytesRead, error: `"${rec.text !== undefined ? 'text' : 'html'}" is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} input limit` };
      continue;
    }
    yield { input, locator, bytesRead, id: rec.id ?? null, ...rec } as RawDoc;
  }
}

/** Every document of every source, in order. */
export async function* readSources(plan: Plan, stdin: Readable = process.stdin, maxBytes = DEFAULT_MAX_BYTES): AsyncGenerator<RawItem> {
  let before = 0;
  for (const src of plan.sources) {
    if (src.kind === 'dir') {
      let done = 0;
      for (const f of src.files) {
        const locator = relative(src.root, f).split(sep).join('/');
        let bytes: Buffer;
        try {
          // Bounded: a link to /dev/zero in the folder must not be read for ever.
          bytes = readFileBounded(f, maxBytes);
        } catch (err) {
          const why = err instanceof InputError ? err.message.slice(f.length + 2) : `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
          yield { input: src.input, locator, bytesRead: before + done, error: why };
          continue;
        }
        done += bytes.length;
        yield { input: src.input, locator, bytesRead: before + done, id: fileDocId(src.root, f), bytes, ext: extname(f).toLowerCase() };
      }
      before += src.bytes;
    } else if (src.kind === 'file') {
      let bytes: Buffer;
      try {
        bytes = readFileBounded(src.path, maxBytes);
      } catch (err) {
        const why = err instanceof InputError ? err.message.slice(src.path.length + 2) : `cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
        yield { input: src.input, locator: '', bytesRead: before, error: why };
        continue;
      }
      before += bytes.length;
      yield { input: src.input, locator: '', bytesRead: before, id: fileDocId(resolve(src.path, '..'), src.path), bytes, ext: extname(src.path).toLowerCase() };
    } else {
      const stream = src.kind === 'stdin' ? stdin : createReadStream(src.path, { highWaterMark: 1024 * 1024 });
      const base = before;
      for await (const item of jsonlDocs(stream, src.input, maxBytes)) {
        yield { ...item, bytesRead: base + item.bytesRead };
      }
      if (src.kind === 'jsonl') before += src.bytes;
    }
  }
}
