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
  if (published !== undefined) rec.published = published;
  return rec;
}

/** One analysis as one line (no newline inside: JSON.stringify escapes them). */
export function analysisLine(a: Analysis): string {
  return `${JSON.stringify(a)}\n`;
}
