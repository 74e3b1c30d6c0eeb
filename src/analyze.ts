import type { Analysis } from './core/types.js';
import { SCHEMA } from './core/types.js';
import { readDoc } from './nlp/document.js';
import { extractAttributions } from './attribution/extract.js';
import { loadDefaultModel, type AttributionModel } from './attribution/model.js';
import { resolveSpeakers } from './speakers/index.js';
import { buildProfile, looksLikeHeadline } from './profile/index.js';

export interface AnalyzeOptions {
  /** Document id; defaults to "doc". */
  id?: string;
  /** Headline. When absent, a short first line followed by a blank line is taken as the headline when it reads like one. */
  title?: string | null;
  /** Include the analysed text as `document.text`. */
  includeText?: boolean;
  /** The attribution model; defaults to the committed one under models/. */
  model?: AttributionModel;
}

/** A short first line followed by a blank line: the plain-text convention for a headline. */
export function detectHeadline(text: string): string | null {
  // By hand rather than a regex: `^[ \t]*(.{1,200}?)[ \t]*\r?\n` backtracks over a long run of leading
  // spaces (8,000 of them took 14 s). Same rule, one pass over the first two lines.
  const nl = text.indexOf('\n');
  if (nl < 0) return null;
  let p = nl + 1;
  while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
  if (text.charCodeAt(p) === 13) p++;
  if (text.charCodeAt(p) !== 10) return null;
  let from = 0;
  while (from < nl && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  let to = nl;
  if (to > from && text.charCodeAt(to - 1) === 13) to--;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  if (to - from > 200) return null;
  return text.slice(from, to).trim() || null;
}

/** The library's core: text in, whosaid/1 analysis out. Pure apart from loading the model once. */
export function analyze(text: string, options: AnalyzeOptions = {}): Analysis {
  const model = options.model ?? loadDefaultModel();
  const doc = readDoc(text);
  const found = extractAttributions(doc, model);
  const { attributions, entities } = resolveSpeakers(doc, found);
  // A short first line is a headline only when it reads like one, not like the article's first sentence.
  const detected = options.title === undefined ? detectHeadline(text) : null;
  const title = options.title !== undefined ? options.title : detected !== null && looksLikeHeadline(detected) ? detected : null;
  const profile = buildProfile({ doc, attributions, entities, title });
  return {
    schema: SCHEMA,
    document: { id: options.id ?? 'doc', title, chars: text.length, ...(options.includeText ? { text } : {}) },
    attributions,
    entities,
    profile,
  };
}
