/** The corpus views (a server with a store): documents, search, speaker pages, stored documents. */
import type { Analysis } from '../../core/types.js';
import type { DocumentSummary, SearchHit } from '../../store/types.js';
import { el } from '../dom.js';
import { getDocument, getDocuments, getSearch, getSpeaker, getSpeakers } from './api.js';
import { byId, failed, loading } from './ui.js';

export interface CorpusContext {
  body: HTMLElement;
  showAnalysis(analysis: Analysis, text: string): void;
}

function docLink(d: { hash?: string; id: string; title: string | null }): HTMLAnchorElement {
  return el('a', { href: '#/doc/' + encodeURIComponent(d.hash || d.id), text: d.title || d.id });
}

function hitList(hits: SearchHit[]): HTMLElement {
  if (!hits.length) return el('p', { className: 'ws-small', text: 'Nothing found.' });
  const ul = el('ul', { className: 'ws-results' });
  for (const h of hits) {
    const a = h.attribution;
    const sp = a.speaker;
    const who = sp ? el('a', { href: '#/speaker/' + sp.id, text: sp.name }) : el('span', { text: a.source ? a.source : '(no source)' });
    ul.appendChild(
      el('li', null, [
        who, ' ', el('span', { className: 'ws-small', text: a.cue }), ': ',
        el('span', { className: 'ws-quote', text: a.content }),
        el('div', { className: 'ws-small' }, [
          docLink(h.document),
          ' · ' + a.kind + (a.anonymous ? ' · anonymous' : '') + (a.hedged ? ' · hedged' : '') + ' · ' + Math.round(a.confidence * 100) + '%',
        ]),
      ]),
    );
  }
  return ul;
}

export function corpusHome(ctx: CorpusContext): void {
  loading(ctx.body);
  Promise.all([getDocuments(new URLSearchParams({ limit: '50' })), getSpeakers(new URLSearchParams({ limit: '50' }))])
    .then(([docsRes, spRes]) => {
      const docs = el('ul', { className: 'ws-results' });
      for (const d of docsRes.documents as DocumentSummary[]) {
        docs.appendChild(el('li', null, [docLink(d), el('div', { className: 'ws-small', text: [d.outlet, d.published, d.attributions + ' attributions'].filter(Boolean).join(' · ') })]));
      }
      const sps = el('ul', { className: 'ws-results' });
      for (const s of spRes.speakers) {
        sps.appendChild(el('li', null, [el('a', { href: '#/speaker/' + s.id, text: s.name }), ' ', el('span', { className: 'ws-small', text: `${s.type} · ${s.attributions} attributions in ${s.documents} documents` })]));
      }
      ctx.body.replaceChildren(
        el('div', { className: 'ws-cols' }, [
          el('section', null, [el('h2', { text: 'Documents (' + docsRes.total + ')' }), docs]),
          el('section', null, [el('h2', { text: 'Speakers' }), sps]),
        ]),
      );
    })
    .catch((err) => failed(ctx.body, err));
}

export function searchView(ctx: CorpusContext, params: URLSearchParams): void {
  byId<HTMLInputElement>('ws-q-speaker').value = params.get('speaker') ?? '';
  byId<HTMLInputElement>('ws-q-text').value = params.get('q') ?? '';
  byId<HTMLInputElement>('ws-q-anon').checked = params.get('anonymous') === 'true';
  loading(ctx.body, 'Searching…');
  getSearch(params)
    .then((r) => ctx.body.replaceChildren(el('h2', { text: 'Results (' + r.hits.length + ')' }), hitList(r.hits)))
    .catch((err) => failed(ctx.body, err));
}

export function speakerPage(ctx: CorpusContext, id: string): void {
  loading(ctx.body);
  getSpeaker(id)
    .then((s) => {
      const outlets = (s.outlets ?? []).map((o) => (o.outlet || 'unknown outlet') + ' (' + o.attributions + ')').join(', ');
      ctx.body.replaceChildren(
        el('h2', { text: s.name }),
        el('p', { className: 'ws-small', text: `${s.type} · ${s.attributions} attributions in ${s.documents} documents` + (outlets ? ' · quoted by ' + outlets : '') }),
        ...(s.aliases && s.aliases.length ? [el('p', { className: 'ws-small', text: 'Also known as: ' + s.aliases.join('; ') })] : []),
        el('h2', { text: 'Recent passages' }),
        hitList(s.recent ?? []),
      );
    })
    .catch((err) => failed(ctx.body, err));
}

export function storedDocument(ctx: CorpusContext, id: string): void {
  loading(ctx.body);
  getDocument(id)
    .then((a) => {
      ctx.body.replaceChildren(el('p', { className: 'ws-small' }, [el('a', { href: '#/corpus', text: '← all documents' })]));
      ctx.showAnalysis(a, String(a.document.text ?? ''));
    })
    .catch((err) => failed(ctx.body, err));
}

export function setUpSearchForm(): void {
  byId<HTMLFormElement>('ws-search').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    const speaker = byId<HTMLInputElement>('ws-q-speaker').value.trim();
    const q = byId<HTMLInputElement>('ws-q-text').value.trim();
    if (speaker) p.set('speaker', speaker);
    if (q) p.set('q', q);
    if (byId<HTMLInputElement>('ws-q-anon').checked) p.set('anonymous', 'true');
    location.hash = '#/search?' + p.toString();
  });
}
