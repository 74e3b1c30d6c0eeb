/** The page's typed client of the server's JSON API (src/server/app.ts). */
import type { Analysis } from '../../core/types.js';
import type { DocumentSummary, SearchHit } from '../../store/types.js';
import type { CorpusFigures, DocumentSpeakers, SpeakerRow, SpeakerTimeline } from '../../store/views.js';

export type { CorpusFigures, DocumentSpeakers, SpeakerRow } from '../../store/views.js';

/** GET /api/speakers/:id */
export interface SpeakerPage extends SpeakerRow, SpeakerTimeline {
  aliases: string[];
  recent: SearchHit[];
  passages: { total: number; offset: number };
}

export interface Health {
  status: string;
  schema: string;
  maxBytes: number;
  store: string | null;
  example: boolean;
}

/** A failed request, with the server's one-line message. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export async function api<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const res = await fetch(url, init);
  const t = await res.text();
  let data: unknown = null;
  try {
    data = t ? JSON.parse(t) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    const message = data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string' ? (data as { message: string }).message : `the server answered ${res.status}`;
    throw new ApiError(res.status, message);
  }
  return data as T;
}

export const getHealth = () => api<Health>('GET', '/api/health');
export const getExample = () => api<{ id: string; title: string | null; text: string }>('GET', '/api/example');
export const postAnalyze = (body: Record<string, unknown>) => api<Analysis>('POST', '/api/analyze', body);
const get = <T>(path: string, q?: URLSearchParams) => api<T>('GET', q && [...q.keys()].length ? `${path}?${q.toString()}` : path);

export const getDocuments = (q: URLSearchParams) => get<{ total: number; documents: DocumentSummary[] }>('/api/documents', q);
export const getDocument = (id: string) => get<Analysis>('/api/documents/' + encodeURIComponent(id));
export const getDocumentSpeakers = (id: string) => get<DocumentSpeakers>('/api/documents/' + encodeURIComponent(id) + '/speakers');
export const getSearch = (q: URLSearchParams) => get<{ hits: SearchHit[]; more: boolean }>('/api/search', q);
export const getSpeakers = (q: URLSearchParams) => get<{ total: number; speakers: SpeakerRow[] }>('/api/speakers', q);
export const getSpeaker = (id: string, q: URLSearchParams) => get<SpeakerPage>('/api/speakers/' + encodeURIComponent(id), q);
export const getStats = (q: URLSearchParams) => get<CorpusFigures>('/api/stats', q);
export const getOutlets = () => get<{ outlets: { outlet: string | null; documents: number }[] }>('/api/outlets');
