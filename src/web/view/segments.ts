/**
 * Overlaps: every span boundary of every attribution (source, cue, content) cuts the text into
 * segments; each segment carries the set of (attribution, role) marks covering it, so a source inside
 * another attribution's content, or a nested attribution, shows both.
 */

export type Role = 'content' | 'source' | 'cue';
export const ROLES: Role[] = ['content', 'source', 'cue'];

export interface Mark {
  id: string;
  role: Role;
  index: number;
}

export interface Segment {
  start: number;
  end: number;
  marks: Mark[];
}

/** What segments() reads of an attribution; the data may come from any JSON, so everything is optional. */
export interface SpannedAttribution {
  id?: unknown;
  content?: { spans?: unknown } | null;
  source?: { spans?: unknown } | null;
  cue?: { spans?: unknown } | null;
}

/** Cuts [0, text.length) at every span boundary; each segment lists the marks covering it. */
export function segments(text: string, attributions: readonly SpannedAttribution[] | null | undefined): Segment[] {
  const n = text.length;
  const starts = new Map<number, { end: number; mark: Mark }[]>();
  const bounds = new Set<number>([0, n]);
  (attributions ?? []).forEach((a, index) => {
    for (const role of ROLES) {
      const ref = a?.[role];
      if (!ref || !Array.isArray(ref.spans)) continue;
      for (const r of ref.spans as unknown[]) {
        if (!Array.isArray(r)) continue;
        const s = Math.max(0, Math.min(n, Number(r[0]) || 0));
        const e = Math.max(0, Math.min(n, Number(r[1]) || 0));
        if (e <= s) continue;
        bounds.add(s);
        bounds.add(e);
        let list = starts.get(s);
        if (!list) starts.set(s, (list = []));
        list.push({ end: e, mark: { id: String(a.id), role, index } });
      }
    }
  });
  const sorted = [...bounds].sort((x, y) => x - y);
  const out: Segment[] = [];
  let active: { end: number; mark: Mark }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const b0 = sorted[i];
    const b1 = sorted[i + 1];
    active = active.filter((x) => x.end > b0);
    for (const x of starts.get(b0) ?? []) active.push(x);
    out.push({ start: b0, end: b1, marks: active.map((x) => x.mark) });
  }
  return out;
}
