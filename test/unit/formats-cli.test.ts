/** CSV cells, pretty JSON, JSONL dates and progress lines: the small format rules the CLI relies on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ATTRIBUTION_CSV_HEADER, attributionRows, csvField } from '../../src/formats/csv.js';
import { compactJson, prettyJson } from '../../src/formats/json.js';
import { isPublishedDate, JsonlLineError, parseArticleLine } from '../../src/formats/jsonl.js';
import { progressLine } from '../../src/corpus/progress.js';
import type { BatchCounts } from '../../src/corpus/batch.js';
import { analyze } from '../../src/analyze.js';
import { spanRef } from '../../src/core/span.js';
import type { Analysis } from '../../src/core/types.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/port-strike.txt', import.meta.url));

test('csv: formulas are neutralised also after spaces, line breaks, and in full-width form', () => {
  for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', ' =HYPERLINK("x")', '\n=1', ' \n @x', '＝1+1', '　＝1', '＋1', '－1', '＠x']) {
    const cell = csvField(s);
    const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
    assert.ok(unquoted.startsWith("'"), `${JSON.stringify(s)} came out as ${JSON.stringify(cell)}`);
    assert.equal(unquoted.slice(1), s, 'the text itself is kept');
  }
  for (const s of ['plain', 'a = b', 'e-mail', '5 = five', "'quoted"]) assert.ok(!csvField(s).startsWith("'") || s.startsWith("'"), s);
  assert.equal(csvField(-3), '-3', 'numbers are ours, not formulas');
});

function relayed(): Analysis {
  const text = 'Reuters quoted an official as saying the port would close, the agency said.';
  const r = (s: string) => {
    const i = text.indexOf(s);
    return spanRef(text, [[i, i + s.length]]);
  };
  return {
    schema: 'whosaid/1',
    document: { id: 'd', title: null, chars: text.length },
    attributions: [
      { id: 'a1', source: r('an official'), cue: r('quoted'), content: r('the port would close'), kind: 'indirect', speaker: 'e1', via: ['e2', 'e3'], parent: null, hedged: false, confidence: 0.9 },
      { id: 'a2', source: null, cue: r('said'), content: r('the port would close'), kind: 'indirect', speaker: null, via: [], parent: null, hedged: false, confidence: 0.5 },
    ],
    entities: [
      { id: 'e1', name: 'an official', type: 'anonymous', anonymous: true, aliases: [], descriptors: [], mentions: [] },
      { id: 'e2', name: 'Reuters', type: 'media', anonymous: false, aliases: [], descriptors: [], mentions: [] },
      { id: 'e3', name: 'the agency', type: 'organization', anonymous: false, aliases: [], descriptors: [], mentions: [] },
    ],
    profile: { attributions: 2, speakers: 1, named: 0, anonymous: 1, unattributed: 1, headlineQuestion: false, flags: [] },
  };
}

test('csv: via names and source and cue offsets, as new columns at the end', () => {
  const old = ['document_id', 'title', 'outlet', 'published', 'url', 'attribution_id', 'kind', 'source', 'cue', 'content', 'speaker', 'speaker_type', 'anonymous', 'hedged', 'confidence', 'parent', 'content_start', 'content_end'];
  assert.deepEqual(ATTRIBUTION_CSV_HEADER.slice(0, old.length), old, 'existing columns keep their places');
  const a = relayed();
  const rows = attributionRows(a).trimEnd().split('\r\n').map((l) => l.split(','));
  const col = (row: string[], name: string) => row[ATTRIBUTION_CSV_HEADER.indexOf(name)];
  assert.equal(rows.length, 2);
  for (const row of rows) assert.equal(row.length, ATTRIBUTION_CSV_HEADER.length);
  assert.equal(col(rows[0], 'via'), 'Reuters; the agency');
  const [at] = a.attributions;
  assert.deepEqual([col(rows[0], 'source_start'), col(rows[0], 'source_end')].map(Number), at.source!.spans[0]);
  assert.deepEqual([col(rows[0], 'cue_start'), col(rows[0], 'cue_end')].map(Number), at.cue.spans[0]);
  assert.deepEqual([col(rows[1], 'via'), col(rows[1], 'source_start'), col(rows[1], 'source_end')], ['', '', ''], 'no relay, no source: empty cells');
  // Without a store: the entity's gender as the analysis gives it, no role; with one: the corpus speaker's.
  assert.deepEqual([col(rows[0], 'speaker_gender'), col(rows[0], 'speaker_role'), col(rows[1], 'speaker_gender')], ['unknown', '', '']);
  const stored = attributionRows(a, (id) => (id === 'a1' ? { gender: 'female', role: 'anonymous' } : null)).trimEnd().split('\r\n').map((l) => l.split(','));
  assert.deepEqual([col(stored[0], 'speaker_gender'), col(stored[0], 'speaker_role'), col(stored[1], 'speaker_role')], ['female', 'anonymous', '']);
});

test('pretty JSON keeps each [start, end] pair on one line and parses to the same value', () => {
  const text = readFileSync(EXAMPLE, 'utf8');
  const a = analyze(text, { id: 'port-strike' });
  const pretty = prettyJson(a);
  assert.deepEqual(JSON.parse(pretty), a);
  assert.doesNotMatch(pretty, /\[\n\s*\d+,\n\s*\d+\n\s*\]/, 'no span spread over lines');
  assert.doesNotMatch(pretty, /\[\n\s*\[\d+, \d+\]/, 'no list of spans spread over lines');
  assert.match(pretty, /"spans": \[\[\d+, \d+\](, \[\d+, \d+\])*\],?\n/);
  const spread = JSON.stringify(a, null, 2).split('\n').length;
  assert.ok(pretty.split('\n').length < 0.7 * spread, `${pretty.split('\n').length} lines against ${spread}`);
});

test('JSON for terminals escapes C1 controls and bidi overrides, and still parses the same', () => {
  const v = { name: 'a\u009b31mred\u202eevil\u2066x', n: [1, 2] };
  for (const out of [prettyJson(v), compactJson(v)]) {
    assert.doesNotMatch(out, /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/);
    assert.deepEqual(JSON.parse(out), v);
  }
});

test('JSONL "published" must be a real date; anything else rejects the line with the reason', () => {
  const line = (published: unknown) => JSON.stringify({ id: 'x', text: 'Some text.', published });
  for (const ok of ['2024-03-01', '2024-02-29', '2024-03-01T12:00:00Z', '2024-03-01T12:00:00.123+02:00', '2024-03-01 12:00', 'Fri, 01 Mar 2024 12:00:00 GMT', '1 Mar 2024']) {
    assert.ok(isPublishedDate(ok), ok);
    assert.equal(parseArticleLine(line(ok)).published, ok);
  }
  for (const bad of ['last Tuesday', '2023-02-29', '2024-13-01', '2024-02-30', '1', 'March 5', '2024', '2024-03-01T25:00', 1700000000]) {
    assert.throws(() => parseArticleLine(line(bad)), (err: Error) => err instanceof JsonlLineError && /"published" is not a date/.test(err.message), String(bad));
  }
  assert.equal(parseArticleLine(line(null)).published, undefined);
});

const counts = (c: Partial<BatchCounts>): BatchCounts => ({
  processed: 0, stored: 0, skipped: 0, errors: 0, attributions: 0, totalDocs: null, totalBytes: null, bytesRead: 0, elapsedMs: 10_000, ...c,
});

test('progress lines count documents as they are analysed, before their batch commits', () => {
  const line = progressLine(counts({ processed: 120, stored: 0, totalDocs: 840 }));
  assert.match(line, /^120\/840 documents processed: 0 stored, /);
  assert.match(line, /12\.0\/s/);
  // JSONL: the count is unknown, the share of the input read is not; never "0 (52% of input) documents".
  const jsonl = progressLine(counts({ processed: 40, stored: 0, totalBytes: 1000, bytesRead: 520 }));
  assert.match(jsonl, /^40 documents processed, 52% of the input read: 0 stored/);
  assert.match(progressLine(counts({ processed: 1 })), /^1 document processed: /);
});

test('a batch reports documents as they are analysed, before the one transaction commits them', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const { runBatch } = await import('../../src/corpus/batch.js');
  const { openStore } = await import('../../src/store/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-progress-'));
  try {
    for (let i = 0; i < 6; i++) writeFileSync(join(dir, `d${i}.txt`), `The mayor said the budget for year ${i} was balanced.\n`);
    const store = await openStore(join(dir, 'p.db'));
    const seen: BatchCounts[] = [];
    // One transaction for all six: before it commits, only `processed` can move.
    const final = await runBatch(store, [dir], { workers: 1, batchSize: 1000, onProgress: (c) => seen.push({ ...c }) });
    await store.close();
    assert.equal(final.stored, 6);
    assert.equal(final.processed, 6);
    const beforeCommit = seen.filter((c) => c.stored === 0);
    assert.ok(beforeCommit.some((c) => c.processed > 0), `progress before the commit: ${JSON.stringify(beforeCommit.map((c) => c.processed))}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
