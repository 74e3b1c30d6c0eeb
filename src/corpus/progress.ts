/** Progress of a batch run: a bar on a terminal (cli-progress), plain periodic lines otherwise. */
import cliProgress from 'cli-progress';
import type { BatchCounts } from './batch.js';

export interface ProgressSink {
  update(c: BatchCounts): void;
  stop(c: BatchCounts): void;
}

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * Documents done with so far: counted as each analysis finishes (`processed`), not only when its batch
 * commits, so progress moves from the first results instead of waiting for the first transaction.
 */
export function doneCount(c: BatchCounts): number {
  return Math.max(c.processed, c.stored + c.skipped + c.errors);
}

/** Documents per second, and the seconds left when the total (of documents or bytes) is known. */
export function rateAndEta(c: BatchCounts): { rate: number; eta: number } {
  const done = doneCount(c);
  const rate = c.elapsedMs > 0 ? (done / c.elapsedMs) * 1000 : 0;
  let eta = NaN;
  if (c.totalDocs !== null && rate > 0) eta = (c.totalDocs - done) / rate;
  else if (c.totalBytes && c.bytesRead > 0) eta = ((c.totalBytes - c.bytesRead) / c.bytesRead) * (c.elapsedMs / 1000);
  return { rate, eta };
}

/** "430/840 documents processed: …", or with JSONL (count unknown) "430 documents processed, 52% of the input read: …". */
export function progressLine(c: BatchCounts): string {
  const done = doneCount(c);
  const { rate, eta } = rateAndEta(c);
  const count =
    c.totalDocs !== null
      ? `${done}/${c.totalDocs} documents processed`
      : `${done} document${done === 1 ? '' : 's'} processed${c.totalBytes ? `, ${Math.floor((100 * c.bytesRead) / c.totalBytes)}% of the input read` : ''}`;
  return `${count}: ${c.stored} stored, ${c.skipped} already stored, ${c.errors} errors; ${rate.toFixed(1)}/s, ETA ${duration(eta)}`;
}

export function summaryLine(c: BatchCounts): string {
  const done = doneCount(c);
  const rate = c.elapsedMs > 0 ? (done / c.elapsedMs) * 1000 : 0;
  return `${done} documents in ${duration(c.elapsedMs / 1000)} (${rate.toFixed(1)}/s): ${c.stored} stored, ${c.skipped} already stored, ${c.errors} errors${c.errors ? ' (see: whosaid errors)' : ''}; ${c.attributions} attributions`;
}

/** A bar when `stream` is a terminal, otherwise a plain line every `everyMs`. */
export function createProgress(stream: NodeJS.WriteStream = process.stderr, everyMs = 5000): ProgressSink {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {percentage}% | {docs} processed | {stored} stored, {skipped} already stored, {errors} errors | {rate}/s | ETA {eta_h}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    const payload = (c: BatchCounts) => {
      const done = doneCount(c);
      const { rate, eta } = rateAndEta(c);
      return {
        docs: c.totalDocs !== null ? `${done}/${c.totalDocs}` : `${done}`,
        stored: c.stored,
        skipped: c.skipped,
        errors: c.errors,
        rate: rate.toFixed(1),
        eta_h: duration(eta),
      };
    };
    const totals = (c: BatchCounts) =>
      c.totalDocs !== null ? { total: c.totalDocs, value: doneCount(c) } : { total: c.totalBytes ?? 0, value: c.bytesRead };
    return {
      update(c) {
        const t = totals(c);
        if (!started) {
          bar.start(t.total || 1, t.value, payload(c));
          started = true;
        } else {
          if (t.total) bar.setTotal(t.total);
          bar.update(t.value, payload(c));
        }
      },
      stop(c) {
        if (started) {
          const t = totals(c);
          bar.update(t.value, payload(c));
          bar.stop();
        }
        stream.write(`${summaryLine(c)}\n`);
      },
    };
  }
  let last = 0;
  return {
    update(c) {
      const now = Date.now();
      if (now - last < everyMs) return;
      if (last === 0) {
        last = now;
        return;
      }
      last = now;
      stream.write(`${progressLine(c)}\n`);
    },
    stop(c) {
      stream.write(`${summaryLine(c)}\n`);
    },
  };
}
