/**
 * Output formats. Each writer turns one analysis (and the text it indexes) into the contents of one
 * output file; the CLI picks one by `--format` name and names files `<id><extension>`. A new format is
 * one more entry here (its name then becomes a valid `--format` value).
 */
import type { Analysis } from '../core/types.js';
import { textReport } from './text-report.js';
import { renderReport } from './html-report.js';
import { compactJson, prettyJson } from './json.js';

export interface WriteOptions {
  /** One line per document, for streams of several documents (JSON Lines); default false. */
  compact?: boolean;
  /** ANSI colours, for a terminal only; default false. */
  color?: boolean;
}

export interface Writer {
  /** Appended to the document id to name its output file; never ".txt", so inputs are not overwritten. */
  extension: string;
  /** `source` is the analysed text that the analysis's offsets index. */
  write(analysis: Analysis, source: string, options?: WriteOptions): string;
}

export const writers: Record<string, Writer> = {
  json: {
    extension: '.json',
    // Pretty JSON keeps each [start, end] span on one line.
    write: (analysis, _source, options = {}) => (options.compact ? compactJson(analysis) : prettyJson(analysis)) + '\n',
  },
  text: {
    extension: '.report.txt',
    write: (analysis, source, options = {}) => textReport(analysis, source, { color: options.color }),
  },
  // Self-contained HTML view: marked text, speakers, profile (./html-report.ts).
  html: { extension: '.html', write: (analysis, source) => renderReport(analysis, source) },
};

export function writerNames(): string[] {
  return Object.keys(writers);
}
