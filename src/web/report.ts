/**
 * Entry point of the self-contained HTML report (src/formats/html-report.ts inlines the bundle and
 * allows it by its CSP hash). Reads the embedded data, renders the view, and honours a `#ws-a3` link
 * to one attribution. Also exposes `window.WhosaidView` (the unit tests drive it through linkedom).
 */
import type { Analysis } from '../core/types.js';
import { render } from './view/render.js';
import { segments } from './view/segments.js';

declare global {
  interface Window {
    WhosaidView?: { segments: typeof segments; render: typeof render };
  }
}

window.WhosaidView = { segments, render };

const data = document.getElementById('whosaid-data');
const container = document.getElementById('whosaid-view');
if (data && container) {
  const parsed = JSON.parse(data.textContent ?? '{}') as { analysis: Analysis; text: string };
  const view = render(container, parsed.analysis, parsed.text);
  const m = /^#ws-(.+)$/.exec(location.hash);
  if (m) view.select(decodeURIComponent(m[1]), { scroll: true });
}
