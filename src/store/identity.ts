/**
 * Document identity. An occurrence (a document) is its content under one id, outlet and URL: the same
 * text under two file names, two outlets or two URLs is two documents, which is what syndication looks
 * like. The analysis of a text depends on its content alone, so it is keyed apart (the content key) and
 * computed once however many documents carry that text.
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../core/types.js';
import type { PreparedDocument } from './rows.js';
import type { DocumentMeta } from './types.js';

/** Separates the parts hashed (the PostgreSQL migration builds the same string with E'\x1f'). */
const SEP = '\u001f';

/**
 * The key a document is stored under: sha256 over a base key (the content, and the id where the input
 * gives one), the id, the outlet and the URL. Computable from stored columns, which is how existing
 * stores are migrated (`whosaid_occ_key` in SQLite; the same string hashed in SQL on PostgreSQL).
 */
export function occurrenceKey(base: string, id: string, outlet: string | null | undefined, url: string | null | undefined): string {
  return createHash('sha256')
    .update(['whosaid-occ/1', base, id, outlet ?? '', url ?? ''].join(SEP))
    .digest('hex');
}

/** The stored analysis under another document's id (the rest of an analysis depends on the text alone). */
export function withDocumentId(a: Analysis, id: string): Analysis {
  return { ...a, document: { ...a.document, id } };
}

/** A document's identity and metadata, as a batch or queue worker knows it before analysis. */
export interface Occurrence {
  hash: string;
  id: string;
  meta: DocumentMeta;
}

/**
 * The rows of one document for another document with the same content: the analysis (computed once)
 * under the other's key, id and metadata.
 */
export function asOccurrence(p: PreparedDocument, o: Occurrence): PreparedDocument {
  const analysis = JSON.parse(p.analysisJson) as Analysis;
  return {
    ...p,
    hash: o.hash,
    id: o.id,
    url: o.meta.url ?? null,
    outlet: o.meta.outlet ?? null,
    published: o.meta.published ?? null,
    input: o.meta.input ?? null,
    locator: o.meta.locator ?? null,
    analysisJson: JSON.stringify(withDocumentId(analysis, o.id)),
  };
}
