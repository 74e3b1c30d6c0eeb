/** Small helpers shared by the page's panels. */
import { el } from '../dom.js';

/** The element with this id, typed; a missing element is a bug in index.html, reported as such. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

export function loading(target: HTMLElement, message = 'Loading…'): void {
  target.replaceChildren(el('p', { className: 'ws-small', text: message }));
}

export function failed(target: HTMLElement, err: unknown): void {
  target.replaceChildren(el('p', { className: 'ws-status ws-error', text: err instanceof Error ? err.message : String(err) }));
}

/**
 * Previous / next links and where we are. With a total: "51–100 of 603"; without (search, which does
 * not count every match): "51–100" and a next link while the server says there is more.
 */
export function pager(hrefFor: (page: number) => string, page: number, limit: number, shown: number, total: number | null, more = false): HTMLElement {
  const first = (page - 1) * limit + 1;
  const last = (page - 1) * limit + shown;
  const pages = total === null ? null : Math.max(1, Math.ceil(total / limit));
  const hasNext = pages === null ? more : page < pages;
  const where = shown ? `${first.toLocaleString('en')}\u2013${last.toLocaleString('en')}` : 'none';
  return el('nav', { className: 'ws-pager', 'aria-label': 'Pages' }, [
    page > 1 ? el('a', { href: hrefFor(page - 1), rel: 'prev', className: 'ws-prev', text: '\u2190 previous' }) : el('span', { className: 'ws-off', text: '\u2190 previous' }),
    el('span', { className: 'ws-where', text: total === null ? where : `${where} of ${total.toLocaleString('en')}` + (pages && pages > 1 ? ` (page ${page} of ${pages.toLocaleString('en')})` : '') }),
    hasNext ? el('a', { href: hrefFor(page + 1), rel: 'next', className: 'ws-next', text: 'next \u2192' }) : el('span', { className: 'ws-off', text: 'next \u2192' }),
  ]);
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** A table from header labels and rows of cells (strings become text). */
export function table(headers: string[], rows: (string | number | Node | null)[][], className = 'ws-table'): HTMLTableElement {
  return el('table', { className }, [
    el('thead', null, [el('tr', null, headers.map((h) => el('th', { scope: 'col', text: h })))]),
    el('tbody', null, rows.map((r) => el('tr', null, r.map((c) => el('td', null, [c === null ? '\u2013' : typeof c === 'number' ? c.toLocaleString('en') : c]))))),
  ]);
}
