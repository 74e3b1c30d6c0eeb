/**
 * The HTTP API and the web page, a thin shell over `analyze` (and, with a store, its query methods).
 *
 *   GET  /api/health            → { status: "ok", schema, maxBytes, store }
 *   POST /api/analyze           JSON { text | html, title?, id?, includeText? } → whosaid/1
 *   GET  /api/example           → { id, title, text } (the bundled example article)
 *   GET  /api/documents         ?limit&offset&outlet&since&until&sort → { total, documents } (store only;
 *                               total is the filtered count; sort: newest, oldest, added, attributions)
 *   GET  /api/documents/:id     → whosaid/1 with document.text                    (store only)
 *   GET  /api/search            ?speaker&q&outlet&anonymous&since&until&sort&limit&offset → { hits, more }  (store only)
 *   GET  /api/speakers          ?limit&offset&type&outlet&since&until&sort → { total, speakers }  (store only)
 *   GET  /api/speakers/:id      ?limit&offset → speaker, its outlets, months and a page of its passages (store only)
 *   GET  /api/stats, /api/outlets, /api/documents/:id/speakers, /api/export: see ./corpus.ts
 *   GET  /api/trace             ?text | ?doc&attribution, &similarity → a trace (src/trace)       (store only)
 *   GET  /api/traces            ?limit&kind → { traces }: the widest-spread quotes and claims   (store only)
 *   GET  /                      the web page; /assets/* its script and styles
 *
 * Errors are JSON `{ error, message }` with a one-line reason: 400 for bad JSON or fields, 404, 413
 * over the body limit, 500 (logged) otherwise. Every response carries security headers; the page's
 * CSP allows scripts and styles from this origin only (no inline code) and no external loads.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { analyze } from '../analyze.js';
import { SCHEMA, type Analysis } from '../core/types.js';
import { buildProfile } from '../profile/index.js';
import { extractArticle, HtmlExtractError } from '../formats/html-input.js';
import { formatBytes, invalidUtf8Offset } from '../formats/input.js';
import type { GenderLabel, RoleCategory, SearchQuery, SpeakerScope, SpeakerType, Store } from '../store/types.js';
import { WorkerPool, type Job, type JobResult } from '../corpus/pool.js';
import { webAssets } from '../formats/html/assets.js';
import { DEFAULT_SERVER_MAX_BYTES } from './defaults.js';
import { traceAttribution, traceText, TraceError, widestTraces } from '../trace/index.js';
import { dateOrMonthParam, registerCorpusRoutes, searchFilters, type CorpusRouteHelpers } from './corpus.js';

export { DEFAULT_SERVER_MAX_BYTES } from './defaults.js';

export interface ServerOptions {
  /** Largest request body accepted, in bytes (413 above it). */
  maxBytes?: number;
  /** A corpus store: enables the documents, search and speaker endpoints and pages. */
  store?: Store | null;
  /** Fastify's logger: false (default) or true. */
  logger?: boolean;
  /** Analysis worker threads; 0 (the default) analyses on the event loop, which then stalls while it runs. */
  workers?: number;
  /**
   * Longest one request's analysis may take on a worker thread, in milliseconds (default 30 s; 0 for no
   * limit); 422 above it. Needs `workers` ≥ 1: on the event loop nothing can stop an analysis.
   */
  budgetMs?: number;
  /** Longest a client may take to send a request's headers, and its whole request, in ms (default 10 s and 60 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Runs analyses on worker threads (the corpus pool), one request per job, a thread taking the next
 * request only when free. A request whose client went away is taken back (`cancel`), so it does not hold
 * a thread; one over the time budget comes back as a failed result with `overBudget`.
 */
class AnalysisPool {
  private readonly pending = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private broken: Error | null = null;
  private readonly pool: WorkerPool;

  constructor(size: number, budgetMs: number | undefined) {
    this.pool = new WorkerPool(
      size,
      (results) => {
        for (const r of results) {
          const p = this.pending.get(r.seq);
          this.pending.delete(r.seq);
          p?.resolve(r);
        }
      },
      (err) => {
        this.broken = err;
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      },
      { budgetMs, maxChunksPerWorker: 1 },
    );
  }

  /** Runs one job; `gone` fires when its client has gone away, which takes the job back. */
  run(job: Omit<Job, 'seq'>, gone?: (cancel: () => void) => void): Promise<JobResult> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.pool.submit([{ ...job, seq }]);
      gone?.(() => {
        if (!this.pending.has(seq)) return;
        this.pending.delete(seq);
        this.pool.cancel(seq);
        reject(new HttpError(499, 'client-gone', 'the client closed the connection'));
      });
    });
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** An error whose message is safe and useful to show the client. */
class HttpError extends Error {
  constructor(readonly statusCode: number, readonly code: string, message: string) {
    super(message);
  }
}

export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function loadExample(): { id: string; title: string | null; text: string } | null {
  try {
    // src/server and dist/server both sit two levels below the repository root.
    const text = readFileSync(new URL('../../examples/port-strike.txt', import.meta.url), 'utf8');
    return { id: 'port-strike', title: null, text };
  } catch {
    return null;
  }
}

/** The whole analysis for one request body; empty text is a valid article with nothing in it. */
function analyzeBody(text: string, opts: { id: string; title: string | null | undefined; includeText: boolean }): Analysis {
  if (text.trim()) return analyze(text, opts);
  const title = opts.title ?? null;
  return {
    schema: SCHEMA,
    document: { id: opts.id, title, chars: text.length, ...(opts.includeText ? { text } : {}) },
    attributions: [],
    entities: [],
    profile: buildProfile({ doc: { text, tokens: [], sentences: [] }, attributions: [], entities: [], title }),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intParam(q: Record<string, unknown>, name: string, dflt: number, max: number): number {
  const raw = q[name];
  if (raw === undefined || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new HttpError(400, 'bad-request', `${name} must be a whole number ≥ 0`);
  return Math.min(n, max);
}

function strParam(q: Record<string, unknown>, name: string): string | undefined {
  const v = q[name];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function buildServer(options: ServerOptions = {}): FastifyInstance {
  const maxBytes = options.maxBytes ?? DEFAULT_SERVER_MAX_BYTES;
  const store = options.store ?? null;
  // Header and request timeouts: a client sending its request slowly must not hold a connection for
  // ever (500 slow clients starved new ones). The analysis itself runs after the request is read.
  const app = Fastify({
    bodyLimit: maxBytes,
    logger: options.logger ?? false,
    return503OnClosing: true,
    requestTimeout: options.requestTimeoutMs ?? 60_000,
    // Node looks for late requests every 30 s by default; a timeout should not take 30 s more to act.
    http: { connectionsCheckingInterval: 1000 },
  });
  app.server.headersTimeout = options.headersTimeoutMs ?? 10_000;
  const example = loadExample();
  const limitText = formatBytes(maxBytes);
  const pool = options.workers && options.workers > 0 ? new AnalysisPool(options.workers, options.budgetMs) : null;
  if (pool) app.addHook('onClose', () => pool.close());

  // Our own JSON parser, so a syntax error reaches the client with its reason.
  app.removeContentTypeParser('application/json');
  // Bytes, decoded strictly: invalid UTF-8 is refused rather than silently repaired with U+FFFD.
  const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => {
    let s: string;
    try {
      s = utf8.decode(body as Buffer);
    } catch {
      const at = invalidUtf8Offset(body as Buffer);
      done(new HttpError(400, 'bad-encoding', `request body is not valid UTF-8 (byte ${at} starts no valid character); send UTF-8 JSON`), undefined);
      return;
    }
    if (!s.trim()) {
      done(new HttpError(400, 'bad-json', 'request body is empty; send JSON such as {"text": "…"}'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(s));
    } catch (err) {
      done(new HttpError(400, 'bad-json', `request body is not valid JSON: ${(err as Error).message}`), undefined);
    }
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) {
      return reply.code(413).send({
        error: 'too-large',
        message: `request body is over the ${limitText} limit; send a shorter article (the server's --max-bytes sets the limit)`,
      });
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
      return reply.code(415).send({ error: 'unsupported-media-type', message: 'send the request body as application/json' });
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send({ error: 'bad-request', message: err.message });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'internal', message: 'the analysis failed on the server; see its log' });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send({ error: 'not-found', message: `no such endpoint: ${req.method} ${req.url.split('?')[0]}` });
  });

  // The page and its assets.
  // The page and its script and styles are bundled from src/web (see ../formats/html/assets.ts).
  const web = webAssets();
  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(web['index.html']));
  // No icon: an empty answer rather than a 404 in the browser's console.
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());
  const assets: Record<string, [string, string]> = {
    'app.js': ['text/javascript; charset=utf-8', web['app.js']],
    'app.css': ['text/css; charset=utf-8', web['app.css']],
  };
  app.get<{ Params: { name: string } }>('/assets/:name', (req, reply) => {
    // Own keys only: "constructor" and friends are not assets (they answered 500).
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) throw new HttpError(404, 'not-found', 'no such asset');
    reply.header('cache-control', 'no-cache').type(asset[0]).send(asset[1]);
  });

  app.get('/api/health', async () => ({
    status: 'ok',
    schema: SCHEMA,
    maxBytes,
    store: store ? store.engine : null,
    example: !!example,
  }));

  app.get('/api/example', async () => {
    if (!example) throw new HttpError(404, 'not-found', 'the example article is not installed');
    return example;
  });

  app.post('/api/analyze', async (req: FastifyRequest, reply: FastifyReply) => {
    const body = req.body;
    if (!isObject(body)) {
      throw new HttpError(400, 'bad-request', 'send a JSON object: {"text": "…"} or {"html": "…"}, with an optional "title"');
    }
    const { text, html, title, id, includeText } = body;
    if (text !== undefined && html !== undefined) throw new HttpError(400, 'bad-request', 'send either "text" or "html", not both');
    if (text === undefined && html === undefined) throw new HttpError(400, 'bad-request', 'missing field: "text" (plain text) or "html" (a web page)');
    if (text !== undefined && typeof text !== 'string') throw new HttpError(400, 'bad-request', '"text" must be a string');
    if (html !== undefined && typeof html !== 'string') throw new HttpError(400, 'bad-request', '"html" must be a string');
    if (title !== undefined && title !== null && typeof title !== 'string') throw new HttpError(400, 'bad-request', '"title" must be a string or null');
    if (id !== undefined && (typeof id !== 'string' || !id.trim() || id.length > 200)) {
      throw new HttpError(400, 'bad-request', '"id" must be a non-empty string of at most 200 characters');
    }
    if (includeText !== undefined && typeof includeText !== 'boolean') throw new HttpError(400, 'bad-request', '"includeText" must be true or false');
    const docId = (id as string | undefined) ?? 'doc';
    let docTitle: string | null | undefined = title === '' ? null : (title as string | null | undefined);
    // Offsets index extracted text, so HTML input always carries it.
    const withText = typeof html === 'string' || includeText === true;
    let analysis: Analysis;
    if (pool && (typeof html === 'string' || (text as string).trim())) {
      const r = await pool.run(
        { name: 'request', id: docId, ...(docTitle !== undefined ? { title: docTitle } : {}), ...(typeof html === 'string' ? { html } : { text: text as string }) },
        (cancel) => reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) cancel();
        }),
      );
      if (!r.ok) {
        if (r.overBudget) throw new HttpError(422, 'over-time-budget', r.error.replace(/ \(raise it with --time-budget\)$/, " (the server's --time-budget sets it)"));
        if (typeof html === 'string' && /no readable text/.test(r.error)) throw new HttpError(400, 'no-text', 'no article text found in the HTML');
        throw new Error(r.error);
      }
      // A job without `store` always comes back as an analysis.
      if (!('analysis' in r)) throw new Error('the analysis worker returned stored rows, not an analysis');
      analysis = r.analysis;
      const analysed = r.text ?? (text as string);
      if (withText) analysis.document.text = analysed;
    } else {
      let source: string;
      if (typeof html === 'string') {
        try {
          const article = extractArticle(html);
          source = article.text;
          if (docTitle === undefined) docTitle = article.title;
        } catch (err) {
          if (!(err instanceof HtmlExtractError)) throw err;
          throw new HttpError(400, 'no-text', 'no article text found in the HTML');
        }
      } else {
        source = text as string;
      }
      analysis = analyzeBody(source, { id: docId, title: docTitle, includeText: withText });
    }
    reply.type('application/json; charset=utf-8');
    return analysis;
  });

  // The corpus, when a store is attached.
  const needStore = (): Store => {
    if (!store) throw new HttpError(404, 'no-store', 'this server has no corpus; start it with --db PATH');
    return store;
  };

  const corpusHelpers: CorpusRouteHelpers = { needStore, intParam, strParam, fail: (status, code, message) => new HttpError(status, code, message) };

  app.get('/api/documents', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const sort = strParam(q, 'sort');
    if (sort !== undefined && !['newest', 'oldest', 'added', 'attributions'].includes(sort)) {
      throw new HttpError(400, 'bad-request', 'sort must be newest, oldest, added or attributions');
    }
    const page = await s.views.documents({
      limit: intParam(q, 'limit', 50, 500),
      offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER),
      outlet: strParam(q, 'outlet'),
      since: dateOrMonthParam(corpusHelpers, q, 'since'),
      until: dateOrMonthParam(corpusHelpers, q, 'until'),
      sort: sort as 'newest' | 'oldest' | 'added' | 'attributions' | undefined,
    });
    return { total: page.total, documents: page.items };
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id', async (req) => {
    const doc = await needStore().getDocument(req.params.id);
    if (!doc) throw new HttpError(404, 'not-found', `no stored document with id or hash "${req.params.id}"`);
    return doc;
  });

  app.get('/api/search', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const limit = intParam(q, 'limit', 50, 500);
    const query: SearchQuery = { ...searchFilters(corpusHelpers, q), limit: limit + 1, offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER) };
    // One more than asked tells whether there is a next page, without counting every match.
    const hits = await s.search(query);
    return { hits: hits.slice(0, limit), more: hits.length > limit };
  });

  app.get('/api/speakers', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const type = strParam(q, 'type') as SpeakerType | undefined;
    const sort = strParam(q, 'sort');
    if (sort !== undefined && !['attributions', 'documents', 'name'].includes(sort)) throw new HttpError(400, 'bad-request', 'sort must be attributions, documents or name');
    const page = await s.views.speakers({
      limit: intParam(q, 'limit', 50, 500),
      offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER),
      type,
      scope: strParam(q, 'scope') as SpeakerScope | undefined,
      role: strParam(q, 'role') as RoleCategory | undefined,
      gender: strParam(q, 'gender') as GenderLabel | undefined,
      outlet: strParam(q, 'outlet'),
      since: dateOrMonthParam(corpusHelpers, q, 'since'),
      until: dateOrMonthParam(corpusHelpers, q, 'until'),
      sort: sort as 'attributions' | 'documents' | 'name' | undefined,
    });
    return { total: page.total, speakers: page.items };
  });

  app.get<{ Params: { id: string } }>('/api/speakers/:id', async (req) => {
    const s = needStore();
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new HttpError(400, 'bad-request', 'speaker id must be a whole number');
    const q = req.query as Record<string, unknown>;
    // From the rollups and the (speaker, doc) index: fast however often the speaker is quoted.
    const [info, timeline, passages] = await Promise.all([
      s.views.speakerInfo(id),
      s.views.speakerTimeline(id),
      s.views.speakerPassages(id, { limit: intParam(q, 'limit', 20, 500), offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER) }),
    ]);
    if (!info) throw new HttpError(404, 'not-found', `no speaker ${id}`);
    return { ...info, outlets: timeline.outlets, months: timeline.months, recent: passages.items, passages: { total: passages.total, offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER) } };
  });

  app.get('/api/trace', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const text = strParam(q, 'text');
    const doc = strParam(q, 'doc');
    const attribution = strParam(q, 'attribution');
    const sim = strParam(q, 'similarity');
    const threshold = sim === undefined ? undefined : Number(sim);
    if (threshold !== undefined && !(threshold > 0 && threshold <= 1)) throw new HttpError(400, 'bad-request', 'similarity must be a number in (0, 1]');
    if ((text === undefined) === (doc === undefined || attribution === undefined)) {
      throw new HttpError(400, 'bad-request', 'give "text", or "doc" and "attribution" (a stored attribution)');
    }
    try {
      return text !== undefined ? await traceText(s, text, { threshold }) : await traceAttribution(s, doc!, attribution!, { threshold });
    } catch (err) {
      if (err instanceof TraceError) throw new HttpError(/^no attribution/.test(err.message) ? 404 : 400, 'bad-request', err.message);
      throw err;
    }
  });

  app.get('/api/traces', async (req) => {
    const q = req.query as Record<string, unknown>;
    const kind = strParam(q, 'kind');
    if (kind !== undefined && kind !== 'quote' && kind !== 'claim') throw new HttpError(400, 'bad-request', 'kind must be "quote" or "claim"');
    return { traces: await widestTraces(needStore(), { limit: intParam(q, 'limit', 20, 200), ...(kind ? { kind } : {}) }) };
  });

  registerCorpusRoutes(app, corpusHelpers);

  return app;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
