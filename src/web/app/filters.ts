/**
 * The filter bar of a corpus view: outlet, a month range, a sort order and (for search) speaker, words
 * and "anonymous only". Submitting it navigates to the view's URL, so every filtered page is a link.
 */
import { el } from '../dom.js';
import { viewHref, type View } from './nav.js';

export interface FilterSpec {
  view: View;
  /** Sort choices: [value, label]; the first is the default. */
  sorts?: [string, string][];
  search?: boolean;
  /** Speaker types offered (speakers view). */
  types?: string[];
}

let outletList: (string | null)[] = [];

/** The outlets the select offers (loaded once from /api/outlets). */
export function setOutlets(list: (string | null)[]): void {
  outletList = list;
}

function field(label: string, control: HTMLElement): HTMLElement {
  return el('label', null, [label + ' ', control]);
}

/** A `<input type="month">` value from a since/until parameter (YYYY-MM or a date). */
const monthValue = (v: string | null) => (v && /^\d{4}-\d{2}/.test(v) ? v.slice(0, 7) : '');

export function filterBar(spec: FilterSpec, params: URLSearchParams): HTMLFormElement {
  const form = el('form', { className: 'ws-row ws-filters', 'aria-label': 'Filters' });
  const controls: Record<string, HTMLInputElement | HTMLSelectElement> = {};
  if (spec.search) {
    controls.speaker = el('input', { type: 'search', name: 'speaker', size: 18, id: 'ws-q-speaker', value: params.get('speaker') ?? '' });
    controls.q = el('input', { type: 'search', name: 'q', size: 22, id: 'ws-q-text', value: params.get('q') ?? '' });
    form.append(field('Speaker', controls.speaker), field('Words', controls.q));
  }
  const outlet = el('select', { name: 'outlet', id: 'ws-f-outlet' }, [el('option', { value: '', text: 'all outlets' })]);
  for (const o of outletList) if (o !== null) outlet.appendChild(el('option', { value: o, text: o }));
  outlet.value = params.get('outlet') ?? '';
  // An outlet in the URL that the list does not hold still shows (and stays selected).
  if (outlet.value !== (params.get('outlet') ?? '')) {
    outlet.appendChild(el('option', { value: params.get('outlet') ?? '', text: params.get('outlet') ?? '' }));
    outlet.value = params.get('outlet') ?? '';
  }
  controls.outlet = outlet;
  controls.since = el('input', { type: 'month', name: 'since', id: 'ws-f-since', value: monthValue(params.get('since')) });
  controls.until = el('input', { type: 'month', name: 'until', id: 'ws-f-until', value: monthValue(params.get('until')) });
  form.append(field('Outlet', outlet), field('From', controls.since), field('to', controls.until));
  if (spec.types) {
    const type = el('select', { name: 'type', id: 'ws-f-type' }, [el('option', { value: '', text: 'all types' })]);
    for (const t of spec.types) type.appendChild(el('option', { value: t, text: t }));
    type.value = params.get('type') ?? '';
    controls.type = type;
    form.append(field('Type', type));
  }
  if (spec.search) {
    const anon = el('input', { type: 'checkbox', name: 'anonymous', id: 'ws-q-anon' });
    anon.checked = params.get('anonymous') === 'true';
    controls.anonymous = anon;
    form.append(el('label', null, [anon, ' anonymous only']));
  }
  if (spec.sorts) {
    const sort = el('select', { name: 'sort', id: 'ws-f-sort' });
    for (const [v, label] of spec.sorts) sort.appendChild(el('option', { value: v, text: label }));
    sort.value = params.get('sort') ?? spec.sorts[0][0];
    controls.sort = sort;
    form.append(field('Sort', sort));
  }
  form.append(el('button', { type: 'submit', className: 'ws-primary', text: spec.search ? 'Search' : 'Apply' }));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const next: Record<string, string> = {};
    for (const [k, c] of Object.entries(controls)) {
      if (c instanceof HTMLInputElement && c.type === 'checkbox') {
        if (c.checked) next[k] = 'true';
      } else if (c.value.trim() && !(k === 'sort' && spec.sorts && c.value === spec.sorts[0][0])) next[k] = c.value.trim();
    }
    // Always a fresh page 1: the old page number does not carry over to new filters.
    location.hash = viewHref(spec.view, next);
  });
  return form;
}

/** The filters in `params` as API parameters: months become whole-month date bounds on the server. */
export function apiParams(params: URLSearchParams, keys: string[], page: number, limit: number): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of keys) {
    const v = params.get(k);
    if (v) out.set(k, v);
  }
  out.set('limit', String(limit));
  if (page > 1) out.set('offset', String((page - 1) * limit));
  return out;
}
