// Quality guard: the committed model on PolNeAR dev must not fall below the product's targets.
// A change to features, decoding or weights that loses accuracy fails here, not in a user's hands.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/analyze.js';
import { evaluateDir } from '../../src/eval/run.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DEV = fileURLToPath(new URL('../shared/data/polnear/dev', new URL(REPO, 'file://')));

// The committed model's dev figures (0.737 / 0.705 / 0.550 / 0.634, with the span-edge ranker) less the seed spread, rounded down.
const TARGETS = { source: 0.72, cue: 0.7, content: 0.54, attribution: 0.62 };

test('committed model meets the exact-F1 targets on PolNeAR dev', { skip: !existsSync(DEV) && `no data at ${DEV}` }, () => {
  const { scores } = evaluateDir(DEV, (text, name) => analyze(text, { id: name }).attributions);
  assert.ok(scores.documents >= 80, `only ${scores.documents} dev documents were scored`);
  const got = {
    source: scores.exact.source.f1,
    cue: scores.exact.cue.f1,
    content: scores.exact.content.f1,
    attribution: scores.attribution.f1,
  };
  const report = Object.entries(got).map(([k, v]) => `${k} ${v.toFixed(3)} (target ${TARGETS[k as keyof typeof TARGETS]})`).join(', ');
  for (const [k, target] of Object.entries(TARGETS)) {
    assert.ok(got[k as keyof typeof got] >= target, `${k} F1 below target: ${report}`);
  }
});
