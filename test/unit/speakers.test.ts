import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/analyze.js';
import type { Analysis, Attribution } from '../../src/core/types.js';
import { PASSAGES } from '../fixtures/speakers/passages.js';

function find(a: Analysis, cue: string, nth = 0): Attribution | undefined {
  return a.attributions.filter((x) => x.cue.text.toLowerCase().includes(cue.toLowerCase()))[nth];
}

const norm = (s: string) => s.toLowerCase().replace(/^(the|a|an) /, '');

for (const p of PASSAGES) {
  test(`speakers passage: ${p.name}`, () => {
    const a = analyze(p.text, { title: null });
    const att = find(a, p.cue, p.nth);
    assert.ok(att, `no attribution with cue "${p.cue}" in: ${p.text}\nfound: ${a.attributions.map((x) => x.cue.text).join(', ')}`);
    const ents = new Map(a.entities.map((e) => [e.id, e]));
    const sp = att.speaker ? ents.get(att.speaker) : undefined;
    if (p.speaker === null) {
      assert.equal(att.speaker, null, `expected no speaker, got ${sp?.name}`);
    } else {
      assert.ok(sp, `expected speaker ${p.speaker}, got none (source ${att.source?.text})`);
      assert.equal(norm(sp.name), norm(p.speaker));
      if (p.anonymous !== undefined) assert.equal(sp.anonymous, p.anonymous, `anonymous of ${sp.name}`);
      if (p.type) assert.equal(sp.type, p.type);
    }
    const via = att.via.map((v) => ents.get(v)?.name ?? '?');
    assert.deepEqual(via.map(norm), (p.via ?? []).map(norm), 'via');
    if (p.hedged !== undefined) assert.equal(att.hedged, p.hedged, 'hedged');
    // Every id the attributions name is an entity, and every entity mention is a real range.
    for (const x of a.attributions) {
      if (x.speaker) assert.ok(ents.has(x.speaker));
      for (const v of x.via) assert.ok(ents.has(v));
    }
    for (const e of a.entities) for (const [s, t] of e.mentions) assert.ok(s >= 0 && t <= p.text.length && s < t);
  });
}
