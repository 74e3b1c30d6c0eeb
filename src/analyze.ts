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
  const m = /^[ \t]*([^\n]{1,200}?)[ \t]*\r?\n[ \t]*\r?\n/.exec(text);
  return m && m[1].trim() ? m[1].trim() : null;
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
