/**
 * "Where else": a stored attribution traced across the corpus (GET /api/trace) — the findings on top,
 * then every occurrence in time order by outlet with its wording differences marked, then the relays
 * the articles name — and the most-spread quotes (GET /api/traces). All text reaches the DOM as text.
 */
import type { DiffPart, Trace } from '../../trace/index.js';
import type { ClusterSummary } from '../../store/trace-sql.js';
import { el } from '../dom.js';
import { api } from './api.js';
import { documentHref, viewHref } from './nav.js';
import { failed, loading } from './ui.js';

export const traceHref = (doc: string, attribution: string) => viewHref('trace', { doc, a: attribution });

const day = (published: string | null) => (published ? published.slice(0, 10) : 'undated');

/** The wording against the earliest occurrence: inserted words in <ins>, dropped ones in <del>. */
function diffNode(parts: DiffPart[]): HTMLElement {
  const span = el('span', { className: 'ws-quote ws-diff' });
  parts.forEach((p, i) => {
    if (i) span.append(' ');
    span.append(p.op === '+' ? el('ins', { text: p.text }) : p.op === '-' ? el('del', { text: p.text }) : p.text);
  });
  return span;
}

export function tracePage(body: HTMLElement, params: URLSearchParams): void {
  const doc = params.get('doc') ?? '';
  const attribution = params.get('a') ?? '';
  loading(body, 'Tracing…');
  api<Trace>('GET', `/api/trace?${new URLSearchParams({ doc, attribution })}`)
    .then((t) => {
      const out: Node[] = [
        el('p', { className: 'ws-small' }, [el('a', { href: documentHref(doc, attribution), text: '\u2190 the article' })]),
        el('h2', { text: `Where else: ${t.documents} documents in ${t.outlets} outlets` }),
        el('p', { className: 'ws-quote', text: t.query.text }),
      ];
      if (t.findings.length) {
        const list = el('ul');
        for (const f of t.findings) {
          const ev = el('ul', { className: 'ws-small' });
          for (const e of f.evidence) ev.append(el('li', { text: [day(e.published), e.outlet ?? 'unknown outlet', `${e.document} ${e.attribution}`, e.detail].join(' \u00b7 ') }));
          list.append(el('li', null, [el('strong', { text: f.code }), ' ', f.message, ev]));
        }
        out.push(el('section', { className: 'ws-trace-findings', 'aria-label': 'Findings' }, [el('h2', { text: 'Findings' }), list]));
      }
      const occ = el('ol', { className: 'ws-results ws-trace-occurrences' });
      for (const o of t.occurrences) {
        const a = o.attribution;
        const d = o.document;
        const who = (a.speaker ?? a.source ?? '(no source)') + (a.anonymous ? ' (anonymous)' : '') + (a.hedged ? ' (hedged)' : '');
        occ.append(
          el('li', null, [
            el('div', null, [el('strong', { text: d.outlet ?? 'unknown outlet' }), ' ', el('span', { className: 'ws-small', text: day(d.published) }), ' ',
              el('a', { href: documentHref(d.hash || d.id, a.id), text: d.title || d.id, className: 'ws-doclink' })]),
            el('div', { className: 'ws-small', text: [who, a.via.length ? 'via ' + a.via.join(' \u2190 ') : '', a.cue, o.relation].filter(Boolean).join(' \u00b7 ') }),
            diffNode(o.diff),
          ]),
        );
      }
      out.push(el('h2', { text: 'Occurrences, earliest first' }), occ);
      if (t.chain.length) {
        const chain = el('ul', { className: 'ws-results' });
        for (const c of t.chain) {
          chain.append(el('li', { text: `${c.outlet ?? c.document} cites ${c.cites.join(' \u2190 ')}${c.citesInCorpus.length ? ` (earlier here: ${c.citesInCorpus.join(', ')})` : ''}` }));
        }
        out.push(el('h2', { text: 'Relays' }), chain);
      }
      body.replaceChildren(...out);
    })
    .catch((err) => failed(body, err));
}

/** A section listing the quotes spread over the most outlets; filled when the answer comes. */
export function mostSpread(limit = 10): HTMLElement {
  const section = el('section', { className: 'ws-most-spread' }, [el('h2', { text: 'Most-spread quotes' }), el('p', { className: 'ws-small', text: 'Loading…' })]);
  api<{ traces: ClusterSummary[] }>('GET', `/api/traces?${new URLSearchParams({ limit: String(limit), kind: 'quote' })}`)
    .then(({ traces }) => {
      const list = el('ul', { className: 'ws-results' });
      for (const c of traces) {
        const root = c.root;
        if (!root) continue;
        list.append(
          el('li', null, [
            el('a', { href: traceHref(root.document.hash, root.attribution.id), className: 'ws-quote', text: root.attribution.content }),
            el('div', { className: 'ws-small', text: `${root.attribution.speaker?.name ?? root.attribution.source ?? '(no source)'} \u00b7 ${c.outlets} outlets \u00b7 ${c.documents} documents` }),
          ]),
        );
      }
      section.replaceChildren(section.firstChild!, list.childElementCount ? list : el('p', { className: 'ws-small', text: 'No quote occurs in more than one document yet.' }));
    })
    .catch((err) => failed(section, err));
  return section;
}
