/**
 * The one way browser code makes elements. Text goes in as text nodes or `textContent`; attributes go
 * through `setAttribute`, and URL-bearing attributes only through `safeHref`. Nothing here (or anywhere
 * under src/web) assigns `innerHTML`, so article text can never become markup.
 */

export type Child = Node | string | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined> & { text?: string | number; className?: string };

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, children?: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'text') node.textContent = String(v);
      else if (k === 'className') node.className = String(v);
      else node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  if (children) append(node, children);
  return node;
}

export function append(node: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element; every attribute is set with setAttribute (no style attributes: the CSP forbids them). */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Record<string, string | number | null | undefined>, children?: Child[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  if (children) append(node, children);
  return node;
}

/**
 * An external link that is safe to show: only http(s) URLs, opened in a new tab without the opener or a
 * referrer. Anything else (javascript:, data:, relative paths) comes back as null and is shown as text.
 */
export function safeHref(url: unknown): string | null {
  if (typeof url !== 'string' || !url.trim()) return null;
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return null;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
}

export function externalLink(url: unknown, label?: string): HTMLElement {
  const href = safeHref(url);
  const text = label ?? (typeof url === 'string' ? url : '');
  if (!href) return el('span', { className: 'ws-url-unsafe', text, title: 'not an http(s) address, so not a link' });
  return el('a', { href, text, target: '_blank', rel: 'noopener noreferrer', className: 'ws-external' });
}

/** Cuts `text` into runs, marking those that match any of `words` (case- and accent-insensitively). */
export function highlightRuns(text: string, words: string[]): { text: string; hit: boolean }[] {
  const terms = words.map(fold).filter((w) => w.length > 0);
  if (!terms.length || !text) return [{ text, hit: false }];
  // Folding keeps one code unit per code unit only for characters whose NFD form drops marks; map
  // positions through a per-character fold so offsets stay exact.
  const folded: string[] = [];
  for (const ch of text) {
    const f = fold(ch);
    folded.push(f.length === ch.length ? f : ch.toLowerCase().length === ch.length ? ch.toLowerCase() : ch);
  }
  const hay = folded.join('');
  const marks = new Uint8Array(text.length);
  for (const t of terms) {
    let from = 0;
    for (;;) {
      const i = hay.indexOf(t, from);
      if (i < 0) break;
      const before = i === 0 ? '' : hay[i - 1];
      const after = hay[i + t.length] ?? '';
      // Whole words, as the word index matches them.
      if (!isWordChar(before) && !isWordChar(after)) marks.fill(1, i, i + t.length);
      from = i + 1;
    }
  }
  const out: { text: string; hit: boolean }[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || marks[i] !== marks[start]) {
      out.push({ text: text.slice(start, i), hit: marks[start] === 1 });
      start = i;
    }
  }
  return out;
}

function isWordChar(c: string): boolean {
  return c !== '' && /[\p{L}\p{N}]/u.test(c);
}

export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** Words of a search query as the store's word index sees them. */
export function queryWords(q: string): string[] {
  return q.normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Text with the query's words wrapped in <mark>, as text nodes. */
export function highlighted(text: string, words: string[], className?: string): HTMLElement {
  const span = el('span', className ? { className } : null);
  for (const r of highlightRuns(text, words)) span.appendChild(r.hit ? el('mark', { text: r.text }) : document.createTextNode(r.text));
  return span;
}

/** Replaces a node's children, skipping null / false entries. */
export function fill(node: Element, children: Child[]): void {
  node.replaceChildren();
  append(node, children);
}
