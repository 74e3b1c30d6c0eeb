import Database from 'better-sqlite3';
import type { Analysis } from '../../core/types.js';
import { migrations } from './migrations.js';
import { DOC_COLUMNS, normalizeName, padded, prepareDocument, restoreAnalysis, summary, type DocRow, type PreparedDocument } from '../rows.js';
import { chooseSurnameTarget, genderOf, sumSpeakers, type GenderLabel, type SpeakerTotals } from '../speaker-identity.js';
import { genderColumns, leadingRole, speakerListQuery, SPEAKER_COLUMNS, toSpeakerSummary, type SpeakerRow } from '../speaker-sql.js';
import { buildSearch, HIT_COLUMNS, toHit, type HitRow } from '../sql.js';
import { occurrenceKey } from '../identity.js';
import { SqliteTraceIndex } from './trace.js';
import type { TraceStore } from '../trace-sql.js';
import { CorpusViews, rollupStatements } from '../views.js';
import { RollupBatch, ROLLUP_UPSERTS, speakerRollupRefresh } from '../rollup.js';
import {
  StoreError,
  type AddResult,
  type DocumentError,
  type DocumentSummary,
  type ListOptions,
  type OutletStats,
  type SearchHit,
  type SearchQuery,
  type SpeakerDetail,
  type SpeakerListOptions,
  type SpeakerSummary,
  type Store,
  type StoredDocument,
  type StoreInput,
} from '../types.js';

type DB = Database.Database;

export interface SqliteOptions {
  /** How long to wait for another process's lock before failing (ms). Default 5000 or $WHOSAID_SQLITE_BUSY_MS. */
  busyTimeoutMs?: number;
  readonly?: boolean;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

function wrap(path: string, err: unknown): never {
  if (err instanceof StoreError) throw err;
  if (isBusy(err)) throw new StoreError(`the SQLite file ${path} is locked by another process (try again when it is done)`, err);
  const code = (err as { code?: string })?.code;
  if (code === 'SQLITE_CANTOPEN') throw new StoreError(`cannot open the SQLite file ${path} (does its directory exist, and may it be written?)`, err);
  if (code === 'SQLITE_NOTADB') throw new StoreError(`${path} is not a SQLite database`, err);
  // Faults of the file system, in one line each; what was committed before stays (SQLite rolls back).
  if (code?.startsWith('SQLITE_READONLY')) throw new StoreError(`cannot write the SQLite file ${path}: it or its directory is read-only`, err);
  if (code === 'SQLITE_FULL') throw new StoreError(`cannot write the SQLite file ${path}: the disk is full (what was stored before is intact)`, err);
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') throw new StoreError(`cannot write the SQLite file ${path}: permission denied`, err);
  if (code?.startsWith('SQLITE_IOERR') || code?.startsWith('SQLITE_CANTOPEN')) {
    throw new StoreError(`cannot read or write the SQLite file ${path} (${code}: ${(err as Error).message})`, err);
  }
  throw err;
}

/** Brings the schema up to date; says which derived data (speakers, the quote/claim index) must be rebuilt from the stored analyses. */
function migrate(db: DB): { identities: boolean; traces: boolean } {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set((db.prepare(`SELECT version FROM schema_migrations`).all() as { version: number }[]).map((r) => r.version));
  const latest = Math.max(0, ...applied);
  if (latest > migrations[migrations.length - 1].version) {
    throw new StoreError(`this store was written by a newer whosaid (schema version ${latest}); upgrade whosaid`);
  }
  for (const m of migrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`).run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
  return { identities: pending(db, 'identity_rebuild'), traces: pending(db, 'trace_rebuild') };
}

/** Whether a rebuild marker table (left by a migration) holds a row. */
function pending(db: DB, marker: 'identity_rebuild' | 'trace_rebuild'): boolean {
  return !!db.prepare(`SELECT 1 FROM sqlite_master WHERE name = ?`).get(marker) && !!db.prepare(`SELECT 1 FROM ${marker}`).get();
}


export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  private readonly db: DB;
  private readonly st: ReturnType<SqliteStore['prepareStatements']>;
  private readonly traceIndex: SqliteTraceIndex;
  readonly views: CorpusViews;

  constructor(readonly path: string, options: SqliteOptions = {}) {
    const busy = options.busyTimeoutMs ?? (Number(process.env.WHOSAID_SQLITE_BUSY_MS) || 5000);
    let db: DB | undefined;
    try {
      db = new Database(path, { readonly: !!options.readonly, timeout: busy, fileMustExist: !!options.readonly });
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
      }
      db.pragma('foreign_keys = ON');
      db.pragma('cache_size = -65536');
      // Migration 3 re-keys stored documents with the same function batch keys them with.
      db.function('whosaid_occ_key', { deterministic: true }, (h, id, o, u) => occurrenceKey(String(h), String(id), o as string | null, u as string | null));
      const rebuild = options.readonly ? { identities: false, traces: false } : migrate(db);
      this.db = db;
      this.st = this.prepareStatements();
      this.traceIndex = new SqliteTraceIndex(db);
      this.views = new CorpusViews('sqlite', async <R>(sql: string, params: unknown[] = []) => db!.prepare(sql).all(...params) as R[]);
      if (rebuild.identities) this.rebuildIdentities();
      if (rebuild.traces) this.rebuildTraceIndex();
    } catch (err) {
      db?.close();
      wrap(path, err);
    }
  }

  private prepareStatements() {
    const db = this.db;
    return {
      insertDoc: db.prepare(`INSERT INTO documents (hash, id, title, url, outlet, published, input, locator, chars, text, analysis,
          n_attributions, n_anonymous, n_direct, added_at, content_hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING RETURNING doc`),
      speakerByKey: db.prepare(`SELECT id, type, male_evidence, female_evidence, name_gender FROM speakers WHERE norm = ?`),
      insertSpeaker: db.prepare(`INSERT INTO speakers (norm, type, name, padded, scope, surname, n_docs, male_evidence, female_evidence,
          name_gender, gender, gender_confidence, gender_basis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      updateSpeaker: db.prepare(`UPDATE speakers SET type = ?, n_docs = n_docs + ?, male_evidence = ?, female_evidence = ?, name_gender = ?,
          gender = ?, gender_confidence = ?, gender_basis = ? WHERE id = ?`),
      insertAlias: db.prepare(`INSERT INTO speaker_aliases (speaker_id, alias_norm, padded) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`),
      addDescriptor: db.prepare(`INSERT INTO speaker_descriptors (speaker_id, descriptor, n) VALUES (?, ?, ?)
          ON CONFLICT (speaker_id, descriptor) DO UPDATE SET n = n + excluded.n`),
      addRole: db.prepare(`INSERT INTO speaker_roles (speaker_id, role, n) VALUES (?, ?, ?) ON CONFLICT (speaker_id, role) DO UPDATE SET n = n + excluded.n`),
      roleVotes: db.prepare(`SELECT role, n FROM speaker_roles WHERE speaker_id = ?`),
      setRole: db.prepare(`UPDATE speakers SET role = ? WHERE id = ?`),
      surnameCandidates: db.prepare(`SELECT id, n_docs AS documents, gender FROM speakers WHERE surname = ? AND scope = 'corpus' AND type = 'person'`),
      surnameLocals: db.prepare(`SELECT id, resolved_id, male_evidence, female_evidence FROM speakers WHERE surname = ? AND scope = 'document'`),
      moveLocal: db.prepare(`UPDATE attributions SET speaker_id = ? WHERE local_speaker_id = ?`),
      setResolved: db.prepare(`UPDATE speakers SET resolved_id = ? WHERE id = ?`),
      insertAttr: db.prepare(`INSERT INTO attributions (doc, attr_id, ord, kind, source_text, cue_text, content_text, content_spans,
          entity_id, speaker_id, local_speaker_id, anonymous, parent, hedged, confidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      insertEntity: db.prepare(`INSERT INTO entities (doc, entity_id, speaker_id, name, type, anonymous, data) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      maxRid: db.prepare(`SELECT coalesce(max(rid), 0) FROM attributions`).pluck(),
      // New rows always get rowids above the largest at the start of the transaction (no AUTOINCREMENT gaps matter).
      indexWords: db.prepare(`INSERT INTO attributions_fts (rowid, content_text, source_text)
        SELECT rid, content_text, source_text FROM attributions WHERE rid > ?`),
      hasHash: db.prepare(`SELECT 1 FROM documents WHERE hash = ?`).pluck(),
      upsertError: db.prepare(`INSERT INTO errors (input, locator, message, hash, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (input, locator) DO UPDATE SET message = excluded.message, hash = excluded.hash, at = excluded.at`),
      deleteError: db.prepare(`DELETE FROM errors WHERE input = ? AND locator = ?`),
      // The corpus views' rollups (../rollup.ts). A read-only handle runs no migration, so its store may
      // predate them; it never writes anyway.
      rollups: db.readonly
        ? null
        : {
            documents: db.prepare(ROLLUP_UPSERTS.documents),
            speakerTotals: db.prepare(ROLLUP_UPSERTS.speakerTotals),
            speakerCounts: db.prepare(ROLLUP_UPSERTS.speakerCounts),
            attributions: db.prepare(ROLLUP_UPSERTS.attributions),
          },
      refreshSpeakers: db.readonly ? null : speakerRollupRefresh('sqlite').map((sql) => db.prepare(sql)),
    };
  }

  /** Adds one batch's summed speaker evidence to the store's speakers; returns each key's id. */
  private upsertSpeaker(t: SpeakerTotals): number {
    const k = t.key;
    const row = this.st.speakerByKey.get(k.norm) as
      | { id: number; type: string; male_evidence: number; female_evidence: number; name_gender: string | null }
      | undefined;
    let id: number;
    if (!row) {
      const g = genderColumns(k.type, t.maleEvidence, t.femaleEvidence, k.nameGender);
      id = Number(
        this.st.insertSpeaker.run(k.norm, k.type, k.name, padded(normalizeName(k.name)), k.scope, k.surname, t.documents,
          t.maleEvidence, t.femaleEvidence, k.nameGender, ...g).lastInsertRowid,
      );
    } else {
      id = row.id;
      const type = row.type === 'unresolved' ? k.type : row.type;
      const male = row.male_evidence + t.maleEvidence;
      const female = row.female_evidence + t.femaleEvidence;
      const nameGender = row.name_gender ?? k.nameGender;
      this.st.updateSpeaker.run(type, t.documents, male, female, nameGender, ...genderColumns(type, male, female, nameGender), id);
    }
    for (const al of t.aliases) this.st.insertAlias.run(id, al, padded(al));
    for (const [d, n] of t.descriptors) this.st.addDescriptor.run(id, d, n);
    if (t.roles.size) {
      for (const [r, n] of t.roles) this.st.addRole.run(id, r, n);
      this.st.setRole.run(leadingRole(this.st.roleVotes.all(id) as { role: string; n: number }[]), id);
    }
    return id;
  }

  /** Upserts the speakers of these documents (in key order); returns key → id and the person surnames touched. */
  private linkSpeakers(prepared: PreparedDocument[]): { ids: Map<string, number>; surnames: Set<string> } {
    const totals = sumSpeakers(prepared.map((p) => p.speakers));
    const ids = new Map<string, number>();
    const surnames = new Set<string>();
    for (const key of [...totals.keys()].sort()) {
      const t = totals.get(key)!;
      ids.set(key, this.upsertSpeaker(t));
      if (t.key.surname) surnames.add(t.key.surname);
    }
    return { ids, surnames };
  }

  /**
   * Re-decides, for each surname touched, which corpus person each document's bare surname counts
   * under (identity.ts chooseSurnameTarget), and moves its attributions when the answer changed.
   */
  private resolveSurnames(surnames: Set<string>): Set<number> {
    // The speakers whose attributions moved: their corpus-view rollups are recomputed (refreshSpeakerRollups).
    const moved = new Set<number>();
    for (const surname of surnames) {
      const locals = this.st.surnameLocals.all(surname) as { id: number; resolved_id: number | null; male_evidence: number; female_evidence: number }[];
      if (!locals.length) continue;
      const candidates = this.st.surnameCandidates.all(surname) as { id: number; documents: number; gender: GenderLabel }[];
      const byGender = new Map<GenderLabel, number | null>();
      for (const l of locals) {
        const g = genderOf(l.male_evidence, l.female_evidence, null).gender;
        if (!byGender.has(g)) byGender.set(g, chooseSurnameTarget(candidates, g));
        const target = byGender.get(g)!;
        if (target === l.resolved_id) continue;
        this.st.moveLocal.run(target ?? l.id, l.id);
        this.st.setResolved.run(target, l.id);
        moved.add(l.resolved_id ?? l.id);
        moved.add(target ?? l.id);
      }
    }
    return moved;
  }

  /** Recomputes these speakers' rows of speaker_totals and speaker_counts from their attributions. */
  private refreshSpeakerRollups(ids: Set<number>): void {
    if (!ids.size || !this.st.refreshSpeakers) return;
    const param = JSON.stringify([...ids].sort((a, b) => a - b));
    for (const st of this.st.refreshSpeakers) st.run(param);
  }

  /** Inserts one document; returns its speakers' ids (by p.speakers index), or null when it was stored already. */
  private insertOne(p: PreparedDocument, now: string, ids: Map<string, number>): (number | null)[] | null {
    const row = this.st.insertDoc.get(
      p.hash, p.id, p.title, p.url, p.outlet, p.published, p.input, p.locator, p.chars, p.text, p.analysisJson,
      p.nAttributions, p.nAnonymous, p.nDirect, now, p.contentHash ?? p.hash,
    ) as { doc: number } | undefined;
    if (!row) return null;
    const sid = (i: number) => (i >= 0 ? ids.get(p.speakers[i].norm)! : null);
    for (const e of p.entities) {
      this.st.insertEntity.run(row.doc, e.entityId, sid(e.speaker), e.name, e.type, e.anonymous ? 1 : 0, e.json);
    }
    for (const a of p.attributions) {
      const id = sid(a.speaker);
      this.st.insertAttr.run(
        row.doc, a.attrId, a.ord, a.kind, a.sourceText, a.cueText, a.contentText, a.contentSpans, a.entityId,
        id, id, a.anonymous ? 1 : 0, a.parent, a.hedged ? 1 : 0, a.confidence,
      );
    }
    return p.speakers.map((_, i) => sid(i));
  }

  private writeRollups(b: RollupBatch): void {
    const r = this.st.rollups;
    if (!r || b.empty) return;
    for (const x of b.documentRows()) r.documents.run(x.outlet, x.month, x.documents);
    for (const x of b.speakerTotalRows()) r.speakerTotals.run(x.speakerId, x.attributions, x.documents);
    for (const x of b.speakerCountRows()) r.speakerCounts.run(x.speakerId, x.outlet, x.month, x.attributions, x.documents);
    for (const x of b.attributionRows()) r.attributions.run(x.outlet, x.month, x.speakerType, x.gender, x.attributions, x.anonymous, x.direct, x.unattributed);
  }

  /**
   * Derives every document's speakers again from its stored analysis (after the identity migration):
   * one transaction, so a store is either all old-style or all rebuilt.
   */
  rebuildIdentities(): void {
    const page = this.db.prepare(`SELECT doc, hash, url, outlet, published, analysis, text FROM documents WHERE doc > ? ORDER BY doc LIMIT 200`);
    const setAttr = this.db.prepare(`UPDATE attributions SET speaker_id = ?, local_speaker_id = ? WHERE doc = ? AND attr_id = ?`);
    const setEntity = this.db.prepare(`UPDATE entities SET speaker_id = ? WHERE doc = ? AND entity_id = ?`);
    this.db
      .transaction(() => {
        const surnames = new Set<string>();
        let after = 0;
        for (;;) {
          const rows = page.all(after) as { doc: number; hash: string; url: string | null; outlet: string | null; published: string | null; analysis: string; text: string | null }[];
          if (!rows.length) break;
          const prepared = rows.map((r) => prepareDocument({ hash: r.hash, analysis: restoreAnalysis(r.analysis, r, null), text: r.text }));
          const linked = this.linkSpeakers(prepared);
          for (const s of linked.surnames) surnames.add(s);
          rows.forEach((r, i) => {
            const p = prepared[i];
            const sid = (k: number) => (k >= 0 ? linked.ids.get(p.speakers[k].norm)! : null);
            for (const e of p.entities) setEntity.run(sid(e.speaker), r.doc, e.entityId);
            for (const a of p.attributions) setAttr.run(sid(a.speaker), sid(a.speaker), r.doc, a.attrId);
          });
          after = rows[rows.length - 1].doc;
        }
        this.resolveSurnames(surnames);
        // The speaker-keyed rollups were cleared with the old speakers (the identity migration): refilled
        // from the relinked attributions (document_counts does not depend on speakers).
        if (this.st.rollups) {
          this.db.exec(`DELETE FROM speaker_totals; DELETE FROM speaker_counts; DELETE FROM attribution_counts;`);
          for (const sql of rollupStatements('sqlite', () => 'TRUE').slice(1)) this.db.exec(sql);
        }
        this.db.exec(`DELETE FROM identity_rebuild`);
      })
      .immediate();
  }

  /** Indexes every stored document's quotes and claims (after the migration that asks for it), in one transaction. */
  rebuildTraceIndex(): void {
    this.db
      .transaction(() => {
        this.traceIndex.rebuild();
        this.db.exec(`DELETE FROM trace_rebuild`);
      })
      .immediate();
  }

  async addAnalyses(items: StoreInput[]): Promise<AddResult> {
    return this.addPrepared(items.map(prepareDocument));
  }

  async addPrepared(prepared: PreparedDocument[]): Promise<AddResult> {
    const now = new Date().toISOString();
    let inserted = 0;
    try {
      this.db
        .transaction(() => {
          const before = this.st.maxRid.get() as number;
          // Documents already stored add nothing, to the speakers' counts either.
          const fresh = prepared.filter((p, i) => !this.st.hasHash.get(p.hash) && prepared.findIndex((q) => q.hash === p.hash) === i);
          const { ids, surnames } = this.linkSpeakers(fresh);
          const rollup = new RollupBatch();
          for (const p of fresh) {
            const stored = this.insertOne(p, now, ids);
            if (!stored) continue;
            inserted++;
            rollup.add(p, stored);
          }
          // The word index and the rollups, in the same transaction: committed with the rows or not at all.
          if (inserted) this.st.indexWords.run(before);
          // The quote/claim index too: matched against what is stored, in the same transaction.
          if (inserted) this.traceIndex.index(before, prepared);
          this.writeRollups(rollup);
          // Then the identity stage relinks bare surnames (moving attributions between speakers), and the
          // speakers it moved get their rollup rows recomputed, so the views count what is stored.
          this.refreshSpeakerRollups(this.resolveSurnames(surnames));
        })
        .immediate();
    } catch (err) {
      wrap(this.path, err);
    }
    return { inserted, skipped: prepared.length - inserted };
  }

  async hasHashes(hashes: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    try {
      for (const h of hashes) if (this.st.hasHash.get(h)) out.add(h);
    } catch (err) {
      wrap(this.path, err);
    }
    return out;
  }

  async recordErrors(errors: DocumentError[]): Promise<void> {
    if (!errors.length) return;
    try {
      this.db
        .transaction(() => {
          for (const e of errors) this.st.upsertError.run(e.input, e.locator, e.message, e.hash ?? null, e.at ?? new Date().toISOString());
        })
        .immediate();
    } catch (err) {
      wrap(this.path, err);
    }
  }

  async clearErrors(keys: { input: string; locator: string }[]): Promise<void> {
    if (!keys.length) return;
    try {
      this.db.transaction(() => {
        for (const k of keys) this.st.deleteError.run(k.input, k.locator);
      })();
    } catch (err) {
      wrap(this.path, err);
    }
  }

  async storedContent(contentHashes: string[]): Promise<Map<string, { analysis: Analysis; text: string | null }>> {
    const out = new Map<string, { analysis: Analysis; text: string | null }>();
    const stmt = this.db.prepare(`SELECT analysis, text FROM documents WHERE content_hash = ? ORDER BY doc LIMIT 1`);
    try {
      for (const h of new Set(contentHashes)) {
        const r = stmt.get(h) as { analysis: string; text: string | null } | undefined;
        if (r) out.set(h, { analysis: JSON.parse(r.analysis) as Analysis, text: r.text });
      }
    } catch (err) {
      wrap(this.path, err);
    }
    return out;
  }

  traces(): TraceStore {
    return this.traceIndex;
  }

  async countDocuments(options: { outlet?: string } = {}): Promise<number> {
    if (options.outlet !== undefined) return this.db.prepare(`SELECT count(*) FROM documents WHERE lower(outlet) = lower(?)`).pluck().get(options.outlet) as number;
    return this.db.prepare(`SELECT count(*) FROM documents`).pluck().get() as number;
  }

  async countAttributions(): Promise<number> {
    return this.db.prepare(`SELECT count(*) FROM attributions`).pluck().get() as number;
  }

  async listDocuments(options: ListOptions = {}): Promise<DocumentSummary[]> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(options.limit ?? 50)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const rows = (
      options.outlet !== undefined
        ? this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents WHERE lower(outlet) = lower(?) ORDER BY doc DESC LIMIT ? OFFSET ?`).all(options.outlet, limit, offset)
        : this.db.prepare(`SELECT ${DOC_COLUMNS} FROM documents ORDER BY doc DESC LIMIT ? OFFSET ?`).all(limit, offset)
    ) as DocRow[];
    return rows.map(summary);
  }

  async getDocument(idOrHash: string): Promise<Analysis | null> {
    const r = this.db
      .prepare(`SELECT ${DOC_COLUMNS}, analysis, text FROM documents WHERE hash = ? OR id = ? ORDER BY (hash = ?) DESC, doc DESC LIMIT 1`)
      .get(idOrHash, idOrHash, idOrHash) as (DocRow & { analysis: string; text: string | null }) | undefined;
    return r ? restoreAnalysis(r.analysis, r, r.text) : null;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const q = buildSearch('sqlite', query);
    if (!q) return [];
    return (this.db.prepare(q.sql).all(...q.params) as HitRow[]).map(toHit);
  }

  async speakers(options: SpeakerListOptions = {}): Promise<SpeakerSummary[]> {
    const q = speakerListQuery(options);
    const rows = this.db.prepare(q.sql).all(...q.params) as (SpeakerRow & { n: number; docs: number })[];
    const outlets = this.db.prepare(`SELECT d.outlet, count(*) AS n FROM attributions a JOIN documents d ON d.doc = a.doc
      WHERE a.speaker_id = ? GROUP BY d.outlet ORDER BY n DESC LIMIT 10`);
    return rows.map((r) =>
      toSpeakerSummary(r, r, (outlets.all(r.id) as { outlet: string | null; n: number }[]).map((o) => ({ outlet: o.outlet, attributions: o.n }))),
    );
  }

  async speaker(id: number): Promise<SpeakerDetail | null> {
    const s = this.db.prepare(`SELECT ${SPEAKER_COLUMNS}, s.resolved_id FROM speakers s WHERE s.id = ?`).get(id) as (SpeakerRow & { resolved_id: number | null }) | undefined;
    if (!s) return null;
    const counts = this.db.prepare(`SELECT count(*) AS n, count(DISTINCT doc) AS docs FROM attributions WHERE speaker_id = ?`).get(id) as { n: number; docs: number };
    const outlets = (this.db.prepare(`SELECT d.outlet, count(*) AS n FROM attributions a JOIN documents d ON d.doc = a.doc
      WHERE a.speaker_id = ? GROUP BY d.outlet ORDER BY n DESC`).all(id) as { outlet: string | null; n: number }[]).map((o) => ({ outlet: o.outlet, attributions: o.n }));
    const aliases = this.db.prepare(`SELECT alias_norm FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias_norm`).pluck().all(id) as string[];
    const descriptors = (this.db.prepare(`SELECT descriptor, n FROM speaker_descriptors WHERE speaker_id = ? ORDER BY n DESC, descriptor LIMIT 50`)
      .all(id) as { descriptor: string; n: number }[]).map((d) => ({ descriptor: d.descriptor, documents: d.n }));
    const recent = (this.db.prepare(`SELECT ${HIT_COLUMNS} FROM attributions a JOIN documents d ON d.doc = a.doc
      LEFT JOIN speakers s ON s.id = a.speaker_id WHERE a.speaker_id = ? ORDER BY a.rid DESC LIMIT 20`).all(id) as HitRow[]).map(toHit);
    return { ...toSpeakerSummary(s, counts, outlets), aliases, descriptors, resolvedTo: s.resolved_id === null ? null : Number(s.resolved_id), recent };
  }

  async stats(): Promise<OutletStats[]> {
    const rows = this.db.prepare(`SELECT outlet, count(*) AS docs, sum(n_attributions) AS n, sum(n_anonymous) AS anon, sum(n_direct) AS direct
      FROM documents GROUP BY outlet ORDER BY docs DESC, outlet`).all() as { outlet: string | null; docs: number; n: number; anon: number; direct: number }[];
    return rows.map((r) => ({
      outlet: r.outlet,
      documents: r.docs,
      attributions: r.n,
      attributionsPerDocument: r.docs ? r.n / r.docs : 0,
      anonymousShare: r.n ? r.anon / r.n : 0,
      directShare: r.n ? r.direct / r.n : 0,
    }));
  }

  async errors(): Promise<DocumentError[]> {
    return this.db.prepare(`SELECT input, locator, message, hash, at FROM errors ORDER BY input, at, locator`).all() as DocumentError[];
  }

  async *exportDocuments(options: { pageSize?: number } = {}): AsyncIterable<StoredDocument> {
    const page = options.pageSize ?? 500;
    const stmt = this.db.prepare(`SELECT ${DOC_COLUMNS}, analysis, text FROM documents WHERE hash > ? ORDER BY hash LIMIT ?`);
    let after = '';
    for (;;) {
      const rows = stmt.all(after, page) as (DocRow & { analysis: string; text: string | null })[];
      if (!rows.length) return;
      for (const r of rows) yield { summary: summary(r), analysis: restoreAnalysis(r.analysis, r, null), text: r.text };
      after = rows[rows.length - 1].hash;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
