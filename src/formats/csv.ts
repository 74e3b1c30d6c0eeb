/** CSV (RFC 4180): one row per attribution, for spreadsheets. */
import type { Analysis, SpanRef } from '../core/types.js';

/**
 * A cell a spreadsheet would run as a formula (CSV injection): one starting with = + - @, also after
 * leading spaces or line breaks (which spreadsheets skip) and in their full-width forms (＝＋－＠,
 * which some read as the ASCII ones), or with a tab or carriage return.
 */
const FORMULA = /^(?:[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

/** Quotes a field when it holds a comma, quote, or line break; neutralises spreadsheet formulas. */
export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A leading apostrophe makes the cell text; numbers and booleans are ours, never formulas.
  if (typeof v === 'string' && FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: unknown[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Columns; new ones go at the end, so spreadsheets and scripts reading by position keep working. */
export const ATTRIBUTION_CSV_HEADER = [
  'document_id', 'title', 'outlet', 'published', 'url', 'attribution_id', 'kind', 'source', 'cue', 'content',
  'speaker', 'speaker_type', 'anonymous', 'hedged', 'confidence', 'parent', 'content_start', 'content_end',
  'via', 'source_start', 'source_end', 'cue_start', 'cue_end', 'speaker_gender', 'speaker_role',
];

/** A speaker's gender and role category as a corpus store holds them (store/speaker-identity.ts). */
export interface SpeakerFacts {
  gender: string;
  role: string;
}

/** Where a span starts and ends in the text (its first range's start, its last range's end); nulls when absent. */
function bounds(ref: SpanRef | null): [number | null, number | null] {
  const spans = ref?.spans ?? [];
  return spans.length ? [spans[0][0], spans[spans.length - 1][1]] : [null, null];
}

/**
 * The rows of one analysis (no header). `speakerOf` gives the corpus speaker's gender and role of an
 * attribution (a store's export); without it, the gender is the one the analysis gives the speaker's
 * entity and the role is left empty (a role category is read over a corpus's descriptors).
 */
export function attributionRows(a: Analysis, speakerOf?: (attributionId: string) => SpeakerFacts | null): string {
  const ents = new Map(a.entities.map((e) => [e.id, e]));
  const d = a.document;
  let out = '';
  for (const at of a.attributions) {
    const e = at.speaker ? ents.get(at.speaker) : undefined;
    // Relays, nearest the writer first, by name; ";" separates them within the cell.
    const via = at.via.map((id) => ents.get(id)?.name ?? id).join('; ');
    const facts = speakerOf ? speakerOf(at.id) : e ? { gender: e.gender ?? 'unknown', role: null } : null;
    out += csvRow([
      d.id, d.title, d.outlet ?? null, d.published ?? null, d.url ?? null, at.id, at.kind, at.source?.text ?? null, at.cue.text,
      at.content.text, e?.name ?? null, e?.type ?? null, e ? e.anonymous : null, at.hedged, at.confidence, at.parent,
      ...bounds(at.content), via || null, ...bounds(at.source), ...bounds(at.cue), facts?.gender ?? null, facts?.role ?? null,
    ]);
  }
  return out;
}
