import pg from 'pg';
import type { Analysis } from '../../core/types.js';
import { migrations } from './migrations.js';
import { DOC_COLUMNS, normalizeName, padded, prepareDocument, restoreAnalysis, searchFold, summary, type DocRow, type PreparedDocument } from '../rows.js';
import { chooseSurnameTarget, genderOf, sumSpeakers, type GenderLabel, type SpeakerTotals } from '../speaker-identity.js';
import { genderColumns, leadingRole, speakerListQuery, SPEAKER_COLUMNS, toSpeakerSummary, type SpeakerRow } from '../speaker-sql.js';
import { CorpusViews, rollupStatements } from '../views.js';
import { postgresRollupQueries, RollupBatch, speakerRollupRefresh } from '../rollup.js';
import { buildSearch, HIT_COLUMNS, numbered, toHit, type HitRow } from '../sql.js';
import { indexTraces, PgTraceIndex, rebuildTraces } from './trace.js';
import type { TraceStore } from '../trace-sql.js';
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

// Counts come back as bigint strings; numbers are what the API speaks.
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface PostgresOptions {
  /** Schema to use (created when missing); also settable as ?schema= in the URL. */
  schema?: string;
  max?: number;
  connectionTimeoutMillis?: number;
}

const CONNECT_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
  '28P01': 'authentication failed',
  '28000': 'authentication rejected',
  '3D000': 'database does not exist',
};

/** Why a client's connection dropped, for the error of the statement that finds it gone. */
const lostConnection = new WeakMap<pg.ClientBase, unknown>();

/** The URL without its password, for messages. */
function describe(url: URL): string {
  return `${url.hostname || 'localhost'}:${url.port || 5432}${url.pathname}`;
}

function connectError(url: URL, err: unknown): StoreError {
  const e = err as { code?: string; message?: string; errors?: { code?: string }[] };
  const code = e.code ?? e.errors?.[0]?.code ?? '';
  const why = CONNECT_CODES[code] ?? (/timeout/i.test(e.message ?? '') ? 'connection timed out' : (e.message ?? String(err)));
  return new StoreError(`cannot connect to PostgreSQL at ${describe(url)}: ${why}`, err);
}

/**
 * PostgreSQL text cannot hold U+0000 (the insert fails, and with it the whole transaction of good
 * documents). Each NUL is stored as U+FFFD, one UTF-16 unit for one, so every offset into a stored
 * text stays right; lone surrogates get the same from the driver's UTF-8 encoding.
 */
export function pgText(s: string): string {
  return s.includes('\u0000') ? s.replace(/\u0000/g, '\ufffd') : s;
}

/** The same for JSON text: an escaped NUL inside a JSON string becomes an escaped U+FFFD. */
export function pgJson(json: string): string {
  if (!json.includes('\\u0000')) return pgText(json);
  // Only where the backslash starts an escape (an odd run of backslashes), not after an escaped backslash.
  return pgText(json.replace(/(\\+)u0000/g, (m, bs: string) => (bs.length % 2 ? `${bs}ufffd` : m)));
}

/** Query parameters with every string (also inside arrays) made storable. */
function pgParams(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'string' ? pgText(p) : Array.isArray(p) ? p.map((x) => (typeof x === 'string' ? pgText(x) : x)) : p));
}

function quoteIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}


export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;

  readonly views: CorpusViews;

  private constructor(private readonly pool: pg.Pool, private readonly url: URL) {
    this.views = new CorpusViews('postgres', async <R>(sql: string, params: unknown[] = []) => (await this.query(sql, params)) as R[]);
  }

  /** Connects, checks the server is there, and brings the schema up to date. */
  static async open(location: string, options: PostgresOptions = {}): Promise<PostgresStore> {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw new StoreError(`not a PostgreSQL URL: ${location.replace(/:[^:@/]*@/, ':***@')}`);
    }
    const schema = options.schema ?? url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    const pool = new pg.Pool({
      connectionString: url.toString(),
      max: options.max ?? 4,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5000,
      ...(schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
    });
    pool.on('error', () => {
      /* an idle client lost its connection: the next query reports it */
    });
    // A client whose connection drops while it is checked out but between statements emits 'error', and with
    // no listener that ends the process. pg-pool listens only while a client is idle, and a listener added
    // after `await pool.connect()` comes too late when the server's FATAL arrives in the same packet as the
    // end of the handshake (a backend terminated as it starts: a queue worker under pg_terminate_backend).
    // So every client listens from the moment the pool hands it out; the statement in flight, or the next
    // one, fails with the error, and that is where it is handled, and pg-pool drops the dead client on release.
    // The first such error is kept: the driver's own for the next statement says only "not queryable".
    pool.on('connect', (client) => client.on('error', (err) => void (lostConnection.has(client) || lostConnection.set(client, err))));
    const store = new PostgresStore(pool, url);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end().catch(() => {});
      throw connectError(url, err);
    }
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('whosaid-migrate'))`);
      if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
      const { rows } = await client.query<{ version: number }>(`SELECT version FROM schema_migrations`);
      const applied = new Set(rows.map((r) => r.version));
      const latest = Math.max(0, ...applied);
      if (latest > migrations[migrations.length - 1].version) {
        throw new StoreError(`this store was written by a newer whosaid (schema version ${latest}); upgrade whosaid`);
      }
      for (const m of migrations) {
        if (applied.has(m.version)) continue;
        await client.query(m.sql);
        await client.query(`INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`, [m.version, m.name, new Date().toISOString()]);
      }
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      await pool.end().catch(() => {});
      throw lostConnection.has(client) ? connectError(url, lostConnection.get(client)) : err;
    }
    client.release();
    try {
      await store.rebuildIdentities();
      await store.rebuildTraceIndex();
    } catch (err) {
      await pool.end().catch(() => {});
      throw err;
    }
    return store;
  }

  private async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(sql, pgParams(params))).rows;
    } catch (err) {
      if ((err as { code?: string }).code && CONNECT_CODES[(err as { code: string }).code]) throw connectError(this.url, err);
      throw err;
    }
  }

  private async transaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw connectError(this.url, err);
    }
    // Every statement of a transaction gets storable parameters (see pgText).
    const raw = client.query.bind(client) as (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
    const safe = Object.assign(Object.create(client) as pg.PoolClient, {
      query: (sql: string, params?: unknown[]) => raw(sql, params && pgParams(params)),
    });
    try {
      await client.query('BEGIN');
      const out = await fn(safe);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if (lostConnection.has(client)) throw connectError(this.url, lostConnection.get(client));
      if ((err as { code?: string }).code && CONNECT_CODES[(err as { code: string }).code]) throw connectError(this.url, err);
      throw err;
    } finally {
      client.release();
    }
  }

  async addAnalyses(items: StoreInput[]): Promise<AddResult> {
    return this.addPrepared(items.map(prepareDocument));
  }

  /** One transaction, a handful of set-based statements (unnest arrays) whatever the batch size. */
  async addPrepared(items: PreparedDocument[]): Promise<AddResult> {
    if (!items.length) return { inserted: 0, skipped: 0 };
    // Within one call the first copy of a hash wins, as it would one at a time.
    const seen = new Set<string>();
    const prepared: PreparedDocument[] = [];
    for (const it of items) {
      if (seen.has(it.hash)) continue;
      seen.add(it.hash);
      prepared.push(it);
    }
    const now = new Date().toISOString();
    return this.transaction(async (c) => {
      const col = <K extends keyof PreparedDocument>(k: K) => prepared.map((p) => p[k]);
      const docs = await c.query<{ doc: number; hash: string }>(
        `INSERT INTO documents (hash, id, title, url, outlet, published, input, locator, chars, text, analysis, n_attributions, n_anonymous, n_direct, added_at, content_hash)
         SELECT t.hash, t.id, t.title, t.url, t.outlet, t.published, t.input, t.locator, t.chars, t.text, t.analysis, t.n_attributions,
           t.n_anonymous, t.n_direct, $15::text, coalesce(t.content_hash, t.hash) FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
           $9::int[], $10::text[], $11::text[], $12::int[], $13::int[], $14::int[], $16::text[])
           AS t(hash, id, title, url, outlet, published, input, locator, chars, text, analysis, n_attributions, n_anonymous, n_direct, content_hash)
         ON CONFLICT (hash) DO NOTHING RETURNING doc, hash`,
        [col('hash'), col('id'), col('title'), col('url'), col('outlet'), col('published'), col('input'), col('locator'), col('chars'),
          col('text'), col('analysisJson').map(pgJson), col('nAttributions'), col('nAnonymous'), col('nDirect'), now, col('contentHash')],
      );
      const docOf = new Map(docs.rows.map((r) => [r.hash, Number(r.doc)]));
      const fresh = prepared.filter((p) => docOf.has(p.hash));
      if (!fresh.length) return { inserted: 0, skipped: items.length };

      // Corpus speakers: one upsert per identity key, in key order so concurrent writers lock alike.
      const { ids, surnames } = await this.linkSpeakers(c, fresh);
      const sid = (p: PreparedDocument, i: number) => (i >= 0 ? ids.get(p.speakers[i].norm)! : null);

      const a = { doc: [] as number[], attr: [] as string[], ord: [] as number[], kind: [] as string[], source: [] as (string | null)[],
        cue: [] as string[], content: [] as string[], spans: [] as string[], entity: [] as (string | null)[], speaker: [] as (number | null)[],
        anon: [] as boolean[], parent: [] as (string | null)[], hedged: [] as boolean[], conf: [] as number[], search: [] as string[] };
      const e = { doc: [] as number[], entity: [] as string[], speaker: [] as (number | null)[], name: [] as string[], type: [] as string[],
        anon: [] as boolean[], data: [] as string[] };
      for (const p of fresh) {
        const doc = docOf.get(p.hash)!;
        for (const r of p.attributions) {
          a.doc.push(doc); a.attr.push(r.attrId); a.ord.push(r.ord); a.kind.push(r.kind); a.source.push(r.sourceText);
          a.cue.push(r.cueText); a.content.push(r.contentText); a.spans.push(r.contentSpans); a.entity.push(r.entityId);
          a.speaker.push(sid(p, r.speaker)); a.anon.push(r.anonymous); a.parent.push(r.parent); a.hedged.push(r.hedged);
          a.conf.push(r.confidence); a.search.push(searchFold(`${r.contentText} ${r.sourceText ?? ''}`));
        }
        for (const r of p.entities) {
          e.doc.push(doc); e.entity.push(r.entityId); e.speaker.push(sid(p, r.speaker)); e.name.push(r.name); e.type.push(r.type);
          e.anon.push(r.anonymous); e.data.push(r.json);
        }
      }
      if (a.doc.length) {
        await c.query(
          `INSERT INTO attributions (doc, attr_id, ord, kind, source_text, cue_text, content_text, content_spans, entity_id, speaker_id, local_speaker_id, anonymous, parent, hedged, confidence, search)
           SELECT t.doc, t.attr, t.ord, t.kind, t.source, t.cue, t.content, t.spans, t.entity, t.speaker, t.speaker, t.anon, t.parent, t.hedged, t.conf, to_tsvector('simple', t.search)
           FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::bigint[],
             $11::boolean[], $12::text[], $13::boolean[], $14::float8[], $15::text[])
             AS t(doc, attr, ord, kind, source, cue, content, spans, entity, speaker, anon, parent, hedged, conf, search)`,
          [a.doc, a.attr, a.ord, a.kind, a.source, a.cue, a.content, a.spans, a.entity, a.speaker, a.anon, a.parent, a.hedged, a.conf, a.search],
        );
      }
      if (e.doc.length) {
        await c.query(
          `INSERT INTO entities (doc, entity_id, speaker_id, name, type, anonymous, data)
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::boolean[], $7::text[])`,
          [e.doc, e.entity, e.speaker, e.name, e.type, e.anon, e.data.map(pgJson)],
        );
      }
      // The quote/claim index, matched against what is stored, in the same transaction.
      await indexTraces(c, fresh, docOf);
      // The corpus views' rollups (../rollup.ts), counted from this transaction's documents.
      const rollup = new RollupBatch();
      for (const p of fresh) rollup.add(p, p.speakers.map((_, i) => sid(p, i)));
      for (const q of postgresRollupQueries(rollup)) await c.query(q.sql, q.params);
      // Then the identity stage relinks bare surnames (moving attributions between speakers), and the
      // speakers it moved get their rollup rows recomputed, so the views count what is stored.
      await this.refreshSpeakerRollups(c, await this.resolveSurnames(c, surnames));
      return { inserted: fresh.length, skipped: items.length - fresh.length };
    });
  }

  /** Adds one batch's summed evidence to a speaker (created when new); returns its id. */
  private async upsertSpeaker(c: pg.PoolClient, t: SpeakerTotals): Promise<number> {
    const k = t.key;
    const select = `SELECT id, type, male_evidence, female_evidence, name_gender FROM speakers WHERE norm = $1 FOR UPDATE`;
    type Row = { id: number; type: string; male_evidence: number; female_evidence: number; name_gender: string | null };
    let row = (await c.query<Row>(select, [k.norm])).rows[0];
    let id: number;
    if (!row) {
      const g = genderColumns(k.type, t.maleEvidence, t.femaleEvidence, k.nameGender);
      const ins = await c.query<{ id: number }>(
        `INSERT INTO speakers (norm, type, name, padded, scope, surname, n_docs, male_evidence, female_evidence, name_gender, gender, gender_confidence, gender_basis)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (norm) DO NOTHING RETURNING id`,
        [k.norm, k.type, k.name, padded(normalizeName(k.name)), k.scope, k.surname, t.documents, t.maleEvidence, t.femaleEvidence, k.nameGender, ...g],
      );
      if (ins.rows[0]) id = Number(ins.rows[0].id);
      else row = (await c.query<Row>(select, [k.norm])).rows[0];
    }
    if (row) {
      id = Number(row.id);
      const type = row.type === 'unresolved' ? k.type : row.type;
      const male = Number(row.male_evidence) + t.maleEvidence;
      const female = Number(row.female_evidence) + t.femaleEvidence;
      const nameGender = row.name_gender ?? k.nameGender;
      await c.query(
        `UPDATE speakers SET type = $1, n_docs = n_docs + $2, male_evidence = $3, female_evidence = $4, name_gender = $5, gender = $6,
           gender_confidence = $7, gender_basis = $8 WHERE id = $9`,
        [type, t.documents, male, female, nameGender, ...genderColumns(type, male, female, nameGender), id],
      );
    }
    const aliases = [...t.aliases];
    if (aliases.length) {
      await c.query(
        `INSERT INTO speaker_aliases (speaker_id, alias_norm, padded) SELECT $1, a, ' ' || a || ' ' FROM unnest($2::text[]) AS a ON CONFLICT DO NOTHING`,
        [id!, aliases],
      );
    }
    if (t.descriptors.size) {
      await c.query(
        `INSERT INTO speaker_descriptors (speaker_id, descriptor, n) SELECT $1, d, n FROM unnest($2::text[], $3::int[]) AS x(d, n)
         ON CONFLICT (speaker_id, descriptor) DO UPDATE SET n = speaker_descriptors.n + excluded.n`,
        [id!, [...t.descriptors.keys()], [...t.descriptors.values()]],
      );
    }
    if (t.roles.size) {
      await c.query(
        `INSERT INTO speaker_roles (speaker_id, role, n) SELECT $1, r, n FROM unnest($2::text[], $3::int[]) AS x(r, n)
         ON CONFLICT (speaker_id, role) DO UPDATE SET n = speaker_roles.n + excluded.n`,
        [id!, [...t.roles.keys()], [...t.roles.values()]],
      );
      const votes = (await c.query<{ role: string; n: number }>(`SELECT role, n FROM speaker_roles WHERE speaker_id = $1`, [id!])).rows;
      await c.query(`UPDATE speakers SET role = $1 WHERE id = $2`, [leadingRole(votes), id!]);
    }
    return id!;
  }

  private async linkSpeakers(c: pg.PoolClient, prepared: PreparedDocument[]): Promise<{ ids: Map<string, number>; surnames: Set<string> }> {
    const totals = sumSpeakers(prepared.map((p) => p.speakers));
    const ids = new Map<string, number>();
    const surnames = new Set<string>();
    for (const key of [...totals.keys()].sort()) {
      const t = totals.get(key)!;
      ids.set(key, await this.upsertSpeaker(c, t));
      if (t.key.surname) surnames.add(t.key.surname);
    }
    return { ids, surnames };
  }

  /** As SqliteStore.resolveSurnames: which corpus person each bare surname counts under, re-decided. */
  private async resolveSurnames(c: pg.PoolClient, surnames: Set<string>): Promise<Set<number>> {
    // The speakers whose attributions moved: their corpus-view rollups are recomputed (refreshSpeakerRollups).
    const moved = new Set<number>();
    for (const surname of [...surnames].sort()) {
      const locals = (await c.query<{ id: number; resolved_id: number | null; male_evidence: number; female_evidence: number }>(
        `SELECT id, resolved_id, male_evidence, female_evidence FROM speakers WHERE surname = $1 AND scope = 'document' ORDER BY id`, [surname],
      )).rows;
      if (!locals.length) continue;
      const candidates = (await c.query<{ id: number; documents: number; gender: GenderLabel }>(
        `SELECT id, n_docs AS documents, gender FROM speakers WHERE surname = $1 AND scope = 'corpus' AND type = 'person'`, [surname],
      )).rows.map((r) => ({ id: Number(r.id), documents: Number(r.documents), gender: r.gender }));
      const byGender = new Map<GenderLabel, number | null>();
      for (const l of locals) {
        const g = genderOf(Number(l.male_evidence), Number(l.female_evidence), null).gender;
        if (!byGender.has(g)) byGender.set(g, chooseSurnameTarget(candidates, g));
        const target = byGender.get(g)!;
        const current = l.resolved_id === null ? null : Number(l.resolved_id);
        if (target === current) continue;
        await c.query(`UPDATE attributions SET speaker_id = $1 WHERE local_speaker_id = $2`, [target ?? Number(l.id), l.id]);
        await c.query(`UPDATE speakers SET resolved_id = $1 WHERE id = $2`, [target, l.id]);
        moved.add(current ?? Number(l.id));
        moved.add(target ?? Number(l.id));
      }
    }
    return moved;
  }

  /** Recomputes these speakers' rows of speaker_totals and speaker_counts from their attributions. */
  private async refreshSpeakerRollups(c: pg.PoolClient, ids: Set<number>): Promise<void> {
    if (!ids.size) return;
    const param = [...ids].sort((a, b) => a - b);
    for (const sql of speakerRollupRefresh('postgres')) await c.query(sql, [param]);
  }

  /** Derives every document's speakers again from its stored analysis, once, after the identity migration. */
  async rebuildIdentities(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('whosaid-migrate'))`);
      const pending = await c.query(`SELECT 1 FROM identity_rebuild LIMIT 1`);
      if (!pending.rows.length) return;
      const surnames = new Set<string>();
      let after = 0;
      for (;;) {
        const rows = (await c.query<{ doc: number; hash: string; url: string | null; outlet: string | null; published: string | null; analysis: string; text: string | null }>(
          `SELECT doc, hash, url, outlet, published, analysis, text FROM documents WHERE doc > $1 ORDER BY doc LIMIT 200`, [after],
        )).rows;
        if (!rows.length) break;
        const prepared = rows.map((r) => prepareDocument({ hash: r.hash, analysis: restoreAnalysis(r.analysis, r, null), text: r.text }));
        const linked = await this.linkSpeakers(c, prepared);
        for (const s of linked.surnames) surnames.add(s);
        const a = { doc: [] as number[], attr: [] as string[], speaker: [] as (number | null)[] };
        const e = { doc: [] as number[], entity: [] as string[], speaker: [] as (number | null)[] };
        rows.forEach((r, i) => {
          const p = prepared[i];
          const sid = (k: number) => (k >= 0 ? linked.ids.get(p.speakers[k].norm)! : null);
          for (const x of p.attributions) { a.doc.push(Number(r.doc)); a.attr.push(x.attrId); a.speaker.push(sid(x.speaker)); }
          for (const x of p.entities) { e.doc.push(Number(r.doc)); e.entity.push(x.entityId); e.speaker.push(sid(x.speaker)); }
        });
        await c.query(
          `UPDATE attributions t SET speaker_id = u.s, local_speaker_id = u.s FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(d, a, s)
           WHERE t.doc = u.d AND t.attr_id = u.a`, [a.doc, a.attr, a.speaker],
        );
        await c.query(
          `UPDATE entities t SET speaker_id = u.s FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS u(d, e, s)
           WHERE t.doc = u.d AND t.entity_id = u.e`, [e.doc, e.entity, e.speaker],
        );
        after = Number(rows[rows.length - 1].doc);
      }
      await this.resolveSurnames(c, surnames);
      // The speaker-keyed rollups were cleared with the old speakers (the identity migration): refilled
      // from the relinked attributions (document_counts does not depend on speakers).
      await c.query(`DELETE FROM speaker_totals; DELETE FROM speaker_counts; DELETE FROM attribution_counts;`);
      for (const sql of rollupStatements('postgres', () => 'TRUE').slice(1)) await c.query(sql);
      await c.query(`DELETE FROM identity_rebuild`);
    });
  }

  /** Indexes every stored document's quotes and claims, once, after the migration that asks for it. */
  async rebuildTraceIndex(): Promise<void> {
    await this.transaction(async (c) => {
      await c.query(`SELECT pg_advisory_xact_lock(hashtext('whosaid-migrate'))`);
      if (!(await c.query(`SELECT 1 FROM trace_rebuild LIMIT 1`)).rows.length) return;
      await rebuildTraces(c);
      await c.query(`DELETE FROM trace_rebuild`);
    });
  }

  async hasHashes(hashes: string[]): Promise<Set<string>> {
    if (!hashes.length) return new Set();
    const rows = await this.query<{ hash: string }>(`SELECT hash FROM documents WHERE hash = ANY($1::text[])`, [hashes]);
    return new Set(rows.map((r) => r.hash));
  }

  async recordErrors(errors: DocumentError[]): Promise<void> {
    if (!errors.length) return;
    // The last report for a key wins, as it would one at a time.
    const byKey = new Map(errors.map((e) => [`${e.input}\u0000${e.locator}`, e]));
    const list = [...byKey.values()];
    const now = new Date().toISOString();
    await this.query(
      `INSERT INTO errors (input, locator, message, hash, at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ON CONFLICT (input, locator) DO UPDATE SET message = excluded.message, hash = excluded.hash, at = excluded.at`,
      [list.map((e) => e.input), list.map((e) => e.locator), list.map((e) => e.message), list.map((e) => e.hash ?? null), list.map((e) => e.at ?? now)],
    );
  }

  async clearErrors(keys: { input: string; locator: string }[]): Promise<void> {
    if (!keys.length) return;
    await this.query(`DELETE FROM errors e USING unnest($1::text[], $2::text[]) AS k(input, locator) WHERE e.input = k.input AND e.locator = k.locator`, [
      keys.map((k) => k.input),
      keys.map((k) => k.locator),
    ]);
  }

  async storedContent(contentHashes: string[]): Promise<Map<string, { analysis: Analysis; text: string | null }>> {
    const out = new Map<string, { analysis: Analysis; text: string | null }>();
    if (!contentHashes.length) return out;
    const rows = await this.query<{ content_hash: string; analysis: string; text: string | null }>(
      `SELECT DISTINCT ON (content_hash) content_hash, analysis, text FROM documents WHERE content_hash = ANY($1::text[]) ORDER BY content_hash, doc`,
      [[...new Set(contentHashes)]],
    );
    for (const r of rows) out.set(r.content_hash, { analysis: JSON.parse(r.analysis) as Analysis, text: r.text });
    return out;
  }

  traces(): TraceStore {
    return new PgTraceIndex((sql, params) => this.query(sql, params));
  }

  async countDocuments(options: { outlet?: string } = {}): Promise<number> {
    if (options.outlet !== undefined) {
      return Number((await this.query<{ n: number }>(`SELECT count(*) AS n FROM documents WHERE lower(outlet) = lower($1)`, [options.outlet]))[0].n);
    }
    return Number((await this.query<{ n: number }>(`SELECT count(*) AS n FROM documents`))[0].n);
  }

  async countAttributions(): Promise<number> {
    return Number((await this.query<{ n: number }>(`SELECT count(*) AS n FROM attributions`))[0].n);
  }

  async listDocuments(options: ListOptions = {}): Promise<DocumentSummary[]> {
    const limit = Math.max(1, Math.min(10_000, Math.floor(options.limit ?? 50)));
    const offset = Math.max(0, Math.floor(options.offset ?? 0));
    const rows =
      options.outlet !== undefined
        ? await this.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents WHERE lower(outlet) = lower($1) ORDER BY doc DESC LIMIT $2 OFFSET $3`, [options.outlet, limit, offset])
        : await this.query<DocRow>(`SELECT ${DOC_COLUMNS} FROM documents ORDER BY doc DESC LIMIT $1 OFFSET $2`, [limit, offset]);
    return rows.map(summary);
  }

  async getDocument(idOrHash: string): Promise<Analysis | null> {
    const rows = await this.query<DocRow & { analysis: string; text: string | null }>(
      `SELECT ${DOC_COLUMNS}, analysis, text FROM documents WHERE hash = $1 OR id = $1 ORDER BY (hash = $1) DESC, doc DESC LIMIT 1`,
      [idOrHash],
    );
    return rows[0] ? restoreAnalysis(rows[0].analysis, rows[0], rows[0].text) : null;
  }

  async search(query: SearchQuery): Promise<SearchHit[]> {
    const q = buildSearch('postgres', query);
    if (!q) return [];
    return (await this.query<HitRow>(q.sql, q.params)).map(toHit);
  }

  async speakers(options: SpeakerListOptions = {}): Promise<SpeakerSummary[]> {
    const q = speakerListQuery(options);
    const rows = await this.query<SpeakerRow & { n: number; docs: number }>(numbered(q.sql), q.params);
    if (!rows.length) return [];
    const outlets = await this.query<{ speaker_id: number; outlet: string | null; n: number }>(
      `SELECT a.speaker_id, d.outlet, count(*) AS n FROM attributions a JOIN documents d ON d.doc = a.doc
       WHERE a.speaker_id = ANY($1::bigint[]) GROUP BY a.speaker_id, d.outlet ORDER BY n DESC`,
      [rows.map((r) => r.id)],
    );
    return rows.map((r) =>
      toSpeakerSummary(r, r, outlets.filter((o) => Number(o.speaker_id) === Number(r.id)).slice(0, 10).map((o) => ({ outlet: o.outlet, attributions: o.n }))),
    );
  }

  async speaker(id: number): Promise<SpeakerDetail | null> {
    const s = (await this.query<SpeakerRow & { resolved_id: number | null }>(`SELECT ${SPEAKER_COLUMNS}, s.resolved_id FROM speakers s WHERE s.id = $1`, [id]))[0];
    if (!s) return null;
    const counts = (await this.query<{ n: number; docs: number }>(`SELECT count(*) AS n, count(DISTINCT doc) AS docs FROM attributions WHERE speaker_id = $1`, [id]))[0];
    const outlets = (await this.query<{ outlet: string | null; n: number }>(
      `SELECT d.outlet, count(*) AS n FROM attributions a JOIN documents d ON d.doc = a.doc WHERE a.speaker_id = $1 GROUP BY d.outlet ORDER BY n DESC`,
      [id],
    )).map((o) => ({ outlet: o.outlet, attributions: o.n }));
    const aliases = await this.query<{ alias_norm: string }>(`SELECT alias_norm FROM speaker_aliases WHERE speaker_id = $1 ORDER BY alias_norm`, [id]);
    const descriptors = await this.query<{ descriptor: string; n: number }>(
      `SELECT descriptor, n FROM speaker_descriptors WHERE speaker_id = $1 ORDER BY n DESC, descriptor LIMIT 50`, [id],
    );
    const recent = (await this.query<HitRow>(
      `SELECT ${HIT_COLUMNS} FROM attributions a JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id
       WHERE a.speaker_id = $1 ORDER BY a.rid DESC LIMIT 20`,
      [id],
    )).map(toHit);
    return {
      ...toSpeakerSummary(s, counts, outlets),
      aliases: aliases.map((a) => a.alias_norm),
      descriptors: descriptors.map((d) => ({ descriptor: d.descriptor, documents: Number(d.n) })),
      resolvedTo: s.resolved_id === null ? null : Number(s.resolved_id),
      recent,
    };
  }

  async stats(): Promise<OutletStats[]> {
    const rows = await this.query<{ outlet: string | null; docs: number; n: number; anon: number; direct: number }>(
      `SELECT outlet, count(*) AS docs, sum(n_attributions) AS n, sum(n_anonymous) AS anon, sum(n_direct) AS direct
       FROM documents GROUP BY outlet ORDER BY docs DESC, outlet`,
    );
    return rows.map((r) => {
      const docs = Number(r.docs);
      const n = Number(r.n);
      return {
        outlet: r.outlet,
        documents: docs,
        attributions: n,
        attributionsPerDocument: docs ? n / docs : 0,
        anonymousShare: n ? Number(r.anon) / n : 0,
        directShare: n ? Number(r.direct) / n : 0,
      };
    });
  }

  async errors(): Promise<DocumentError[]> {
    return this.query<DocumentError>(`SELECT input, locator, message, hash, at FROM errors ORDER BY input, at, locator`);
  }

  async *exportDocuments(options: { pageSize?: number } = {}): AsyncIterable<StoredDocument> {
    const page = options.pageSize ?? 500;
    let after = '';
    for (;;) {
      const rows = await this.query<DocRow & { analysis: string; text: string | null }>(
        `SELECT ${DOC_COLUMNS}, analysis, text FROM documents WHERE hash > $1 ORDER BY hash LIMIT $2`,
        [after, page],
      );
      if (!rows.length) return;
      for (const r of rows) yield { summary: summary(r), analysis: restoreAnalysis(r.analysis, r, null), text: r.text };
      after = rows[rows.length - 1].hash;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
