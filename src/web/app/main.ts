/**
 * Entry point of the web page (served as /assets/app.js; index.html loads it, the CSP allows no inline
 * script). Routes on the location hash (./nav.ts); the corpus views appear only when the server has a
 * store. Everything from the network reaches the DOM as text (../dom.ts).
 */
import type { Analysis } from '../../core/types.js';
import { render, type ViewOptions } from '../view/render.js';
import { setUpAnalyze } from './analyze.js';
import { getHealth, getOutlets, type Health } from './api.js';
import { corpusHome, documentsView, searchView, speakerPage, speakersView, statsView, storedDocument, type CorpusContext } from './corpus.js';
import { setOutlets } from './filters.js';
import { parseRoute, viewHref } from './nav.js';
import { tracePage } from './trace.js';
import { byId } from './ui.js';

let health: Health = { status: 'ok', schema: 'whosaid/1', maxBytes: 1048576, store: null, example: false };
const viewEl = byId('whosaid-view');

function showAnalysis(analysis: Analysis, text: string, options: ViewOptions = {}) {
  return render(viewEl, analysis, text, {
    speakerSearch: health.store ? (name) => { location.hash = viewHref('search', { speaker: name }); } : null,
    ...options,
  });
}

const panel = setUpAnalyze(() => health, (a, t) => void showAnalysis(a, t));
const ctx: CorpusContext = { body: byId('ws-corpus-body'), showAnalysis };

function route(): void {
  const r = parseRoute(location.hash || '#/');
  const corpus = !!health.store && r.name !== 'analyze';
  byId('ws-corpus-panel').hidden = !corpus;
  byId('ws-analyze-panel').hidden = corpus;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('.ws-bar nav a')) {
    a.classList.toggle('ws-current', a.getAttribute('data-view') === (corpus ? r.name : 'analyze'));
  }
  if (!corpus) return;
  viewEl.replaceChildren();
  switch (r.name) {
    case 'doc': return storedDocument(ctx, r.id ?? '', r.params);
    case 'speaker': return speakerPage(ctx, r.id ?? '', r.params);
    case 'documents': return documentsView(ctx, r.params);
    case 'speakers': return speakersView(ctx, r.params);
    case 'search': return searchView(ctx, r.params);
    case 'stats': return statsView(ctx, r.params);
    case 'trace': return tracePage(ctx.body, r.params);
    default: return corpusHome(ctx);
  }
}

window.addEventListener('hashchange', route);
getHealth()
  .then(async (h) => {
    health = h;
    for (const n of document.querySelectorAll<HTMLElement>('.ws-corpus-nav')) n.hidden = !h.store;
    byId('ws-example').hidden = !h.example;
    if (h.store) setOutlets((await getOutlets().catch(() => ({ outlets: [] }))).outlets.map((o) => o.outlet));
    route();
  })
  .catch(() => panel.say('The server is not answering.', true));
