/**
 * The attribution view, as browser JavaScript: one renderer shared by the self-contained HTML report
 * (inlined, with a CSP hash) and the web page (served as /assets/view.js).
 *
 * Safety: article text only ever reaches the DOM through `textContent` / text nodes and `setAttribute`
 * on non-URL attributes; nothing here assigns `innerHTML`. Links are in-page (`#ws-…`) only.
 *
 * Overlaps: every span boundary of every attribution (source, cue, content) cuts the text into
 * segments; each segment carries the set of (attribution, role) marks covering it, so a source inside
 * another attribution's content, or a nested attribution, shows both. A segment nests one element per
 * role (content > source > cue) so each role keeps its own underline and tint.
 *
 * Exposes `window.WhosaidView = { segments(text, attributions), render(container, analysis, text?, options?) }`.
 * Kept free of backticks and dollar-brace so it can live in this String.raw literal.
 */
export const VIEW_JS = String.raw`(function (global) {
  'use strict';
  var ROLES = ['content', 'source', 'cue'];
  var ROLE_RANK = { cue: 0, source: 1, content: 2 };
  var TYPE_LABEL = { person: 'person', organization: 'organization', media: 'media outlet', anonymous: 'anonymous', other: 'other', unresolved: 'unresolved' };
  var KIND_LABEL = { direct: 'direct (in quotation marks)', indirect: 'indirect (paraphrase)', mixed: 'mixed (partly quoted)' };
  var KNOWN_PROFILE = { attributions: 1, speakers: 1, named: 1, anonymous: 1, unattributed: 1, headlineQuestion: 1, flags: 1, topSpeakers: 1 };

  /** Cuts [0, text.length) at every span boundary; each segment lists the marks covering it. */
  function segments(text, attributions) {
    var n = text.length;
    var starts = new Map();
    var bounds = [0, n];
    (attributions || []).forEach(function (a, index) {
      ROLES.forEach(function (role) {
        var ref = a && a[role];
        if (!ref || !Array.isArray(ref.spans)) return;
        ref.spans.forEach(function (r) {
          var s = Math.max(0, Math.min(n, Number(r[0]) || 0));
          var e = Math.max(0, Math.min(n, Number(r[1]) || 0));
          if (e <= s) return;
          bounds.push(s, e);
          if (!starts.has(s)) starts.set(s, []);
          starts.get(s).push({ end: e, mark: { id: String(a.id), role: role, index: index } });
        });
      });
    });
    bounds = Array.from(new Set(bounds)).sort(function (x, y) { return x - y; });
    var out = [];
    var active = [];
    for (var i = 0; i + 1 < bounds.length; i++) {
      var b0 = bounds[i], b1 = bounds[i + 1];
      active = active.filter(function (x) { return x.end > b0; });
      (starts.get(b0) || []).forEach(function (x) { active.push(x); });
      out.push({ start: b0, end: b1, marks: active.map(function (x) { return x.mark; }) });
    }
    return out;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') node.textContent = String(v);
        else if (k === 'className') node.className = v;
        else node.setAttribute(k, v === true ? '' : String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function truncate(s, max) {
    s = String(s || '').replace(/\s+/g, ' ').trim();
    return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
  }

  function quoted(s) { return '\u201c' + s + '\u201d'; }

  function pct(part, whole) { return whole ? Math.round((100 * part) / whole) + '%' : '\u2013'; }

  function spanLength(ref) {
    if (!ref || !Array.isArray(ref.spans)) return 0;
    return ref.spans.reduce(function (n, r) { return n + Math.max(0, r[1] - r[0]); }, 0);
  }

  function humanize(key) {
    return String(key).replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_]+/g, ' ').replace(/^./, function (c) { return c.toUpperCase(); });
  }

  function render(container, analysis, text, options) {
    options = options || {};
    analysis = analysis || {};
    var doc = analysis.document || {};
    if (typeof text !== 'string') text = typeof doc.text === 'string' ? doc.text : '';
    var atts = Array.isArray(analysis.attributions) ? analysis.attributions : [];
    var ents = Array.isArray(analysis.entities) ? analysis.entities : [];
    var profile = analysis.profile || {};
    var byId = new Map();
    atts.forEach(function (a) { byId.set(String(a.id), a); });
    var entById = new Map();
    ents.forEach(function (e) { entById.set(String(e.id), e); });
    var segEls = new Map();
    var segs = segments(text, atts);
    var state = { selected: null, lastSeg: -1, cycle: 0, hits: [] };

    container.replaceChildren();
    container.classList.add('ws-view');

    // Header and legend.
    var meta = [];
    if (doc.id) meta.push(String(doc.id));
    meta.push(text.length.toLocaleString('en') + ' characters');
    meta.push(atts.length + (atts.length === 1 ? ' attribution' : ' attributions'));
    var nSpeakers = speakerCount();
    if (nSpeakers) meta.push(nSpeakers + (nSpeakers === 1 ? ' speaker' : ' speakers'));
    container.appendChild(el('header', { className: 'ws-head' }, [
      el('h1', { className: 'ws-title', text: doc.title ? String(doc.title) : 'Untitled article' }),
      el('p', { className: 'ws-meta', text: meta.join(' \u00b7 ') }),
    ]));
    container.appendChild(el('ul', { className: 'ws-legend', 'aria-label': 'Legend' }, [
      el('li', null, [el('span', { className: 'ws-key ws-r-source', text: 'source' }), ' who is speaking \u2014 solid underline']),
      el('li', null, [el('span', { className: 'ws-key ws-r-cue', text: 'cue' }), ' the attributing words \u2014 double underline, bold']),
      el('li', null, [el('span', { className: 'ws-key ws-r-content', text: 'content' }), ' what was said \u2014 dotted underline']),
      el('li', null, [el('span', { className: 'ws-key ws-r-content ws-d2', text: 'nested' }), ' content inside content \u2014 darker']),
      el('li', null, [el('span', { className: 'ws-key ws-key-sel', text: 'selected' }), ' the attribution shown in the panel \u2014 outlined']),
    ]));

    // The article text, cut into segments.
    var article = el('article', { className: 'ws-text', 'aria-label': 'Article text' });
    segs.forEach(function (seg, i) {
      var piece = text.slice(seg.start, seg.end);
      if (!seg.marks.length) { article.appendChild(document.createTextNode(piece)); return; }
      var roles = {};
      var contentIds = new Set();
      var ids = [];
      seg.marks.forEach(function (m) {
        roles[m.role] = true;
        if (m.role === 'content') contentIds.add(m.id);
        if (ids.indexOf(m.id) < 0) ids.push(m.id);
      });
      var outer = el('span', {
        className: 'ws-seg',
        'data-seg': i,
        title: seg.marks.map(function (m) { return m.id + ' ' + m.role; }).join(', '),
      });
      var inner = outer;
      ROLES.forEach(function (role) {
        if (!roles[role]) return;
        var cls = 'ws-r-' + role;
        if (role === 'content' && contentIds.size > 1) cls += contentIds.size > 2 ? ' ws-d3' : ' ws-d2';
        var layer = el('span', { className: cls });
        inner.appendChild(layer);
        inner = layer;
      });
      inner.appendChild(document.createTextNode(piece));
      if (roles.cue) {
        outer.setAttribute('tabindex', '0');
        outer.setAttribute('role', 'button');
      }
      ids.forEach(function (id) {
        if (!segEls.has(id)) segEls.set(id, []);
        segEls.get(id).push(outer);
      });
      article.appendChild(outer);
    });
    if (!text) article.appendChild(el('p', { className: 'ws-hint', text: 'The analysed text is not available, so passages cannot be marked; the panels list them.' }));

    // Side panels.
    var details = el('section', { className: 'ws-details', 'aria-live': 'polite', 'aria-label': 'Selected attribution' }, [
      el('h2', { text: 'Attribution' }),
      el('p', { className: 'ws-hint', text: atts.length ? 'Click a marked passage (or a link below) to see who said it.' : 'No attributions were found in this text.' }),
    ]);
    var side = el('aside', { className: 'ws-side' }, [details, profilePanel(), speakersPanel(), listPanel()]);
    container.appendChild(el('div', { className: 'ws-layout' }, [article, side]));

    function attrLink(id, label) {
      var a = el('a', { href: '#ws-' + encodeURIComponent(id), className: 'ws-alink', 'data-attr': id, text: label || id });
      return a;
    }

    // The profile's count (src/profile countSpeakers): entities that speak in some attribution; relays
    // and mere mentions are not speakers. Recomputed the same way for analyses without it.
    function speakerCount() {
      if (typeof profile.speakers === 'number') return profile.speakers;
      var seen = new Set();
      atts.forEach(function (a) { if (a.speaker) seen.add(String(a.speaker)); });
      return seen.size;
    }

    function speakerLabel(entity) {
      return entity.name + ' (' + (TYPE_LABEL[entity.type] || entity.type || 'unknown') + ')';
    }

    function profilePanel() {
      var n = Number(profile.attributions != null ? profile.attributions : atts.length) || 0;
      var rows = [
        ['Attributions', String(n)],
        ['Distinct speakers', String(speakerCount())],
        ['Named', profile.named != null ? profile.named + ' (' + pct(profile.named, n) + ')' : '\u2013'],
        ['Anonymous', profile.anonymous != null ? profile.anonymous + ' (' + pct(profile.anonymous, n) + ')' : '\u2013'],
        ['Unattributed', profile.unattributed != null ? profile.unattributed + ' (' + pct(profile.unattributed, n) + ')' : '\u2013'],
        ['Headline is a question', profile.headlineQuestion ? 'yes' : 'no'],
      ];
      Object.keys(profile).forEach(function (k) {
        if (KNOWN_PROFILE[k]) return;
        var v = profile[k];
        if (typeof v === 'number') rows.push([humanize(k), Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000)]);
        else if (typeof v === 'string') rows.push([humanize(k), v]);
        else if (typeof v === 'boolean') rows.push([humanize(k), v ? 'yes' : 'no']);
      });
      var dl = el('dl', { className: 'ws-facts' });
      rows.forEach(function (r) { dl.appendChild(el('dt', { text: r[0] })); dl.appendChild(el('dd', { text: r[1] })); });
      var flags = Array.isArray(profile.flags) ? profile.flags : [];
      var list = el('ul', { className: 'ws-flags' });
      flags.forEach(function (f) {
        var ids = Array.isArray(f.attributions) ? f.attributions.map(String) : [];
        var show = el('button', { type: 'button', className: 'ws-flag-show', text: 'Show ' + ids.length + (ids.length === 1 ? ' passage' : ' passages') });
        show.addEventListener('click', function () { highlight(ids); });
        var links = el('span', { className: 'ws-flag-links' });
        ids.forEach(function (id) { links.appendChild(attrLink(id)); links.appendChild(document.createTextNode(' ')); });
        list.appendChild(el('li', { className: 'ws-flag' }, [
          el('strong', { className: 'ws-flag-code', text: String(f.code || 'flag') }), ' ',
          el('span', { text: String(f.message || '') }), ' ',
          ids.length ? show : null, ' ', links,
        ]));
      });
      var top = Array.isArray(profile.topSpeakers) ? profile.topSpeakers : [];
      var topList = el('ol', { className: 'ws-top' });
      top.forEach(function (t) {
        var ids = Array.isArray(t.attributions) ? t.attributions.map(String) : [];
        var show = el('a', { href: '#ws-' + encodeURIComponent(String(t.entity)), 'data-entity': String(t.entity), text: String(t.name) });
        topList.appendChild(el('li', null, [show, ' ' + (TYPE_LABEL[t.type] || String(t.type || '')) + ' \u00b7 ' + Number(t.words || 0) + ' words \u00b7 ' + ids.length + (ids.length === 1 ? ' attribution' : ' attributions')]));
      });
      return el('section', { className: 'ws-profile' }, [
        el('h2', { text: 'Sourcing profile' }), dl,
        top.length ? el('h3', { text: 'Top speakers (by words attributed)' }) : null, top.length ? topList : null,
        el('h3', { text: 'Flags' }),
        flags.length ? list : el('p', { className: 'ws-hint', text: 'No flags raised.' }),
      ]);
    }

    function passageList(items) {
      var ul = el('ul', { className: 'ws-passages' });
      items.forEach(function (it) {
        var a = it.attribution;
        var link = attrLink(String(a.id), truncate(a.content && a.content.text, 140) || String(a.id));
        ul.appendChild(el('li', null, [link, it.note ? el('span', { className: 'ws-note', text: ' ' + it.note }) : null]));
      });
      return ul;
    }

    function speakersPanel() {
      var section = el('section', { className: 'ws-speakers' }, [el('h2', { text: 'Speakers' })]);
      ents.forEach(function (e) {
        var id = String(e.id);
        var items = [];
        atts.forEach(function (a) {
          if (a.speaker === id) items.push({ attribution: a, note: a.hedged ? '(hedged)' : '' });
          else if (Array.isArray(a.via) && a.via.indexOf(id) >= 0) items.push({ attribution: a, note: '(relayed)' });
        });
        var card = el('div', { className: 'ws-speaker', id: 'ws-' + id, 'data-entity': id }, [
          el('h3', null, [
            el('span', { className: 'ws-speaker-name', text: String(e.name) }), ' ',
            el('span', { className: 'ws-badge ws-type-' + String(e.type), text: TYPE_LABEL[e.type] || String(e.type) }),
            e.anonymous && e.type !== 'anonymous' ? el('span', { className: 'ws-badge ws-type-anonymous', text: 'anonymous' }) : null,
          ]),
        ]);
        if (Array.isArray(e.descriptors) && e.descriptors.length) card.appendChild(el('p', { className: 'ws-desc', text: 'Described as: ' + e.descriptors.join('; ') }));
        var aliases = Array.isArray(e.aliases) ? e.aliases.filter(function (x) { return x !== e.name; }) : [];
        if (aliases.length) card.appendChild(el('p', { className: 'ws-desc', text: 'Also: ' + aliases.join('; ') }));
        if (Array.isArray(e.mentions)) card.appendChild(el('p', { className: 'ws-desc', text: e.mentions.length + (e.mentions.length === 1 ? ' mention' : ' mentions') }));
        card.appendChild(items.length ? passageList(items) : el('p', { className: 'ws-hint', text: 'No attributed passages.' }));
        if (typeof options.speakerSearch === 'function') {
          var search = el('button', { type: 'button', className: 'ws-speaker-search', text: 'Search the corpus' });
          search.addEventListener('click', function () { options.speakerSearch(String(e.name)); });
          card.appendChild(search);
        }
        section.appendChild(card);
      });
      // Attributions not resolved to a speaker, grouped by their source text.
      var groups = new Map();
      atts.forEach(function (a) {
        if (a.speaker) return;
        var key = a.source && a.source.text ? a.source.text : '';
        var k = key.toLowerCase();
        if (!groups.has(k)) groups.set(k, { label: key, items: [] });
        groups.get(k).items.push({ attribution: a, note: a.hedged ? '(hedged)' : '' });
      });
      if (groups.size) {
        if (!ents.length) section.appendChild(el('p', { className: 'ws-hint', text: 'No speakers were resolved; sources are grouped by their words.' }));
        groups.forEach(function (g) {
          section.appendChild(el('div', { className: 'ws-speaker ws-unresolved' }, [
            el('h3', null, [
              el('span', { className: 'ws-speaker-name', text: g.label ? quoted(g.label) : 'No source' }), ' ',
              el('span', { className: 'ws-badge ws-type-unresolved', text: g.label ? 'not resolved' : 'unattributed' }),
            ]),
            passageList(g.items),
          ]));
        });
      } else if (!ents.length) {
        section.appendChild(el('p', { className: 'ws-hint', text: 'No speakers.' }));
      }
      return section;
    }

    function listPanel() {
      var ol = el('ol', { className: 'ws-all' });
      atts.forEach(function (a) {
        ol.appendChild(el('li', null, [
          attrLink(String(a.id)), ' ',
          el('span', { className: 'ws-badge', text: String(a.kind) }), ' ',
          el('span', { text: (a.source ? truncate(a.source.text, 40) : '(no source)') + ' \u2014 ' + truncate(a.cue && a.cue.text, 30) + ' \u2014 ' + truncate(a.content && a.content.text, 80) }),
        ]));
      });
      return el('details', { className: 'ws-list' }, [el('summary', { text: 'All attributions (' + atts.length + ')' }), ol]);
    }

    function row(dl, label, value, cls) {
      dl.appendChild(el('dt', { text: label }));
      var dd = el('dd', cls ? { className: cls } : null);
      (Array.isArray(value) ? value : [value]).forEach(function (v) {
        if (v === null || v === undefined) return;
        dd.appendChild(typeof v === 'string' ? document.createTextNode(v) : v);
      });
      dl.appendChild(dd);
    }

    function spanText(ref) {
      if (!ref) return '\u2013';
      var where = Array.isArray(ref.spans) ? ref.spans.map(function (r) { return r[0] + '\u2013' + r[1]; }).join(', ') : '';
      return quoted(String(ref.text)) + (where ? '  [' + where + ']' : '');
    }

    function showDetails(a, alternatives) {
      var id = String(a.id);
      var heading = el('h2', null, ['Attribution ', el('span', { className: 'ws-aid', text: id })]);
      var nodes = [heading];
      if (alternatives && alternatives.length > 1) {
        var note = el('p', { className: 'ws-hint' }, ['This passage belongs to ' + alternatives.length + ' attributions: ']);
        alternatives.forEach(function (x) { note.appendChild(attrLink(x)); note.appendChild(document.createTextNode(' ')); });
        note.appendChild(document.createTextNode('(click it again for the next)'));
        nodes.push(note);
      }
      var dl = el('dl', { className: 'ws-facts' });
      var speaker = a.speaker != null ? entById.get(String(a.speaker)) : null;
      if (speaker) {
        var sp = el('a', { href: '#ws-' + encodeURIComponent(String(speaker.id)), className: 'ws-slink', 'data-entity': String(speaker.id), text: speakerLabel(speaker) });
        var extra = Array.isArray(speaker.descriptors) && speaker.descriptors.length ? ' \u2014 ' + speaker.descriptors.join('; ') : '';
        row(dl, 'Speaker', [sp, extra], 'ws-dd-speaker');
      } else if (a.source) {
        row(dl, 'Speaker', quoted(String(a.source.text)) + ' (not resolved to an entity)', 'ws-dd-speaker');
      } else {
        row(dl, 'Speaker', 'none \u2014 unattributed', 'ws-dd-speaker');
      }
      var via = Array.isArray(a.via) ? a.via : [];
      row(dl, 'Relayed by', via.length ? via.map(function (v) { var e = entById.get(String(v)); return e ? speakerLabel(e) : String(v); }).join(', then ') : 'no one (first-hand)', 'ws-dd-via');
      row(dl, 'Kind', KIND_LABEL[a.kind] || String(a.kind), 'ws-dd-kind');
      row(dl, 'Hedged', a.hedged ? 'yes \u2014 the writer keeps a distance' : 'no', 'ws-dd-hedged');
      var conf = Number(a.confidence);
      var meter = el('meter', { min: 0, max: 1, value: isFinite(conf) ? conf : 0, 'aria-hidden': 'true' });
      row(dl, 'Confidence', [isFinite(conf) ? Math.round(conf * 100) + '% ' : 'unknown ', meter], 'ws-dd-confidence');
      row(dl, 'Source', spanText(a.source), 'ws-dd-source');
      row(dl, 'Cue', spanText(a.cue), 'ws-dd-cue');
      row(dl, 'Content', spanText(a.content), 'ws-dd-content');
      if (a.parent) row(dl, 'Inside', attrLink(String(a.parent)), 'ws-dd-parent');
      var children = atts.filter(function (c) { return c.parent === a.id; });
      if (children.length) row(dl, 'Holds', children.map(function (c) { return attrLink(String(c.id)); }), 'ws-dd-children');
      nodes.push(dl);
      details.replaceChildren.apply(details, nodes);
    }

    function clearClass(cls) {
      container.querySelectorAll('.' + cls).forEach(function (n) { n.classList.remove(cls); });
    }

    function scrollTo(node) {
      if (node && node.scrollIntoView) node.scrollIntoView({ block: 'center', behavior: 'smooth' });
    }

    function select(id, opts) {
      opts = opts || {};
      id = String(id);
      var a = byId.get(id);
      if (!a) return false;
      clearClass('ws-sel');
      clearClass('ws-hit');
      (segEls.get(id) || []).forEach(function (n) { n.classList.add('ws-sel'); });
      state.selected = id;
      showDetails(a, opts.alternatives);
      if (opts.scroll) scrollTo((segEls.get(id) || [])[0]);
      if (typeof options.onSelect === 'function') options.onSelect(id);
      return true;
    }

    function highlight(ids) {
      clearClass('ws-hit');
      var first = null;
      ids.forEach(function (id) {
        (segEls.get(id) || []).forEach(function (n) { n.classList.add('ws-hit'); if (!first) first = n; });
      });
      scrollTo(first);
    }

    function segClicked(node) {
      var i = Number(node.getAttribute('data-seg'));
      var seg = segs[i];
      if (!seg) return;
      var ranked = seg.marks.slice().sort(function (x, y) {
        return ROLE_RANK[x.role] - ROLE_RANK[y.role] ||
          spanLength(byId.get(x.id) && byId.get(x.id).content) - spanLength(byId.get(y.id) && byId.get(y.id).content);
      });
      var ids = [];
      ranked.forEach(function (m) { if (ids.indexOf(m.id) < 0) ids.push(m.id); });
      state.cycle = state.lastSeg === i ? state.cycle + 1 : 0;
      state.lastSeg = i;
      select(ids[state.cycle % ids.length], { alternatives: ids });
    }

    article.addEventListener('click', function (ev) {
      var node = ev.target && ev.target.closest ? ev.target.closest('.ws-seg') : null;
      if (node) segClicked(node);
    });
    article.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter' && ev.key !== ' ') return;
      var node = ev.target && ev.target.closest ? ev.target.closest('.ws-seg') : null;
      if (node) { ev.preventDefault(); segClicked(node); }
    });
    side.addEventListener('click', function (ev) {
      var link = ev.target && ev.target.closest ? ev.target.closest('a[data-attr], a[data-entity]') : null;
      if (!link) return;
      ev.preventDefault();
      if (link.hasAttribute('data-attr')) select(link.getAttribute('data-attr'), { scroll: true });
      else scrollTo(container.querySelector('.ws-speaker[data-entity="' + CSS.escape(link.getAttribute('data-entity')) + '"]'));
    });

    return { select: select, highlight: highlight, segments: segs };
  }

  global.WhosaidView = { segments: segments, render: render };
})(typeof window !== 'undefined' ? window : globalThis);
`;
