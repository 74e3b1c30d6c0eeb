/** Versioned schema for the PostgreSQL engine. Append new versions; never edit an applied one. */
import type { Migration } from '../sqlite/migrations.js';
import { rollupMigration } from '../views.js';

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'documents, attributions, entities, speakers, errors, word search',
    sql: `
CREATE TABLE documents (
  doc            BIGSERIAL PRIMARY KEY,
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
  id     BIGSERIAL PRIMARY KEY,
  norm   TEXT NOT NULL,
  type   TEXT NOT NULL,
  name   TEXT NOT NULL,
  padded TEXT NOT NULL,
  UNIQUE (norm, type)
);

CREATE TABLE speaker_aliases (
  speaker_id BIGINT NOT NULL REFERENCES speakers(id),
  alias_norm TEXT NOT NULL,
  padded     TEXT NOT NULL,
  PRIMARY KEY (speaker_id, alias_norm)
);

CREATE TABLE attributions (
  rid           BIGSERIAL PRIMARY KEY,
  doc           BIGINT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
  attr_id       TEXT NOT NULL,
  ord           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  source_text   TEXT,
  cue_text      TEXT NOT NULL,
  content_text  TEXT NOT NULL,
  content_spans TEXT NOT NULL,
  entity_id     TEXT,
  speaker_id    BIGINT REFERENCES speakers(id),
  anonymous     BOOLEAN NOT NULL,
  parent        TEXT,
  hedged        BOOLEAN NOT NULL,
  confidence    DOUBLE PRECISION NOT NULL,
  search        TSVECTOR NOT NULL,
  UNIQUE (doc, attr_id)
);
CREATE INDEX attributions_speaker ON attributions(speaker_id, doc);
CREATE INDEX attributions_search ON attributions USING GIN (search);

CREATE TABLE entities (
  doc        BIGINT NOT NULL REFERENCES documents(doc) ON DELETE CASCADE,
  entity_id  TEXT NOT NULL,
  speaker_id BIGINT REFERENCES speakers(id),
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  anonymous  BOOLEAN NOT NULL,
  data       TEXT NOT NULL,
  PRIMARY KEY (doc, entity_id)
);
CREATE INDEX entities_speaker ON entities(speaker_id);

CREATE TABLE errors (
  input   TEXT NOT NULL,
  locator TEXT NOT NULL,
  message TEXT NOT NULL,
  hash    TEXT,
  at      TEXT NOT NULL,
  PRIMARY KEY (input, locator)
);
`,
  },
  // Versions 2 and 3 are the trace work's (documents as occurrences; the quote and claim index), merged
  // on main beside this branch; the corpus views come after them.
  {
    version: 2,
    name: 'documents are occurrences: keyed by content, id, outlet and URL; the analysed content keyed apart',
    // The same re-keying as SQLite's version 3, in SQL: store/identity.ts's occurrenceKey hashes these
    // parts joined by U+001F.
    sql: `
ALTER TABLE documents ADD COLUMN content_hash TEXT;
UPDATE documents SET content_hash = hash;
UPDATE documents SET hash = encode(sha256(convert_to(concat_ws(E'\\x1f', 'whosaid-occ/1', hash, id, coalesce(outlet, ''), coalesce(url, '')), 'UTF8')), 'hex')
  WHERE input IS NOT NULL;
CREATE INDEX documents_content ON documents(content_hash);
`,
  },
  {
    version: 3,
    name: 'quote and claim index: keys (shingles, MinHash-LSH bands), cluster members, cluster sizes',
    sql: `
CREATE TABLE trace_keys (
  key BIGINT NOT NULL,
  rid BIGINT NOT NULL,
  PRIMARY KEY (key, rid)
);
CREATE TABLE trace_members (
  rid     BIGINT PRIMARY KEY,
  cluster BIGINT NOT NULL,
  doc     BIGINT NOT NULL,
  kind    TEXT NOT NULL,
  via     TEXT NOT NULL
);
CREATE INDEX trace_members_cluster ON trace_members(cluster);
CREATE TABLE trace_clusters (
  cluster BIGINT PRIMARY KEY,
  kind    TEXT NOT NULL,
  size    INTEGER NOT NULL
);
CREATE INDEX trace_clusters_size ON trace_clusters(size);
`,
  },
  {
    version: 4,
    name: 'corpus views: speaker and attribution rollups, documents by outlet and date',
    sql: rollupMigration('postgres'),
  },
  {
    version: 5,
    name: 'corpus views: covering indexes for top speakers per outlet and per month',
    // Group speaker_counts by (outlet, speaker) or (month, speaker) from an index alone, in order.
    sql: `DROP INDEX speaker_counts_outlet;
DROP INDEX speaker_counts_month;
CREATE INDEX speaker_counts_by_outlet ON speaker_counts(outlet, speaker_id, month, attributions, documents);
CREATE INDEX speaker_counts_by_month ON speaker_counts(month, speaker_id, outlet, attributions, documents);
DROP INDEX documents_attributions;
CREATE INDEX documents_attributions ON documents(n_attributions, doc);`,
  },
  {
    version: 6,
    name: 'speaker identity: one speaker per real person or body, scope, gender and role evidence, descriptors',
    // As SQLite's version 7: speakers are cleared here and rebuilt from the stored analyses on open.
    sql: `
UPDATE attributions SET speaker_id = NULL;
UPDATE entities SET speaker_id = NULL;
DELETE FROM speaker_totals;
DELETE FROM speaker_counts;
DELETE FROM attribution_counts;
DELETE FROM speaker_aliases;
DELETE FROM speakers;
ALTER TABLE speakers DROP CONSTRAINT IF EXISTS speakers_norm_type_key;
ALTER TABLE speakers ADD COLUMN scope TEXT NOT NULL DEFAULT 'corpus',
  ADD COLUMN surname TEXT,
  ADD COLUMN resolved_id BIGINT,
  ADD COLUMN n_docs INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN male_evidence DOUBLE PRECISION NOT NULL DEFAULT 0,
  ADD COLUMN female_evidence DOUBLE PRECISION NOT NULL DEFAULT 0,
  ADD COLUMN name_gender TEXT,
  ADD COLUMN gender TEXT NOT NULL DEFAULT 'unknown',
  ADD COLUMN gender_confidence DOUBLE PRECISION,
  ADD COLUMN gender_basis TEXT,
  ADD COLUMN role TEXT NOT NULL DEFAULT 'unknown';
CREATE UNIQUE INDEX speakers_key ON speakers(norm);
CREATE INDEX speakers_surname ON speakers(surname, scope);
ALTER TABLE attributions ADD COLUMN local_speaker_id BIGINT;
CREATE INDEX attributions_local_speaker ON attributions(local_speaker_id);
CREATE TABLE speaker_descriptors (
  speaker_id BIGINT NOT NULL,
  descriptor TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (speaker_id, descriptor)
);
CREATE TABLE speaker_roles (
  speaker_id BIGINT NOT NULL,
  role       TEXT NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (speaker_id, role)
);
CREATE TABLE identity_rebuild (pending INTEGER NOT NULL);
INSERT INTO identity_rebuild SELECT 1 FROM documents LIMIT 1;
`,
  },
  {
    version: 7,
    name: 'quote and claim index over documents stored before it existed',
    // As SQLite's version 8: the store rebuilds the index from the stored analyses when it opens.
    sql: `
CREATE TABLE trace_rebuild (pending INTEGER NOT NULL);
INSERT INTO trace_rebuild SELECT 1 FROM documents LIMIT 1;
`,
  },
  {
    version: 8,
    name: 'speaker identity: re-derive speakers (place, publication and unknown-name rules)',
    // As SQLite's version 9: speakers cleared and re-derived on open under the current identity rules.
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
    version: 9,
    name: 'named speakers index (the corpus views rank and join only speakers that are not unnamed sources); attributions by speaker in document order',
    // As SQLite's version 10; and a search by a speaker's name whose speakers hold many attributions
    // (20 "Smith"s, 115,000 passages on the 100,000-document bench store) read every one of their rows
    // from the heap to sort them by document (650 ms); from this index it is an index-only scan (46 ms).
    sql: `CREATE INDEX speakers_named ON speakers(id) WHERE scope <> 'unnamed';
CREATE INDEX attributions_speaker_doc ON attributions(speaker_id, doc, rid);`,
  },
];
