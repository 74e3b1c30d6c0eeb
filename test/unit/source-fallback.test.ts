import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDoc } from '../../src/nlp/document.js';
import { buildContext, cueMarks, ROLE, ROLE_LABELS } from '../../src/attribution/features.js';
import { fallbackSource } from '../../src/attribution/extract.js';

const TEXT = 'Rain fell all week. The union leader quietly urged members to strike on Monday.';

/**
 * The tagger's view of the cue "urged" in `text`: the words from `content` on to the full stop tagged as
 * its content (scored 10), everything else outside (scored 10), no source; emissions set per test.
 */
function setup(text = TEXT, content: string | null = 'members') {
  const doc = readDoc(text);
  const ctx = buildContext(doc);
  const word = (w: string, from = 0) => doc.tokens.findIndex((t, i) => i >= from && t.text === w);
  const cue = { start: word('urged'), end: word('urged') + 1 };
  const isCue = new Uint8Array(doc.tokens.length);
  isCue[cue.start] = 1;
  const n = doc.tokens.length;
  const labels = new Uint8Array(n);
  if (content) for (let t = word(content); t < word('.', word(content)); t++) labels[t] = t === word(content) ? ROLE.BC : ROLE.IC;
  const em = new Float32Array(n * ROLE_LABELS);
  for (let t = 0; t < n; t++) em[t * ROLE_LABELS + labels[t]] = 10;
  const tagged = { from: 0, labels, em, L: ROLE_LABELS };
  const set = (w: string, role: number, score: number) => (em[word(w) * ROLE_LABELS + role] = score);
  return { doc, ctx, cue, cues: cueMarks(isCue), tagged, word, set };
}

describe('source fallback', () => {
  it('starts a source where a source start scored within the slack of outside, and runs over the noun phrase', () => {
    const { ctx, cue, cues, tagged, word, set } = setup();
    set('The', ROLE.BS, 4); // 6 under the outside score of 10
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 8), [word('The'), word('union'), word('leader')]);
  });

  it('finds none when the best start is further under than the slack', () => {
    const { ctx, cue, cues, tagged, set } = setup();
    set('The', ROLE.BS, 4);
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 5), []);
  });

  it('goes on past the noun phrase only where the inside score beats outside', () => {
    const { ctx, cue, cues, tagged, word, set } = setup();
    set('The', ROLE.BS, 9);
    set('quietly', ROLE.IS, 11);
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 5), [word('The'), word('union'), word('leader'), word('quietly')]);
  });

  it('never starts in another sentence, in the content, on a cue or on a verb', () => {
    const { ctx, cue, cues, tagged, set } = setup();
    for (const w of ['Rain', 'week', 'members', 'Monday', 'urged', 'strike']) set(w, ROLE.BS, 100);
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 5), []);
  });

  it('keeps a confined cue\'s source inside its quotation', () => {
    const { doc, ctx, cue, cues, tagged, word, set } = setup('The mayor wrote: "Union leaders urged members to strike on Monday."', null);
    set('The', ROLE.BS, 9);
    set('Union', ROLE.BS, 7);
    assert.equal(doc.tokens[word('The')].sentence, doc.tokens[cue.start].sentence);
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 5), [word('The'), word('mayor')]);
    assert.deepEqual(fallbackSource(ctx, cue, cues, tagged, 5, true), [word('Union'), word('leaders')]);
  });
});
