/** The corpus reading commands through the CLI: search, speakers, stats, errors, export (jsonl, csv, brat). */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentHash, openStore, type StoreInput } from '../../src/store/index.js';
import type { Analysis, Attribution, Entity } from '../../src/core/types.js';
import { parseBrat } from '../../src/formats/brat.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A document whose attributions point at real offsets of its text. */
function doc(id: string, text: string, parts: { source: string | null; cue: string; content: string; entity?: Entity; kind?: Attribution['kind'] }[], meta: StoreInput['meta']): StoreInput {
  const span = (s: string) => {
    const at = text.indexOf(s);
    assert.ok(at >= 0, `${s} in ${id}`);
    return { text: s, spans: [[at, at + s.length]] as [number, number][] };
  };
  const entities: Entity[] = [];
  const attributions: Attribution[] = parts.map((p, i) => {
    if (p.entity && !entities.includes(p.entity)) entities.push(p.entity);
    return {
      id: `a${i + 1}`, source: p.source ? span(p.source) : null, cue: span(p.cue), content: span(p.content), kind: p.kind ?? 'indirect',
      speaker: p.entity?.id ?? null, via: [], parent: null, hedged: false, confidence: 0.8,
    };
  });
  const analysis: Analysis = {
    schema: 'whosaid/1', document: { id, title: `Title of ${id}`, chars: text.length }, attributions, entities,
    profile: { attributions: parts.length, speakers: entities.length, named: 0, anonymous: 0, unattributed: 0, headlineQuestion: false, flags: [] },
  };
  return { hash: contentHash(text, id), analysis, text, meta };
}

describe('corpus commands', () => {
  let dir: string;
  let db: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-corpus-cli-'));
    db = join(dir, 'c.db');
    const mayor: Entity = { id: 'e1', name: 'Zoë O\'Brien', type: 'person', anonymous: false, aliases: ['O\'Brien'], descriptors: ['mayor'], mentions: [] };
    const t1 = 'Zoë O\'Brien said "taxes will drop 10%; DROP TABLE is a joke".\nOfficials said the plan, "OR NOT", was risky.';
    const t2 = 'The union, according to its leader Sam Lee, wants a 5% raise. Lee added: "we will strike".';
    const store = await openStore(db);
    await store.addAnalyses([
      doc('d1', t1, [
        { source: 'Zoë O\'Brien', cue: 'said', content: '"taxes will drop 10%; DROP TABLE is a joke"', entity: mayor, kind: 'direct' },
        { source: 'Officials', cue: 'said', content: 'the plan, "OR NOT", was risky' },
      ], { outlet: 'Planet', published: '2024-05-01' }),
      doc('d2', t2, [
        { source: 'its leader Sam Lee', cue: 'according to', content: 'The union' },
        { source: 'Lee', cue: 'added', content: '"we will strike"', kind: 'direct' },
      ], { outlet: 'Bugle', published: '2024-06-10' }),
    ]);
    await store.recordErrors([{ input: '/x/in.jsonl', locator: 'line 7', message: 'bad JSON: Unexpected end of JSON input' }]);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('searches by speaker, words, outlet, anonymity and dates', () => {
    const r = cli(['search', '--db', db, '--speaker', 'zoe obrien', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const hits = JSON.parse(r.stdout);
    assert.equal(hits.length, 1);
    assert.equal(hits[0].attribution.speaker.name, 'Zoë O\'Brien');
    assert.equal(hits[0].document.outlet, 'Planet');
    const text = cli(['search', '--db', db, '--speaker', "O'Brien"], dir);
    assert.match(text.stdout, /^d1  "Title of d1"  Planet  2024-05-01\n  Zoë O'Brien \(person\) — said: "taxes will drop 10%; DROP TABLE is a joke"  \[direct\]\n$/);
    const anon = JSON.parse(cli(['search', '--db', db, '--anonymous', '--json'], dir).stdout);
    assert.deepEqual(anon.map((h: { attribution: { source: string } }) => h.attribution.source), ['Officials']);
    const since = JSON.parse(cli(['search', '--db', db, '--since', '2024-06-01', '--json'], dir).stdout);
    assert.equal(since.length, 2);
    const until = JSON.parse(cli(['search', '--db', db, '--until', '2024-05-01', '--outlet', 'Planet', '--json'], dir).stdout);
    assert.equal(until.length, 2);
  });

  it('search terms with quotes, %, ; and SQL keywords are only words', () => {
    const q = (args: string[]) => {
      const r = cli(['search', '--db', db, '--json', ...args], dir);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout).length as number;
    };
    assert.equal(q(['--text', '10%; DROP TABLE']), 1);
    assert.equal(q(['--text', '"OR NOT"']), 1);
    assert.equal(q(['--text', 'OR']), 1);
    assert.equal(q(['--text', "'; DELETE FROM documents; --"]), 0);
    assert.equal(q(['--speaker', "' OR 1=1 --"]), 0);
    assert.equal(q(['--speaker', '%']), 0);
    assert.equal(q(['--outlet', "Planet' OR '1'='1"]), 0);
    assert.equal(q(['--text', 'strike']), 1);
    assert.equal(q([]), 4, 'everything is still there');
  });

  it('rejects bad dates and a missing store in one line', () => {
    const bad = cli(['search', '--db', db, '--since', 'yesterday'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^whosaid: --since must be a date/);
    const none = cli(['speakers', '--db', join(dir, 'none.db')], dir);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^whosaid: no store at .*none\.db/);
  });

  it('lists speakers, stats and errors', () => {
    const sp = JSON.parse(cli(['speakers', '--db', db, '--json'], dir).stdout);
    assert.deepEqual(sp.map((s: { name: string; type: string }) => `${s.name}/${s.type}`).sort(), [
      'Officials/anonymous', 'Sam Lee/unresolved', 'Zoë O\'Brien/person',
    ]);
    // "its leader Sam Lee" and "Lee" are one person, named without the description; "Officials" stay unnamed.
    assert.equal(sp.find((s: { name: string }) => s.name === 'Sam Lee').attributions, 2);
    assert.equal(sp.find((s: { name: string }) => s.name === 'Officials').scope, 'unnamed');
    const table = cli(['speakers', '--db', db], dir);
    // The gender rests on the first-name lexicon alone here, so it carries its confidence.
    assert.match(table.stdout, /Zoë O'Brien\s+person\s+politician\s+female 0\.83\s+1\s+1\s+Planet 1/);
    const st = JSON.parse(cli(['stats', '--db', db, '--json'], dir).stdout);
    const planet = st.find((s: { outlet: string }) => s.outlet === 'Planet');
    assert.deepEqual([planet.documents, planet.attributions, planet.anonymousShare, planet.directShare], [1, 2, 0.5, 0.5]);
    assert.match(cli(['stats', '--db', db], dir).stdout, /Bugle\s+1\s+2\s+2\.00\s+0\.0%\s+50\.0%/);
    const months = JSON.parse(cli(['stats', '--db', db, '--by', 'month', '--json'], dir).stdout);
    assert.equal(months.reduce((n: number, m: { documents: number }) => n + m.documents, 0), st.reduce((n: number, o: { documents: number }) => n + o.documents, 0));
    assert.ok(months.some((m: { month: string | null }) => m.month === '2024-05'));
    const planetOnly = JSON.parse(cli(['stats', '--db', db, '--outlet', 'Planet', '--json'], dir).stdout);
    assert.deepEqual(planetOnly.map((o: { outlet: string }) => o.outlet), ['Planet']);
    assert.ok(Array.isArray(planetOnly[0].topSpeakers) && 'unattributedShare' in planetOnly[0]);
    assert.equal(cli(['errors', '--db', db], dir).stdout, '/x/in.jsonl:line 7: bad JSON: Unexpected end of JSON input\n');
  });

  it('exports JSONL, CSV and BRAT', () => {
    const jl = cli(['export', '--db', db, '--format', 'jsonl'], dir);
    assert.equal(jl.code, 0, jl.stderr);
    const lines = jl.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    for (const a of lines) {
      assert.equal(a.schema, 'whosaid/1');
      for (const at of a.attributions) for (const [s, e] of at.content.spans) assert.ok(a.document.text.slice(s, e).length > 0);
    }
    const csvPath = join(dir, 'out.csv');
    assert.equal(cli(['export', '--db', db, '--format', 'csv', '--out', csvPath], dir).code, 0);
    const csv = readFileSync(csvPath, 'utf8');
    assert.equal(csv.split('\r\n').filter(Boolean).length, 1 + 4);
    assert.match(csv, /^document_id,title,outlet,/);
    assert.match(csv, /"""taxes will drop 10%; DROP TABLE is a joke"""/);
    const bratDir = join(dir, 'brat');
    assert.equal(cli(['export', '--db', db, '--format', 'brat', '--out', bratDir], dir).code, 0);
    const anns = readdirSync(bratDir).filter((f) => f.endsWith('.ann')).sort();
    assert.equal(anns.length, 2);
    const back = parseBrat(readFileSync(join(bratDir, anns[0]), 'utf8'));
    assert.equal(back.problems.length, 0);
    assert.equal(back.attributions.length, 2);
    const noOut = cli(['export', '--db', db, '--format', 'brat'], dir);
    assert.match(noOut.stderr, /^whosaid: --format brat needs --out DIR/);
  });

  it('speakers --offset pages through the list', () => {
    const all = JSON.parse(cli(['speakers', '--db', db, '--json'], dir).stdout).map((x: { name: string }) => x.name);
    assert.ok(all.length >= 3);
    const page2 = JSON.parse(cli(['speakers', '--db', db, '--json', '--limit', '2', '--offset', '2'], dir).stdout).map((x: { name: string }) => x.name);
    assert.deepEqual(page2, all.slice(2, 4));
    assert.match(cli(['speakers', '--db', db, '--offset', '-1'], dir).stderr, /^whosaid: --offset must be a whole number/);
  });

  it('--outlet matches whatever its case', () => {
    const hits = JSON.parse(cli(['search', '--db', db, '--outlet', 'pLaNeT', '--json'], dir).stdout);
    assert.equal(hits.length, 2);
    for (const h of hits) assert.equal(h.document.outlet, 'Planet');
  });

  it('the CSV export ends with via, the source and cue offsets and the corpus speaker\'s gender and role', () => {
    const csv = cli(['export', '--db', db, '--format', 'csv'], dir).stdout;
    assert.match(csv, /,content_start,content_end,via,source_start,source_end,cue_start,cue_end,speaker_gender,speaker_role\r\n/);
    const rows = csv.split('\r\n').filter(Boolean);
    // The mayor: a female first name and the descriptor "mayor"; the officials: an unnamed source.
    assert.match(rows.find((r) => r.startsWith('d1,') && r.includes('DROP TABLE'))!, /,female,politician$/);
    assert.match(rows.find((r) => r.includes('was risky'))!, /,unknown,anonymous$/);
  });

  it('stats give who is quoted: distinct speakers by role, persons by gender', () => {
    const st = JSON.parse(cli(['stats', '--db', db, '--json'], dir).stdout);
    const planet = st.find((s: { outlet: string }) => s.outlet === 'Planet');
    assert.deepEqual([planet.quoted.speakers, planet.quoted.persons, planet.quoted.byGender, planet.quoted.byRole], [2, 1, { female: 1 }, { politician: 1, anonymous: 1 }]);
    assert.equal(planet.quoted.genderShare.female, 1);
    assert.match(cli(['stats', '--db', db], dir).stdout, /who is quoted[^\n]*\n[^\n]*female\s+male\s+unknown\s+politician[\s\S]*\nPlanet\s+2\s+1\s+100\.0%\s+0\.0%\s+0\.0%\s+50\.0%/);
  });
});

describe('stored text never drives the terminal', () => {
  let dir: string;
  let db: string;
  const ESC = '\x1b]0;pwned\x07\x1b[2J\x1b[31m';
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-escapes-'));
    db = join(dir, 'e.db');
    // A given name and surname: the identity stage takes a lone capitalised word opening a text for a
    // fragment, not a speaker (store/speaker-identity.ts).
    const evil: Entity = { id: 'e1', name: `Eve Mallory${ESC}`, type: 'person', anonymous: false, aliases: [], descriptors: [], mentions: [] };
    const text = `Eve Mallory${ESC} said "the vote\u009b31m is rigged\u202e".`;
    const store = await openStore(db);
    await store.addAnalyses([
      doc('evil', text, [{ source: `Eve Mallory${ESC}`, cue: 'said', content: '"the vote\u009b31m is rigged\u202e"', entity: evil }], { outlet: `Bugle${ESC}`, published: '2024-05-01' }),
    ]);
    await store.recordErrors([{ input: `/x/in${ESC}.jsonl`, locator: 'line 1', message: `bad JSON: ${ESC}` }]);
    await store.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('search, speakers, stats and errors print control characters and bidi overrides neutralised', () => {
    for (const args of [['search', '--speaker', 'Mallory'], ['speakers'], ['stats'], ['errors'], ['search', '--json'], ['speakers', '--json']]) {
      const r = cli([...args, '--db', db], dir);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0, args.join(' '));
      assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, `${args.join(' ')} printed ${JSON.stringify(r.stdout)}`);
    }
    assert.match(cli(['speakers', '--db', db], dir).stdout, /Mallory\uFFFD/);
  });
});

