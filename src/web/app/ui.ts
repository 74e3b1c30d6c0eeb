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
