// The neural role tagger's forward pass in TypeScript must compute what the trained network computes:
// training/neural_role.py writes the log-probabilities PyTorch gives for a few cues of one training
// text (role-nn.check.json), and the TypeScript pass over the same text and cue marks must match them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_DIR } from '../../src/attribution/model.js';
import { NEURAL_FILE, NeuralRoleTagger } from '../../src/attribution/neural.js';
import { buildContext, cueMarks } from '../../src/attribution/features.js';
import { readDoc } from '../../src/nlp/document.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TRAIN = join(REPO, '..', 'shared', 'data', 'polnear', 'train', 'text');
const MODEL_DIR = process.env.WHOSAID_NEURAL_DIR || DEFAULT_MODEL_DIR;
const CHECK = join(MODEL_DIR, `${NEURAL_FILE}.check.json`);

interface Check {
  name: string;
  cueTokens: number[];
  instances: { cs: number; ce: number; from: number; to: number; logp: number[] }[];
}

test('TypeScript forward pass reproduces the trained network', { skip: (!existsSync(CHECK) && `no ${CHECK}`) || (!existsSync(TRAIN) && `no data at ${TRAIN}`) }, () => {
  const check = JSON.parse(readFileSync(CHECK, 'utf8')) as Check;
  const tagger = NeuralRoleTagger.load(MODEL_DIR);
  const doc = readDoc(readFileSync(join(TRAIN, `${check.name}.txt`), 'utf8'));
  const ctx = buildContext(doc);
  const isCue = new Uint8Array(ctx.n);
  for (const t of check.cueTokens) isCue[t] = 1;
  const cues = cueMarks(isCue);
  assert.ok(check.instances.length > 0);
  for (const inst of check.instances) {
    const { from, to, em } = tagger.tag(ctx, { start: inst.cs, end: inst.ce }, cues);
    assert.deepEqual([from, to], [inst.from, inst.to], 'window');
    assert.equal(em.length, inst.logp.length);
    for (let i = 0; i < em.length; i++) assert.ok(Math.abs(em[i] - inst.logp[i]) < 1e-3, `log-probability ${i}: ${em[i]} vs ${inst.logp[i]}`);
  }
});
