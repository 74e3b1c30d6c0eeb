/** Hash routes of the corpus views, and the links between them: one place builds every in-page URL. */

export type View = 'corpus' | 'documents' | 'speakers' | 'search' | 'stats' | 'trace';

/** `#/view?params` for a list view; empty parameters are left out. */
export function viewHref(view: View, params: Record<string, string | number | boolean | null | undefined> | URLSearchParams = {}): string {
  const p = new URLSearchParams();
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) if (v !== null && v !== undefined && v !== '' && v !== false) p.set(k, String(v));
  const q = p.toString();
  return `#/${view}${q ? '?' + q : ''}`;
}

export const speakerHref = (id: number | string, page?: number) => `#/speaker/${encodeURIComponent(String(id))}${page && page > 1 ? `?page=${page}` : ''}`;

/** A stored document; with an attribution id it opens at that passage. */
export const documentHref = (hashOrId: string, attribution?: string | null) =>
  `#/doc/${encodeURIComponent(hashOrId)}${attribution ? `?a=${encodeURIComponent(attribution)}` : ''}`;

/** The 1-based page number in `params` (default 1). */
export function pageOf(params: URLSearchParams): number {
  const n = Number(params.get('page') ?? '1');
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

export interface Route {
  name: 'analyze' | View | 'speaker' | 'doc';
  id?: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const m = /^#\/([a-z]+)(?:\/([^?]*))?(?:\?(.*))?$/.exec(hash);
  if (!m) return { name: 'analyze', params: new URLSearchParams() };
  const params = new URLSearchParams(m[3] ?? '');
  const id = m[2] ? decodeURIComponent(m[2]) : undefined;
  switch (m[1]) {
    case 'corpus':
    case 'documents':
    case 'speakers':
    case 'search':
    case 'stats':
    case 'trace':
      return { name: m[1], params };
    case 'speaker':
    case 'doc':
      return id ? { name: m[1], id, params } : { name: 'corpus', params };
    default:
      return { name: 'analyze', params };
  }
}
