/**
 * The attribution view: one renderer shared by the self-contained HTML report and the web page.
 *
 * Safety: article text only ever reaches the DOM through text nodes and `setAttribute` on non-URL
 * attributes (../dom.ts); links are in-page (`#ws-…`) or, for corpus speaker pages, made by the caller.
 *
 * A segment (./segments.ts) nests one element per role (content > source > cue) so each role keeps
 * its own underline and tint.
 */
import type { Analysis, Attribution, Entity, ProfileFlag } from '../../core/types.js';
import { el, type Child } from '../dom.js';
import { ROLES, segments, type Role, type Segment } from './segments.js';

const ROLE_RANK: Record<Role, number> = { cue: 0, source: 1, content: 2 };
const TYPE_LABEL: Record<string, string> = {
  person: 'person', organization: 'organization', media: 'media outlet', anonymous: 'anonymous', other: 'other', unresolved: 'unresolved',
};
const KIND_LABEL: Record<string, string> = {
  direct: 'direct (in quotation marks)', indirect: 'indirect (paraphrase)', mixed: 'mixed (partly quoted)',
};
const KNOWN_PROFILE = new Set(['attributions', 'speakers', 'named', 'anonymous', 'unattributed', 'headlineQuestion', 'flags', 'topSpeakers']);

export interface ViewOptions {
  /** Offers a "Search the corpus" button on each speaker card. */
  speakerSearch?: ((name: string) => void) | null;
  /** A link for a speaker's name (its corpus page), by entity id; null for none. */
  speakerHref?: ((entityId: string) => string | null) | null;
  onSelect?: (id: string) => void;
}

export interface SelectOptions {
  alternatives?: string[];
  scroll?: boolean;
}

export interface ViewHandle {
  select(id: string, opts?: SelectOptions): boolean;
  highlight(ids: string[]): void;
  segments: Segment[];
}

interface TopSpeaker {
  entity?: unknown;
  name?: unknown;
  type?: unknown;
  words?: unknown;
  attributions?: unknown;
}

function truncate(s: unknown, max: number): string {
  const t = String(s ?? '').replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '\u2026' : t;
}

const quoted = (s: string) => '\u201c' + s + '\u201d';
const pct = (part: number, whole: number) => (whole ? Math.round((100 * part) / whole) + '%' : '\u2013');

function spanLength(ref: { spans?: unknown } | null | undefined): number {
  if (!ref || !Array.isArray(ref.spans)) return 0;
  return (ref.spans as [number, number][]).reduce((n, r) => n + Math.max(0, r[1] - r[0]), 0);
}

function humanize(key: string): string {
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Renders `analysis` into `container` (replacing what was there); `text` is what its offsets index. */
/**
 * The profile's speaker count (src/profile countSpeakers): entities that speak in some attribution;
 * relays and mere mentions are not speakers. Recounted the same way for analyses without it.
 */
export function speakerCount(profile: Partial<Analysis['profile']>, atts: Attribution[]): number {
  if (typeof profile.speakers === 'number') return profile.speakers;
  return new Set(atts.filter((a) => a.speaker).map((a) => String(a.speaker))).size;
}

export function render(container: HTMLElement, analysisIn: Analysis | null | undefined, textIn?: string | null, options: ViewOptions = {}): ViewHandle {
  const analysis = (analysisIn ?? {}) as Partial<Analysis>;
  const doc = (analysis.document ?? {}) as Partial<Analysis['document']>;
  const text = typeof textIn === 'string' ? textIn : typeof doc.text === 'string' ? doc.text : '';
  const atts: Attribution[] = Array.isArray(analysis.attributions) ? analysis.attributions : [];
  const ents: Entity[] = Array.isArray(analysis.entities) ? analysis.entities : [];
  const profile = (analysis.profile ?? {}) as Partial<Analysis['profile']>;
  const byId = new Map<string, Attribution>();
  for (const a of atts) byId.set(String(a.id), a);
  const entById = new Map<string, Entity>();
  for (const e of ents) entById.set(String(e.id), e);
  const segEls = new Map<string, HTMLElement[]>();
  const segs = segments(text, atts);
  const state = { selected: null as string | null, lastSeg: -1, cycle: 0 };

  container.replaceChildren();
  container.classList.add('ws-view');

  // Header and legend.
  const meta: string[] = [];
  if (doc.id) meta.push(String(doc.id));
  meta.push(text.length.toLocaleString('en') + ' characters');
  meta.push(plural(atts.length, 'attribution', 'attributions'));
  const nSpeakers = speakerCount(profile, atts);
  if (nSpeakers) meta.push(plural(nSpeakers, 'speaker', 'speakers'));
  container.appendChild(
    el('header', { className: 'ws-head' }, [
      el('h1', { className: 'ws-title', text: doc.title ? String(doc.title) : 'Untitled article' }),
      el('p', { className: 'ws-meta', text: meta.join(' \u00b7 ') }),
    ]),
  );
  container.appendChild(
    el('ul', { className: 'ws-legend', 'aria-label': 'Legend' }, [
      el('li', null, [el('span', { className: 'ws-key ws-r-source', text: 'source' }), ' who is speaking \u2014 solid underline']),
      el('li', null, [el('span', { className: 'ws-key ws-r-cue', text: 'cue' }), ' the attributing words \u2014 double underline, bold']),
      el('li', null, [el('span', { className: 'ws-key ws-r-content', text: 'content' }), ' what was said \u2014 dotted underline']),
      el('li', null, [el('span', { className: 'ws-key ws-r-content ws-d2', text: 'nested' }), ' content inside content \u2014 darker']),
      el('li', null, [el('span', { className: 'ws-key ws-key-sel', text: 'selected' }), ' the attribution shown in the panel \u2014 outlined']),
    ]),
  );

  // The article text, cut into segments.
  const article = el('article', { className: 'ws-text', 'aria-label': 'Article text' });
  segs.forEach((seg, i) => {
    const piece = text.slice(seg.start, seg.end);
    if (!seg.marks.length) {
      article.appendChild(document.createTextNode(piece));
      return;
    }
    const roles = new Set<Role>();
    const contentIds = new Set<string>();
    const ids: string[] = [];
    for (const m of seg.marks) {
      roles.add(m.role);
      if (m.role === 'content') contentIds.add(m.id);
      if (!ids.includes(m.id)) ids.push(m.id);
    }
    const outer = el('span', { className: 'ws-seg', 'data-seg': i, title: seg.marks.map((m) => m.id + ' ' + m.role).join(', ') });
    let inner: HTMLElement = outer;
    for (const role of ROLES) {
      if (!roles.has(role)) continue;
      let cls = 'ws-r-' + role;
      if (role === 'content' && contentIds.size > 1) cls += contentIds.size > 2 ? ' ws-d3' : ' ws-d2';
      const layer = el('span', { className: cls });
      inner.appendChild(layer);
      inner = layer;
    }
    inner.appendChild(document.createTextNode(piece));
    if (roles.has('cue')) {
      outer.setAttribute('tabindex', '0');
      outer.setAttribute('role', 'button');
    }
    for (const id of ids) {
      let list = segEls.get(id);
      if (!list) segEls.set(id, (list = []));
      list.push(outer);
    }
    article.appendChild(outer);
  });
  if (!text) article.appendChild(el('p', { className: 'ws-hint', text: 'The analysed text is not available, so passages cannot be marked; the panels list them.' }));

  // Side panels.
  const details = el('section', { className: 'ws-details', 'aria-live': 'polite', 'aria-label': 'Selected attribution' }, [
    el('h2', { text: 'Attribution' }),
    el('p', { className: 'ws-hint', text: atts.length ? 'Click a marked passage (or a link below) to see who said it.' : 'No attributions were found in this text.' }),
  ]);
  const side = el('aside', { className: 'ws-side' }, [details, profilePanel(), speakersPanel(), listPanel()]);
  container.appendChild(el('div', { className: 'ws-layout' }, [article, side]));

  function attrLink(id: string, label?: string): HTMLAnchorElement {
    return el('a', { href: '#ws-' + encodeURIComponent(id), className: 'ws-alink', 'data-attr': id, text: label || id });
  }

  function speakerLabel(entity: Entity): string {
    return entity.name + ' (' + (TYPE_LABEL[entity.type] || entity.type || 'unknown') + ')';
  }

  /** The speaker's name: a link to its corpus page when the caller offers one. */
  function speakerName(e: Entity): HTMLElement {
    const href = options.speakerHref ? options.speakerHref(String(e.id)) : null;
    return href
      ? el('a', { className: 'ws-speaker-name ws-corpus-link', href, text: String(e.name), title: 'all passages of this speaker in the corpus' })
      : el('span', { className: 'ws-speaker-name', text: String(e.name) });
  }

  function profilePanel(): HTMLElement {
    const n = Number(profile.attributions != null ? profile.attributions : atts.length) || 0;
    const rows: [string, string][] = [
      ['Attributions', String(n)],
      ['Distinct speakers', String(nSpeakers)],
      ['Named', profile.named != null ? profile.named + ' (' + pct(profile.named, n) + ')' : '\u2013'],
      ['Anonymous', profile.anonymous != null ? profile.anonymous + ' (' + pct(profile.anonymous, n) + ')' : '\u2013'],
      ['Unattributed', profile.unattributed != null ? profile.unattributed + ' (' + pct(profile.unattributed, n) + ')' : '\u2013'],
      ['Headline is a question', profile.headlineQuestion ? 'yes' : 'no'],
    ];
    for (const [k, v] of Object.entries(profile)) {
      if (KNOWN_PROFILE.has(k)) continue;
      if (typeof v === 'number') rows.push([humanize(k), Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000)]);
      else if (typeof v === 'string') rows.push([humanize(k), v]);
      else if (typeof v === 'boolean') rows.push([humanize(k), v ? 'yes' : 'no']);
    }
    const dl = el('dl', { className: 'ws-facts' });
    for (const r of rows) dl.append(el('dt', { text: r[0] }), el('dd', { text: r[1] }));
    const flags: ProfileFlag[] = Array.isArray(profile.flags) ? profile.flags : [];
    const list = el('ul', { className: 'ws-flags' });
    for (const f of flags) {
      const ids = Array.isArray(f.attributions) ? f.attributions.map(String) : [];
      const show = el('button', { type: 'button', className: 'ws-flag-show', text: 'Show ' + plural(ids.length, 'passage', 'passages') });
      show.addEventListener('click', () => highlight(ids));
      const links = el('span', { className: 'ws-flag-links' });
      for (const id of ids) links.append(attrLink(id), ' ');
      list.appendChild(
        el('li', { className: 'ws-flag' }, [
          el('strong', { className: 'ws-flag-code', text: String(f.code || 'flag') }), ' ',
          el('span', { text: String(f.message || '') }), ' ',
          ids.length ? show : null, ' ', links,
        ]),
      );
    }
    const top: TopSpeaker[] = Array.isArray(profile.topSpeakers) ? (profile.topSpeakers as TopSpeaker[]) : [];
    const topList = el('ol', { className: 'ws-top' });
    for (const t of top) {
      const ids = Array.isArray(t.attributions) ? t.attributions.map(String) : [];
      const show = el('a', { href: '#ws-' + encodeURIComponent(String(t.entity)), 'data-entity': String(t.entity), text: String(t.name) });
      topList.appendChild(
        el('li', null, [show, ' ' + (TYPE_LABEL[String(t.type)] || String(t.type || '')) + ' \u00b7 ' + Number(t.words || 0) + ' words \u00b7 ' + plural(ids.length, 'attribution', 'attributions')]),
      );
    }
    return el('section', { className: 'ws-profile' }, [
      el('h2', { text: 'Sourcing profile' }), dl,
      top.length ? el('h3', { text: 'Top speakers (by words attributed)' }) : null, top.length ? topList : null,
      el('h3', { text: 'Flags' }),
      flags.length ? list : el('p', { className: 'ws-hint', text: 'No flags raised.' }),
    ]);
  }

  function passageList(items: { attribution: Attribution; note: string }[]): HTMLElement {
    const ul = el('ul', { className: 'ws-passages' });
    for (const it of items) {
      const a = it.attribution;
      const link = attrLink(String(a.id), truncate(a.content?.text, 140) || String(a.id));
      ul.appendChild(el('li', null, [link, it.note ? el('span', { className: 'ws-note', text: ' ' + it.note }) : null]));
    }
    return ul;
  }

  function speakersPanel(): HTMLElement {
    const section = el('section', { className: 'ws-speakers' }, [el('h2', { text: 'Speakers' })]);
    for (const e of ents) {
      const id = String(e.id);
      const items: { attribution: Attribution; note: string }[] = [];
      for (const a of atts) {
        if (a.speaker === id) items.push({ attribution: a, note: a.hedged ? '(hedged)' : '' });
        else if (Array.isArray(a.via) && a.via.includes(id)) items.push({ attribution: a, note: '(relayed)' });
      }
      const card = el('div', { className: 'ws-speaker', id: 'ws-' + id, 'data-entity': id }, [
        el('h3', null, [
          speakerName(e), ' ',
          el('span', { className: 'ws-badge ws-type-' + String(e.type), text: TYPE_LABEL[e.type] || String(e.type) }),
          e.anonymous && e.type !== 'anonymous' ? el('span', { className: 'ws-badge ws-type-anonymous', text: 'anonymous' }) : null,
        ]),
      ]);
      if (Array.isArray(e.descriptors) && e.descriptors.length) card.appendChild(el('p', { className: 'ws-desc', text: 'Described as: ' + e.descriptors.join('; ') }));
      const aliases = Array.isArray(e.aliases) ? e.aliases.filter((x) => x !== e.name) : [];
      if (aliases.length) card.appendChild(el('p', { className: 'ws-desc', text: 'Also: ' + aliases.join('; ') }));
      if (Array.isArray(e.mentions)) card.appendChild(el('p', { className: 'ws-desc', text: plural(e.mentions.length, 'mention', 'mentions') }));
      card.appendChild(items.length ? passageList(items) : el('p', { className: 'ws-hint', text: 'No attributed passages.' }));
      const search = options.speakerSearch;
      if (typeof search === 'function') {
        const b = el('button', { type: 'button', className: 'ws-speaker-search', text: 'Search the corpus' });
        b.addEventListener('click', () => search(String(e.name)));
        card.appendChild(b);
      }
      section.appendChild(card);
    }
    // Attributions not resolved to a speaker, grouped by their source text.
    const groups = new Map<string, { label: string; items: { attribution: Attribution; note: string }[] }>();
    for (const a of atts) {
      if (a.speaker) continue;
      const key = a.source && a.source.text ? a.source.text : '';
      const k = key.toLowerCase();
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { label: key, items: [] }));
      g.items.push({ attribution: a, note: a.hedged ? '(hedged)' : '' });
    }
    if (groups.size) {
      if (!ents.length) section.appendChild(el('p', { className: 'ws-hint', text: 'No speakers were resolved; sources are grouped by their words.' }));
      for (const g of groups.values()) {
        section.appendChild(
          el('div', { className: 'ws-speaker ws-unresolved' }, [
            el('h3', null, [
              el('span', { className: 'ws-speaker-name', text: g.label ? quoted(g.label) : 'No source' }), ' ',
              el('span', { className: 'ws-badge ws-type-unresolved', text: g.label ? 'not resolved' : 'unattributed' }),
            ]),
            passageList(g.items),
          ]),
        );
      }
    } else if (!ents.length) {
      section.appendChild(el('p', { className: 'ws-hint', text: 'No speakers.' }));
    }
    return section;
  }

  function listPanel(): HTMLElement {
    const ol = el('ol', { className: 'ws-all' });
    for (const a of atts) {
      ol.appendChild(
        el('li', null, [
          attrLink(String(a.id)), ' ',
          el('span', { className: 'ws-badge', text: String(a.kind) }), ' ',
          el('span', { text: (a.source ? truncate(a.source.text, 40) : '(no source)') + ' \u2014 ' + truncate(a.cue?.text, 30) + ' \u2014 ' + truncate(a.content?.text, 80) }),
        ]),
      );
    }
    return el('details', { className: 'ws-list' }, [el('summary', { text: 'All attributions (' + atts.length + ')' }), ol]);
  }

  function row(dl: HTMLElement, label: string, value: Child | Child[], cls?: string): void {
    dl.appendChild(el('dt', { text: label }));
    const dd = el('dd', cls ? { className: cls } : null, Array.isArray(value) ? value : [value]);
    dl.appendChild(dd);
  }

  function spanText(ref: Attribution['source']): string {
    if (!ref) return '\u2013';
    const where = Array.isArray(ref.spans) ? ref.spans.map((r) => r[0] + '\u2013' + r[1]).join(', ') : '';
    return quoted(String(ref.text)) + (where ? '  [' + where + ']' : '');
  }

  function showDetails(a: Attribution, alternatives?: string[]): void {
    const id = String(a.id);
    const nodes: Node[] = [el('h2', null, ['Attribution ', el('span', { className: 'ws-aid', text: id })])];
    if (alternatives && alternatives.length > 1) {
      const note = el('p', { className: 'ws-hint' }, ['This passage belongs to ' + alternatives.length + ' attributions: ']);
      for (const x of alternatives) note.append(attrLink(x), ' ');
      note.append('(click it again for the next)');
      nodes.push(note);
    }
    const dl = el('dl', { className: 'ws-facts' });
    const speaker = a.speaker != null ? entById.get(String(a.speaker)) : undefined;
    if (speaker) {
      const sp = el('a', { href: '#ws-' + encodeURIComponent(String(speaker.id)), className: 'ws-slink', 'data-entity': String(speaker.id), text: speakerLabel(speaker) });
      const extra = Array.isArray(speaker.descriptors) && speaker.descriptors.length ? ' \u2014 ' + speaker.descriptors.join('; ') : '';
      const href = options.speakerHref ? options.speakerHref(String(speaker.id)) : null;
      row(dl, 'Speaker', [sp, extra, href ? ' ' : null, href ? el('a', { href, className: 'ws-corpus-link', text: 'in the corpus' }) : null], 'ws-dd-speaker');
    } else if (a.source) {
      row(dl, 'Speaker', quoted(String(a.source.text)) + ' (not resolved to an entity)', 'ws-dd-speaker');
    } else {
      row(dl, 'Speaker', 'none \u2014 unattributed', 'ws-dd-speaker');
    }
    const via = Array.isArray(a.via) ? a.via : [];
    row(dl, 'Relayed by', via.length ? via.map((v) => { const e = entById.get(String(v)); return e ? speakerLabel(e) : String(v); }).join(', then ') : 'no one (first-hand)', 'ws-dd-via');
    row(dl, 'Kind', KIND_LABEL[a.kind] || String(a.kind), 'ws-dd-kind');
    row(dl, 'Hedged', a.hedged ? 'yes \u2014 the writer keeps a distance' : 'no', 'ws-dd-hedged');
    const conf = Number(a.confidence);
    const meter = el('meter', { min: 0, max: 1, value: Number.isFinite(conf) ? conf : 0, 'aria-hidden': 'true' });
    row(dl, 'Confidence', [Number.isFinite(conf) ? Math.round(conf * 100) + '% ' : 'unknown ', meter], 'ws-dd-confidence');
    row(dl, 'Source', spanText(a.source), 'ws-dd-source');
    row(dl, 'Cue', spanText(a.cue), 'ws-dd-cue');
    row(dl, 'Content', spanText(a.content), 'ws-dd-content');
    if (a.parent) row(dl, 'Inside', attrLink(String(a.parent)), 'ws-dd-parent');
    const children = atts.filter((c) => c.parent === a.id);
    if (children.length) row(dl, 'Holds', children.map((c) => attrLink(String(c.id))), 'ws-dd-children');
    nodes.push(dl);
    details.replaceChildren(...nodes);
  }

  function clearClass(cls: string): void {
    container.querySelectorAll('.' + cls).forEach((n) => n.classList.remove(cls));
  }

  function scrollTo(node: Element | null | undefined): void {
    if (node && typeof node.scrollIntoView === 'function') node.scrollIntoView({ block: 'center', behavior: 'smooth' });
  }

  function select(idIn: string, opts: SelectOptions = {}): boolean {
    const id = String(idIn);
    const a = byId.get(id);
    if (!a) return false;
    clearClass('ws-sel');
    clearClass('ws-hit');
    for (const n of segEls.get(id) ?? []) n.classList.add('ws-sel');
    state.selected = id;
    showDetails(a, opts.alternatives);
    if (opts.scroll) scrollTo((segEls.get(id) ?? [])[0]);
    options.onSelect?.(id);
    return true;
  }

  function highlight(ids: string[]): void {
    clearClass('ws-hit');
    let first: HTMLElement | null = null;
    for (const id of ids) {
      for (const n of segEls.get(id) ?? []) {
        n.classList.add('ws-hit');
        first ??= n;
      }
    }
    scrollTo(first);
  }

  function segClicked(node: Element): void {
    const i = Number(node.getAttribute('data-seg'));
    const seg = segs[i];
    if (!seg) return;
    const ranked = seg.marks.slice().sort(
      (x, y) => ROLE_RANK[x.role] - ROLE_RANK[y.role] || spanLength(byId.get(x.id)?.content) - spanLength(byId.get(y.id)?.content),
    );
    const ids: string[] = [];
    for (const m of ranked) if (!ids.includes(m.id)) ids.push(m.id);
    state.cycle = state.lastSeg === i ? state.cycle + 1 : 0;
    state.lastSeg = i;
    select(ids[state.cycle % ids.length], { alternatives: ids });
  }

  const closest = (ev: Event, selector: string): Element | null => {
    const t = ev.target as Element | null;
    return t && typeof t.closest === 'function' ? t.closest(selector) : null;
  };
  article.addEventListener('click', (ev) => {
    const node = closest(ev, '.ws-seg');
    if (node) segClicked(node);
  });
  article.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter' && ev.key !== ' ') return;
    const node = closest(ev, '.ws-seg');
    if (node) {
      ev.preventDefault();
      segClicked(node);
    }
  });
  side.addEventListener('click', (ev) => {
    const link = closest(ev, 'a[data-attr], a[data-entity]');
    if (!link) return;
    ev.preventDefault();
    const attr = link.getAttribute('data-attr');
    if (attr !== null) select(attr, { scroll: true });
    else scrollTo(container.querySelector('.ws-speaker[data-entity="' + CSS.escape(link.getAttribute('data-entity') ?? '') + '"]'));
  });

  return { select, highlight, segments: segs };
}
