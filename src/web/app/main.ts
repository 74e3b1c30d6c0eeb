/**
 * Entry point of the web page (served as /assets/app.js; index.html loads it, the CSP allows no inline
 * script). Routes on the location hash; the corpus views appear only when the server has a store.
 * Everything from the network reaches the DOM as text (../dom.ts).
 */
import type { Analysis } from '../../core/types.js';
import { render } from '../view/render.js';
import { setUpAnalyze } from './analyze.js';
import { getHealth, type Health } from './api.js';
import { corpusHome, searchView, setUpSearchForm, speakerPage, storedDocument, type CorpusContext } from './corpus.js';
import { byId } from './ui.js';

let health: Health = { status: 'ok', schema: 'whosaid/1', maxBytes: 1048576, store: null, example: false };
const viewEl = byId('whosaid-view');

function showAnalysis(analysis: Analysis, text: string): void {
  render(viewEl, analysis, text, {
    speakerSearch: health.store ? (name) => { location.hash = '#/search?speaker=' + encodeURIComponent(name); } : null,
  });
}

const panel = setUpAnalyze(() => health, showAnalysis);
const ctx: CorpusContext = { body: byId('ws-corpus-body'), showAnalysis };
setUpSearchForm();

function route(): void {
  const h = location.hash || '#/';
  const corpus = !!health.store && h.startsWith('#/') && h !== '#/';
  byId('ws-corpus-panel').hidden = !corpus;
  byId('ws-analyze-panel').hidden = corpus;
  if (!corpus) return;
  viewEl.replaceChildren();
  let m: RegExpExecArray | null;
  if ((m = /^#\/doc\/(.+)$/.exec(h))) storedDocument(ctx, decodeURIComponent(m[1]));
  else if ((m = /^#\/speaker\/(\d+)$/.exec(h))) speakerPage(ctx, m[1]);
  else if ((m = /^#\/search\?(.*)$/.exec(h))) searchView(ctx, new URLSearchParams(m[1]));
  else corpusHome(ctx);
}

window.addEventListener('hashchange', route);
getHealth()
  .then((h) => {
    health = h;
    byId('ws-nav-corpus').hidden = !h.store;
    byId('ws-example').hidden = !h.example;
    route();
  })
  .catch(() => panel.say('The server is not answering.', true));
