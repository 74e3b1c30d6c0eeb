/**
 * JSONL: one article per input line (`{id?, title?, text | html, url?, outlet?, published?}`), and one
 * whosaid/1 analysis per output line.
 */
import type { Analysis } from '../core/types.js';

/** One article as a JSONL line gives it. Exactly one of `text` and `html` is set. */
export interface ArticleRecord {
  id?: string;
  title?: string | null;
  text?: string;
  html?: string;
  url?: string;
  outlet?: string;
  published?: string;
}

export class JsonlLineError extends Error {
  override name = 'JsonlLineError';
}

function optString(o: Record<string, unknown>, key: string, allowNumber = false): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (allowNumber && typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new JsonlLineError(`"${key}" must be a string`);
}

/** Parses and checks one JSONL article line. Throws JsonlLineError with a one-line reason. */
export function parseArticleLine(line: string): ArticleRecord {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    throw new JsonlLineError(`bad JSON: ${(err as Error).message}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new JsonlLineError('not a JSON object');
  const o = v as Record<string, unknown>;
  const rec: ArticleRecord = {};
  const id = optString(o, 'id', true);
  if (id !== undefined) {
    if (!id.trim()) throw new JsonlLineError('"id" is empty');
    rec.id = id;
  }
  if (o.title === null) rec.title = null;
  else {
    const t = optString(o, 'title');
    if (t !== undefined) rec.title = t;
  }
  const text = optString(o, 'text');
  const html = optString(o, 'html');
  if (text === undefined && html === undefined) throw new JsonlLineError('no "text" or "html" field');
  if (text !== undefined && html !== undefined) throw new JsonlLineError('both "text" and "html"; give one');
  if (text !== undefined) {
    if (!text.trim()) throw new JsonlLineError('empty document');
    rec.text = text;
  } else {
    if (!html!.trim()) throw new JsonlLineError('empty document');
    rec.html = html;
  }
  const url = optString(o, 'url');
  if (url !== undefined) rec.url = url;
  const outlet = optString(o, 'outlet');
  if (outlet !== undefined) rec.outlet = outlet;
  const published = optString(o, 'published', true);
  if (published !== undefined && published.trim()) {
    // A value that is not a date ("last Tuesday") would be stored and then compared with date filters
    // as a string; refusing the line says so where the user can see it (whosaid errors).
    if (!isPublishedDate(published)) {
      throw new JsonlLineError(`"published" is not a date: ${JSON.stringify(published.slice(0, 60))} (give 2024-03-01, 2024-03-01T12:00:00Z or an RFC 2822 date)`);
    }
    rec.published = published.trim();
  }
  return rec;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
const RFC_2822 = /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})(?:\s+(\d{2}):(\d{2})(?::(\d{2}))?(?:\s*(?:[+-]\d{4}|UT|GMT|Z|[ECMP][SD]T))?)?$/i;

/**
 * True for a calendar date that exists, as ISO 8601 (2024-03-01, 2024-03-01T12:00:00Z, also with a space
 * for the T) or RFC 2822 (Fri, 01 Mar 2024 12:00:00 GMT, as feeds give it). Stricter than Date.parse,
 * which reads "1" as 2001 and 2024-02-30 as March 1st.
 */
export function isPublishedDate(value: string): boolean {
  const s = value.trim();
  let y: number, mo: number, d: number, h = 0, mi = 0, se = 0;
  let m = ISO_DATE.exec(s);
  if (m) [y, mo, d, h, mi, se] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0));
  else if ((m = RFC_2822.exec(s))) {
    mo = MONTHS.indexOf(m[2].toLowerCase()) + 1;
    if (mo === 0) return false;
    [y, d, h, mi, se] = [m[3], m[1], m[4], m[5], m[6]].map((x) => Number(x ?? 0));
  } else return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h < 24 && mi < 60 && se < 61;
}

/** One analysis as one line (no newline inside: JSON.stringify escapes them). */
export function analysisLine(a: Analysis): string {
  return `${JSON.stringify(a)}\n`;
}
