import { rollupMigration } from '../views.js';

/** Versioned schema for the SQLite engine. Append new versions; never edit an applied one. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'documents, attributions, entities, speakers, errors, word search',
    sql: `
CREATE TABLE documents (
  doc            INTEGER PRIMARY KEY,
  hash           TEXT NOT NULL UNIQUE,
  id             TEXT NOT NULL,
  title          TEXT,
  url            TEXT,
  outlet         TEXT,
  published      TEXT,
  input          TEXT,
  locator        TEXT,
  chars          INTEGER NOT NULL,
  text           TEXT,
  analysis       TEXT NOT NULL,
  n_attributions INTEGER NOT NULL,
  n_anonymous    INTEGER NOT NULL,
  n_direct       INTEGER NOT NULL,
  added_at       TEXT NOT NULL
);
CREATE INDEX documents_id ON documents(id);
CREATE INDEX documents_outlet ON documents(outlet);
CREATE INDEX documents_published ON documents(published);

CREATE TABLE speakers (
  id     INTEGER PRIMARY KEY,
  norm   TEXT NOT NULL,
  type   TEXT NOT NULL,
  name   TEXT NOT NULL,
  padded TEXT NOT NULL,
  UNIQUE (norm, type)
);

CREATE TABLE speaker_aliases (
  speaker_id INTEGER NOT NULL REFERENCES speakers(id),
  alias_norm TEXT NOT NULL,
  padded     TEXT NOT NULL,
  PRIMARY KEY (speaker_id, alias_norm)
) WITHOUT ROWID;

CREATE TABLE attributions (
  rid           INTEGER PRIMARY KEY,
  doc           INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
  attr_id       TEXT NOT NULL,
  ord           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  source_text   TEXT,
  cue_text      TEXT NOT NULL,
  content_text  TEXT NOT NULL,
  content_spans TEXT NOT NULL,
  entity_id     TEXT,
  speaker_id    INTEGER REFERENCES speakers(id),
  anonymous     INTEGER NOT NULL,
  parent        TEXT,
  hedged        INTEGER NOT NULL,
  confidence    REAL NOT NULL,
  UNIQUE (doc, attr_id)
);
CREATE INDEX attributions_speaker ON attributions(speaker_id, doc);

CREATE TABLE entities (
  doc        INTEGER NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
  entity_id  TEXT NOT NULL,
  speaker_id INTEGER REFERENCES speakers(id),
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  anonymous  INTEGER NOT NULL,
  data       TEXT NOT NULL,
  PRIMARY KEY (doc, entity_id)
) WITHOUT ROWID;
CREATE INDEX entities_speaker ON entities(speaker_id);

CREATE TABLE errors (
  input   TEXT NOT NULL,
  locator TEXT NOT NULL,
  message TEXT NOT NULL,
  hash    TEXT,
  at      TEXT NOT NULL,
  PRIMARY KEY (input, locator)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE attributions_fts USING fts5(
  content_text, source_text,
  content='attributions', content_rowid='rid',
  tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER attributions_fts_insert AFTER INSERT ON attributions BEGIN
  INSERT INTO attributions_fts(rowid, content_text, source_text) VALUES (new.rid, new.content_text, new.source_text);
END;
CREATE TRIGGER attributions_fts_delete AFTER DELETE ON attributions BEGIN
  INSERT INTO attributions_fts(attributions_fts, rowid, content_text, source_text)
    VALUES ('delete', old.rid, old.content_text, old.source_text);
END;
`,
  },
  {
    version: 2,
    name: 'word search indexed once per transaction instead of by a per-row trigger',
    // A per-row trigger into FTS5 costs ~0.8 ms per stored article (27 rows); one INSERT … SELECT of the
    // transaction's new rows costs a quarter of that. SqliteStore.addPrepared does it before committing.
    sql: `DROP TRIGGER attributions_fts_insert;`,
  },
  // Versions 3 and 4 are the trace work's (documents as occurrences; the quote and claim index), merged
  // on main beside this branch; the corpus views come after them.
  {
    version: 3,
    name: 'documents are occurrences: keyed by content, id, outlet and URL; the analysed content keyed apart',
    // Rows a batch or queue stored (input set) are re-keyed as corpus/batch.ts now keys them, from their
    // stored columns (whosaid_occ_key is store/identity.ts's occurrenceKey, registered on the connection);
    // their old key was the content key. Rows a caller stored with its own key keep it.
    sql: `
ALTER TABLE documents ADD COLUMN content_hash TEXT;
UPDATE documents SET content_hash = hash;
UPDATE documents SET hash = whosaid_occ_key(hash, id, outlet, url) WHERE input IS NOT NULL;
CREATE INDEX documents_content ON documents(content_hash);
`,
  },
  {
    version: 4,
    name: 'quote and claim index: keys (shingles, MinHash-LSH bands), cluster members, cluster sizes',
    sql: `
CREATE TABLE trace_keys (
  key INTEGER NOT NULL,
  rid INTEGER NOT NULL,
  PRIMARY KEY (key, rid)
) WITHOUT ROWID;
CREATE TABLE trace_members (
  rid     INTEGER PRIMARY KEY,
  cluster INTEGER NOT NULL,
  doc     INTEGER NOT NULL,
  kind    TEXT NOT NULL,
  via     TEXT NOT NULL
);
CREATE INDEX trace_members_cluster ON trace_members(cluster);
CREATE TABLE trace_clusters (
  cluster INTEGER PRIMARY KEY,
  kind    TEXT NOT NULL,
  size    INTEGER NOT NULL
);
CREATE INDEX trace_clusters_size ON trace_clusters(size);
`,
  },
  {
    version: 5,
    name: 'corpus views: speaker and attribution rollups, documents by outlet and date',
    sql: rollupMigration('sqlite'),
  },
  {
    version: 6,
    name: 'corpus views: covering indexes for top speakers per outlet and per month',
    // Group speaker_counts by (outlet, speaker) or (month, speaker) from an index alone, in order.
    sql: `DROP INDEX speaker_counts_outlet;
DROP INDEX speaker_counts_month;
CREATE INDEX speaker_counts_by_outlet ON speaker_counts(outlet, speaker_id, month, attributions, documents);
CREATE INDEX speaker_counts_by_month ON speaker_counts(month, speaker_id, outlet, attributions, documents);`,
  },
  {
    version: 7,
    name: 'speaker identity: one speaker per real person or body, scope, gender and role evidence, descriptors',
    // Speakers are derived data: this step clears them and the store rebuilds them from the stored
    // analyses when it opens (identity_rebuild holds a row until that is done; see rebuildIdentities).
    // The corpus views' speaker-keyed rollups (versions 5 and 6) go with them (they reference speakers)
    // and rebuildIdentities refills them from the relinked attributions.
    sql: `
UPDATE attributions SET speaker_id = NULL;
UPDATE entities SET speaker_id = NULL;
DELETE FROM speaker_totals;
DELETE FROM speaker_counts;
DELETE FROM attribution_counts;
DELETE FROM speaker_aliases;
DELETE FROM speakers;
ALTER TABLE speakers ADD COLUMN scope TEXT NOT NULL DEFAULT 'corpus';
ALTER TABLE speakers ADD COLUMN surname TEXT;
ALTER TABLE speakers ADD COLUMN resolved_id INTEGER;
ALTER TABLE speakers ADD COLUMN n_docs INTEGER NOT NULL DEFAULT 0;
ALTER TABLE speakers ADD COLUMN male_evidence REAL NOT NULL DEFAULT 0;
ALTER TABLE speakers ADD COLUMN female_evidence REAL NOT NULL DEFAULT 0;
ALTER TABLE speakers ADD COLUMN name_gender TEXT;
ALTER TABLE speakers ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE speakers ADD COLUMN gender_confidence REAL;
ALTER TABLE speakers ADD COLUMN gender_basis TEXT;
ALTER TABLE speakers ADD COLUMN role TEXT NOT NULL DEFAULT 'unknown';
CREATE UNIQUE INDEX speakers_key ON speakers(norm);
CREATE INDEX speakers_surname ON speakers(surname, scope);
ALTER TABLE attributions ADD COLUMN local_speaker_id INTEGER;
CREATE INDEX attributions_local_speaker ON attributions(local_speaker_id);
CREATE TABLE speaker_descriptors (
  speaker_id INTEGER NOT NULL,
  descriptor TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (speaker_id, descriptor)
) WITHOUT ROWID;
CREATE TABLE speaker_roles (
  speaker_id INTEGER NOT NULL,
  role       TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (speaker_id, role)
) WITHOUT ROWID;
CREATE TABLE identity_rebuild (pending INTEGER NOT NULL);
INSERT INTO identity_rebuild SELECT 1 FROM documents LIMIT 1;
`,
  },
  {
    version: 8,
    name: 'quote and claim index over documents stored before it existed',
    // Version 4 created the index empty, and only documents stored after it were indexed. The store
    // rebuilds the whole index from the stored analyses when it opens (trace_rebuild holds a row until
    // then; SqliteTraceIndex.rebuild), so a store upgraded from any version traces its old documents too.
    sql: `
CREATE TABLE trace_rebuild (pending INTEGER NOT NULL);
INSERT INTO trace_rebuild SELECT 1 FROM documents LIMIT 1;
`,
  },
  {
    version: 9,
    name: 'speaker identity: re-derive speakers (place, publication and unknown-name rules)',
    // The identity rules changed (a full name that is also a place, publication or body, or an unknown
    // given name without evidence in the text, stays a speaker of its document: speaker-identity.ts
    // corpusPersonName): speakers are derived data, so they are cleared and re-derived from the stored
    // analyses on open, as after version 7 (identity_rebuild; rebuildIdentities refills the rollups).
    sql: `
UPDATE attributions SET speaker_id = NULL, local_speaker_id = NULL;
UPDATE entities SET speaker_id = NULL;
DELETE FROM speaker_totals;
DELETE FROM speaker_counts;
DELETE FROM attribution_counts;
DELETE FROM speaker_aliases;
DELETE FROM speaker_descriptors;
DELETE FROM speaker_roles;
DELETE FROM speakers;
DELETE FROM identity_rebuild;
INSERT INTO identity_rebuild SELECT 1 FROM documents LIMIT 1;
`,
  },
  {
    version: 10,
    name: 'named speakers index (the corpus views rank and join only speakers that are not unnamed sources)',
    // Nearly every speaker of a large corpus is an unnamed source (one per article); the views rank and
    // join only the others, found through this partial index instead of a scan of the speakers.
    sql: `CREATE INDEX speakers_named ON speakers(id) WHERE scope <> 'unnamed';`,
  },
];
