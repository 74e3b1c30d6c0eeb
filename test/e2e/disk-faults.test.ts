/**
 * The SQLite store on a full disk and on a read-only file system, through the real CLI: one line naming
 * the file and the fault, a non-zero exit, and what was stored before is intact. The faults are real: a
 * small tmpfs, then the same mount remounted read-only (file permissions alone do not stop root, and the
 * tests run as root). Where mounting is not allowed (not root, no CAP_SYS_ADMIN) the tests say so and skip:
 * the fault cannot be made there.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(ROOT, 'test/e2e/corpus-cli-entry.ts');
const TSX = import.meta.resolve('tsx');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mount(args: string[]): boolean {
  return spawnSync('mount', args, { encoding: 'utf8' }).status === 0;
}

/** Distinct articles of a few kilobytes each, so that a small disk fills after some batches. */
function articles(n: number, tag: string): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: 12 }, (_, k) => `"The harbour number ${i}-${k} will stay closed until every crane has been inspected," the minister said on Monday, officials in ${tag} said.`).join(' ');
    lines.push(JSON.stringify({ id: `${tag}-${i}`, text: `Port ${tag} ${i}\n\n${body}` }));
  }
  return lines.join('\n') + '\n';
}

describe('SQLite store on a full disk and a read-only file system (CLI)', () => {
  let dir = '';
  let mnt = '';
  let mounted = false;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'whosaid-disk-'));
    mnt = mkdtempSync(join(tmpdir(), 'whosaid-mnt-'));
    // 3 MB: the schema and some batches fit, the whole input does not.
    mounted = mount(['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
  });
  after(() => {
    if (mounted) spawnSync('umount', [mnt]);
    rmSync(mnt, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('a full disk stops the batch with one line naming the file; the batches stored before are intact', (t) => {
    if (!mounted) return t.skip('cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN)');
    const input = join(dir, 'many.jsonl');
    writeFileSync(input, articles(400, 'full'));
    const db = join(mnt, 'news.db');
    const r = cli(['batch', input, '--db', db, '--batch-size', '10', '--workers', '1', '--no-progress'], dir);
    assert.notEqual(r.code, 0);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /disk is full/);
    assert.ok(lines[0].includes(db), lines[0]);
    const check = new Database(db, { readonly: true, fileMustExist: true });
    try {
      assert.equal(check.prepare('PRAGMA integrity_check').pluck().get(), 'ok');
      const stored = check.prepare('SELECT count(*) FROM documents').pluck().get() as number;
      assert.ok(stored >= 10 && stored < 400, `stored ${stored}`);
      // Every stored document has its attributions: no half-written batch.
      const bare = check.prepare('SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM attributions a WHERE a.doc = d.doc)').pluck().get();
      assert.equal(bare, 0);
    } finally {
      check.close();
    }
  });

  it('a read-only file system gives one line naming the file; the store is unchanged', (t) => {
    if (!mounted) return t.skip('cannot mount a small tmpfs here (needs root with CAP_SYS_ADMIN)');
    const db = join(mnt, 'ro.db');
    const first = join(dir, 'first.jsonl');
    writeFileSync(first, articles(3, 'ro'));
    // Room for a small store: the previous test filled the disk, so start from an empty one.
    spawnSync('sh', ['-c', `rm -f ${JSON.stringify(mnt)}/news.db*`]);
    assert.equal(cli(['batch', first, '--db', db, '--no-progress'], dir).code, 0);
    assert.ok(mount(['-o', 'remount,ro', mnt]), 'remount read-only');
    try {
      const more = join(dir, 'more.jsonl');
      writeFileSync(more, articles(3, 'later'));
      const r = cli(['batch', more, '--db', db, '--no-progress'], dir);
      assert.notEqual(r.code, 0);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /read-only|cannot open/);
      assert.ok(lines[0].includes(db), lines[0]);
    } finally {
      assert.ok(mount(['-o', 'remount,rw', mnt]), 'remount read-write');
    }
    const check = new Database(db, { readonly: true, fileMustExist: true });
    try {
      assert.equal(check.prepare('SELECT count(*) FROM documents').pluck().get(), 3);
    } finally {
      check.close();
    }
  });
});
