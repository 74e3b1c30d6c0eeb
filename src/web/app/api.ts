/** The page's typed client of the server's JSON API (src/server/app.ts). */
import type { Analysis } from '../../core/types.js';
import type { DocumentSummary, SearchHit, SpeakerDetail, SpeakerSummary } from '../../store/types.js';

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
export const getDocuments = (q: URLSearchParams) => api<{ total: number; documents: DocumentSummary[] }>('GET', '/api/documents?' + q.toString());
export const getDocument = (id: string) => api<Analysis>('GET', '/api/documents/' + encodeURIComponent(id));
export const getSearch = (q: URLSearchParams) => api<{ hits: SearchHit[] }>('GET', '/api/search?' + q.toString());
export const getSpeakers = (q: URLSearchParams) => api<{ speakers: SpeakerSummary[] }>('GET', '/api/speakers?' + q.toString());
export const getSpeaker = (id: string) => api<SpeakerDetail>('GET', '/api/speakers/' + encodeURIComponent(id));
