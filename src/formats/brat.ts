import type { Range } from '../core/types.js';
import { normalizeRanges } from '../core/span.js';

/** One text-bound annotation (`T` line) of a BRAT standoff file. */
export interface BratTextBound {
  id: string;
  label: string;
  ranges: Range[];
  text: string;
}

/** One attribution relation as PolNeAR annotates it (an `E` line and the spans it names). */
export interface BratAttribution {
  id: string;
  source: Range[] | null;
  cue: Range[];
  /** Content and, where present, Content2, merged into one list of ranges. */
  content: Range[];
}

export interface BratDocument {
  textBounds: Map<string, BratTextBound>;
  attributions: BratAttribution[];
  /** Lines that could not be read, with their 1-based line numbers. */
  problems: { line: number; message: string }[];
}

const IGNORED = new Set(['Discard', 'Discuss', 'AnnotatorNotes']);

function parseRanges(s: string): Range[] | null {
  const out: Range[] = [];
  for (const part of s.split(';')) {
    const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(part);
    if (!m) return null;
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (b < a) return null;
    out.push([a, b]);
  }
  return out;
}

/** Reads BRAT standoff. Unknown or broken lines are reported in `problems`, never thrown. */
export function parseBrat(ann: string): BratDocument {
  const textBounds = new Map<string, BratTextBound>();
  const events: { id: string; roles: Map<string, string>; line: number }[] = [];
  const problems: BratDocument['problems'] = [];
  const lines = ann.split(/\r?\n/);
  lines.forEach((line, idx) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    const id = cols[0];
    if (id.startsWith('T')) {
      const head = cols[1] ?? '';
      const sp = head.indexOf(' ');
      const label = sp < 0 ? head : head.slice(0, sp);
      if (IGNORED.has(label)) return;
      const ranges = sp < 0 ? null : parseRanges(head.slice(sp + 1));
      if (!ranges) {
        problems.push({ line: idx + 1, message: `bad span in "${line.slice(0, 80)}"` });
        return;
      }
      textBounds.set(id, { id, label, ranges, text: cols[2] ?? '' });
    } else if (id.startsWith('E')) {
      const roles = new Map<string, string>();
      for (const arg of (cols[1] ?? '').trim().split(/\s+/)) {
        const c = arg.indexOf(':');
        if (c > 0) roles.set(arg.slice(0, c), arg.slice(c + 1));
      }
      events.push({ id, roles, line: idx + 1 });
    }
  });

  const attributions: BratAttribution[] = [];
  for (const ev of events) {
    const get = (role: string) => {
      const ref = ev.roles.get(role);
      return ref ? textBounds.get(ref) : undefined;
    };
    const cue = get('Cue');
    const content = [get('Content'), get('Content2')].filter((t): t is BratTextBound => !!t);
    if (!cue || content.length === 0) {
      problems.push({ line: ev.line, message: `attribution ${ev.id} lacks a cue or content` });
      continue;
    }
    const source = get('Source');
    attributions.push({
      id: ev.id,
      source: source ? normalizeRanges(source.ranges) : null,
      cue: normalizeRanges(cue.ranges),
      content: normalizeRanges(content.flatMap((c) => c.ranges)),
    });
  }
  return { textBounds, attributions, problems };
}
