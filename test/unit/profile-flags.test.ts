/** Profile flags that name what the article did, the headline rule, and one speaker count everywhere. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Attribution, Entity } from '../../src/core/types.js';
import { spanRef } from '../../src/core/span.js';
import { readDoc } from '../../src/nlp/document.js';
import { buildProfile, countSpeakers, looksLikeHeadline } from '../../src/profile/index.js';
import { analyze } from '../../src/analyze.js';
import { textReport } from '../../src/formats/text-report.js';
import { parseHTML } from 'linkedom';

/** The page header's and the profile panel's "speakers", as the browser view renders them. */
async function pageSpeakerCounts(analysis: unknown, text: string): Promise<{ header: string; panel: string }> {
  const { window, document } = parseHTML('<!DOCTYPE html><html><head></head><body><div id="v"></div></body></html>');
  const g = globalThis as { document?: unknown; window?: unknown; CSS?: unknown };
  Object.assign(g, { document, window, CSS: { escape: (s: string) => s } });
  try {
    // The page's own view module (src/web), rendered into a DOM made by linkedom.
    const { render } = await import('../../src/web/view/render.js');
    render(document.getElementById('v') as unknown as HTMLElement, analysis as never, text);
  } finally {
    delete g.document;
    delete g.window;
    delete g.CSS;
  }
  const header = /(\d+) speakers?/.exec(document.querySelector('.ws-meta')!.textContent!)?.[1] ?? '0';
  const panel = /Distinct speakers\s*(\d+)/.exec(document.querySelector('.ws-side')!.textContent!)?.[1] ?? '?';
  return { header, panel };
}

function fixture(text: string) {
  const doc = readDoc(text);
  const r = (s: string, from = 0) => {
    const i = text.indexOf(s, from);
    assert.ok(i >= 0, s);
    return spanRef(text, [[i, i + s.length]]);
  };
  return { doc, r };
}
const base = { via: [] as string[], parent: null, hedged: false, confidence: 1, kind: 'indirect' as const };
const ent = (id: string, name: string, type: Entity['type'], anonymous = false): Entity => ({ id, name, type, anonymous, aliases: [], descriptors: [], mentions: [] });

test('hedged: the flag lists the hedge words this article used, not a fixed three', () => {
  const text = 'The minister allegedly said the port would close. The mayor is believed to have resigned. Unconfirmed reports said the strike was over.';
  const { doc, r } = fixture(text);
  const atts: Attribution[] = [
    { ...base, id: 'a1', source: r('The minister'), cue: r('said'), content: r('the port would close'), speaker: 'e1', hedged: true },
    { ...base, id: 'a2', source: null, cue: r('believed'), content: r('to have resigned'), speaker: null, hedged: true },
    { ...base, id: 'a3', source: r('Unconfirmed reports'), cue: r('said', text.indexOf('reports')), content: r('the strike was over'), speaker: null, hedged: true },
  ];
  const p = buildProfile({ doc, attributions: atts, entities: [ent('e1', 'the minister', 'person')], title: null });
  const flag = p.flags.find((f) => f.code === 'hedged')!;
  assert.deepEqual(flag.attributions, ['a1', 'a2', 'a3']);
  assert.match(flag.message, /^3 claims are hedged \("allegedly", "is believed to", "unconfirmed"\)\.$/);
  assert.doesNotMatch(flag.message, /reportedly/, 'no word the article did not use');
});

test('single anonymous origin: only when the one relay is a news outlet', () => {
  const text = 'Reuters quoted an official as saying the port would close. The mayor said an aide had said the roads were open.';
  const { doc, r } = fixture(text);
  const entities = [ent('e1', 'an official', 'anonymous', true), ent('e2', 'Reuters', 'media'), ent('e3', 'an aide', 'anonymous', true), ent('e4', 'the mayor', 'person')];
  const atts: Attribution[] = [
    { ...base, id: 'a1', source: r('an official'), cue: r('quoted'), content: r('the port would close'), speaker: 'e1', via: ['e2'] },
    { ...base, id: 'a2', source: r('an aide'), cue: r('had said'), content: r('the roads were open'), speaker: 'e3', via: ['e4'] },
  ];
  const p = buildProfile({ doc, attributions: atts, entities, title: null });
  assert.deepEqual(p.flags.find((f) => f.code === 'single-anonymous-origin')?.attributions, ['a1']);
});

test('headline: a first line is one when it reads like one, not when it is the first sentence', () => {
  for (const h of [
    'Dockworkers walk out as port talks collapse',
    'Is the port strike over?',
    'Chelsea Clinton, husband expecting second child.',
    'Bellwether County Says Trump Should Win GOP Nomination.',
    'Rep. Welch to back Sanders for president.',
    'Bernie Sanders Suffered A Big Blow. Here’s His Plan Going Forward.',
  ]) assert.ok(looksLikeHeadline(h), h);
  for (const s of [
    'Thousands of dockworkers walked off the job at the Port of Halden Bay on Thursday after overnight talks collapsed.',
    'The minister said on Monday that the port would stay closed. Talks resume on Friday.',
    'WASHINGTON (AP) — The Latest on campaign 2016 on Super Tuesday (all times EST):',
    'From Josh Feldman writing at Mediaite:',
    'ABSTRACT.',
  ]) assert.ok(!looksLikeHeadline(s), s);
  const lede = 'Thousands of dockworkers walked off the job at the Port of Halden Bay on Thursday after overnight talks collapsed.\n\nThe union said the strike would last a week.';
  assert.equal(analyze(lede).document.title, null, 'a first sentence is not taken for a headline');
  assert.equal(analyze('Dockworkers walk out as port talks collapse\n\nThe union said the strike would last a week.').document.title, 'Dockworkers walk out as port talks collapse');
});

test('a headline with no cue gives no attribution of its own, and none reaches into it from the body', () => {
  const headline = 'Port strike enters its second week';
  const text = `${headline}\n\nThe union said the strike would last a week. "We are not moving," its leader told reporters.`;
  const a = analyze(text);
  assert.equal(a.document.title, headline);
  for (const at of a.attributions) {
    const starts = [at.cue, at.content, ...(at.source ? [at.source] : [])].flatMap((s) => s.spans.map(([s0]) => s0));
    assert.ok(Math.min(...starts) > headline.length, `${at.id} touches the headline`);
  }
});

test('one speaker count: profile, text report and the page header agree', async () => {
  const text = 'Reuters quoted an official as saying the port would close. The official later said it would reopen.';
  const { doc, r } = fixture(text);
  const entities = [ent('e1', 'an official', 'anonymous', true), ent('e2', 'Reuters', 'media')];
  const atts: Attribution[] = [
    { ...base, id: 'a1', source: r('an official'), cue: r('quoted'), content: r('the port would close'), speaker: 'e1', via: ['e2'] },
    { ...base, id: 'a2', source: r('The official'), cue: r('said', text.indexOf('later')), content: r('it would reopen'), speaker: 'e1' },
  ];
  const profile = buildProfile({ doc, attributions: atts, entities, title: null });
  assert.equal(profile.speakers, countSpeakers(atts));
  assert.equal(profile.speakers, 1, 'a relay is not a speaker');
  const analysis = { schema: 'whosaid/1' as const, document: { id: 'd', title: null, chars: text.length }, attributions: atts, entities, profile };
  assert.match(textReport(analysis, text), /· 1 speaker\n/);
  assert.deepEqual(await pageSpeakerCounts(analysis, text), { header: '1', panel: '1' }, 'the page counts speakers, not every entity');
});
