/**
 * The HTTP API and the web page, a thin shell over `analyze` (and, with a store, its query methods).
 *
 *   GET  /api/health            → { status: "ok", schema, maxBytes, store }
 *   POST /api/analyze           JSON { text | html, title?, id?, includeText? } → whosaid/1
 *   GET  /api/example           → { id, title, text } (the bundled example article)
 *   GET  /api/documents         ?limit&offset&outlet → { total, documents }       (store only)
 *   GET  /api/documents/:id     → whosaid/1 with document.text                    (store only)
 *   GET  /api/search            ?speaker&q&outlet&anonymous&since&until&limit&offset → { hits }  (store only)
 *   GET  /api/speakers          ?limit&type → { speakers }; GET /api/speakers/:id → speaker  (store only)
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
import { formatBytes } from '../formats/input.js';
import type { GenderLabel, RoleCategory, SearchQuery, SpeakerScope, SpeakerType, Store } from '../store/types.js';
import { APP_JS, PAGE_CSS, pageHtml } from './page.js';
import { WorkerPool, type Job, type JobResult } from '../corpus/pool.js';
import { VIEW_JS } from '../formats/html/view-js.js';
import { VIEW_CSS } from '../formats/html/view-css.js';
import { DEFAULT_SERVER_MAX_BYTES } from './defaults.js';

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
}

/** Runs analyses on worker threads (the corpus pool), one request per job. */
class AnalysisPool {
  private readonly pending = new Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private broken: Error | null = null;
  private readonly pool: WorkerPool;

  constructor(size: number) {
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
    );
  }

  run(job: Omit<Job, 'seq'>): Promise<JobResult> {
    if (this.broken) return Promise.reject(this.broken);
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      this.pool.submit([{ ...job, seq }]);
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
  const app = Fastify({ bodyLimit: maxBytes, logger: options.logger ?? false, return503OnClosing: true });
  const example = loadExample();
  const limitText = formatBytes(maxBytes);
  const pool = options.workers && options.workers > 0 ? new AnalysisPool(options.workers) : null;
  if (pool) app.addHook('onClose', () => pool.close());

  // Our own JSON parser, so a syntax error reaches the client with its reason.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const s = String(body);
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
  const page = pageHtml();
  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(page));
  // No icon: an empty answer rather than a 404 in the browser's console.
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());
  const assets: Record<string, [string, string]> = {
    'view.js': ['text/javascript; charset=utf-8', VIEW_JS],
    'app.js': ['text/javascript; charset=utf-8', APP_JS],
    'style.css': ['text/css; charset=utf-8', VIEW_CSS + PAGE_CSS],
  };
  app.get<{ Params: { name: string } }>('/assets/:name', (req, reply) => {
    const asset = assets[req.params.name];
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
      const r = await pool.run({ name: 'request', id: docId, ...(docTitle !== undefined ? { title: docTitle } : {}), ...(typeof html === 'string' ? { html } : { text: text as string }) });
      if (!r.ok) {
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

  app.get('/api/documents', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const [total, documents] = await Promise.all([
      s.countDocuments(),
      s.listDocuments({ limit: intParam(q, 'limit', 50, 500), offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER), outlet: strParam(q, 'outlet') }),
    ]);
    return { total, documents };
  });

  app.get<{ Params: { id: string } }>('/api/documents/:id', async (req) => {
    const doc = await needStore().getDocument(req.params.id);
    if (!doc) throw new HttpError(404, 'not-found', `no stored document with id or hash "${req.params.id}"`);
    return doc;
  });

  app.get('/api/search', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const query: SearchQuery = {
      speaker: strParam(q, 'speaker'),
      text: strParam(q, 'q'),
      outlet: strParam(q, 'outlet'),
      since: strParam(q, 'since'),
      until: strParam(q, 'until'),
      anonymous: q.anonymous === 'true' || q.anonymous === '1' ? true : undefined,
      limit: intParam(q, 'limit', 50, 500),
      offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER),
    };
    return { hits: await s.search(query) };
  });

  app.get('/api/speakers', async (req) => {
    const s = needStore();
    const q = req.query as Record<string, unknown>;
    const type = strParam(q, 'type') as SpeakerType | undefined;
    const scope = strParam(q, 'scope') as SpeakerScope | undefined;
    const role = strParam(q, 'role') as RoleCategory | undefined;
    const gender = strParam(q, 'gender') as GenderLabel | undefined;
    return {
      speakers: await s.speakers({ limit: intParam(q, 'limit', 50, 500), offset: intParam(q, 'offset', 0, Number.MAX_SAFE_INTEGER), type, scope, role, gender }),
    };
  });

  app.get<{ Params: { id: string } }>('/api/speakers/:id', async (req) => {
    const s = needStore();
    const id = Number(req.params.id);
    if (!Number.isInteger(id)) throw new HttpError(400, 'bad-request', 'speaker id must be a whole number');
    const speaker = await s.speaker(id);
    if (!speaker) throw new HttpError(404, 'not-found', `no speaker ${id}`);
    return speaker;
  });

  return app;
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
