// The neural role tagger's forward pass in TypeScript must compute what the trained network computes:
// training/neural_role.py writes the log-probabilities PyTorch gives for a few cues of one training
// text (role-nn.check.json), and the TypeScript pass over the same text and cue marks must match them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MODEL_DIR, loadInferenceModel, ModelError } from '../../src/attribution/model.js';
import { analyze } from '../../src/analyze.js';
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

function withRoleTagger<T>(value: string, f: () => T): T {
  const before = process.env.WHOSAID_ROLE_TAGGER;
  process.env.WHOSAID_ROLE_TAGGER = value;
  try {
    return f();
  } finally {
    if (before === undefined) delete process.env.WHOSAID_ROLE_TAGGER;
    else process.env.WHOSAID_ROLE_TAGGER = before;
  }
}

test('an unknown role tagger choice is a one-line model error', () => {
  assert.throws(() => withRoleTagger('lstm', () => loadInferenceModel(DEFAULT_MODEL_DIR)), (err: Error) => err instanceof ModelError && /not one of perceptron, neural, ensemble/.test(err.message) && !err.message.includes('\n'));
});

test('neural and ensemble role taggers give attributions whose spans lie in the text', { skip: !existsSync(join(DEFAULT_MODEL_DIR, `${NEURAL_FILE}.json`)) && 'no committed neural role tagger' }, () => {
  const text = 'The mayor said on Tuesday that the bridge would reopen in May. "We are not there yet," a spokeswoman for the city added.';
  for (const mode of ['neural', 'ensemble']) {
    const model = withRoleTagger(mode, () => loadInferenceModel(DEFAULT_MODEL_DIR));
    assert.ok(model.neural, mode);
    const got = analyze(text, { model }).attributions;
    assert.ok(got.length > 0, mode);
    for (const a of got) {
      const [cs, ce] = [a.cue.spans[0][0], a.cue.spans[a.cue.spans.length - 1][1]];
      for (const span of [...a.content.spans, ...(a.source?.spans ?? [])]) {
        const [s, e] = span;
        assert.ok(s >= 0 && e <= text.length && s < e, `${mode}: span ${s}-${e} outside the text`);
        assert.ok(e <= cs || s >= ce, `${mode}: a role span overlaps its cue`);
      }
    }
  }
});
