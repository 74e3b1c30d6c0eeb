/**
 * BRAT standoff export, in PolNeAR's shape (Source / Cue / Content text-bounds, an Attribution trigger on
 * the cue, and an E line tying them), so `parseBrat` reads it back.
 */
import type { Analysis, Range } from '../core/types.js';

function ranges(rs: Range[]): string {
  return rs.map(([a, b]) => `${a} ${b}`).join(';');
}

/** BRAT puts the covered text after a tab on one line: gaps become one space, line breaks spaces. */
function covered(text: string, rs: Range[]): string {
  return rs.map(([a, b]) => text.slice(a, b)).join(' ').replace(/[\r\n\t]/g, ' ');
}

/** The .ann file for an analysis of `text`. */
export function toBrat(a: Analysis, text: string): string {
  let t = 0;
  let e = 0;
  const lines: string[] = [];
  const tb = (label: string, rs: Range[]) => {
    const id = `T${++t}`;
    lines.push(`${id}\t${label} ${ranges(rs)}\t${covered(text, rs)}`);
    return id;
  };
  for (const at of a.attributions) {
    if (!at.cue.spans.length || !at.content.spans.length) continue;
    const src = at.source && at.source.spans.length ? tb('Source', at.source.spans) : null;
    const cue = tb('Cue', at.cue.spans);
    const content = tb('Content', at.content.spans);
    const trig = tb('Attribution', at.cue.spans);
    lines.push(`E${++e}\tAttribution:${trig} Content:${content} Cue:${cue}${src ? ` Source:${src}` : ''}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A file name for a document id: safe on every file system, unique given distinct ids and hashes. */
export function bratBaseName(id: string, hash: string): string {
  const safe = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 100) || 'doc';
  return `${safe}_${hash.slice(0, 8)}`;
}
