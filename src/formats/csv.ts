/** CSV (RFC 4180): one row per attribution, for spreadsheets. */
import type { Analysis } from '../core/types.js';

/** Quotes a field when it holds a comma, quote, or line break; neutralises spreadsheet formulas. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A cell starting with = + - @ is run as a formula by spreadsheets (CSV injection).
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: unknown[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

export const ATTRIBUTION_CSV_HEADER = [
  'document_id', 'title', 'outlet', 'published', 'url', 'attribution_id', 'kind', 'source', 'cue', 'content',
  'speaker', 'speaker_type', 'anonymous', 'hedged', 'confidence', 'parent', 'content_start', 'content_end',
];

/** The rows of one analysis (no header). */
export function attributionRows(a: Analysis): string {
  const ents = new Map(a.entities.map((e) => [e.id, e]));
  const d = a.document;
  let out = '';
  for (const at of a.attributions) {
    const e = at.speaker ? ents.get(at.speaker) : undefined;
    const spans = at.content.spans;
    out += csvRow([
      d.id, d.title, d.outlet ?? null, d.published ?? null, d.url ?? null, at.id, at.kind, at.source?.text ?? null, at.cue.text,
      at.content.text, e?.name ?? null, e?.type ?? null, e ? e.anonymous : null, at.hedged, at.confidence, at.parent,
      spans.length ? spans[0][0] : null, spans.length ? spans[spans.length - 1][1] : null,
    ]);
  }
  return out;
}
