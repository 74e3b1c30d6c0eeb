import { Option, type Command } from 'commander';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { analyze } from '../analyze.js';
import type { Analysis } from '../core/types.js';
import { loadDefaultModel, loadInferenceModel, ModelError, type AttributionModel } from '../attribution/model.js';
import { DEFAULT_MAX_BYTES, formatBytes, InputError, readInputBytes, readInputFile, type InputDocument } from '../formats/input.js';
import { writerNames, writers, type Writer } from '../formats/writers.js';
import { UserError } from './errors.js';
import { makeOutDir } from './paths.js';
import { planOrExplain } from './db.js';
import { fileDocId } from '../corpus/sources.js';

interface AnalyzeFlags {
  format: string;
  out?: string;
  title?: string;
  includeText?: boolean;
  maxBytes: string;
  model?: string;
  quiet?: boolean;
  progress?: boolean;
}

/** One thing to analyse: a file (with the id a directory walk gives it) or standard input. */
interface Input {
  path: string;
  /** Set for files found under a directory: their path below it, as `batch` names them. */
  id?: string;
}

const STDIN = '-';

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('find who said what in news articles: plain text (.txt or any other name) and HTML (.html, .htm) files, folders of them, or standard input')
    .argument('[files...]', 'input files (.html/.htm: the article is extracted; anything else is plain text); a folder is searched for .txt/.html/.htm files as batch does; "-" or none reads standard input (plain text)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(writerNames()).default('json'))
    .option('-o, --out <dir>', 'write DIR/<name>.<format extension> for each input instead of printing')
    .option('--title <text>', 'headline to use instead of detecting one (one input only)')
    .option('--include-text', 'include the analysed text as document.text in the JSON')
    .option('--max-bytes <size>', 'largest input accepted, in bytes or with a k/M suffix', `${DEFAULT_MAX_BYTES / (1024 * 1024)}M`)
    .option('--model <dir>', 'attribution model directory (default: the committed model)')
    .option('--no-progress', 'with --out and many inputs, no progress lines, only the summary')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary)')
    .addHelpText('after', '\nExit status: 0 every input analysed; 1 some input failed (each is named on stderr) or a flag value is wrong;\n2 unknown option or missing argument.')
    .action(async (files: string[], flags: AnalyzeFlags) => {
      const failed = await runAnalyze(files, flags);
      if (failed) process.exitCode = 1;
    });
}

/** Accepts "5000000", "512k", "10M", "10MB", "10MiB" (binary multiples, as `formatBytes` shows them). */
export function parseSize(value: string, flag = '--max-bytes'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:([kmg])(?:i?b)?|b)?\s*$/i.exec(value);
  if (!m) throw new UserError(`${flag} must be a size such as 5000000, 512k or 10M, got "${value}"`);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  const n = Math.floor(Number(m[1]) * unit);
  if (n <= 0) throw new UserError(`${flag} must be more than 0, got "${value}"`);
  return n;
}

/** Analyses every input, reporting bad ones as they come; returns how many failed. */
async function runAnalyze(files: string[], flags: AnalyzeFlags): Promise<number> {
  const inputs = expandInputs(files.length ? files : [STDIN]);
  checkInputs(inputs.map((i) => i.path), flags);
  const maxBytes = parseSize(flags.maxBytes);
  const model = loadModelOrExplain(flags.model);
  const writer = writers[flags.format];
  if (flags.out) makeOutDir(flags.out);
  const many = inputs.length > 1;
  const color = flags.format === 'text' && !flags.out && !!process.stdout.isTTY && !process.env.NO_COLOR;
  stopQuietlyOnClosedPipe();

  const usedOutputs = new Map<string, string>();
  let failed = 0;
  let first = true;
  const progress = flags.out && many && !flags.quiet && flags.progress !== false ? progressLines(inputs.length) : null;
  for (const [n, { path: input, id }] of inputs.entries()) {
    progress?.(n);
    try {
      const read = input === STDIN ? await readStdin(maxBytes) : readInputFile(input, { maxBytes });
      const doc = id !== undefined ? { ...read, id } : read;
      const analysis = analyzeDocument(doc, flags, model);
      const rendered = writer.write(analysis, doc.text, { compact: many && !flags.out, color });
      if (flags.out) {
        const path = outputPath(flags.out, input, doc.id, writer, usedOutputs);
        // A document found in a subfolder keeps its place in the output tree.
        if (id?.includes('/')) mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, rendered);
      } else {
        await print(!first && flags.format !== 'json' ? `\n${rendered}` : rendered);
        first = false;
      }
    } catch (err) {
      failed++;
      console.error(`whosaid: ${describeFailure(input, err)}`);
    }
  }
  if (flags.out && many && !flags.quiet) {
    console.error(`${inputs.length - failed} of ${inputs.length} inputs analysed; output in ${flags.out}`);
  }
  return failed;
}

/**
 * Files as given; a folder becomes the .txt/.html/.htm files under it, in the order and with the ids
 * (their path below the folder) that `batch` uses, so both commands name a document alike.
 */
function expandInputs(paths: string[]): Input[] {
  const out: Input[] = [];
  for (const path of paths) {
    if (path === STDIN || !isDirectory(path)) {
      out.push({ path });
      continue;
    }
    const [source] = planOrExplain([path]).sources;
    if (source.kind !== 'dir') continue;
    if (!source.files.length) throw new UserError(`${path}: a folder with no .txt, .html or .htm files in it`);
    // Paths as the user wrote the folder, so messages name files the way they were given.
    for (const file of source.files) out.push({ path: join(path, relative(source.root, file)), id: fileDocId(source.root, file) });
  }
  return out;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // reported, with its reason, when the file is read
  }
}

/** A plain "N of M inputs analysed" line on stderr every few seconds, for long runs into --out. */
function progressLines(total: number, everyMs = 5000): (done: number) => void {
  let last = Date.now();
  return (done) => {
    const now = Date.now();
    if (now - last < everyMs) return;
    last = now;
    process.stderr.write(`whosaid: ${done} of ${total} inputs analysed\n`);
  };
}

function checkInputs(inputs: string[], flags: AnalyzeFlags): void {
  if (inputs.filter((f) => f === STDIN).length > 1) throw new UserError('standard input ("-") can be read only once');
  if (flags.title !== undefined && inputs.length > 1) {
    throw new UserError(`--title names the headline of one article, but ${inputs.length} inputs were given`);
  }
  // Waiting silently for a terminal to type an article looks like a hang; say what is expected.
  if (inputs.includes(STDIN) && process.stdin.isTTY) {
    throw new UserError('no input: give one or more FILES, or pipe text into standard input');
  }
}

/** The committed model, or the one in `dir`, ready for analysis; a bad model is the user's mistake. */
export function loadModelOrExplain(dir: string | undefined): AttributionModel {
  try {
    return dir ? loadInferenceModel(dir) : loadDefaultModel();
  } catch (err) {
    if (err instanceof ModelError) throw new UserError(err.message);
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UserError(`${dir}: no such model directory`);
    throw err;
  }
}

async function readStdin(maxBytes: number): Promise<InputDocument> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    // Refuse as soon as the limit is passed rather than buffering an unbounded stream (whose size we
    // therefore never learn, so the message cannot state it).
    if (total > maxBytes) throw new InputError('stdin', 'too-large', `more than the ${formatBytes(maxBytes)} input limit`);
    chunks.push(chunk);
  }
  return readInputBytes(Buffer.concat(chunks), 'stdin', 'stdin', { maxBytes });
}

/** Runs the library on one input; the flags' title and text options apply. */
export function analyzeDocument(doc: InputDocument, flags: Pick<AnalyzeFlags, 'title' | 'includeText'>, model: AttributionModel): Analysis {
  const title = flags.title !== undefined ? flags.title : doc.title;
  const includeText = !!flags.includeText || !!doc.includeText;
  return analyze(doc.text, { id: doc.id, title, includeText, model });
}

/** DIR/<id><ext>, refusing to overwrite an input or another input's output from this same run. */
function outputPath(dir: string, input: string, id: string, writer: Writer, used: Map<string, string>): string {
  const path = join(dir, `${id}${writer.extension}`);
  const key = resolve(path);
  if (input !== STDIN && key === resolve(input)) throw new InputError(input, 'unreadable', `its output ${path} would overwrite it`);
  const other = used.get(key);
  if (other !== undefined) throw new InputError(input, 'unreadable', `its output ${path} was already written for ${other}`);
  used.set(key, input);
  return path;
}

function describeFailure(input: string, err: unknown): string {
  if (err instanceof InputError) {
    return err.problem === 'too-large' ? `${err.message}; raise it with --max-bytes` : err.message;
  }
  // A failure inside the analysis of one article must not stop a batch; the stack helps only developers.
  if (process.env.WHOSAID_DEBUG) console.error(err);
  const message = err instanceof Error ? err.message : String(err);
  return `${input === STDIN ? 'stdin' : input}: could not analyse (${message}); set WHOSAID_DEBUG=1 for details`;
}

/** Writes to stdout, waiting when the reader is slower than we are so output is never buffered whole. */
function print(s: string): Promise<void> {
  return new Promise((done) => {
    if (process.stdout.write(s)) done();
    else process.stdout.once('drain', done);
  });
}

/** `whosaid analyze … | head` closes the pipe early; that is the reader's choice, not an error. */
function stopQuietlyOnClosedPipe(): void {
  process.stdout.once('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}
