/**
 * The corpus views a researcher works in (documents, speakers, a speaker's page, per-outlet and
 * per-month figures), written once for both engines over a small `run(sql, params)` runner.
 *
 * Aggregates over every attribution are too slow to compute per request on a large store (top speakers
 * over 783,000 attributions: ~10 s), so four rollups are kept up to date in the write transaction
 * (counted in memory from the prepared rows: ./rollup.ts) and filled once by the migration that creates
 * them (`rollupStatements`):
 *   - speaker_totals (speaker_id): attributions and documents per speaker, for the unfiltered list;
 *   - speaker_counts (speaker_id, outlet, month): the same per outlet and month, for filtered lists, a
 *     speaker's timeline and top speakers per outlet / month (a document has one outlet and one month,
 *     so document counts add up exactly);
 *   - document_counts (outlet, month): documents, for the figures;
 *   - attribution_counts (outlet, month, speaker_type, gender): attributions, anonymous, direct and
 *     unattributed counts, for the figures. Gender is the entity's `gender` field where the analysis
 *     has one, "unknown" otherwise.
 * Rollups key a missing outlet and an unreadable date as '' (a month is the first seven characters of an
 * ISO `published`). Date filters on rollup-backed views are whole months: a `since`/`until` date selects
 * the month it falls in. Rollups only grow: nothing in whosaid deletes documents.
 */
import type { Engine } from './sql.js';
import { numbered, HIT_COLUMNS, toHit, type HitRow } from './sql.js';
import { dateBounds, summary, DOC_COLUMNS, type DocRow } from './rows.js';
import type { GenderLabel, RoleCategory, SearchHit, SpeakerScope, SpeakerType } from './types.js';

export type Run = <R>(sql: string, params?: unknown[]) => Promise<R[]>;

export type DocumentSort = 'newest' | 'oldest' | 'added' | 'attributions';
export type SpeakerSort = 'attributions' | 'documents' | 'name';

export interface DocumentQuery {
  outlet?: string;
  since?: string;
  until?: string;
  sort?: DocumentSort;
  limit?: number;
  offset?: number;
}

export interface SpeakerQuery {
  outlet?: string;
  /** Whole months: the month of this date and later. */
  since?: string;
  /** Whole months: up to the end of the month of this date. */
  until?: string;
  type?: SpeakerType;
  /** Identity filters (./speaker-identity.ts): the speaker's scope, role category and gender label. */
  scope?: SpeakerScope;
  role?: RoleCategory;
  gender?: GenderLabel;
  sort?: SpeakerSort;
  limit?: number;
  offset?: number;
}

export interface SpeakerRow {
  id: number;
  name: string;
  type: SpeakerType;
  attributions: number;
  documents: number;
}

/** A row of the speakers list, with the identity stage's scope, gender (and its confidence) and role. */
export interface SpeakerListRow extends SpeakerRow {
  scope: SpeakerScope;
  gender: GenderLabel;
  genderConfidence: number | null;
  role: RoleCategory;
}

export interface Page<T> {
  total: number;
  items: T[];
}

/** Counts and shares for one outlet, one month, or the whole selection. */
export interface PeriodFigures {
  documents: number;
  attributions: number;
  /** Shares of attributions, 0 when there are none. */
  anonymousShare: number;
  unattributedShare: number;
  directShare: number;
  /** Attributions by the speaker's type (person, organization, media, anonymous, other, unresolved, none). */
  byType: Record<string, number>;
  /** Attributions by the speaker's gender as the analysis gives it ("unknown" where it gives none). */
  byGender: Record<string, number>;
  /** Who gets quoted: the distinct corpus speakers with attributions here, by gender and role (with `quoted: true`). */
  quoted?: QuotedPeople;
}

/**
 * Distinct speakers quoted in one outlet, month or selection, with the identity stage's gender and role
 * category as the store holds them now (./speaker-identity.ts; a speaker counts once however often it is
 * quoted). Gender is counted over persons only (type person, or an unresolved source that names one);
 * role over every speaker (organisations, outlets and unnamed sources have their own categories; an
 * unnamed source is one speaker per article). Shares are of `persons` and `speakers`, 0 when there are none.
 */
export interface QuotedPeople {
  speakers: number;
  byRole: Record<string, number>;
  roleShare: Record<string, number>;
  persons: number;
  byGender: Record<string, number>;
  genderShare: Record<string, number>;
}

export interface OutletFigures extends PeriodFigures {
  outlet: string | null;
  topSpeakers: SpeakerRow[];
}

export interface MonthFigures extends PeriodFigures {
  /** YYYY-MM, or null for documents without a readable date. */
  month: string | null;
  topSpeakers: SpeakerRow[];
}

export interface CorpusFigures {
  total: PeriodFigures;
  outlets: OutletFigures[];
  months: MonthFigures[];
  topSpeakers: SpeakerRow[];
}

export interface FiguresQuery {
  outlet?: string;
  since?: string;
  until?: string;
  /** Top speakers listed per outlet and month (default 5) and overall (default 20). */
  top?: number;
  /**
   * Also count who is quoted (`quoted` on each row): distinct speakers joined to their current gender
   * and role, which no rollup holds, so it costs a pass over the selected speaker_counts rows (about
   * 0.3-1 s on a 100,000-document store): asked for separately.
   */
  quoted?: boolean;
}

export interface SpeakerTimeline {
  months: { month: string | null; attributions: number; documents: number }[];
  outlets: { outlet: string | null; attributions: number; documents: number }[];
}

/** Where each attribution and entity of a stored document points in the corpus (speaker ids). */
export interface DocumentSpeakers {
  attributions: Record<string, number>;
  entities: Record<string, number>;
}

/** The month key of a `published` value, as an SQL expression over `col`. */
export function monthExpr(engine: Engine, col: string): string {
  return engine === 'sqlite'
    ? `(CASE WHEN ${col} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' THEN substr(${col}, 1, 7) ELSE '' END)`
    : `(CASE WHEN ${col} ~ '^[0-9]{4}-[0-9]{2}' THEN substr(${col}, 1, 7) ELSE '' END)`;
}

function genderExpr(engine: Engine): string {
  return engine === 'sqlite'
    ? `coalesce(json_extract(e.data, '$.gender'), 'unknown')`
    : `coalesce(e.data::json->>'gender', 'unknown')`;
}

/**
 * Statements that add the selected documents' rows to the rollups (`fresh(alias)` is the condition that
 * selects them): the migration's fill, with `TRUE`. Must count exactly what ./rollup.ts counts.
 */
export function rollupStatements(engine: Engine, fresh: (alias: string) => string): string[] {
  const month = monthExpr(engine, 'd.published');
  const anon = engine === 'sqlite' ? 'a.anonymous' : 'a.anonymous::int';
  return [
    `INSERT INTO document_counts (outlet, month, documents)
       SELECT coalesce(d.outlet, ''), ${month}, count(*) FROM documents d WHERE ${fresh('d')} GROUP BY 1, 2 ORDER BY 1, 2
     ON CONFLICT (outlet, month) DO UPDATE SET documents = document_counts.documents + excluded.documents`,
    `INSERT INTO speaker_totals (speaker_id, attributions, documents)
       SELECT a.speaker_id, count(*), count(DISTINCT a.doc) FROM attributions a WHERE ${fresh('a')} AND a.speaker_id IS NOT NULL
       GROUP BY a.speaker_id ORDER BY a.speaker_id
     ON CONFLICT (speaker_id) DO UPDATE SET attributions = speaker_totals.attributions + excluded.attributions,
       documents = speaker_totals.documents + excluded.documents`,
    `INSERT INTO speaker_counts (speaker_id, outlet, month, attributions, documents)
       SELECT a.speaker_id, coalesce(d.outlet, ''), ${month}, count(*), count(DISTINCT a.doc)
       FROM documents d JOIN attributions a ON a.doc = d.doc WHERE ${fresh('d')} AND a.speaker_id IS NOT NULL
       GROUP BY a.speaker_id, coalesce(d.outlet, ''), ${month} ORDER BY 1, 2, 3
     ON CONFLICT (speaker_id, outlet, month) DO UPDATE SET attributions = speaker_counts.attributions + excluded.attributions,
       documents = speaker_counts.documents + excluded.documents`,
    `INSERT INTO attribution_counts (outlet, month, speaker_type, gender, attributions, anonymous, direct, unattributed)
       SELECT coalesce(d.outlet, ''), ${month}, coalesce(s.type, 'none'), ${genderExpr(engine)}, count(*),
         sum(${anon}), sum(CASE WHEN a.kind = 'direct' THEN 1 ELSE 0 END), sum(CASE WHEN a.source_text IS NULL THEN 1 ELSE 0 END)
       FROM documents d JOIN attributions a ON a.doc = d.doc LEFT JOIN speakers s ON s.id = a.speaker_id
         LEFT JOIN entities e ON e.doc = a.doc AND e.entity_id = a.entity_id
       WHERE ${fresh('d')}
       GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
     ON CONFLICT (outlet, month, speaker_type, gender) DO UPDATE SET attributions = attribution_counts.attributions + excluded.attributions,
       anonymous = attribution_counts.anonymous + excluded.anonymous, direct = attribution_counts.direct + excluded.direct,
       unattributed = attribution_counts.unattributed + excluded.unattributed`,
  ];
}

/** The migration that creates the rollups and fills them from what is stored. */
export function rollupMigration(engine: Engine): string {
  const id = engine === 'sqlite' ? 'INTEGER' : 'BIGINT';
  const fill = rollupStatements(engine, () => 'TRUE').map((s) => `${s};`).join('\n');
  return `
CREATE TABLE speaker_totals (
  speaker_id   ${id} PRIMARY KEY REFERENCES speakers(id),
  attributions INTEGER NOT NULL,
  documents    INTEGER NOT NULL
);
CREATE INDEX speaker_totals_attributions ON speaker_totals(attributions DESC, speaker_id);
CREATE INDEX speaker_totals_documents ON speaker_totals(documents DESC, speaker_id);
CREATE TABLE speaker_counts (
  speaker_id   ${id} NOT NULL REFERENCES speakers(id),
  outlet       TEXT NOT NULL,
  month        TEXT NOT NULL,
  attributions INTEGER NOT NULL,
  documents    INTEGER NOT NULL,
  PRIMARY KEY (speaker_id, outlet, month)
);
CREATE INDEX speaker_counts_outlet ON speaker_counts(outlet, month);
CREATE INDEX speaker_counts_month ON speaker_counts(month);
CREATE TABLE attribution_counts (
  outlet       TEXT NOT NULL,
  month        TEXT NOT NULL,
  speaker_type TEXT NOT NULL,
  gender       TEXT NOT NULL,
  attributions INTEGER NOT NULL,
  anonymous    INTEGER NOT NULL,
  direct       INTEGER NOT NULL,
  unattributed INTEGER NOT NULL,
  PRIMARY KEY (outlet, month, speaker_type, gender)
);
CREATE TABLE document_counts (
  outlet    TEXT NOT NULL,
  month     TEXT NOT NULL,
  documents INTEGER NOT NULL,
  PRIMARY KEY (outlet, month)
);
CREATE INDEX documents_outlet_published ON documents(outlet, published);
CREATE INDEX documents_attributions ON documents(n_attributions);
${engine === 'postgres' ? 'CREATE INDEX documents_newest ON documents(published DESC NULLS LAST, doc DESC);' : ''}
CREATE INDEX speakers_name ON speakers(name, id);
${fill}
`;
}

/** The identity stage's speaker columns the speakers list carries. */
const IDENTITY_COLUMNS = 's.scope, s.gender, s.gender_confidence, s.role';

const clampLimit = (n: number | undefined, dflt: number) => Math.max(1, Math.min(10_000, Math.floor(n ?? dflt)));
const clampOffset = (n: number | undefined) => Math.max(0, Math.floor(n ?? 0));

/** Month bounds for rollup filters: the month of `since` and of `until` (inclusive). */
export function monthBounds(since?: string, until?: string): { from?: string; to?: string } {
  const m = (s?: string) => (s && /^\d{4}-\d{2}/.test(s) ? s.slice(0, 7) : undefined);
  return { from: m(since), to: m(until) };
}

const orNull = (s: string) => (s === '' ? null : s);

/** Speaker types that are persons: an entity typed person, or an unresolved source the identity stage read as a person's name. */
const PERSON_TYPES = new Set(['person', 'unresolved']);

function shares(counts: Record<string, number>, of: number): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, of ? n / of : 0]));
}

function withShares(q: QuotedPeople): QuotedPeople {
  return { ...q, roleShare: shares(q.byRole, q.speakers), genderShare: shares(q.byGender, q.persons) };
}

export class CorpusViews {
  constructor(private readonly engine: Engine, private readonly runRaw: Run) {}

  private run<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return this.runRaw<R>(this.engine === 'postgres' ? numbered(sql) : sql, params);
  }

  /**
   * The outlet filter ignores case, as the CLI's does: the name given is replaced by the spelling the
   * store holds (from the small document_counts rollup), so the indexed equality tests still apply.
   */
  private async withStoredOutlet<Q extends { outlet?: string }>(q: Q): Promise<Q> {
    if (q.outlet === undefined) return q;
    const rows = await this.run<{ outlet: string }>(
      `SELECT outlet FROM document_counts WHERE lower(outlet) = lower(?) GROUP BY outlet ORDER BY sum(documents) DESC LIMIT 1`,
      [q.outlet],
    );
    return rows.length ? { ...q, outlet: rows[0].outlet } : q;
  }

  /** Documents, filtered, sorted and paged, with the filtered total. */
  async documents(query: DocumentQuery): Promise<Page<ReturnType<typeof summary>>> {
    const q = await this.withStoredOutlet(query);
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.outlet !== undefined) {
      where.push('outlet = ?');
      params.push(q.outlet);
    }
    const b = dateBounds(q.since, q.until);
    if (b.since) where.push('published >= ?'), params.push(b.since);
    if (b.untilExclusive) where.push('published < ?'), params.push(b.untilExclusive);
    if (b.untilInclusive) where.push('published <= ?'), params.push(b.untilInclusive);
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    // Orders the indexes give without sorting (SQLite puts NULL dates last in DESC order; PostgreSQL has
    // an index for NULLS LAST). The page of ids comes from the indexes alone, then its rows are read.
    const newest = this.engine === 'postgres' ? 'published DESC NULLS LAST, doc DESC' : 'published DESC, doc DESC';
    const order =
      q.sort === 'oldest' ? (this.engine === 'postgres' ? 'published ASC NULLS FIRST, doc ASC' : 'published ASC, doc ASC')
      : q.sort === 'added' ? 'doc DESC'
      : q.sort === 'attributions' ? 'n_attributions DESC, doc DESC'
      : newest;
    // Without dates the total is in document_counts (PostgreSQL's count(*) would read the whole table).
    const dated = !!(b.since || b.untilExclusive || b.untilInclusive);
    const countSql = dated
      ? `SELECT count(*) AS n FROM documents ${w}`
      : `SELECT coalesce(sum(documents), 0) AS n FROM document_counts${q.outlet !== undefined ? ' WHERE outlet = ?' : ''}`;
    const [count, rows] = await Promise.all([
      this.run<{ n: number | string }>(countSql, params),
      this.run<DocRow>(
        `SELECT ${DOC_COLUMNS} FROM documents WHERE doc IN (SELECT doc FROM documents ${w} ORDER BY ${order} LIMIT ? OFFSET ?) ORDER BY ${order}`,
        [...params, clampLimit(q.limit, 50), clampOffset(q.offset)],
      ),
    ]);
    return { total: Number(count[0]?.n ?? 0), items: rows.map((r) => summary({ ...r, chars: Number(r.chars), n_attributions: Number(r.n_attributions) })) };
  }

  private rollupWhere(q: { outlet?: string; since?: string; until?: string }, alias = 'c'): { sql: string; params: unknown[] } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.outlet !== undefined) where.push(`${alias}.outlet = ?`), params.push(q.outlet);
    const m = monthBounds(q.since, q.until);
    // A bound excludes documents without a readable date (month '').
    if (m.from) where.push(`${alias}.month >= ?`), params.push(m.from);
    if (m.to) where.push(`${alias}.month <= ?`, `${alias}.month <> ''`), params.push(m.to);
    return { sql: where.join(' AND '), params };
  }

  /** Speakers by attributions (or documents, or name), optionally within an outlet and months. */
  async speakers(query: SpeakerQuery): Promise<Page<SpeakerListRow>> {
    const q = await this.withStoredOutlet(query);
    const limit = clampLimit(q.limit, 50);
    const offset = clampOffset(q.offset);
    const filtered = q.outlet !== undefined || q.since !== undefined || q.until !== undefined;
    // Filters on the speaker's own columns (the speakers row is joined anyway).
    const speakerFilters = ([['type', q.type], ['scope', q.scope], ['role', q.role], ['gender', q.gender]] as const).filter(([, v]) => v !== undefined);
    const typeWhere = speakerFilters.map(([col]) => ` AND s.${col} = ?`).join('');
    const typeParams = speakerFilters.map(([, v]) => v as string);
    const order = q.sort === 'name' ? 's.name ASC, s.id' : q.sort === 'documents' ? 'docs DESC, s.id' : 'n DESC, s.id';
    type Row = { id: number; name: string; type: SpeakerType; scope: SpeakerScope; gender: GenderLabel; gender_confidence: number | null; role: RoleCategory; n: number | string; docs: number | string };
    let rows: Row[];
    let total: number;
    if (!filtered) {
      const base = `FROM speaker_totals t JOIN speakers s ON s.id = t.speaker_id WHERE t.attributions > 0${typeWhere}`;
      const torder = q.sort === 'name' ? 's.name ASC, s.id' : q.sort === 'documents' ? 't.documents DESC, t.speaker_id' : 't.attributions DESC, t.speaker_id';
      const [c, r] = await Promise.all([
        this.run<{ n: number | string }>(`SELECT count(*) AS n ${base}`, typeParams),
        this.run<Row>(`SELECT s.id, s.name, s.type, ${IDENTITY_COLUMNS}, t.attributions AS n, t.documents AS docs ${base} ORDER BY ${torder} LIMIT ? OFFSET ?`, [...typeParams, limit, offset]),
      ]);
      rows = r;
      total = Number(c[0]?.n ?? 0);
    } else {
      const w = this.rollupWhere(q);
      const grouped = `SELECT c.speaker_id, sum(c.attributions) AS n, sum(c.documents) AS docs FROM speaker_counts c WHERE ${w.sql} GROUP BY c.speaker_id`;
      // Without a filter on the speaker's own columns, neither the count nor a page by counts needs the
      // speakers row of every group (tens of thousands in a year of a large corpus, most of them unnamed
      // sources): count the distinct ids, take the page from the groups, then join just that page.
      const bare = !speakerFilters.length;
      const byCount = q.sort !== 'name';
      const gorder = q.sort === 'documents' ? 'g.docs DESC, g.speaker_id' : 'g.n DESC, g.speaker_id';
      const [c, r] = await Promise.all([
        bare
          ? this.run<{ n: number | string }>(`SELECT count(DISTINCT c.speaker_id) AS n FROM speaker_counts c WHERE ${w.sql}`, w.params)
          : this.run<{ n: number | string }>(`SELECT count(*) AS n FROM (${grouped}) g JOIN speakers s ON s.id = g.speaker_id WHERE TRUE${typeWhere}`, [...w.params, ...typeParams]),
        bare && byCount
          ? this.run<Row>(
              `SELECT s.id, s.name, s.type, ${IDENTITY_COLUMNS}, g.n, g.docs FROM (SELECT * FROM (${grouped}) g ORDER BY ${gorder} LIMIT ? OFFSET ?) g
               JOIN speakers s ON s.id = g.speaker_id ORDER BY ${order}`,
              [...w.params, limit, offset],
            )
          : this.run<Row>(
              `SELECT s.id, s.name, s.type, ${IDENTITY_COLUMNS}, g.n, g.docs FROM (${grouped}) g JOIN speakers s ON s.id = g.speaker_id WHERE TRUE${typeWhere} ORDER BY ${order} LIMIT ? OFFSET ?`,
              [...w.params, ...typeParams, limit, offset],
            ),
      ]);
      rows = r;
      total = Number(c[0]?.n ?? 0);
    }
    return { total, items: rows.map((r) => ({
        id: Number(r.id), name: r.name, type: r.type, scope: r.scope, gender: r.gender,
        genderConfidence: r.gender_confidence === null ? null : Number(r.gender_confidence), role: r.role,
        attributions: Number(r.n), documents: Number(r.docs),
      })) };
  }

  /** Every outlet with its number of documents (null: documents without one), most documents first. */
  async outlets(): Promise<{ outlet: string | null; documents: number }[]> {
    const rows = await this.run<{ outlet: string; n: number | string }>(
      `SELECT outlet, sum(documents) AS n FROM document_counts GROUP BY outlet ORDER BY n DESC, outlet`);
    return rows.map((r) => ({ outlet: orNull(r.outlet), documents: Number(r.n) }));
  }

  /** A speaker's name, type, totals and aliases (a few), without touching its attributions. */
  async speakerInfo(id: number): Promise<(SpeakerRow & { aliases: string[] }) | null> {
    const [rows, aliases] = await Promise.all([
      this.run<{ id: number | string; name: string; type: SpeakerType; n: number | string | null; docs: number | string | null }>(
        `SELECT s.id, s.name, s.type, t.attributions AS n, t.documents AS docs FROM speakers s LEFT JOIN speaker_totals t ON t.speaker_id = s.id WHERE s.id = ?`, [id]),
      this.run<{ alias_norm: string }>(`SELECT alias_norm FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias_norm LIMIT 100`, [id]),
    ]);
    const r = rows[0];
    if (!r) return null;
    return { id: Number(r.id), name: r.name, type: r.type, attributions: Number(r.n ?? 0), documents: Number(r.docs ?? 0), aliases: aliases.map((a) => a.alias_norm) };
  }

  /** A speaker's attributions per month and per outlet. */
  async speakerTimeline(id: number): Promise<SpeakerTimeline> {
    const [months, outlets] = await Promise.all([
      this.run<{ month: string; n: number | string; docs: number | string }>(
        `SELECT month, sum(attributions) AS n, sum(documents) AS docs FROM speaker_counts WHERE speaker_id = ? GROUP BY month ORDER BY month`, [id]),
      this.run<{ outlet: string; n: number | string; docs: number | string }>(
        `SELECT outlet, sum(attributions) AS n, sum(documents) AS docs FROM speaker_counts WHERE speaker_id = ? GROUP BY outlet ORDER BY n DESC, outlet`, [id]),
    ]);
    return {
      // Undated last.
      months: months
        .map((m) => ({ month: orNull(m.month), attributions: Number(m.n), documents: Number(m.docs) }))
        .sort((a, b) => (a.month === null ? 1 : b.month === null ? -1 : a.month.localeCompare(b.month))),
      outlets: outlets.map((o) => ({ outlet: orNull(o.outlet), attributions: Number(o.n), documents: Number(o.docs) })),
    };
  }

  /** A speaker's passages, newest stored first, paged, with the total. */
  async speakerPassages(id: number, q: { limit?: number; offset?: number }): Promise<Page<SearchHit>> {
    const [c, rows] = await Promise.all([
      this.run<{ n: number | string }>(`SELECT coalesce(sum(attributions), 0) AS n FROM speaker_totals WHERE speaker_id = ?`, [id]),
      // (speaker_id, doc) is indexed and carries the row id: this order needs no sort.
      this.run<HitRow>(
        `SELECT ${HIT_COLUMNS} FROM attributions a JOIN documents d ON d.doc = a.doc LEFT JOIN speakers s ON s.id = a.speaker_id
         WHERE a.rid IN (SELECT rid FROM attributions WHERE speaker_id = ? ORDER BY speaker_id DESC, doc DESC, rid DESC LIMIT ? OFFSET ?)
         ORDER BY a.doc DESC, a.rid DESC`,
        [id, clampLimit(q.limit, 20), clampOffset(q.offset)],
      ),
    ]);
    return { total: Number(c[0]?.n ?? 0), items: rows.map(toHit) };
  }

  /** Which corpus speaker each attribution and entity of one stored document is. */
  async documentSpeakers(hash: string): Promise<DocumentSpeakers> {
    const [atts, ents] = await Promise.all([
      this.run<{ attr_id: string; speaker_id: number | string }>(
        `SELECT a.attr_id, a.speaker_id FROM attributions a JOIN documents d ON d.doc = a.doc WHERE d.hash = ? AND a.speaker_id IS NOT NULL`, [hash]),
      this.run<{ entity_id: string; speaker_id: number | string }>(
        `SELECT e.entity_id, e.speaker_id FROM entities e JOIN documents d ON d.doc = e.doc WHERE d.hash = ? AND e.speaker_id IS NOT NULL`, [hash]),
    ]);
    return {
      attributions: Object.fromEntries(atts.map((r) => [r.attr_id, Number(r.speaker_id)])),
      entities: Object.fromEntries(ents.map((r) => [r.entity_id, Number(r.speaker_id)])),
    };
  }

  /** The corpus speaker of each attribution of one stored document, with its gender and role category (for exports). */
  async attributionSpeakers(hash: string): Promise<Map<string, { id: number; gender: GenderLabel; role: RoleCategory }>> {
    const rows = await this.run<{ attr_id: string; id: number | string; gender: GenderLabel; role: RoleCategory }>(
      `SELECT a.attr_id, s.id, s.gender, s.role FROM attributions a JOIN documents d ON d.doc = a.doc JOIN speakers s ON s.id = a.speaker_id
       WHERE d.hash = ?`,
      [hash],
    );
    return new Map(rows.map((r) => [r.attr_id, { id: Number(r.id), gender: r.gender, role: r.role }]));
  }

  /** Figures per outlet and per month (and in total) within the filters, with top speakers. */
  async figures(query: FiguresQuery): Promise<CorpusFigures> {
    const q = await this.withStoredOutlet(query);
    const top = Math.max(1, Math.min(50, Math.floor(q.top ?? 5)));
    const w = this.rollupWhere(q);
    const where = w.sql ? `WHERE ${w.sql}` : '';
    type CountRow = { outlet: string; month: string; speaker_type: string; gender: string; n: number | string; anon: number | string; direct: number | string; unattr: number | string };
    type SpeakerCell = { key: string; id: number | string; name: string; type: SpeakerType; n: number | string; docs: number | string };
    // Top speakers are named people and bodies: an unnamed source is one speaker per article (counted in
    // the anonymous share and, by role, in who is quoted), and on a large corpus they are nearly all the
    // speakers, so ranking them too made the whole-corpus figures scan and sort every one (0.4–0.6 s on
    // 100,000 documents); the named ones are few, found through the speakers_named partial index and the speaker_counts key.
    const named = `${where ? `${where} AND` : 'WHERE'} c.speaker_id IN (SELECT id FROM speakers WHERE scope <> 'unnamed')`;
    const ranked = (keyCol: string) =>
      `SELECT key, id, name, type, n, docs FROM (
         SELECT g.key, s.id, s.name, s.type, g.n, g.docs, row_number() OVER (PARTITION BY g.key ORDER BY g.n DESC, s.id) AS rank
         FROM (SELECT ${keyCol} AS key, c.speaker_id, sum(c.attributions) AS n, sum(c.documents) AS docs FROM speaker_counts c
               ${named} GROUP BY ${keyCol}, c.speaker_id) g JOIN speakers s ON s.id = g.speaker_id) r
       WHERE rank <= ? ORDER BY key, rank`;
    type QuotedCell = { key: string; type: string; gender: string; role: string; n: number | string };
    // Distinct speakers per outlet / month by type, gender and role: a speaker has one of each, so the
    // groups add up to the distinct count of the key. Named speakers are grouped through the join; an
    // unnamed source belongs to one article, so it has exactly one speaker_counts row, and is always
    // (anonymous, unknown, anonymous): per key its count is the key's rows less the named speakers' rows,
    // two index counts instead of a join over every unnamed source (most of a large corpus's speakers).
    const UNNAMED = { type: 'anonymous', gender: 'unknown', role: 'anonymous' };
    // Unnamed sources per (outlet, month) cell, read once for the three groupings below.
    type CellCount = { outlet: string; month: string; n: number | string };
    const unnamedCells = !q.quoted
      ? Promise.resolve([] as { outlet: string; month: string; n: number }[])
      : Promise.all([
          this.run<CellCount>(`SELECT c.outlet, c.month, count(*) AS n FROM speaker_counts c ${where} GROUP BY c.outlet, c.month`, w.params),
          this.run<CellCount>(`SELECT c.outlet, c.month, count(*) AS n FROM speaker_counts c ${named} GROUP BY c.outlet, c.month`, w.params),
        ]).then(([all, namedOnly]) => {
          const namedBy = new Map(namedOnly.map((r) => [`${r.outlet}\u0000${r.month}`, Number(r.n)]));
          return all.map((r) => ({ outlet: r.outlet, month: r.month, n: Number(r.n) - (namedBy.get(`${r.outlet}\u0000${r.month}`) ?? 0) }));
        });
    const quotedBy = async (keyCol: 'outlet' | 'month' | null): Promise<QuotedCell[]> => {
      // keyCol null: the whole selection under the key '' (PostgreSQL refuses a constant in GROUP BY).
      const key = keyCol ? `c.${keyCol}` : "''";
      const [cells, unnamed] = await Promise.all([
        this.run<QuotedCell>(
          `SELECT g.key, s.type, s.gender, s.role, count(*) AS n
           FROM (SELECT ${key} AS key, c.speaker_id FROM speaker_counts c ${named} GROUP BY ${keyCol ? `${key}, ` : ''}c.speaker_id) g
           JOIN speakers s ON s.id = g.speaker_id GROUP BY g.key, s.type, s.gender, s.role`,
          w.params,
        ),
        unnamedCells,
      ]);
      const byKey = new Map<string, number>();
      for (const c of unnamed) {
        const k = keyCol ? c[keyCol] : '';
        byKey.set(k, (byKey.get(k) ?? 0) + c.n);
      }
      for (const [k, n] of byKey) if (n > 0) cells.push({ key: k, ...UNNAMED, n });
      return cells;
    };
    const none: QuotedCell[] = [];
    const quotedQueries = !q.quoted ? Promise.resolve([none, none, none]) : Promise.all([
      quotedBy('outlet'),
      quotedBy('month'),
      // The whole selection: the same, under one key.
      quotedBy(null),
    ]);
    const [counts, docs, byOutlet, byMonth, overall] = await Promise.all([
      this.run<CountRow>(
        `SELECT c.outlet, c.month, c.speaker_type, c.gender, c.attributions AS n, c.anonymous AS anon, c.direct, c.unattributed AS unattr FROM attribution_counts c ${where}`,
        w.params,
      ),
      this.run<{ outlet: string; month: string; n: number | string }>(`SELECT c.outlet, c.month, c.documents AS n FROM document_counts c ${where}`, w.params),
      this.run<SpeakerCell>(ranked('c.outlet'), [...w.params, top]),
      this.run<SpeakerCell>(ranked('c.month'), [...w.params, top]),
      // Unfiltered, the totals' index has the answer; filtered, sum the selected cells.
      w.sql
        ? this.run<SpeakerCell>(
            `SELECT '' AS key, s.id, s.name, s.type, g.n, g.docs FROM (SELECT c.speaker_id, sum(c.attributions) AS n, sum(c.documents) AS docs
               FROM speaker_counts c ${named} GROUP BY c.speaker_id) g JOIN speakers s ON s.id = g.speaker_id ORDER BY g.n DESC, s.id LIMIT ?`,
            [...w.params, Math.max(top, 20)],
          )
        : this.run<SpeakerCell>(
            `SELECT '' AS key, s.id, s.name, s.type, t.attributions AS n, t.documents AS docs FROM speaker_totals t JOIN speakers s ON s.id = t.speaker_id
             WHERE s.scope <> 'unnamed' ORDER BY t.attributions DESC, t.speaker_id LIMIT ?`,
            [Math.max(top, 20)],
          ),
    ]);
    const [quotedOutlet, quotedMonth, quotedTotal] = await quotedQueries;
    const blank = (): PeriodFigures & { anon: number; direct: number; unattr: number } => ({
      documents: 0, attributions: 0, anonymousShare: 0, unattributedShare: 0, directShare: 0, byType: {}, byGender: {},
      ...(q.quoted ? { quoted: { speakers: 0, byRole: {}, roleShare: {}, persons: 0, byGender: {}, genderShare: {} } } : {}),
      anon: 0, direct: 0, unattr: 0,
    });
    const total = blank();
    const outlets = new Map<string, ReturnType<typeof blank>>();
    const months = new Map<string, ReturnType<typeof blank>>();
    const cell = (map: Map<string, ReturnType<typeof blank>>, key: string) => {
      let c = map.get(key);
      if (!c) map.set(key, (c = blank()));
      return c;
    };
    for (const r of counts) {
      for (const f of [total, cell(outlets, r.outlet), cell(months, r.month)]) {
        const n = Number(r.n);
        f.attributions += n;
        f.anon += Number(r.anon);
        f.direct += Number(r.direct);
        f.unattr += Number(r.unattr);
        f.byType[r.speaker_type] = (f.byType[r.speaker_type] ?? 0) + n;
        f.byGender[r.gender] = (f.byGender[r.gender] ?? 0) + n;
      }
    }
    const addQuoted = (f: PeriodFigures, r: QuotedCell) => {
      const n = Number(r.n);
      const q = f.quoted!;
      q.speakers += n;
      q.byRole[r.role] = (q.byRole[r.role] ?? 0) + n;
      if (PERSON_TYPES.has(r.type)) {
        q.persons += n;
        q.byGender[r.gender] = (q.byGender[r.gender] ?? 0) + n;
      }
    };
    for (const r of quotedOutlet) addQuoted(cell(outlets, r.key), r);
    for (const r of quotedMonth) addQuoted(cell(months, r.key), r);
    for (const r of quotedTotal) addQuoted(total, r);
    for (const r of docs) {
      const n = Number(r.n);
      total.documents += n;
      cell(outlets, r.outlet).documents += n;
      cell(months, r.month).documents += n;
    }
    const finish = (f: ReturnType<typeof blank>): PeriodFigures => ({
      documents: f.documents,
      attributions: f.attributions,
      anonymousShare: f.attributions ? f.anon / f.attributions : 0,
      unattributedShare: f.attributions ? f.unattr / f.attributions : 0,
      directShare: f.attributions ? f.direct / f.attributions : 0,
      byType: f.byType,
      byGender: f.byGender,
      ...(f.quoted ? { quoted: withShares(f.quoted) } : {}),
    });
    const speakerRow = (r: SpeakerCell): SpeakerRow => ({ id: Number(r.id), name: r.name, type: r.type, attributions: Number(r.n), documents: Number(r.docs) });
    const topOf = (rows: SpeakerCell[]) => {
      const m = new Map<string, SpeakerRow[]>();
      for (const r of rows) {
        let l = m.get(r.key);
        if (!l) m.set(r.key, (l = []));
        l.push(speakerRow(r));
      }
      return m;
    };
    const topOutlet = topOf(byOutlet);
    const topMonth = topOf(byMonth);
    return {
      total: finish(total),
      outlets: [...outlets.entries()]
        .map(([k, f]) => ({ outlet: orNull(k), ...finish(f), topSpeakers: topOutlet.get(k) ?? [] }))
        .sort((a, b) => b.documents - a.documents || String(a.outlet).localeCompare(String(b.outlet))),
      months: [...months.entries()]
        .map(([k, f]) => ({ month: orNull(k), ...finish(f), topSpeakers: topMonth.get(k) ?? [] }))
        .sort((a, b) => (a.month === null ? 1 : b.month === null ? -1 : a.month.localeCompare(b.month))),
      topSpeakers: overall.map(speakerRow),
    };
  }
}
