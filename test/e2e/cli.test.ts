// The real binary, as a user runs it: bin/whosaid.js over the built dist/.
import { before, after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from './json-schema.js';
import { GAP } from '../../src/core/span.js';
import type { Analysis, SpanRef } from '../../src/core/types.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin', 'whosaid.js');
const EXAMPLE = join(REPO, 'examples', 'port-strike.txt');
const SCHEMA = JSON.parse(readFileSync(join(REPO, 'schema', 'whosaid-1.schema.json'), 'utf8'));

let work: string;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function whosaid(args: string[], input?: string | Buffer): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: work, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function srcFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? srcFiles(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** dist/ is stale when any source file is newer than its compiled output (or has none). */
function distIsStale(): boolean {
  const src = join(REPO, 'src');
  return srcFiles(src).some((f) => {
    const out = join(REPO, 'dist', relative(src, f)).replace(/\.ts$/, '.js');
    return !existsSync(out) || statSync(out).mtimeMs < statSync(f).mtimeMs;
  });
}

function checkSpan(text: string, ref: SpanRef, label: string): void {
  assert.equal(ref.text, ref.spans.map(([s, e]) => text.slice(s, e)).join(GAP), `${label} does not match its offsets`);
}

function assertValid(a: unknown): asserts a is Analysis {
  assert.deepEqual(validate(SCHEMA, a), []);
}

before(() => {
  work = mkdtempSync(join(tmpdir(), 'whosaid-cli-'));
  // CI builds dist/ in `npm ci`; rebuild here only when sources changed since, as during development.
  if (distIsStale()) {
    const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(REPO, 'tsconfig.json')], { encoding: 'utf8' });
    // tsc still emits when some other part of the tree fails to type-check; the CLI must have been emitted.
    assert.ok(existsSync(join(REPO, 'dist', 'cli', 'index.js')), `build failed:\n${tsc.stdout}${tsc.stderr}`);
  }
});

after(() => rmSync(work, { recursive: true, force: true }));

describe('whosaid analyze', () => {
  test('the example gives schema-valid JSON whose spans index the text', () => {
    const r = whosaid(['analyze', EXAMPLE, '--include-text']);
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assertValid(a);
    const text = readFileSync(EXAMPLE, 'utf8');
    assert.equal(a.document.id, 'port-strike');
    assert.equal(a.document.title, 'Dockworkers walk out as port talks collapse');
    assert.equal(a.document.text, text);
    assert.equal(a.document.chars, text.length);
    assert.ok(a.attributions.length >= 15, `only ${a.attributions.length} attributions`);
    for (const att of a.attributions) {
      checkSpan(text, att.cue, `${att.id} cue`);
      checkSpan(text, att.content, `${att.id} content`);
      if (att.source) checkSpan(text, att.source, `${att.id} source`);
    }
    // One input prints pretty JSON, for people.
    assert.match(r.stdout, /^\{\n {2}"schema": "whosaid\/1",\n/);
  });

  test('the schema check itself rejects a malformed analysis', () => {
    const a = JSON.parse(whosaid(['analyze', EXAMPLE]).stdout);
    a.attributions[0].kind = 'quoted';
    a.attributions[0].cue.spans = [[5]];
    delete a.profile.flags;
    const errors = validate(SCHEMA, a);
    assert.ok(errors.some((e) => e.startsWith('$.attributions[0].kind')), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('$.attributions[0].cue.spans[0]')), errors.join('\n'));
    assert.ok(errors.includes('$.profile: missing "flags"'), errors.join('\n'));
  });

  test('--title overrides the detected headline', () => {
    const r = whosaid(['analyze', EXAMPLE, '--title', 'Is the port strike over?']);
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assert.equal(a.document.title, 'Is the port strike over?');
    assert.equal(a.profile.headlineQuestion, true);
  });

  test('--out writes one file per input; a bad file fails alone and is named on stderr', () => {
    const inDir = join(work, 'batch');
    mkdirSync(inDir);
    writeFileSync(join(inDir, 'one.txt'), readFileSync(EXAMPLE));
    writeFileSync(join(inDir, 'two.txt'), 'The mayor said the budget was balanced.\n');
    writeFileSync(join(inDir, 'bad.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00]));
    const out = join(work, 'batch-out');
    const r = whosaid(['analyze', '--out', out, join(inDir, 'one.txt'), join(inDir, 'bad.txt'), join(inDir, 'two.txt')]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /^whosaid: .*bad\.txt: looks like binary data, not text$/m);
    assert.deepEqual(readdirSync(out).sort(), ['one.json', 'two.json']);
    for (const name of ['one', 'two']) {
      const a = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8'));
      assertValid(a);
      assert.equal(a.document.id, name);
    }
    assert.equal(r.stdout, '', 'with --out nothing goes to stdout');
  });

  test('several inputs without --out print one JSON document per line', () => {
    const two = join(work, 'two-lines.txt');
    writeFileSync(two, 'Officials said the bridge would reopen on Monday.\n');
    const r = whosaid(['analyze', EXAMPLE, two]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.deepEqual(lines.map((l) => JSON.parse(l).document.id), ['port-strike', 'two-lines']);
  });

  test('standard input, as "-" or with no files', () => {
    for (const args of [['analyze', '-'], ['analyze']]) {
      const r = whosaid(args, 'The mayor said the budget was balanced.\n');
      assert.equal(r.status, 0, r.stderr);
      const a = JSON.parse(r.stdout);
      assertValid(a);
      assert.equal(a.document.id, 'stdin');
      assert.ok(a.attributions.some((x: { cue: SpanRef }) => x.cue.text === 'said'), 'the cue "said" was not found');
    }
  });

  test('an empty file is an article with no attributions, not an error', () => {
    const empty = join(work, 'empty.txt');
    writeFileSync(empty, '');
    const r = whosaid(['analyze', empty]);
    assert.equal(r.status, 0, r.stderr);
    const a = JSON.parse(r.stdout);
    assertValid(a);
    assert.equal(a.document.chars, 0);
    assert.deepEqual(a.attributions, []);
  });

  test('binary data is refused in one line', () => {
    const bin = join(work, 'image.txt');
    writeFileSync(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    const r = whosaid(['analyze', bin]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `whosaid: ${bin}: looks like binary data, not text\n`);
    assert.equal(r.stdout, '');
  });

  test('broken UTF-8 names the file and the byte offset', () => {
    const bad = join(work, 'latin1.txt');
    writeFileSync(bad, Buffer.concat([Buffer.from('Der B'), Buffer.from([0xfc]), Buffer.from('rgermeister sagte nein.')]));
    const r = whosaid(['analyze', bad]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /latin1\.txt: not valid UTF-8: byte 0xfc at offset 5/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
  });

  test('an input over the size limit says which flag raises it', () => {
    const r = whosaid(['analyze', EXAMPLE, '--max-bytes', '1k']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /port-strike\.txt: .* over the 1 KiB input limit; raise it with --max-bytes/);
    const piped = whosaid(['analyze', '--max-bytes', '1k'], readFileSync(EXAMPLE));
    assert.equal(piped.status, 1);
    assert.equal(piped.stderr, 'whosaid: stdin: more than the 1 KiB input limit; raise it with --max-bytes\n');
    const ok = whosaid(['analyze', EXAMPLE, '--max-bytes', '1M']);
    assert.equal(ok.status, 0, ok.stderr);
  });

  test('a missing file is reported in one line', () => {
    const r = whosaid(['analyze', join(work, 'nope.txt')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^whosaid: .*nope\.txt: no such file\n$/);
  });

  test('--format text lists attributions by speaker', () => {
    const r = whosaid(['analyze', EXAMPLE, '--format', 'text']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Dockworkers walk out as port talks collapse\n/);
    assert.match(r.stdout, /Attributions by speaker/);
    assert.match(r.stdout, /Reyes/);
    assert.match(r.stdout, /^ {2}a\d+ +said /m);
    assert.match(r.stdout, /content: /);
    assert.match(r.stdout, /^Profile$/m);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colours when not a terminal');
  });

  test('--format text with --out writes a .report.txt beside nothing else', () => {
    const out = join(work, 'text-out');
    const r = whosaid(['analyze', EXAMPLE, '--format', 'text', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out), ['port-strike.report.txt']);
    assert.match(readFileSync(join(out, 'port-strike.report.txt'), 'utf8'), /Attributions by speaker/);
  });
});

describe('whosaid eval', () => {
  // "The mayor said the budget was balanced." with its one attribution annotated.
  const TEXT = 'The mayor said the budget was balanced.\n';
  const ANN = 'T1\tSource 0 9\tThe mayor\nT2\tCue 10 14\tsaid\nT3\tContent 15 38\tthe budget was balanced\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n';

  function tinyCorpus(name: string): string {
    const dir = join(work, name);
    mkdirSync(join(dir, 'text'), { recursive: true });
    mkdirSync(join(dir, 'attributions'));
    writeFileSync(join(dir, 'text', 'mayor.txt'), TEXT);
    writeFileSync(join(dir, 'attributions', 'mayor_ab12.ann'), ANN);
    return dir;
  }

  test('prints a score table', () => {
    const r = whosaid(['eval', tinyCorpus('tiny')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^1 documents?/);
    for (const role of ['source', 'cue', 'content', 'attribution']) {
      assert.match(r.stdout, new RegExp(`^${role} +\\d\\.\\d{3} +\\d\\.\\d{3} +\\d\\.\\d{3}`, 'm'), `no ${role} row`);
    }
  });

  test('--json prints the Scores object', () => {
    const r = whosaid(['eval', tinyCorpus('tiny-json'), '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.equal(s.documents, 1);
    for (const role of ['source', 'cue', 'content']) {
      for (const kind of ['exact', 'overlap']) {
        assert.equal(s[kind][role].gold, 1);
        assert.ok(s[kind][role].f1 >= 0 && s[kind][role].f1 <= 1);
      }
    }
    assert.equal(s.attribution.gold, 1);
  });

  test('a directory without attributions/ is a clear error', () => {
    const dir = join(work, 'no-ann');
    mkdirSync(join(dir, 'text'), { recursive: true });
    const r = whosaid(['eval', dir]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^whosaid: .*no-ann: no attributions\/ folder/);
  });
});

describe('what a new user trips over', () => {
  test('--version prints the package version', () => {
    const r = whosaid(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });

  test('a command line that cannot be parsed exits 2, apart from 1 for failures', () => {
    for (const args of [['analyze', '--bogus'], ['batch'], ['analyze', '--format', 'xml', EXAMPLE], ['nosuchcommand']]) {
      const r = whosaid(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^error: /);
    }
    assert.equal(whosaid(['analyze', join(work, 'missing.txt')]).status, 1);
    assert.match(whosaid(['analyze', '--help']).stdout, /2 unknown option or missing argument/);
  });

  test('analyze --help says HTML files are read too', () => {
    const r = whosaid(['analyze', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /\.html/);
    assert.match(r.stdout, /folder/);
  });

  test('every long-running command takes --quiet and --no-progress alike', () => {
    for (const cmd of ['analyze', 'batch', 'enqueue', 'worker', 'train']) {
      const help = whosaid([cmd, '--help']).stdout;
      assert.match(help, /-q, --quiet\s/, `${cmd} --quiet`);
      assert.match(help, /--no-progress\s/, `${cmd} --no-progress`);
    }
  });

  test('pretty JSON keeps each span on one line', () => {
    const r = whosaid(['analyze', EXAMPLE]);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\[\n\s*\d+,\n/);
    assert.match(r.stdout, /"spans": \[\[\d+, \d+\]/);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(whosaid(['analyze', EXAMPLE, EXAMPLE]).stdout.split('\n')[0]));
  });

  test('analyze DIR reads the .txt/.html files under it, named as batch names them', () => {
    const dir = join(work, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'one.txt'), 'The mayor said the budget was balanced.\n');
    writeFileSync(join(dir, 'sub', 'two.txt'), 'Officials said the bridge would reopen on Monday.\n');
    writeFileSync(join(dir, 'page.html'), `<html><head><title>Harbour</title></head><body><article><p>${'The harbour master said the port would reopen on Monday. '.repeat(6)}</p></article></body></html>`);
    writeFileSync(join(dir, 'notes.md'), 'not an article');
    const out = join(work, 'tree-out');
    const r = whosaid(['analyze', dir, '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['one.json', 'page.json', 'sub']);
    assert.equal(JSON.parse(readFileSync(join(out, 'sub', 'two.json'), 'utf8')).document.id, 'sub/two');
    const lines = whosaid(['analyze', dir]).stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => JSON.parse(l).document.id), ['one', 'page', 'sub/two']);
    writeFileSync(join(dir, 'sub', 'bad.txt'), Buffer.from([0x61, 0xff, 0xfe]));
    const bad = spawnSync(process.execPath, [BIN, 'analyze', 'tree'], { cwd: work, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^whosaid: tree\/sub\/bad\.txt: /m, 'named as the folder was given');
    const empty = join(work, 'empty-dir');
    mkdirSync(empty);
    assert.match(whosaid(['analyze', empty]).stderr, /^whosaid: .*empty-dir: a folder with no \.txt, \.html or \.htm files in it\n$/);
  });

  test('--out naming a file says so', () => {
    const file = join(work, 'taken.json');
    writeFileSync(file, '{}');
    const r = whosaid(['analyze', EXAMPLE, '--out', file]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `whosaid: --out ${file}: ${file} is a file; give a folder\n`);
    const under = whosaid(['analyze', EXAMPLE, '--out', join(file, 'x')]);
    assert.match(under.stderr, /taken\.json is a file; give a folder\n$/);
    const data = join(work, 'train-data');
    for (const sub of ['text', 'attributions']) mkdirSync(join(data, sub), { recursive: true });
    const t = whosaid(['train', '--data', data, '--out', file]);
    assert.equal(t.status, 1);
    assert.match(t.stderr, /taken\.json is a file; give a folder\n$/, 'known before any training');
  });

  test('batch: exit status 0 when every document is stored, 3 when some failed; --help says so', () => {
    const dir = join(work, 'batch-exit');
    mkdirSync(dir);
    writeFileSync(join(dir, 'good.txt'), 'The mayor said the budget was balanced.\n');
    const db = join(work, 'exit.db');
    const ok = whosaid(['batch', dir, '--db', db, '--workers', '1', '--no-progress']);
    assert.equal(ok.status, 0, ok.stderr);
    writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x61, 0xff, 0xfe]));
    const some = whosaid(['batch', dir, '--db', db, '--workers', '1', '--quiet']);
    assert.equal(some.status, 3, some.stderr);
    assert.equal(some.stderr, '', '--quiet prints no summary');
    const help = whosaid(['batch', '--help']).stdout;
    assert.match(help, /Exit status: 0 every document stored.*; 3 some documents could not be read or analysed/s);
  });

  test('batch: a JSONL "published" that is not a date is an error with its reason, the rest stored', () => {
    const file = join(work, 'dates.jsonl');
    writeFileSync(file, [
      JSON.stringify({ id: 'ok', text: 'The mayor said the budget was balanced.', published: '2024-03-01' }),
      JSON.stringify({ id: 'vague', text: 'Officials said the bridge would reopen.', published: 'last Tuesday' }),
    ].join('\n') + '\n');
    const db = join(work, 'dates.db');
    const r = whosaid(['batch', file, '--db', db, '--workers', '1', '--no-progress']);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /1 stored, 0 already stored, 1 errors/);
    assert.match(whosaid(['errors', '--db', db]).stdout, /dates\.jsonl:line 2: "published" is not a date: "last Tuesday"/);
    assert.match(whosaid(['batch', '--help']).stdout, /"published" must be a date/);
  });

  test('serve on a port already taken says so and exits non-zero', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await new Promise<{ status: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port), '--workers', '1'], { cwd: work });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        child.on('exit', (status) => {
          clearTimeout(timer);
          done({ status, stderr });
        });
      });
      assert.equal(r.status, 1, `still running or wrong status; stderr: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      blocker.close();
    }
  });
});
