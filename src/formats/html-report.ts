/**
 * The self-contained HTML report: one file per article, readable offline, no external assets.
 *
 * The article text and the analysis travel as JSON in a `<script type="application/json">` (with `<`
 * escaped as `\u003c`), and the shared view script (./html/view-js.ts) renders them with DOM text
 * nodes only. A Content-Security-Policy meta tag allows exactly the one inline script and style by
 * hash and forbids every load, so nothing in an article can run or phone home. Without JavaScript the
 * `<noscript>` block shows the plain (escaped) text.
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../core/types.js';
import { escapeHtml, jsonForScript } from './html/escape.js';
import { VIEW_CSS } from './html/view-css.js';
import { VIEW_JS } from './html/view-js.js';

export { escapeHtml, jsonForScript } from './html/escape.js';

const REPORT_CSS = `
body { margin: 0; background: #fafafc; }
.ws-page { max-width: 82rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
.ws-foot { color: #5b5b66; font-size: 0.8rem; margin-top: 2rem; }
.ws-noscript { white-space: pre-wrap; font-family: Georgia, serif; }
`;

/** Reads the embedded data, renders the view, and honours a `#ws-a3` link to one attribution. */
const REPORT_BOOT = `
(function () {
  var data = JSON.parse(document.getElementById('whosaid-data').textContent);
  var view = window.WhosaidView.render(document.getElementById('whosaid-view'), data.analysis, data.text);
  var m = /^#ws-(.+)$/.exec(location.hash);
  if (m) view.select(decodeURIComponent(m[1]), { scroll: true });
})();
`;

const SCRIPT = VIEW_JS + REPORT_BOOT;
const STYLE = VIEW_CSS + REPORT_CSS;

export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

const REPORT_CSP = [
  "default-src 'none'",
  `script-src ${cspHash(SCRIPT)}`,
  `style-src ${cspHash(STYLE)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/**
 * Renders one analysis as a standalone HTML document. `source` is the text the analysis's offsets
 * index; when omitted, `analysis.document.text` is used.
 */
export function renderReport(analysis: Analysis, source?: string): string {
  const text = source ?? analysis.document.text ?? '';
  // The text travels once, beside the analysis, not again inside it.
  const { text: _dropped, ...document } = analysis.document;
  const data = { analysis: { ...analysis, document }, text };
  const title = analysis.document.title ?? analysis.document.id ?? 'Article';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(REPORT_CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="whosaid">
<title>${escapeHtml(title)} — whosaid</title>
<style>${STYLE}</style>
</head>
<body>
<div class="ws-page">
<div id="whosaid-view" class="ws-view">
<noscript><p>This report needs JavaScript to mark the passages; the analysed text follows.</p><h1>${escapeHtml(title)}</h1><div class="ws-noscript">${escapeHtml(text)}</div></noscript>
</div>
<p class="ws-foot">Made by whosaid (schema ${escapeHtml(analysis.schema)}). Offsets index the analysed text shown above.</p>
</div>
<script type="application/json" id="whosaid-data">${jsonForScript(data)}</script>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
