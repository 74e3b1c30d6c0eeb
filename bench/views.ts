/**
 * Latency of every corpus view the web page and the API serve (src/store/views.ts, plus search and
 * document fetches), on the store bench/search.ts builds (100,000 synthetic documents by default).
 *
 *   node --import tsx bench/search.ts --db /tmp/whosaid-bench-search.db     # builds the store once
 *   node --import tsx bench/views.ts [--db /tmp/whosaid-bench-search.db | postgres://…] [--runs 15]
 *
 * Then the same views through the HTTP API the page calls (fastify inject: routing, JSON, no network).
 * Opening the store applies pending migrations (the first run on an older store fills the rollups and
 * prints how long that took). Each view runs --runs times; prints median and max in ms. No assertions:
 * the target is < 200 ms for every view.
 */
import { openStore } from '../src/store/index.js';
import { buildServer } from '../src/server/app.js';
import { arg } from './args.js';

const DB = arg('db', '/tmp/whosaid-bench-search.db');
const RUNS = Number(arg('runs', '15'));

const t0 = performance.now();
const store = await openStore(DB);
console.log(`opened ${DB} (${store.engine}) in ${((performance.now() - t0) / 1000).toFixed(1)} s (includes any migration)`);
const v = store.views;
const top = (await v.speakers({ limit: 1 })).items[0];
const rare = (await v.speakers({ limit: 1, sort: 'name' })).items[0];
const someDoc = (await v.documents({ limit: 1, offset: 5000 })).items[0];
const outlet = (await v.figures({})).outlets[0]?.outlet ?? undefined;

async function time(label: string, fn: () => Promise<unknown>): Promise<void> {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(52)} median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(7)} ms   max ${ms[ms.length - 1].toFixed(1).padStart(7)} ms`);
}

await time('documents: newest, page 1', () => v.documents({ limit: 50 }));
await time('documents: newest, page 1000 (offset 49,950)', () => v.documents({ limit: 50, offset: 49_950 }));
await time('documents: oldest', () => v.documents({ limit: 50, sort: 'oldest' }));
await time('documents: most attributions', () => v.documents({ limit: 50, sort: 'attributions' }));
await time(`documents: outlet "${outlet}" + since + until`, () => v.documents({ limit: 50, outlet, since: '2021-01-01', until: '2022-06-30' }));
await time('speakers: by attributions', () => v.speakers({ limit: 50 }));
await time('speakers: by name, page 3', () => v.speakers({ limit: 50, offset: 100, sort: 'name' }));
await time(`speakers: outlet "${outlet}"`, () => v.speakers({ limit: 50, outlet }));
await time('speakers: 2021-01 to 2021-12', () => v.speakers({ limit: 50, since: '2021-01-01', until: '2021-12-31' }));
await time(`speaker page: "${top.name}" info + timeline + passages`, () =>
  Promise.all([v.speakerInfo(top.id), v.speakerTimeline(top.id), v.speakerPassages(top.id, { limit: 20 })]));
await time(`speaker page: "${top.name}" passages page 100`, () => v.speakerPassages(top.id, { limit: 20, offset: 1980 }));
await time(`speaker page: "${rare.name}"`, () => Promise.all([v.speakerInfo(rare.id), v.speakerTimeline(rare.id), v.speakerPassages(rare.id, { limit: 20 })]));
await time('document: fetch + its corpus speakers', () => Promise.all([store.getDocument(someDoc.hash), v.documentSpeakers(someDoc.hash)]));
await time('figures: whole corpus (outlets, months, top speakers)', () => v.figures({}));
await time(`figures: outlet "${outlet}"`, () => v.figures({ outlet }));
await time('figures: 2021', () => v.figures({ since: '2021-01-01', until: '2021-12-31' }));
// Who is quoted (asked for separately: distinct speakers joined to their current gender and role).
await time('figures + who is quoted: whole corpus', () => v.figures({ quoted: true }));
await time(`figures + who is quoted: outlet "${outlet}"`, () => v.figures({ outlet, quoted: true }));
await time('figures + who is quoted: 2021', () => v.figures({ since: '2021-01-01', until: '2021-12-31', quoted: true }));
await time('search: words "budget", newest', () => store.search({ text: 'budget', limit: 51 }));
await time('search: words "budget" + outlet + dates', () => store.search({ text: 'budget', outlet, since: '2021-01-01', until: '2021-12-31', limit: 51 }));
await time('search: speaker "smith", page 20', () => store.search({ speaker: 'smith', limit: 51, offset: 950 }));

console.log('\nthrough the HTTP API (the requests the page makes for each view):');
const app = buildServer({ store });
const http = (label: string, ...urls: string[]) =>
  time(label, () => Promise.all(urls.map(async (u) => {
    const r = await app.inject(u);
    if (r.statusCode !== 200) throw new Error(`${u}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  })));
await http('overview  #/corpus', '/api/documents?limit=10', '/api/speakers?limit=10');
await http('documents #/documents (page 1000)', '/api/documents?limit=50&offset=49950');
await http(`documents #/documents?outlet=${outlet}&since&until&sort=oldest`, `/api/documents?limit=50&outlet=${outlet}&since=2021-01&until=2022-06&sort=oldest`);
await http('speakers  #/speakers', '/api/speakers?limit=50');
await http(`speakers  #/speakers?outlet=${outlet}&since=2021-01&until=2021-12`, `/api/speakers?limit=50&outlet=${outlet}&since=2021-01&until=2021-12`);
await http(`speaker   #/speaker/${top.id} (${top.name}), page 50`, `/api/speakers/${top.id}?limit=20&offset=980`);
await http('document  #/doc/HASH', `/api/documents/${someDoc.hash}`, `/api/documents/${someDoc.hash}/speakers`);
await http('figures   #/stats', '/api/stats');
await http('figures   #/stats, who is quoted (second request)', '/api/stats?quoted=1');
await http(`figures   #/stats?outlet=${outlet}&since=2021-01&until=2021-12`, `/api/stats?outlet=${outlet}&since=2021-01&until=2021-12`);
await http('search    #/search?q=budget&outlet&since&until', `/api/search?q=budget&outlet=${outlet}&since=2021-01&until=2021-12&limit=50`);
await http('search    #/search?speaker=smith&sort=oldest, page 20', '/api/search?speaker=smith&sort=oldest&limit=50&offset=950');
await http('page load: /api/health + /api/outlets', '/api/health', '/api/outlets');
await app.close();
await store.close();
