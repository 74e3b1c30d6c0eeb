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

/**
 * linkedom needs a whole document: without a `<body>` it drops the content (a fragment, bare text, or
 * `<html>` with no body), so such input gets an html/head/body shell, its `<head>` or `<title>` moved
 * into the head where Readability looks for the title.
 */
function parseDocument(html: string) {
  let source = html;
  if (!/<body[\s>]/i.test(html)) {
    let head = '';
    let rest = html.replace(/<!doctype[^>]*>/gi, '').replace(/<\/?html(?:\s[^>]*)?>/gi, '');
    const headMatch = /<head(?:\s[^>]*)?>([\s\S]*?)<\/head\s*>/i.exec(rest);
    if (headMatch) {
      head = headMatch[1];
      rest = rest.slice(0, headMatch.index) + rest.slice(headMatch.index + headMatch[0].length);
    } else {
      const titleMatch = /<title(?:\s[^>]*)?>[\s\S]*?<\/title\s*>/i.exec(rest);
      if (titleMatch) {
        head = titleMatch[0];
        rest = rest.slice(0, titleMatch.index) + rest.slice(titleMatch.index + titleMatch[0].length);
      }
    }
    source = `<!DOCTYPE html><html><head>${head}</head><body>${rest}</body></html>`;
  }
  return htmlLibs().parseHTML(source).document;
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

  // Readability mutates the DOM it reads, so the fallback parses afresh.
  try {
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
