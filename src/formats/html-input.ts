/**
 * HTML input: the article's title and main text, extracted with Mozilla's Readability over a linkedom
 * DOM. Offsets in the analysis of an HTML file refer to the text returned here (the JSON carries it as
 * `document.text`), never to the HTML source.
 *
 * Block elements (paragraphs, headings, list items, quotes, …) become paragraphs separated by a blank
 * line, so sentence splitting sees the article's structure; `<br>` becomes a line break; runs of
 * whitespace inside a paragraph collapse to one space, as a browser shows them.
 */
import { createRequire } from 'node:module';
import type { parseHTML as ParseHTML } from 'linkedom';
import type { Readability as ReadabilityClass } from '@mozilla/readability';

// linkedom alone takes ~0.1 s to load, and most runs (plain text, --help) read no HTML: both libraries
// load on the first extraction. require(), not import(), keeps extractArticle synchronous; both ship
// CommonJS builds.
const require = createRequire(import.meta.url);
let libs: { parseHTML: typeof ParseHTML; Readability: typeof ReadabilityClass } | null = null;

function htmlLibs(): NonNullable<typeof libs> {
  libs ??= {
    parseHTML: require('linkedom').parseHTML,
    Readability: require('@mozilla/readability').Readability,
  };
  return libs;
}

export interface ExtractedArticle {
  title: string | null;
  text: string;
}

/** The HTML holds no readable text at all (empty, only markup, only scripts). */
export class HtmlExtractError extends Error {
  override name = 'HtmlExtractError';
}

const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hgroup', 'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul',
]);

/** Never article text. */
const SKIP = new Set([
  'script', 'style', 'noscript', 'template', 'title', 'head', 'meta', 'link', 'iframe', 'object', 'embed',
  'svg', 'math', 'canvas', 'button', 'select', 'option', 'textarea', 'input', 'form',
]);

// linkedom's DOM is typed loosely; we only need these few members.
interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue?: string | null;
  childNodes: ArrayLike<DomNode>;
}

/** Collects text from a DOM subtree, one entry per block element. */
function blockText(root: DomNode): string {
  const blocks: string[] = [];
  let current = '';
  const flush = () => {
    const block = current
      .split('\n')
      .map((line) => line.replace(/[ \t\f\r]+/g, ' ').trim())
      .join('\n')
      .replace(/\n{2,}/g, '\n')
      .trim();
    if (block) blocks.push(block);
    current = '';
  };
  const walk = (node: DomNode, pre: boolean) => {
    if (node.nodeType === 3) {
      const value = (node.nodeValue ?? '').replace(/\u00a0/g, ' ');
      current += pre ? value : value.replace(/\s+/g, ' ');
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIP.has(tag)) return;
    if (tag === 'br') {
      current += '\n';
      return;
    }
    const block = BLOCK.has(tag);
    if (block) flush();
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) walk(children[i], pre || tag === 'pre');
    if (block) flush();
  };
  walk(root, false);
  flush();
  return blocks.join('\n\n');
}

/** The first `<name …>…</name>` in `html`, as offsets: start, after the open tag, closing tag, end. */
function element(html: string, name: string): { start: number; inner: number; close: number; end: number } | null {
  const open = new RegExp(`<${name}(?:\\s[^<>]{0,2000})?>`, 'i').exec(html);
  if (!open) return null;
  const closing = new RegExp(`</${name}\\s*>`, 'ig');
  closing.lastIndex = open.index + open[0].length;
  const close = closing.exec(html);
  if (!close) return null;
  return { start: open.index, inner: open.index + open[0].length, close: close.index, end: closing.lastIndex };
}

/**
 * linkedom needs a whole document: without a `<body>` it drops the content (a fragment, bare text, or
 * `<html>` with no body), so such input gets an html/head/body shell, its `<head>` or `<title>` moved
 * into the head where Readability looks for the title.
 */
function parseDocument(html: string) {
  let source = html;
  if (!/<body[\s>]/i.test(html)) {
    let head = '';
    // Tags end before the next '<', and one search for each end tag: `<!doctype[^>]*>` and `[\s\S]*?<\/head>`
    // rescan the rest of the input from every unclosed occurrence (quadratic on a flood of them).
    let rest = html.replace(/<!doctype[^<>]{0,1000}>/gi, '').replace(/<\/?html(?:\s[^<>]{0,2000})?>/gi, '');
    const headMatch = element(rest, 'head');
    if (headMatch) {
      head = rest.slice(headMatch.inner, headMatch.close);
      rest = rest.slice(0, headMatch.start) + rest.slice(headMatch.end);
    } else {
      const titleMatch = element(rest, 'title');
      if (titleMatch) {
        head = rest.slice(titleMatch.start, titleMatch.end);
        rest = rest.slice(0, titleMatch.start) + rest.slice(titleMatch.end);
      }
    }
    source = `<!DOCTYPE html><html><head>${head}</head><body>${rest}</body></html>`;
  }
  return htmlLibs().parseHTML(source).document;
}

/**
 * Both libraries cost time quadratic in how deeply elements nest (htmlparser2 keeps its open-element
 * stack with `unshift`; Readability measures the text of every ancestor): 1,000 nested `<div>`s took
 * 21 s and 2,000 took 122 s. No article nests this deep, so tags nested deeper than MAX_DEPTH are
 * dropped before parsing (their text stays), and Readability only reads pages whose elements nest at
 * most READABILITY_MAX_DEPTH deep; deeper pages are read as their body text.
 */
export const MAX_DEPTH = 200;
export const READABILITY_MAX_DEPTH = 60;

/** Void elements: never opened. */
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'keygen', 'command', 'basefont', 'frame', 'image', '!doctype']);
/** Elements whose contents are raw text up to their closing tag. */
const RAW = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes', 'plaintext']);
/** An open tag of the key's kind closes an open element of these (the common implied end tags). */
const CLOSES: Record<string, Set<string>> = { li: new Set(['li']), dt: new Set(['dd', 'dt']), dd: new Set(['dd', 'dt']), tr: new Set(['tr', 'td', 'th']), td: new Set(['td', 'th']), th: new Set(['td', 'th']), option: new Set(['option']) };
const CLOSES_P = new Set(['p', 'div', 'ul', 'ol', 'table', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'section', 'article', 'pre', 'form', 'header', 'footer', 'nav', 'aside', 'dl', 'figure', 'hr', 'main', 'address', 'fieldset']);
/** How far down the open elements a closing tag is matched (mis-nested `<b><i></b></i>`). */
const CLOSE_SEARCH = 16;
const TAG_NAME = /^\/?([A-Za-z!][^\s/>]*)/;

/** What `boundDepth` found: the HTML with over-deep tags dropped, and how deep the rest nests. */
export interface BoundedHtml {
  html: string;
  depth: number;
}

/**
 * One pass over the markup, approximating the parser's stack of open elements (bounded work per tag),
 * dropping any tag that would nest deeper than `max` and the closing tags that match dropped ones.
 * The HTML comes back unchanged when nothing nests that deep.
 */
export function boundDepth(html: string, max = MAX_DEPTH): BoundedHtml {
  const stack: string[] = [];
  /** Per element on `stack`: whether its tag was kept. */
  const kept: boolean[] = [];
  const out: string[] = [];
  let copied = 0;
  let depth = 0;
  let close = -1;
  let i = html.indexOf('<');
  while (i >= 0 && i < html.length) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end < 0) break;
      i = html.indexOf('<', end + 3);
      continue;
    }
    const m = TAG_NAME.exec(html.slice(i + 1, i + 1 + 64));
    // The next '>' is searched for again only once passed: a flood of '<' before one '>' stays linear.
    if (close <= i) close = html.indexOf('>', i + 1);
    if (!m || close < 0) {
      if (close < 0) break;
      i = html.indexOf('<', i + 1);
      continue;
    }
    const name = m[1].toLowerCase();
    let keep = true;
    if (html.charCodeAt(i + 1) === 47) {
      // A closing tag: pops the nearest open element of that name, if one is near the top.
      for (let k = stack.length - 1; k >= 0 && k >= stack.length - CLOSE_SEARCH; k--) {
        if (stack[k] !== name) continue;
        keep = kept[k];
        stack.length = k;
        kept.length = k;
        break;
      }
    } else if (!VOID.has(name) && !name.startsWith('!') && html.charCodeAt(close - 1) !== 47) {
      const top = stack[stack.length - 1];
      if ((top === 'p' && CLOSES_P.has(name)) || (top !== undefined && CLOSES[name]?.has(top))) {
        stack.pop();
        kept.pop();
      }
      keep = stack.length < max;
      stack.push(name);
      kept.push(keep);
      if (keep && stack.length > depth) depth = stack.length;
    }
    if (!keep) {
      out.push(html.slice(copied, i));
      copied = close + 1;
    }
    let next = close + 1;
    if (RAW.has(name) && html.charCodeAt(i + 1) !== 47) {
      // Raw text: no tags inside it until its own closing tag.
      const lower = new RegExp(`</${name}[\\s>/]`, 'ig');
      lower.lastIndex = next;
      const end = lower.exec(html);
      next = end ? end.index : html.length;
    }
    i = html.indexOf('<', next);
  }
  if (!out.length) return { html, depth };
  out.push(html.slice(copied));
  return { html: out.join(''), depth };
}

function clean(s: string | null | undefined): string | null {
  const t = (s ?? '').replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

/**
 * Extracts the article's title and main text. Falls back to the whole body's text when Readability
 * finds no article; malformed HTML never throws. Throws `HtmlExtractError` only when there is no text.
 */
export function extractArticle(html: string): ExtractedArticle {
  // Loaded outside the try blocks below, so that a broken install fails loudly instead of reading as "no text".
  const { Readability } = htmlLibs();
  let title: string | null = null;
  let text = '';

  const bounded = boundDepth(html);
  html = bounded.html;
  // Readability mutates the DOM it reads, so the fallback parses afresh.
  try {
    if (bounded.depth > READABILITY_MAX_DEPTH) throw new Error('too deep for Readability');
    const document = parseDocument(html);
    title = clean(document.querySelector('title')?.textContent);
    const article = new Readability<DomNode>(document as unknown as Document, {
      serializer: (node) => node as unknown as DomNode,
    }).parse();
    if (article) {
      title = clean(article.title) ?? title;
      if (article.content) text = blockText(article.content);
    }
  } catch {
    // Readability gave up on this markup; the body text below is still worth having.
  }

  if (!text) {
    try {
      const document = parseDocument(html);
      title ??= clean(document.querySelector('title')?.textContent) ?? clean(document.querySelector('h1')?.textContent);
      if (document.body) text = blockText(document.body as unknown as DomNode);
      if (!text && document.documentElement) text = blockText(document.documentElement as unknown as DomNode);
    } catch {
      text = '';
    }
  }

  if (!text) throw new HtmlExtractError('no readable text found in the HTML');
  return { title, text };
}
