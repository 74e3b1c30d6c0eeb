import type { Analysis, EntityType, AttributionKind } from '../core/types.js';
import type { PreparedDocument } from './rows.js';
import type { GenderLabel, RoleCategory, SpeakerScope } from './speaker-identity.js';

export type { GenderLabel, RoleCategory, SpeakerScope } from './speaker-identity.js';
import type { TraceStore } from './trace-sql.js';
import type { CorpusViews } from './views.js';

/** Where a document came from and what the input said about it, beyond the text. */
export interface DocumentMeta {
  /** The input it was read from: a file path, a JSONL path or "-" for stdin. */
  input?: string | null;
  /** Where in the input: a path relative to the input directory, or "line N". */
  locator?: string | null;
  url?: string | null;
  outlet?: string | null;
  /** ISO 8601 when the input's date could be read; otherwise the raw string. */
  published?: string | null;
}

/** One analysed document, ready to store. */
export interface StoreInput {
  /** The content hash: the document's primary key (see corpus/hash.ts). */
  hash: string;
  /** The key of the analysed content, shared by every document with this text (default: `hash`). */
  contentHash?: string;
  analysis: Analysis;
  /** The analysed text (kept for export and the web page). */
  text?: string | null;
  meta?: DocumentMeta;
}

export interface AddResult {
  inserted: number;
  /** Already stored (same content hash): left untouched. */
  skipped: number;
}

/** A document that could not be read or analysed. Keyed by (input, locator): re-runs overwrite, never duplicate. */
export interface DocumentError {
  input: string;
  locator: string;
  message: string;
  hash?: string | null;
  at?: string;
}

export interface DocumentSummary {
  hash: string;
  id: string;
  title: string | null;
  outlet: string | null;
  url: string | null;
  published: string | null;
  chars: number;
  attributions: number;
  addedAt: string;
}

export interface SearchQuery {
  /** A speaker's name: matched, case- and diacritic-insensitively, as whole words of the speaker's
   * normalised name or aliases, or of the source text when the speaker is unresolved. */
  speaker?: string;
  /** Words, all of which must occur in the attribution's content (or source). */
  text?: string;
  outlet?: string;
  /** Only attributions whose speaker is anonymous. */
  anonymous?: boolean;
  /** Inclusive lower bound on the publication date (ISO date or date-time). */
  since?: string;
  /** Inclusive upper bound on the publication date (a bare date includes that whole day). */
  until?: string;
  limit?: number;
  offset?: number;
  /** Newest first (default) or oldest first. */
  order?: 'newest' | 'oldest';
}

export interface SearchHit {
  document: { hash: string; id: string; title: string | null; outlet: string | null; url: string | null; published: string | null };
  attribution: {
    id: string;
    kind: AttributionKind;
    source: string | null;
    cue: string;
    content: string;
    contentSpans: [number, number][];
    /** The corpus speaker, with the identity stage's gender and role category. */
    speaker: { id: number; name: string; type: SpeakerType; gender: GenderLabel; role: RoleCategory } | null;
    anonymous: boolean;
    hedged: boolean;
    confidence: number;
  };
}

/** Entity types, plus "unresolved" for a speaker known only by its source text. */
export type SpeakerType = EntityType | 'unresolved';

export interface SpeakerSummary {
  id: number;
  name: string;
  type: SpeakerType;
  /** "corpus": one real person or body across articles; "document": a bare surname kept to its
   * article; "unnamed": an unnamed source of one article ("senior officials"), typed anonymous. */
  scope: SpeakerScope;
  /** Only where the text supports it (honorifics, gendered roles, pronouns resolved to the speaker,
   * the first-name lexicon); "unknown" otherwise. */
  gender: GenderLabel;
  /** Posterior share of the reported gender (≥ 0.75), null when unknown. */
  genderConfidence: number | null;
  /** What the gender rests on: "text", "name" (first-name lexicon only) or "text+name"; null when unknown. */
  genderBasis: 'text' | 'name' | 'text+name' | null;
  /** The role category its descriptors (or its type) support most often; "unknown" without evidence. */
  role: RoleCategory;
  attributions: number;
  documents: number;
  outlets: { outlet: string | null; attributions: number }[];
}

export interface SpeakerDetail extends SpeakerSummary {
  /** Names it goes by (normalised): never roles or titles. */
  aliases: string[];
  /** Roles, titles and affiliations the articles give it, with the number of documents that do. */
  descriptors: { descriptor: string; documents: number }[];
  /** For a document-scope speaker counted under a corpus person: that person's id. */
  resolvedTo: number | null;
  recent: SearchHit[];
}

export interface SpeakerListOptions {
  limit?: number;
  offset?: number;
  type?: SpeakerType;
  scope?: SpeakerScope;
  role?: RoleCategory;
  gender?: GenderLabel;
}

export interface OutletStats {
  outlet: string | null;
  documents: number;
  attributions: number;
  attributionsPerDocument: number;
  /** Share of attributions whose speaker is anonymous. */
  anonymousShare: number;
  /** Share of attributions in quotation marks. */
  directShare: number;
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  outlet?: string;
}

/** A stored document in full, for export. */
export interface StoredDocument {
  summary: DocumentSummary;
  analysis: Analysis;
  text: string | null;
}

/**
 * One interface, two engines (SQLite, PostgreSQL). Every method is async so PostgreSQL fits.
 * `addAnalyses` is the write path every producer uses (batch runs, the job-queue workers):
 * one transaction per call, idempotent by content hash.
 */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Stores the batch in one transaction: all or nothing; documents already stored are skipped. */
  addAnalyses(items: StoreInput[]): Promise<AddResult>;
  /**
   * `addAnalyses` for rows already made by `prepareDocument`: a batch run prepares them in its
   * worker threads, so the one writing thread only writes.
   */
  addPrepared(items: PreparedDocument[]): Promise<AddResult>;
  /** Which of these content hashes are stored already. */
  hasHashes(hashes: string[]): Promise<Set<string>>;
  /** The stored analyses (and texts) of these analysed-content keys, where one is stored: reused, not recomputed. */
  storedContent(contentHashes: string[]): Promise<Map<string, { analysis: Analysis; text: string | null }>>;
  /** The quote/claim index (trace). */
  traces(): TraceStore;
  /** Records (or updates) errors, keyed by (input, locator). */
  recordErrors(errors: DocumentError[]): Promise<void>;
  /** Removes error rows for documents that have now been stored. */
  clearErrors(keys: { input: string; locator: string }[]): Promise<void>;
  /** All stored documents, or those of one outlet (case ignored, as `listDocuments` matches it). */
  countDocuments(options?: { outlet?: string }): Promise<number>;
  countAttributions(): Promise<number>;
  listDocuments(options?: ListOptions): Promise<DocumentSummary[]>;
  /** By document id (the latest stored with that id) or by content hash. */
  getDocument(idOrHash: string): Promise<Analysis | null>;
  search(query: SearchQuery): Promise<SearchHit[]>;
  speakers(options?: SpeakerListOptions): Promise<SpeakerSummary[]>;
  speaker(id: number): Promise<SpeakerDetail | null>;
  stats(): Promise<OutletStats[]>;
  errors(): Promise<DocumentError[]>;
  /** Paged, filtered views and per-outlet / per-month figures for the web page, the API and `stats` (./views.ts). */
  readonly views: CorpusViews;
  /** Every stored document, in content-hash order, read page by page. */
  exportDocuments(options?: { pageSize?: number }): AsyncIterable<StoredDocument>;
  close(): Promise<void>;
}

/** A store that could not be opened or used: a one-line message for the user. */
export class StoreError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
  }
}
