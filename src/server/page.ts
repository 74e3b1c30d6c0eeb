/**
 * The web page: paste or upload an article, read it in the shared attribution view
 * (../formats/html/view-js.ts); with a store, browse stored documents, search, speaker pages, and
 * "where else": a stored attribution traced across outlets (/api/trace), and the most-spread quotes.
 * No inline script or style (the CSP forbids them): the page loads /assets/view.js, /assets/app.js and
 * /assets/style.css. Everything from the network is put into the DOM as text.
 */
export function pageHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>whosaid — who said what</title>
<link rel="stylesheet" href="/assets/style.css">
<script src="/assets/view.js" defer></script>
<script src="/assets/app.js" defer></script>
</head>
<body>
<header class="ws-bar">
  <a class="ws-brand" href="#/">whosaid</a>
  <nav aria-label="Main">
    <a href="#/" id="ws-nav-analyze">Analyze</a>
    <a href="#/corpus" id="ws-nav-corpus" hidden>Corpus</a>
  </nav>
</header>
<main class="ws-main">
  <section id="ws-analyze-panel" class="ws-panel" aria-label="Analyze an article">
    <form id="ws-form" class="ws-form">
      <label for="ws-input">Article: paste plain text or HTML, or open a file</label>
      <textarea id="ws-input" name="text" rows="10" spellcheck="false" placeholder="Paste a news article here"></textarea>
      <div class="ws-row">
        <label>Headline (optional) <input id="ws-title" name="title" type="text" size="40"></label>
        <label><input id="ws-is-html" type="checkbox"> the input is HTML</label>
      </div>
      <div class="ws-row">
        <label class="ws-file">Open a .txt or .html file <input id="ws-file" type="file" accept=".txt,.html,.htm,text/plain,text/html"></label>
        <button type="button" id="ws-example">Load the example</button>
        <button type="submit" id="ws-analyze" class="ws-primary">Analyze</button>
      </div>
      <p id="ws-status" class="ws-status" role="status" aria-live="polite"></p>
    </form>
  </section>
  <section id="ws-corpus-panel" class="ws-panel" aria-label="Corpus" hidden>
    <form id="ws-search" class="ws-row">
      <label>Speaker <input id="ws-q-speaker" type="search" size="20"></label>
      <label>Words <input id="ws-q-text" type="search" size="24"></label>
      <label><input id="ws-q-anon" type="checkbox"> anonymous only</label>
      <button type="submit" class="ws-primary">Search</button>
    </form>
    <div id="ws-corpus-body"></div>
  </section>
  <div id="whosaid-view"></div>
</main>
</body>
</html>
`;
}

export const PAGE_CSS = `
body { margin: 0; background: #fafafc; color: #1d1d1f; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.ws-bar { display: flex; gap: 1.5rem; align-items: baseline; padding: 0.6rem 1.5rem; background: #1d2a3a; color: #fff; }
.ws-bar a { color: #dfe9f5; text-decoration: none; margin-right: 1rem; }
.ws-bar a:hover, .ws-bar a:focus-visible { text-decoration: underline; }
.ws-brand { font-weight: 700; font-size: 1.15rem; color: #fff !important; }
.ws-main { max-width: 82rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
.ws-panel { border: 1px solid #d9d9e0; border-radius: 6px; background: #fff; padding: 0.8rem 1rem; margin-bottom: 1.2rem; }
.ws-form { display: grid; gap: 0.5rem; }
.ws-form textarea { width: 100%; font: 0.95rem/1.45 ui-monospace, Menlo, Consolas, monospace; padding: 0.5rem; border: 1px solid #9a9aa6; border-radius: 4px; resize: vertical; }
.ws-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1.2rem; align-items: center; }
.ws-row input[type=text], .ws-row input[type=search] { font: inherit; padding: 0.2rem 0.4rem; border: 1px solid #9a9aa6; border-radius: 4px; }
.ws-main button { font: inherit; padding: 0.3rem 0.9rem; border: 1px solid #6b6b78; border-radius: 4px; background: #f3f3f7; cursor: pointer; }
.ws-main button.ws-primary { background: #1f5fa8; border-color: #1f5fa8; color: #fff; font-weight: 600; }
.ws-main button:disabled { opacity: 0.6; cursor: progress; }
.ws-status { margin: 0; min-height: 1.5em; color: #5b5b66; }
.ws-status.ws-error { color: #b00020; font-weight: 600; }
.ws-results { list-style: none; padding: 0; margin: 0.5rem 0; }
.ws-results li { border-top: 1px solid #ececf2; padding: 0.4rem 0; }
.ws-quote { font-family: Georgia, serif; }
.ws-small { color: #5b5b66; font-size: 0.85rem; }
.ws-cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 1rem; }
.ws-cols h2 { font-size: 1.05rem; margin: 0.6rem 0 0.3rem; }
.ws-trace-findings { border-left: 4px solid #b36b00; background: #fff8ec; padding: 0.3rem 0.8rem; margin: 0.5rem 0; }
.ws-trace-findings ul { margin: 0.2rem 0; padding-left: 1.2rem; }
.ws-diff ins { background: #d7f5dd; text-decoration: none; }
.ws-diff del { background: #fbdcdc; }
.ws-where { margin: 0.4rem 0; }
`;

/** The page's behaviour; rendering of an analysis is delegated to WhosaidView. */
export const APP_JS = String.raw`(function () {
  'use strict';
  var View = window.WhosaidView;
  var $ = function (id) { return document.getElementById(id); };
  var form = $('ws-form'), input = $('ws-input'), titleInput = $('ws-title'), isHtml = $('ws-is-html');
  var status = $('ws-status'), analyzeBtn = $('ws-analyze'), viewEl = $('whosaid-view');
  var health = { maxBytes: 1048576, store: null };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'text') node.textContent = String(v); else if (k === 'className') node.className = v; else node.setAttribute(k, String(v));
    });
    (children || []).forEach(function (c) { if (c !== null && c !== undefined && c !== false) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }

  function say(message, isError) {
    status.textContent = message || '';
    status.classList.toggle('ws-error', !!isError);
  }

  function api(method, url, body) {
    var init = { method: method, headers: { accept: 'application/json' } };
    if (body !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(url, init).then(function (res) {
      return res.text().then(function (t) {
        var data = null;
        try { data = t ? JSON.parse(t) : null; } catch (e) { data = null; }
        if (!res.ok) throw new Error((data && data.message) || ('the server answered ' + res.status));
        return data;
      });
    });
  }

  function showAnalysis(analysis, text) {
    View.render(viewEl, analysis, text, {
      speakerSearch: health.store ? function (name) { location.hash = '#/search?speaker=' + encodeURIComponent(name); } : null,
    });
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var value = input.value;
    if (!value.trim()) { say('Paste an article or open a file first.', true); return; }
    var size = new Blob([value]).size;
    if (size > health.maxBytes) { say('This article is ' + Math.round(size / 1024) + ' KiB, over the server limit of ' + Math.round(health.maxBytes / 1024) + ' KiB.', true); return; }
    var body = isHtml.checked ? { html: value } : { text: value, includeText: false };
    if (titleInput.value.trim()) body.title = titleInput.value.trim();
    analyzeBtn.disabled = true;
    say('Analyzing…');
    var started = performance.now();
    api('POST', '/api/analyze', body).then(function (analysis) {
      showAnalysis(analysis, isHtml.checked ? analysis.document.text : value);
      var n = analysis.attributions.length;
      say('Found ' + n + (n === 1 ? ' attribution' : ' attributions') + ' in ' + Math.round(performance.now() - started) + ' ms. Click a marked passage to see who said it.');
      if (location.hash && location.hash !== '#/') history.replaceState(null, '', '#/');
    }).catch(function (err) {
      say('Could not analyze: ' + err.message, true);
    }).then(function () { analyzeBtn.disabled = false; });
  });

  $('ws-file').addEventListener('change', function (ev) {
    var file = ev.target.files && ev.target.files[0];
    if (!file) return;
    if (file.size > health.maxBytes) { say(file.name + ' is over the server limit of ' + Math.round(health.maxBytes / 1024) + ' KiB.', true); return; }
    file.text().then(function (t) {
      input.value = t;
      isHtml.checked = /\.html?$/i.test(file.name) || /^\s*<(!doctype|html)/i.test(t);
      say('Loaded ' + file.name + '. Press Analyze.');
    });
  });

  $('ws-example').addEventListener('click', function () {
    api('GET', '/api/example').then(function (ex) {
      input.value = ex.text;
      isHtml.checked = false;
      titleInput.value = ex.title || '';
      say('Loaded the example article. Press Analyze.');
    }).catch(function (err) { say('Could not load the example: ' + err.message, true); });
  });

  // The corpus (only when the server has a store).
  var corpusPanel = $('ws-corpus-panel'), corpusBody = $('ws-corpus-body'), analyzePanel = $('ws-analyze-panel');

  function docLink(d) {
    return el('a', { href: '#/doc/' + encodeURIComponent(d.hash || d.id), text: d.title || d.id });
  }

  function hitList(hits) {
    if (!hits.length) return el('p', { className: 'ws-small', text: 'Nothing found.' });
    var ul = el('ul', { className: 'ws-results' });
    hits.forEach(function (h) {
      var a = h.attribution, sp = a.speaker;
      var who = sp ? el('a', { href: '#/speaker/' + sp.id, text: sp.name }) : el('span', { text: a.source ? a.source : '(no source)' });
      ul.appendChild(el('li', null, [
        who, ' ', el('span', { className: 'ws-small', text: a.cue }), ': ',
        el('span', { className: 'ws-quote', text: a.content }),
        el('div', { className: 'ws-small' }, [docLink(h.document), ' · ' + a.kind + (a.anonymous ? ' · anonymous' : '') + (a.hedged ? ' · hedged' : '') + ' · ' + Math.round(a.confidence * 100) + '%']),
      ]));
    });
    return ul;
  }

  function corpusHome() {
    corpusBody.replaceChildren(el('p', { className: 'ws-small', text: 'Loading…' }));
    Promise.all([api('GET', '/api/documents?limit=50'), api('GET', '/api/speakers?limit=50'), api('GET', '/api/traces?limit=20&kind=quote')]).then(function (r) {
      var docs = el('ul', { className: 'ws-results' });
      r[0].documents.forEach(function (d) {
        docs.appendChild(el('li', null, [docLink(d), el('div', { className: 'ws-small', text: [d.outlet, d.published, d.attributions + ' attributions'].filter(Boolean).join(' · ') })]));
      });
      var sps = el('ul', { className: 'ws-results' });
      r[1].speakers.forEach(function (s) {
        sps.appendChild(el('li', null, [el('a', { href: '#/speaker/' + s.id, text: s.name }), ' ', el('span', { className: 'ws-small', text: s.type + ' · ' + s.attributions + ' attributions in ' + s.documents + ' documents' })]));
      });
      var spread = el('ul', { className: 'ws-results' });
      r[2].traces.forEach(function (c) {
        var root = c.root;
        if (!root) return;
        spread.appendChild(el('li', null, [
          el('a', { href: '#/trace/' + encodeURIComponent(root.document.hash) + '/' + encodeURIComponent(root.attribution.id), className: 'ws-quote', text: root.attribution.content }),
          el('div', { className: 'ws-small', text: (root.attribution.speaker ? root.attribution.speaker.name : root.attribution.source || '(no source)') + ' · ' + c.outlets + ' outlets · ' + c.documents + ' documents' }),
        ]));
      });
      corpusBody.replaceChildren(el('div', { className: 'ws-cols' }, [
        el('section', null, [el('h2', { text: 'Documents (' + r[0].total + ')' }), docs]),
        el('section', null, [el('h2', { text: 'Speakers' }), sps]),
        el('section', null, [el('h2', { text: 'Most-spread quotes' }), r[2].traces.length ? spread : el('p', { className: 'ws-small', text: 'No quote occurs in more than one document yet.' })]),
      ]));
    }).catch(function (err) { corpusBody.replaceChildren(el('p', { className: 'ws-status ws-error', text: err.message })); });
  }

  function search(params) {
    $('ws-q-speaker').value = params.get('speaker') || '';
    $('ws-q-text').value = params.get('q') || '';
    $('ws-q-anon').checked = params.get('anonymous') === 'true';
    corpusBody.replaceChildren(el('p', { className: 'ws-small', text: 'Searching…' }));
    api('GET', '/api/search?' + params.toString()).then(function (r) {
      corpusBody.replaceChildren(el('h2', { text: 'Results (' + r.hits.length + ')' }), hitList(r.hits));
    }).catch(function (err) { corpusBody.replaceChildren(el('p', { className: 'ws-status ws-error', text: err.message })); });
  }

  function speakerPage(id) {
    corpusBody.replaceChildren(el('p', { className: 'ws-small', text: 'Loading…' }));
    api('GET', '/api/speakers/' + encodeURIComponent(id)).then(function (s) {
      var outlets = (s.outlets || []).map(function (o) { return (o.outlet || 'unknown outlet') + ' (' + o.attributions + ')'; }).join(', ');
      corpusBody.replaceChildren(
        el('h2', { text: s.name }),
        el('p', { className: 'ws-small', text: s.type + ' · ' + s.attributions + ' attributions in ' + s.documents + ' documents' + (outlets ? ' · quoted by ' + outlets : '') }),
        s.aliases && s.aliases.length ? el('p', { className: 'ws-small', text: 'Also known as: ' + s.aliases.join('; ') }) : null,
        el('h2', { text: 'Recent passages' }),
        hitList(s.recent || [])
      );
    }).catch(function (err) { corpusBody.replaceChildren(el('p', { className: 'ws-status ws-error', text: err.message })); });
  }

  function storedDocument(id) {
    corpusBody.replaceChildren(el('p', { className: 'ws-small', text: 'Loading…' }));
    api('GET', '/api/documents/' + encodeURIComponent(id)).then(function (a) {
      var where = el('p', { className: 'ws-where' });
      corpusBody.replaceChildren(el('p', { className: 'ws-small' }, [el('a', { href: '#/corpus', text: '← all documents' })]), where);
      // From any attribution: where else it was quoted or claimed.
      View.render(viewEl, a, a.document.text, {
        speakerSearch: function (name) { location.hash = '#/search?speaker=' + encodeURIComponent(name); },
        onSelect: function (attrId) {
          where.replaceChildren(el('a', { href: '#/trace/' + encodeURIComponent(a.document.hash || a.document.id) + '/' + encodeURIComponent(attrId), text: 'Where else was ' + attrId + ' quoted or claimed? →' }));
        },
      });
    }).catch(function (err) { corpusBody.replaceChildren(el('p', { className: 'ws-status ws-error', text: err.message })); });
  }

  // A trace: findings on top, then the occurrences in time order by outlet, wording differences marked.
  function diffNode(parts) {
    var span = el('span', { className: 'ws-quote ws-diff' });
    (parts || []).forEach(function (p, i) {
      if (i) span.appendChild(document.createTextNode(' '));
      span.appendChild(p.op === '+' ? el('ins', { text: p.text }) : p.op === '-' ? el('del', { text: p.text }) : document.createTextNode(p.text));
    });
    return span;
  }

  function tracePage(doc, attrId) {
    corpusBody.replaceChildren(el('p', { className: 'ws-small', text: 'Tracing…' }));
    api('GET', '/api/trace?doc=' + encodeURIComponent(doc) + '&attribution=' + encodeURIComponent(attrId)).then(function (t) {
      var out = [el('p', { className: 'ws-small' }, [el('a', { href: '#/doc/' + encodeURIComponent(doc), text: '← the article' })]),
        el('h2', { text: 'Where else: ' + t.documents + ' occurrences in ' + t.outlets + ' outlets' }),
        el('p', { className: 'ws-quote', text: t.query.text })];
      if (t.findings.length) {
        var fl = el('ul');
        t.findings.forEach(function (f) {
          var ev = el('ul', { className: 'ws-small' });
          f.evidence.forEach(function (e) { ev.appendChild(el('li', { text: [e.published ? e.published.slice(0, 10) : 'no date', e.outlet || 'no outlet', e.document + ' ' + e.attribution, e.detail].join(' · ') })); });
          fl.appendChild(el('li', null, [el('strong', { text: f.code }), ' ', f.message, ev]));
        });
        out.push(el('section', { className: 'ws-trace-findings', 'aria-label': 'Findings' }, [el('h2', { text: 'Findings' }), fl]));
      }
      var ol = el('ol', { className: 'ws-results' });
      t.occurrences.forEach(function (o) {
        var a = o.attribution, d = o.document;
        ol.appendChild(el('li', null, [
          el('div', null, [el('strong', { text: d.outlet || 'unknown outlet' }), ' ', el('span', { className: 'ws-small', text: d.published ? d.published.slice(0, 10) : 'no date' }), ' ', docLink(d)]),
          el('div', { className: 'ws-small', text: (a.speaker || '(no source)') + (a.anonymous ? ' (anonymous)' : '') + (a.hedged ? ' (hedged)' : '') + (a.via.length ? ' · via ' + a.via.join(' ← ') : '') + ' · ' + a.cue + ' · ' + o.relation }),
          diffNode(o.diff),
        ]));
      });
      out.push(el('h2', { text: 'Occurrences, earliest first' }), ol);
      if (t.chain.length) {
        var cl = el('ul', { className: 'ws-results' });
        t.chain.forEach(function (c) { cl.appendChild(el('li', { text: (c.outlet || c.document) + ' cites ' + c.cites.join(' ← ') + (c.citesInCorpus.length ? ' (earlier here: ' + c.citesInCorpus.join(', ') + ')' : '') })); });
        out.push(el('h2', { text: 'Relays' }), cl);
      }
      corpusBody.replaceChildren.apply(corpusBody, out);
    }).catch(function (err) { corpusBody.replaceChildren(el('p', { className: 'ws-status ws-error', text: err.message })); });
  }

  $('ws-search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var p = new URLSearchParams();
    if ($('ws-q-speaker').value.trim()) p.set('speaker', $('ws-q-speaker').value.trim());
    if ($('ws-q-text').value.trim()) p.set('q', $('ws-q-text').value.trim());
    if ($('ws-q-anon').checked) p.set('anonymous', 'true');
    location.hash = '#/search?' + p.toString();
  });

  function route() {
    var h = location.hash || '#/';
    var corpus = !!health.store && h.indexOf('#/') === 0 && h !== '#/';
    corpusPanel.hidden = !corpus;
    analyzePanel.hidden = corpus;
    if (!corpus) return;
    viewEl.replaceChildren();
    var m;
    if ((m = /^#\/doc\/(.+)$/.exec(h))) storedDocument(decodeURIComponent(m[1]));
    else if ((m = /^#\/speaker\/(\d+)$/.exec(h))) speakerPage(m[1]);
    else if ((m = /^#\/trace\/([^/]+)\/([^/]+)$/.exec(h))) tracePage(decodeURIComponent(m[1]), decodeURIComponent(m[2]));
    else if ((m = /^#\/search\?(.*)$/.exec(h))) search(new URLSearchParams(m[1]));
    else corpusHome();
  }

  window.addEventListener('hashchange', route);
  api('GET', '/api/health').then(function (h) {
    health = h;
    $('ws-nav-corpus').hidden = !h.store;
    $('ws-example').hidden = !h.example;
    route();
  }).catch(function () { say('The server is not answering.', true); });
})();
`;
