/**
 * The corpus views (a server with a store): an overview, documents, speakers, search, figures with
 * charts, a speaker's page and a stored document with its provenance. Every view's state is in its URL
 * (filters, sort, page), so a view can be bookmarked, shared and reloaded.
 */
import type { Analysis } from '../../core/types.js';
import type { DocumentSummary, SearchHit } from '../../store/types.js';
import { el, externalLink, fill, highlighted, queryWords } from '../dom.js';
import type { ViewOptions } from '../view/render.js';
import { type DocumentSpeakers, getDocument, getDocuments, getDocumentSpeakers, getSearch, getSpeaker, getSpeakers, getStats, type CorpusFigures, type SpeakerRow } from './api.js';
import { barChart, lineChart } from './charts.js';
import { apiParams, filterBar } from './filters.js';
import { documentHref, pageOf, speakerHref, viewHref, type View } from './nav.js';
import { failed, loading, pager, pct, table } from './ui.js';
import { mostSpread, traceHref } from './trace.js';

export interface CorpusContext {
  body: HTMLElement;
  showAnalysis(analysis: Analysis, text: string, options?: ViewOptions): { select(id: string, opts?: { scroll?: boolean }): boolean };
}

const DOC_SORTS: [string, string][] = [['newest', 'newest first'], ['oldest', 'oldest first'], ['added', 'recently added'], ['attributions', 'most attributions']];
const SPEAKER_SORTS: [string, string][] = [['attributions', 'most attributions'], ['documents', 'most documents'], ['name', 'name']];
// Without a date filter, search orders by when documents were stored; with one, by publication date.
const SEARCH_SORTS: [string, string][] = [['newest', 'latest first'], ['oldest', 'earliest first']];
const TYPES = ['person', 'organization', 'media', 'anonymous', 'other', 'unresolved'];
const FILTERS = ['outlet', 'since', 'until'];

function docLink(d: { hash?: string; id: string; title: string | null }, attribution?: string): HTMLAnchorElement {
  return el('a', { href: documentHref(d.hash || d.id, attribution), text: d.title || d.id, className: 'ws-doclink' });
}

const day = (published: string | null) => (published ? published.slice(0, 10) : null);

/** Where a document comes from, as text: outlet · date. */
function provenanceText(d: { outlet: string | null; published: string | null }): string {
  return [d.outlet ?? 'unknown outlet', day(d.published) ?? 'undated'].join(' \u00b7 ');
}

function pageHref(view: View, params: URLSearchParams): (page: number) => string {
  return (page) => {
    const p = new URLSearchParams(params);
    if (page > 1) p.set('page', String(page));
    else p.delete('page');
    return viewHref(view, p);
  };
}

/** Search hits: who (linked to their page), the cue, the content with the query's words marked, and where. */
export function hitList(hits: SearchHit[], words: string[] = []): HTMLElement {
  if (!hits.length) return el('p', { className: 'ws-small', text: 'Nothing found.' });
  const ul = el('ul', { className: 'ws-results' });
  for (const h of hits) {
    const a = h.attribution;
    const sp = a.speaker;
    const who = sp ? el('a', { href: speakerHref(sp.id), className: 'ws-speaker-link', text: sp.name }) : el('span', { text: a.source ? a.source : '(no source)' });
    ul.appendChild(
      el('li', null, [
        who, ' ', el('span', { className: 'ws-small', text: a.cue }), ': ',
        highlighted(a.content, words, 'ws-quote'),
        el('div', { className: 'ws-small' }, [
          docLink(h.document, a.id), ' \u00b7 ' + provenanceText(h.document),
          ' \u00b7 ' + a.kind + (a.anonymous ? ' \u00b7 anonymous' : '') + (a.hedged ? ' \u00b7 hedged' : '') + ' \u00b7 ' + Math.round(a.confidence * 100) + '%',
        ]),
      ]),
    );
  }
  return ul;
}

function documentRows(docs: DocumentSummary[]): HTMLElement {
  return table(
    ['Title', 'Outlet', 'Published', 'Attributions', 'Source'],
    docs.map((d) => [docLink(d), d.outlet, day(d.published), d.attributions, d.url ? externalLink(d.url, hostOf(d.url)) : null]),
    'ws-table ws-docs',
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

function speakerRows(speakers: SpeakerRow[]): HTMLElement {
  return table(
    ['Speaker', 'Type', 'Attributions', 'Documents'],
    speakers.map((s) => [el('a', { href: speakerHref(s.id), text: s.name }), s.type, s.attributions, s.documents]),
    'ws-table ws-speakers-table',
  );
}

export function corpusHome(ctx: CorpusContext): void {
  loading(ctx.body);
  Promise.all([getDocuments(new URLSearchParams({ limit: '10' })), getSpeakers(new URLSearchParams({ limit: '10' }))])
    .then(([docsRes, spRes]) => {
      const docs = el('ul', { className: 'ws-results' });
      for (const d of docsRes.documents) docs.appendChild(el('li', null, [docLink(d), el('div', { className: 'ws-small', text: provenanceText(d) + ` \u00b7 ${d.attributions} attributions` })]));
      const sps = el('ul', { className: 'ws-results' });
      for (const s of spRes.speakers) {
        sps.appendChild(el('li', null, [el('a', { href: speakerHref(s.id), text: s.name }), ' ', el('span', { className: 'ws-small', text: `${s.type} \u00b7 ${s.attributions} attributions in ${s.documents} documents` })]));
      }
      ctx.body.replaceChildren(
        el('div', { className: 'ws-cols' }, [
          el('section', null, [el('h2', { text: 'Documents (' + docsRes.total.toLocaleString('en') + ')' }), docs, el('p', null, [el('a', { href: viewHref('documents'), text: 'All documents \u2192' })])]),
          el('section', null, [el('h2', { text: 'Speakers (' + spRes.total.toLocaleString('en') + ')' }), sps, el('p', null, [el('a', { href: viewHref('speakers'), text: 'All speakers \u2192' })])]),
        ]),
        el('p', null, [el('a', { href: viewHref('stats'), text: 'Figures per outlet and month \u2192' })]),
        mostSpread(),
      );
    })
    .catch((err) => failed(ctx.body, err));
}

export function documentsView(ctx: CorpusContext, params: URLSearchParams): void {
  const page = pageOf(params);
  const limit = 50;
  const bar = filterBar({ view: 'documents', sorts: DOC_SORTS }, params);
  const out = el('div');
  ctx.body.replaceChildren(el('h2', { text: 'Documents' }), bar, out);
  loading(out);
  getDocuments(apiParams(params, [...FILTERS, 'sort'], page, limit))
    .then((r) => {
      const pg = () => pager(pageHref('documents', params), page, limit, r.documents.length, r.total);
      out.replaceChildren(pg(), r.documents.length ? documentRows(r.documents) : el('p', { className: 'ws-small', text: 'No documents match.' }), pg());
    })
    .catch((err) => failed(out, err));
}

export function speakersView(ctx: CorpusContext, params: URLSearchParams): void {
  const page = pageOf(params);
  const limit = 50;
  const bar = filterBar({ view: 'speakers', sorts: SPEAKER_SORTS, types: TYPES }, params);
  const out = el('div');
  ctx.body.replaceChildren(el('h2', { text: 'Speakers' }), bar, el('p', { className: 'ws-small', text: 'Outlet and month filters count the attributions in those documents.' }), out);
  loading(out);
  getSpeakers(apiParams(params, [...FILTERS, 'sort', 'type'], page, limit))
    .then((r) => {
      const pg = () => pager(pageHref('speakers', params), page, limit, r.speakers.length, r.total);
      out.replaceChildren(pg(), r.speakers.length ? speakerRows(r.speakers) : el('p', { className: 'ws-small', text: 'No speakers match.' }), pg());
    })
    .catch((err) => failed(out, err));
}

export function searchView(ctx: CorpusContext, params: URLSearchParams): void {
  const page = pageOf(params);
  const limit = 50;
  const bar = filterBar({ view: 'search', search: true, sorts: SEARCH_SORTS }, params);
  const out = el('div');
  ctx.body.replaceChildren(bar, out);
  loading(out, 'Searching\u2026');
  const keys = ['speaker', 'q', 'anonymous', ...FILTERS, 'sort'];
  const exportParams = apiParams(params, keys, 1, 1);
  exportParams.delete('limit');
  const exportLink = (format: string) => {
    const p = new URLSearchParams(exportParams);
    p.set('format', format);
    return el('a', { href: '/api/export?' + p.toString(), download: `whosaid-search.${format}`, className: `ws-export ws-export-${format}`, text: format.toUpperCase() });
  };
  getSearch(apiParams(params, keys, page, limit))
    .then((r) => {
      const pg = () => pager(pageHref('search', params), page, limit, r.hits.length, null, r.more);
      fill(out, [
        el('div', { className: 'ws-row ws-results-head' }, [
          el('h2', { text: 'Results' }), pg(),
          el('span', { className: 'ws-small' }, ['Download every result: ', exportLink('csv'), ' \u00b7 ', exportLink('jsonl')]),
        ]),
        hitList(r.hits, queryWords(params.get('q') ?? '')),
        r.hits.length ? pg() : null,
      ]);
    })
    .catch((err) => failed(out, err));
}

function shareBars(title: string, rows: { label: string; value: number }[], series: number): SVGSVGElement {
  return barChart(title, rows.map((r) => ({ label: r.label, value: r.value, text: pct(r.value) })), { max: Math.max(0.01, ...rows.map((r) => r.value)), series });
}

function topLinks(speakers: SpeakerRow[], n = 3): HTMLElement {
  const span = el('span', { className: 'ws-top-speakers' });
  speakers.slice(0, n).forEach((s, i) => span.append(i ? '; ' : '', el('a', { href: speakerHref(s.id), text: s.name }), ` (${s.attributions})`));
  return span;
}

function breakdown(title: string, counts: Record<string, number>, total: number): HTMLElement {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return el('section', { className: 'ws-breakdown' }, [
    el('h3', { text: title }),
    table(['', 'Attributions', 'Share'], rows.map(([k, n]) => [k, n, total ? pct(n / total) : null])),
  ]);
}

function peopleBreakdown(title: string, counts: Record<string, number>, total: number): HTMLElement {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return el('section', { className: 'ws-breakdown' }, [
    el('h3', { text: title }),
    table(['', 'Speakers', 'Share'], rows.map(([k, n]) => [k, n, total ? pct(n / total) : null])),
  ]);
}

type Quoted = NonNullable<CorpusFigures['total']['quoted']>;
const NO_ONE: Quoted = { speakers: 0, byRole: {}, roleShare: {}, persons: 0, byGender: {}, genderShare: {} };

/** The who-is-quoted section: women's share per outlet, tables per outlet and month, breakdowns by gender and role. */
function whoIsQuoted(box: HTMLElement, f: CorpusFigures): void {
  const outlets = f.outlets.map((o) => ({ label: o.outlet ?? '(no outlet)', q: o.quoted ?? NO_ONE }));
  const dated = f.months.filter((m) => m.month !== null);
  const months = [...dated, ...f.months.filter((m) => m.month === null)];
  const t = f.total.quoted ?? NO_ONE;
  box.replaceChildren(
    el('div', { className: 'ws-charts' }, [
      shareBars('Women among quoted persons per outlet', outlets.map((o) => ({ label: o.label, value: o.q.genderShare.female ?? 0 })), 1),
      dated.length
        ? lineChart('Quoted persons by gender per month', dated.map((m) => m.month as string), [
            { name: 'female', values: dated.map((m) => (m.quoted?.persons ? m.quoted.genderShare.female ?? 0 : null)) },
            { name: 'male', values: dated.map((m) => (m.quoted?.persons ? m.quoted.genderShare.male ?? 0 : null)) },
            { name: 'unknown', values: dated.map((m) => (m.quoted?.persons ? m.quoted.genderShare.unknown ?? 0 : null)) },
          ], { percent: true })
        : null,
    ]),
    table(
      ['Outlet', 'Speakers', 'Persons', 'Female', 'Male', 'Gender unknown', 'Leading roles'],
      outlets.map((o) => [o.label, ...quotedCells(o.q)]),
      'ws-table ws-quoted-table',
    ),
    table(
      ['Month', 'Speakers', 'Persons', 'Female', 'Male', 'Gender unknown', 'Leading roles'],
      months.map((m) => [m.month ?? '(undated)', ...quotedCells(m.quoted ?? NO_ONE)]),
      'ws-table ws-quoted-month-table',
    ),
    el('div', { className: 'ws-cols' }, [
      peopleBreakdown('Quoted persons by gender', t.byGender, t.persons),
      peopleBreakdown('Quoted speakers by role', t.byRole, t.speakers),
    ]),
    el('p', { className: 'ws-small', text: 'Distinct speakers quoted, each counted once. Gender over persons (from the text and a first-name lexicon; "unknown" where neither supports one); role category from the descriptors the articles give.' }),
  );
}

/** A row's who-is-quoted cells: counts, gender shares of persons, the three leading roles. */
function quotedCells(q: Quoted): (string | number)[] {
  const roles = Object.entries(q.roleShare).sort((a, b) => b[1] - a[1]).slice(0, 3).map(([r, x]) => `${r} ${pct(x)}`).join(', ');
  return [q.speakers, q.persons, pct(q.genderShare.female ?? 0), pct(q.genderShare.male ?? 0), pct(q.genderShare.unknown ?? 0), roles];
}

export function statsView(ctx: CorpusContext, params: URLSearchParams): void {
  const bar = filterBar({ view: 'stats' }, params);
  const out = el('div');
  ctx.body.replaceChildren(el('h2', { text: 'Figures per outlet and month' }), bar, out, mostSpread());
  loading(out);
  // Who is quoted costs the server a pass over the selected speakers: asked for after the figures.
  const quotedBox = el('div', { className: 'ws-quoted' });
  loading(quotedBox);
  const quotedQuery = apiParams(params, FILTERS, 1, 1);
  quotedQuery.set('quoted', '1');
  getStats(quotedQuery)
    .then((f: CorpusFigures) => whoIsQuoted(quotedBox, f))
    .catch((err) => failed(quotedBox, err));
  getStats(apiParams(params, FILTERS, 1, 1))
    .then((f: CorpusFigures) => {
      const t = f.total;
      const outlets = f.outlets.map((o) => ({ ...o, label: o.outlet ?? '(no outlet)' }));
      const months = f.months.filter((m) => m.month !== null);
      const undated = f.months.find((m) => m.month === null);
      const labels = months.map((m) => m.month as string);
      out.replaceChildren(
        el('p', { className: 'ws-summary', text: `${t.documents.toLocaleString('en')} documents, ${t.attributions.toLocaleString('en')} attributions: ${pct(t.anonymousShare)} anonymous, ${pct(t.unattributedShare)} unattributed, ${pct(t.directShare)} direct quotes.` }),
        el('div', { className: 'ws-charts' }, [
          barChart('Attributions per outlet', outlets.map((o) => ({ label: o.label, value: o.attributions }))),
          shareBars('Anonymous share per outlet', outlets.map((o) => ({ label: o.label, value: o.anonymousShare })), 1),
          shareBars('Unattributed share per outlet', outlets.map((o) => ({ label: o.label, value: o.unattributedShare })), 2),
          shareBars('Direct-quote share per outlet', outlets.map((o) => ({ label: o.label, value: o.directShare })), 3),
          lineChart('Attributions and documents per month', labels, [
            { name: 'attributions', values: months.map((m) => m.attributions) },
            { name: 'documents', values: months.map((m) => m.documents) },
          ]),
          lineChart('Shares per month', labels, [
            { name: 'anonymous', values: months.map((m) => (m.attributions ? m.anonymousShare : null)) },
            { name: 'unattributed', values: months.map((m) => (m.attributions ? m.unattributedShare : null)) },
            { name: 'direct', values: months.map((m) => (m.attributions ? m.directShare : null)) },
          ], { percent: true }),
        ]),
        el('h3', { text: 'Per outlet' }),
        table(
          ['Outlet', 'Documents', 'Attributions', 'Per document', 'Anonymous', 'Unattributed', 'Direct', 'Top speakers'],
          outlets.map((o) => [
            o.outlet === null ? '(no outlet)' : el('a', { href: viewHref('stats', { outlet: o.outlet, since: params.get('since'), until: params.get('until') }), text: o.outlet }),
            o.documents, o.attributions, o.documents ? (o.attributions / o.documents).toFixed(2) : null,
            pct(o.anonymousShare), pct(o.unattributedShare), pct(o.directShare), topLinks(o.topSpeakers),
          ]),
          'ws-table ws-outlet-table',
        ),
        el('h3', { text: 'Per month' }),
        table(
          ['Month', 'Documents', 'Attributions', 'Anonymous', 'Unattributed', 'Direct', 'Top speakers'],
          [...months, ...(undated ? [undated] : [])].map((m) => [
            m.month ?? '(undated)', m.documents, m.attributions, pct(m.anonymousShare), pct(m.unattributedShare), pct(m.directShare), topLinks(m.topSpeakers),
          ]),
          'ws-table ws-month-table',
        ),
        el('div', { className: 'ws-cols' }, [
          breakdown('Quoted speakers by type', t.byType, t.attributions),
          breakdown('Quoted speakers by gender', t.byGender, t.attributions),
        ]),
        el('p', { className: 'ws-small', text: 'Gender is counted only where the analysis gives a speaker one; "unknown" otherwise. Type "none" is an attribution without a speaker.' }),
        el('h3', { text: 'Who is quoted' }),
        quotedBox,
        el('h3', { text: 'Most quoted' }),
        speakerRows(f.topSpeakers),
      );
    })
    .catch((err) => failed(out, err));
}

export function speakerPage(ctx: CorpusContext, id: string, params: URLSearchParams): void {
  const page = pageOf(params);
  const limit = 20;
  loading(ctx.body);
  getSpeaker(id, apiParams(params, [], page, limit))
    .then((s) => {
      const months = s.months.filter((m) => m.month !== null);
      fill(ctx.body, [
        el('h2', { className: 'ws-speaker-title', text: s.name }),
        el('p', { className: 'ws-small', text: `${s.type} \u00b7 ${s.attributions.toLocaleString('en')} attributions in ${s.documents.toLocaleString('en')} documents` }),
        s.aliases.length ? el('p', { className: 'ws-small', text: 'Also named: ' + s.aliases.join('; ') }) : null,
        el('p', null, [el('a', { href: viewHref('search', { speaker: s.name }), text: 'Search passages by this name \u2192' })]),
        el('div', { className: 'ws-charts' }, [
          barChart('Quoted by outlet', s.outlets.map((o) => ({ label: o.outlet ?? '(no outlet)', value: o.attributions }))),
          months.length ? lineChart('Attributions per month', months.map((m) => m.month as string), [{ name: 'attributions', values: months.map((m) => m.attributions) }]) : null,
        ]),
        el('p', { className: 'ws-small ws-outlets', text: 'Quoted by ' + s.outlets.map((o) => `${o.outlet ?? '(no outlet)'} (${o.attributions})`).join(', ') }),
        el('h2', { text: 'Passages' }),
        pager((p) => speakerHref(s.id, p), page, limit, s.recent.length, s.passages.total),
        hitList(s.recent),
        pager((p) => speakerHref(s.id, p), page, limit, s.recent.length, s.passages.total),
      ]);
    })
    .catch((err) => failed(ctx.body, err));
}

/** A stored document: provenance first, then the view; names link to their corpus pages; `?a=` opens at a passage. */
export function storedDocument(ctx: CorpusContext, id: string, params: URLSearchParams): void {
  loading(ctx.body);
  Promise.all([getDocument(id), getDocumentSpeakers(id).catch((): DocumentSpeakers => ({ attributions: {}, entities: {} }))])
    .then(([a, speakers]) => {
      const d = a.document;
      const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
      const facts = el('dl', { className: 'ws-facts ws-provenance' });
      const add = (label: string, value: string | Node | null) => facts.append(el('dt', { text: label }), el('dd', null, [value ?? '\u2013']));
      add('Outlet', str(d.outlet) ? el('a', { href: viewHref('documents', { outlet: str(d.outlet) }), text: String(d.outlet) }) : 'unknown');
      add('Published', str(d.published));
      add('Link', str(d.url) ? externalLink(d.url) : null);
      add('Id', String(d.id));
      // From any attribution: where else it was quoted or claimed.
      const where = el('p', { className: 'ws-where' });
      ctx.body.replaceChildren(el('p', { className: 'ws-small' }, [el('a', { href: viewHref('documents'), text: '\u2190 all documents' })]), facts, where);
      const view = ctx.showAnalysis(a, String(d.text ?? ''), {
        speakerHref: (entity) => (speakers.entities[entity] !== undefined ? speakerHref(speakers.entities[entity]) : null),
        onSelect: (attrId) => where.replaceChildren(el('a', { href: traceHref(String(d.hash ?? d.id), attrId), text: `Where else was ${attrId} quoted or claimed? \u2192` })),
      });
      const at = params.get('a');
      if (at) view.select(at, { scroll: true });
    })
    .catch((err) => failed(ctx.body, err));
}
