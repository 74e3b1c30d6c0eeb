// An analysis must be a function of its text alone: wink-nlp learns unknown words into a cache that
// its tokenizer consults, which used to change tags after other documents had been read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDoc } from '../../src/nlp/document.js';
import { analyze } from '../../src/analyze.js';

const tagged = (text: string) => readDoc(text).tokens.map((t) => `${t.text}/${t.pos}/${t.lemma}`);

test('tokens and tags do not depend on the documents read before', () => {
  const text = 'Analysts credited Donald Trump’s big win in Florida to Ted’s campaign, the aide said.';
  const first = tagged(text);
  // Each of these once taught wink the whole word "Trump’s", after which it stopped splitting it
  // and tagged "big win" as ADV VERB.
  for (const teacher of ['It is Trump’s.', '“Trump’s', 'Ted’s, not Trump’s.']) readDoc(teacher);
  assert.deepEqual(tagged(text), first);
  assert.ok(first.includes('big/ADJ/big') && first.includes('win/NOUN/win'), first.join(' '));
});

test('an analysis read twice, with other documents between, is the same', () => {
  const text = '"Ted\'s campaign told the lie that Ted\'s aides were paid," Trump said of Ted\'s rivals.';
  const first = JSON.stringify(analyze(text));
  readDoc("It is Ted's.");
  assert.equal(JSON.stringify(analyze(text)), first);
});
