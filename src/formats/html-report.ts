/**
 * The self-contained HTML report: one file per article, readable offline, no external assets.
 *
 * The article text and the analysis travel as JSON in a `<script type="application/json">` (with `<`
 * escaped as `\u003c`), and the report's view script (src/web/report.ts, bundled: ./html/assets.ts)
 * renders them with DOM text nodes only. A Content-Security-Policy meta tag allows exactly the one
 * inline script and style by hash and forbids every load, so nothing in an article can run or phone
 * home. Without JavaScript the `<noscript>` block shows the plain (escaped) text.
 */
import { createHash } from 'node:crypto';
import type { Analysis } from '../core/types.js';
import { webAssets } from './html/assets.js';
import { escapeHtml, jsonForScript } from './html/escape.js';

export { escapeHtml, jsonForScript } from './html/escape.js';

export function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** The inline script and style, and the CSP that allows exactly them: made once per process. */
let inline: { script: string; style: string; csp: string } | null = null;

function reportInline(): { script: string; style: string; csp: string } {
  if (inline) return inline;
  const assets = webAssets();
  const script = assets['report.js'];
  const style = assets['report.css'];
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(script)}`,
    `style-src ${cspHash(style)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  inline = { script, style, csp };
  return inline;
}

/**
 * Renders one analysis as a standalone HTML document. `source` is the text the analysis's offsets
 * index; when omitted, `analysis.document.text` is used.
 */
export function renderReport(analysis: Analysis, source?: string): string {
  const text = source ?? analysis.document.text ?? '';
  // The text travels once, beside the analysis, not again inside it.
  const { text: _dropped, ...document } = analysis.document;
  const data = { analysis: { ...analysis, document }, text };
  const { script, style, csp } = reportInline();
  const title = analysis.document.title ?? analysis.document.id ?? 'Article';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="whosaid">
<title>${escapeHtml(title)} — whosaid</title>
<style>${style}</style>
</head>
<body>
<div class="ws-page">
<div id="whosaid-view" class="ws-view">
<noscript><p>This report needs JavaScript to mark the passages; the analysed text follows.</p><h1>${escapeHtml(title)}</h1><div class="ws-noscript">${escapeHtml(text)}</div></noscript>
</div>
<p class="ws-foot">Made by whosaid (schema ${escapeHtml(analysis.schema)}). Offsets index the analysed text shown above.</p>
</div>
<script type="application/json" id="whosaid-data">${jsonForScript(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
