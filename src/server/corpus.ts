/**
 * The corpus API routes the web page's research views use (with a store): figures per outlet and month,
 * the outlets, a stored document's corpus speakers, and the current search as a CSV or JSONL download.
 * The listing routes themselves (/api/documents, /api/search, /api/speakers) stay in ./app.ts.
 *
 *   GET /api/stats              ?outlet&since&until&top&quoted=1 → CorpusFigures (store/views.ts); `quoted=1` adds who is quoted
 *   GET /api/outlets            → { outlets: [{ outlet, documents }] }
 *   GET /api/documents/:id/speakers → { attributions: {a1: speakerId}, entities: {e1: speakerId} }
 *   GET /api/export             ?format=csv|jsonl and the /api/search filters → every hit, streamed
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { csvRow } from '../formats/csv.js';
import type { SearchHit, SearchQuery, Store } from '../store/types.js';
import { isDateBound } from '../store/rows.js';

export interface CorpusRouteHelpers {
  needStore(): Store;
  intParam(q: Record<string, unknown>, name: string, dflt: number, max: number): number;
  strParam(q: Record<string, unknown>, name: string): string | undefined;
  /** An error the client sees with this status, code and one-line message. */
  fail(status: number, code: string, message: string): Error;
}

/** A date filter as the page and the CLI take it: YYYY-MM-DD (or YYYY-MM, a whole month) or a full ISO date-time. */
export function dateOrMonthParam(h: CorpusRouteHelpers, q: Record<string, unknown>, name: 'since' | 'until'): string | undefined {
  const v = h.strParam(q, name);
  if (v === undefined) return undefined;
  const month = /^(\d{4})-(\d{2})$/.exec(v);
  if (month) {
    const [y, m] = [Number(month[1]), Number(month[2])];
    if (m < 1 || m > 12) throw h.fail(400, 'bad-request', `${name} must be a date such as 2024-03-01 or a month such as 2024-03, got "${v}"`);
    if (name === 'since') return `${v}-01`;
    // The month's last day: the day before the next month's first.
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  }
  // A calendar date that exists (no 2024-02-30), as the store compares it.
  if (/^\d{4}-\d{2}-\d{2}$/.test(v) && isDateBound(v)) return v;
  if (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))) return new Date(Date.parse(v)).toISOString();
  throw h.fail(400, 'bad-request', `${name} must be a date such as 2024-03-01 or a month such as 2024-03, got "${v}"`);
}

/** The /api/search filters (without paging). */
export function searchFilters(h: CorpusRouteHelpers, q: Record<string, unknown>): SearchQuery {
  const order = h.strParam(q, 'sort');
  if (order !== undefined && order !== 'newest' && order !== 'oldest') throw h.fail(400, 'bad-request', 'sort must be newest or oldest');
  return {
    speaker: h.strParam(q, 'speaker'),
    text: h.strParam(q, 'q'),
    outlet: h.strParam(q, 'outlet'),
    since: dateOrMonthParam(h, q, 'since'),
    until: dateOrMonthParam(h, q, 'until'),
    anonymous: q.anonymous === 'true' || q.anonymous === '1' ? true : undefined,
    order,
  };
}

export const EXPORT_CSV_HEADER = [
  'document_hash', 'document_id', 'title', 'outlet', 'published', 'url', 'attribution_id', 'kind', 'speaker_id', 'speaker',
  'speaker_type', 'source', 'cue', 'content', 'content_start', 'content_end', 'anonymous', 'hedged', 'confidence',
  'speaker_gender', 'speaker_role',
];

export function hitCsvRow(h: SearchHit): string {
  const d = h.document;
  const a = h.attribution;
  const spans = a.contentSpans;
  return csvRow([
    d.hash, d.id, d.title, d.outlet, d.published, d.url, a.id, a.kind, a.speaker?.id ?? null, a.speaker?.name ?? null,
    a.speaker?.type ?? null, a.source, a.cue, a.content, spans.length ? spans[0][0] : null, spans.length ? spans[spans.length - 1][1] : null,
    a.anonymous, a.hedged, a.confidence, a.speaker?.gender ?? null, a.speaker?.role ?? null,
  ]);
}

/** Every hit of a search, page by page, as CSV or JSONL lines. */
async function* exportLines(store: Store, query: SearchQuery, format: 'csv' | 'jsonl', pageSize = 1000): AsyncGenerator<string> {
  if (format === 'csv') yield csvRow(EXPORT_CSV_HEADER);
  for (let offset = 0; ; offset += pageSize) {
    const hits = await store.search({ ...query, limit: pageSize, offset });
    let chunk = '';
    for (const h of hits) chunk += format === 'csv' ? hitCsvRow(h) : `${JSON.stringify(h)}\n`;
    if (chunk) yield chunk;
    if (hits.length < pageSize) return;
  }
}

export function registerCorpusRoutes(app: FastifyInstance, h: CorpusRouteHelpers): void {
  app.get('/api/stats', async (req) => {
    const q = req.query as Record<string, unknown>;
    return h.needStore().views.figures({
      outlet: h.strParam(q, 'outlet'),
      since: dateOrMonthParam(h, q, 'since'),
      until: dateOrMonthParam(h, q, 'until'),
      top: h.intParam(q, 'top', 5, 50),
      // Who is quoted costs a pass over the selected speakers: only when asked (`quoted=1`).
      quoted: q.quoted === '1' || q.quoted === 'true',
    });
  });

  app.get('/api/outlets', async () => ({ outlets: await h.needStore().views.outlets() }));

  app.get<{ Params: { id: string } }>('/api/documents/:id/speakers', async (req) => {
    const s = h.needStore();
    const doc = await s.getDocument(req.params.id);
    if (!doc) throw h.fail(404, 'not-found', `no stored document with id or hash "${req.params.id}"`);
    return s.views.documentSpeakers(String(doc.document.hash));
  });

  app.get('/api/export', async (req, reply) => {
    const s = h.needStore();
    const q = req.query as Record<string, unknown>;
    const format = h.strParam(q, 'format') ?? 'csv';
    if (format !== 'csv' && format !== 'jsonl') throw h.fail(400, 'bad-request', 'format must be csv or jsonl');
    const query = searchFilters(h, q);
    const name = `whosaid-search.${format}`;
    reply
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`);
    return reply.send(Readable.from(exportLines(s, query, format)));
  });
}
