import type { Range, SpanRef } from './types.js';

/** Gap marker used when a discontinuous span's text is shown as one string. */
export const GAP = ' … ';

/** Builds a SpanRef over `text`; ranges are sorted, and overlapping or touching ones are merged. */
export function spanRef(text: string, ranges: Range[]): SpanRef {
  const spans = normalizeRanges(ranges);
  return { text: spans.map(([s, e]) => text.slice(s, e)).join(GAP), spans };
}

export function normalizeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.filter(([s, e]) => e > s).map(([s, e]) => [s, e] as Range).sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

export function rangesLength(ranges: readonly Range[]): number {
  let n = 0;
  for (const [s, e] of ranges) n += e - s;
  return n;
}

/** Number of characters two range lists share. */
export function overlapLength(a: readonly Range[], b: readonly Range[]): number {
  let n = 0;
  for (const [as, ae] of a) for (const [bs, be] of b) n += Math.max(0, Math.min(ae, be) - Math.max(as, bs));
  return n;
}

export function firstStart(ranges: readonly Range[]): number {
  return ranges.length ? ranges[0][0] : -1;
}

export function lastEnd(ranges: readonly Range[]): number {
  return ranges.length ? ranges[ranges.length - 1][1] : -1;
}

/** True when `inner` lies wholly within `outer`. */
export function containsRanges(outer: readonly Range[], inner: readonly Range[]): boolean {
  return inner.every(([s, e]) => outer.some(([os, oe]) => s >= os && e <= oe));
}
