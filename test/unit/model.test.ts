// The byte tables saved beside the float weights are derived data: they must be exactly what packing
// the committed floats gives, or analysis would run a model other than the one the card describes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CONTENT_ENDS_FILE, DEFAULT_MODEL_DIR, loadInferenceModel, loadModel, ModelError, scorers } from '../../src/attribution/model.js';
import { ClusterError, parseClusters } from '../../src/attribution/clusters.js';
import { analyze } from '../../src/analyze.js';

const EXAMPLE = readFileSync(new URL('../../examples/port-strike.txt', import.meta.url), 'utf8');

test('committed byte tables equal the packing of the committed float weights', () => {
  const fromFloats = scorers(loadModel(DEFAULT_MODEL_DIR));
  const saved = scorers(loadInferenceModel(DEFAULT_MODEL_DIR));
  for (const key of ['cues', 'role'] as const) {
    const a = fromFloats[key].packed();
    const b = saved[key].packed();
    assert.deepEqual(b.scales, a.scales, `${key} scales`);
    assert.equal(b.table.length, a.table.length, `${key} table size`);
    assert.ok(Buffer.from(b.table).equals(Buffer.from(a.table)), `${key} table bytes differ: retrain or re-save the model`);
  }
});

function copyModel(withPacked: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'whosaid-model-'));
  for (const f of ['cue.f32.gz', 'inner.f32.gz', 'role.f32.gz']) copyFileSync(join(DEFAULT_MODEL_DIR, f), join(dir, f));
  const meta = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'model.json'), 'utf8'));
  if (withPacked) for (const f of ['cues.u8.gz', 'role.u8.gz']) copyFileSync(join(DEFAULT_MODEL_DIR, f), join(dir, f));
  else delete meta.packed;
  if (meta.clusters) copyFileSync(join(DEFAULT_MODEL_DIR, meta.clusters), join(dir, meta.clusters));
  if (meta.contentEnds) copyFileSync(join(DEFAULT_MODEL_DIR, CONTENT_ENDS_FILE), join(dir, CONTENT_ENDS_FILE));
  writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
  return dir;
}

test('a model without byte tables is packed from its floats and analyses the same', () => {
  const dir = copyModel(false);
  try {
    const packedOnLoad = analyze(EXAMPLE, { model: loadInferenceModel(dir) });
    const saved = analyze(EXAMPLE, { model: loadInferenceModel(DEFAULT_MODEL_DIR) });
    assert.ok(saved.attributions.length > 0);
    assert.deepEqual(packedOnLoad, saved);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a byte table of the wrong size is a ModelError naming the folder', () => {
  const dir = copyModel(true);
  try {
    writeFileSync(join(dir, 'role.u8.gz'), gzipSync(Buffer.alloc(1000)));
    assert.throws(() => loadInferenceModel(dir), (err: unknown) => err instanceof ModelError && err.message.includes(dir) && /packed tables do not fit/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a model asking for the span-edge ranker without its file is a ModelError naming the file', () => {
  const dir = copyModel(true);
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    meta.contentEnds = true;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
    rmSync(join(dir, CONTENT_ENDS_FILE), { force: true });
    assert.throws(() => loadInferenceModel(dir), (err: unknown) => err instanceof ModelError && err.message.includes(CONTENT_ENDS_FILE) && err.message.includes(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const TRAIN_TEXTS = fileURLToPath(new URL('../../../shared/data/polnear/train/text/', import.meta.url));

test('the span-edge ranker moves content edges, not cues', { skip: !existsSync(TRAIN_TEXTS) && `no data at ${TRAIN_TEXTS}` }, () => {
  // Same taggers with and without it, over the first 20 PolNeAR train texts: contents move, cues do not.
  const on = loadInferenceModel(DEFAULT_MODEL_DIR);
  const off = loadInferenceModel(DEFAULT_MODEL_DIR);
  off.contentEnds = null;
  assert.ok(on.contentEnds, 'the committed model uses the ranker');
  const texts = readdirSync(TRAIN_TEXTS).sort().slice(0, 20).map((f) => readFileSync(join(TRAIN_TEXTS, f), 'utf8'));
  let changed = 0;
  let total = 0;
  let cueDiff = 0;
  for (const text of texts) {
    const a = analyze(text, { model: on }).attributions;
    const b = analyze(text, { model: off }).attributions;
    // A content's length feeds the confidence, so a moved end may tip an attribution over the cut;
    // nothing else about cues changes.
    const cuesB = new Set(b.map((t) => JSON.stringify(t.cue.spans)));
    cueDiff += a.filter((t) => !cuesB.has(JSON.stringify(t.cue.spans))).length + Math.abs(a.length - b.length);
    const contentOf = new Map(b.map((t) => [JSON.stringify(t.cue.spans), JSON.stringify(t.content.spans)]));
    changed += a.filter((t) => contentOf.get(JSON.stringify(t.cue.spans)) !== JSON.stringify(t.content.spans)).length;
    total += a.length;
  }
  assert.ok(cueDiff <= total / 50, `cues moved: ${cueDiff} of ${total}`);
  assert.ok(changed > 0, 'some content moved');
  assert.ok(changed < total / 4, `a ranker learnt to correct the tagger moves few contents (${changed} of ${total})`);
});

test('a model trained with word clusters but without its table is a ModelError naming the file', () => {
  const dir = copyModel(true);
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    meta.clusters = 'missing-clusters.tsv.gz';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(meta));
    assert.throws(() => loadInferenceModel(dir), (err: unknown) => err instanceof ModelError && err.message.includes('missing-clusters.tsv.gz') && /trained with word clusters/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cluster tables: ids per granularity, a clear error for a table that is not one', () => {
  const table = parseClusters(gzipSync('# header\nsaid\t4\t1\nblamed\t7\t1\n'), 'x.tsv.gz');
  assert.equal(table.levels, 2);
  assert.equal(table.ids.size, 2);
  // Same coarse cluster, different fine ones.
  assert.equal(table.ids.get('said')![1], table.ids.get('blamed')![1]);
  assert.notEqual(table.ids.get('said')![0], table.ids.get('blamed')![0]);
  assert.throws(() => parseClusters(Buffer.from('not gzip'), 'x.tsv.gz'), (err: unknown) => err instanceof ClusterError && err.message.startsWith('x.tsv.gz: not a gzipped'));
  assert.throws(() => parseClusters(gzipSync('said\t4\t1\nblamed\t7\n'), 'y.tsv.gz'), (err: unknown) => err instanceof ClusterError && /y.tsv.gz: line 2/.test(err.message));
});
