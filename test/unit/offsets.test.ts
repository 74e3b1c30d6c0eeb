// Offsets are the contract every consumer relies on: each token, sentence and span must index the
// exact input string as String.prototype.slice counts it, whatever the text contains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readDoc } from '../../src/nlp/document.js';
import { analyze } from '../../src/analyze.js';
import { GAP } from '../../src/core/span.js';
import type { Analysis, Doc, SpanRef } from '../../src/core/types.js';

const example = readFileSync(fileURLToPath(new URL('../../examples/port-strike.txt', import.meta.url)), 'utf8');

const tricky: Record<string, string> = {
  'curly quotes': '“I can’t stop now,” she said. ‘Not yet,’ he replied, “not while they’re watching.”',
  contractions: "They'd've gone, wouldn't they? \"I'm sure we'll see,\" the mayor's aide said.",
  'multiple spaces': 'The   minister    said  "no   deal"   on   Friday.',
  newlines: 'Headline here\n\nThe union said\r\nthe strike would go on.\n\n\n"We stay," it said.\n',
  'emoji and astral': 'The fan 😀 said 𝒳 was "great 👍🏽 fun," adding that 👨‍👩‍👧 families came.',
  'non-Latin scripts': 'Президент сказал: «Нет». 大統領は「いいえ」と言った。 قال الرئيس "لا". The envoy said "ok."',
  'nbsp and tabs': 'The mayor\u00a0said\tthat "the\u00a0budget" was fine,\u2009officials added.',
};

function checkTokens(doc: Doc): void {
  let prevEnd = 0;
  doc.tokens.forEach((t, i) => {
    assert.equal(t.i, i);
    assert.equal(doc.text.slice(t.start, t.end), t.text, `token ${i} "${t.text}" at ${t.start}-${t.end}`);
    assert.ok(t.start >= prevEnd, `token ${i} starts before the previous one ends`);
    assert.ok(t.end > t.start, `token ${i} is empty`);
    prevEnd = t.end;
  });
}

function checkSentences(doc: Doc): void {
  const { tokens, sentences } = doc;
  if (!tokens.length) return;
  assert.ok(sentences.length > 0);
  assert.equal(sentences[0].tokenStart, 0);
  assert.equal(sentences[sentences.length - 1].tokenEnd, tokens.length);
  sentences.forEach((s, i) => {
    assert.equal(s.i, i);
    assert.ok(s.tokenEnd > s.tokenStart, `sentence ${i} holds no tokens`);
    if (i > 0) assert.equal(s.tokenStart, sentences[i - 1].tokenEnd, `gap or overlap before sentence ${i}`);
    assert.equal(s.start, tokens[s.tokenStart].start);
    assert.equal(s.end, tokens[s.tokenEnd - 1].end);
    for (let t = s.tokenStart; t < s.tokenEnd; t++) assert.equal(tokens[t].sentence, i);
  });
}

function checkSpan(text: string, ref: SpanRef, label: string): void {
  assert.ok(ref.spans.length > 0, `${label} has no ranges`);
  let prevEnd = -1;
  for (const [s, e] of ref.spans) {
    assert.ok(s >= 0 && e <= text.length && e > s, `${label} range ${s}-${e} outside the text`);
    assert.ok(s > prevEnd, `${label} ranges unsorted or overlapping`);
    prevEnd = e;
  }
  assert.equal(ref.text, ref.spans.map(([s, e]) => text.slice(s, e)).join(GAP), `${label} text differs from its ranges`);
}

function checkAnalysis(text: string, a: Analysis): void {
  assert.equal(a.document.chars, text.length);
  for (const att of a.attributions) {
    checkSpan(text, att.cue, `${att.id} cue`);
    checkSpan(text, att.content, `${att.id} content`);
    if (att.source) checkSpan(text, att.source, `${att.id} source`);
  }
  for (const e of a.entities) for (const [s, t] of e.mentions) assert.ok(s >= 0 && t <= text.length && t > s);
}

test('the example: tokens, sentences and attribution spans index the text', () => {
  const doc = readDoc(example);
  checkTokens(doc);
  checkSentences(doc);
  const a = analyze(example, { id: 'port-strike' });
  // The example is written to be full of attributions; far fewer means the pipeline broke.
  assert.ok(a.attributions.length >= 15, `only ${a.attributions.length} attributions`);
  checkAnalysis(example, a);
});

for (const [name, text] of Object.entries(tricky)) {
  test(`offsets hold with ${name}`, () => {
    const doc = readDoc(text);
    assert.ok(doc.tokens.length > 3, 'text was not tokenised');
    checkTokens(doc);
    checkSentences(doc);
    // Every non-space character outside a token would be text the model never saw.
    const covered = new Uint8Array(text.length);
    for (const t of doc.tokens) covered.fill(1, t.start, t.end);
    for (let i = 0; i < text.length; i++) {
      if (!covered[i]) assert.match(text[i], /\s/u, `"${text[i]}" at ${i} belongs to no token`);
    }
    checkAnalysis(text, analyze(text));
  });
}

test('the headline of the example ends its own sentence', () => {
  const doc = readDoc(example);
  const firstLine = example.slice(0, example.indexOf('\n'));
  assert.equal(doc.text.slice(doc.sentences[0].start, doc.sentences[0].end), firstLine);
});
