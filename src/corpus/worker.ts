/** Worker thread: validates, decodes and analyses documents. The model loads once per thread. */
import { parentPort } from 'node:worker_threads';
import { analyze } from '../analyze.js';
import { ModelError } from '../attribution/model.js';
import { checkSize, decodeText, DEFAULT_MAX_BYTES, InputError, looksBinary } from '../formats/input.js';
import { prepareDocument } from '../store/rows.js';
import type { Job, JobResult } from './pool.js';

let fatal: string | null = null;
let extract: ((html: string) => { title: string | null; text: string }) | null = null;

async function htmlToText(html: string): Promise<{ title: string | null; text: string }> {
  if (!extract) extract = (await import('../formats/html-input.js')).extractArticle;
  return extract(html);
}

/** Strips the message of InputError's "name: " prefix (the store's error row names the input). */
function reason(err: unknown, name: string): string {
  const m = err instanceof Error ? err.message : String(err);
  return err instanceof InputError && m.startsWith(`${name}: `) ? m.slice(name.length + 2) : m;
}

async function run(job: Job): Promise<JobResult> {
  try {
    let text: string;
    let title = job.title;
    if (job.bytes) {
      checkSize(job.name, job.bytes.byteLength, job.maxBytes ?? DEFAULT_MAX_BYTES);
      if ((job.bytes[0] === 0xff && job.bytes[1] === 0xfe) || (job.bytes[0] === 0xfe && job.bytes[1] === 0xff)) {
        throw new Error('looks like UTF-16 text; convert it to UTF-8 first');
      }
      if (looksBinary(job.bytes)) throw new Error('looks like binary data, not text');
      const decoded = decodeText(job.bytes, job.name);
      if (job.ext === '.html' || job.ext === '.htm') {
        const a = await htmlToText(decoded);
        text = a.text;
        if (title === undefined) title = a.title;
      } else text = decoded;
    } else if (job.html !== undefined) {
      const a = await htmlToText(job.html);
      text = a.text;
      if (title === undefined) title = a.title;
    } else text = job.text ?? '';
    if (!text.trim()) throw new Error('empty document');
    const analysis = analyze(text, { id: job.id, ...(title !== undefined ? { title } : {}) });
    if (job.store) return { seq: job.seq, ok: true, prepared: prepareDocument({ hash: job.store.hash, contentHash: job.store.contentHash, analysis, text, meta: job.store.meta }) };
    return { seq: job.seq, ok: true, analysis, text: job.text === undefined ? text : undefined };
  } catch (err) {
    if (err instanceof ModelError) fatal = (err as Error).message;
    return { seq: job.seq, ok: false, error: reason(err, job.name) };
  }
}

// The model and the language pipeline load before the first job, and the pool starts timing this
// thread's jobs once they have: loading is not a document's fault.
try {
  analyze('Warm-up, he said.');
} catch {
  // A model that cannot load is reported with the first job.
}
parentPort!.postMessage({ ready: true });

// Jobs run one at a time in the order sent (an HTML job awaits its reader's import, and a message that
// came meanwhile must not run ahead of it), with one answer per job: the pool times each job from the
// previous one's answer (see pool.ts).
let queue: Promise<void> = Promise.resolve();
parentPort!.on('message', (msg: { jobs: Job[] }) => {
  queue = queue.then(async () => {
    for (const job of msg.jobs) {
      if (fatal) return;
      const r = await run(job);
      // A model that cannot load fails every document: stop the run rather than record each one.
      if (!r.ok && fatal) {
        parentPort!.postMessage({ fatal });
        return;
      }
      parentPort!.postMessage({ results: [r] });
    }
  });
});
