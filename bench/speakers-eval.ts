/**
 * Speaker-resolution accuracy on hand-annotated PolNeAR dev attributions whose source is a pronoun,
 * a nominal or a bare surname (test/fixtures/speaker-resolution-dev.tsv). Gold attribution spans are
 * fed to the speakers stage, so this measures the speakers stage alone, not the attribution model.
 *
 *   node --import tsx bench/speakers-eval.ts [--verbose]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Attribution, Entity } from '../src/core/types.js';
import { spanRef } from '../src/core/span.js';
import { readDoc } from '../src/nlp/document.js';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { resolveSpeakers } from '../src/speakers/index.js';
import { foldName, nameParts, orgKey, acronymOf } from '../src/speakers/names.js';

const root = new URL('..', import.meta.url).pathname;
const verbose = process.argv.includes('--verbose');
const rows = readFileSync(join(root, 'test/fixtures/speaker-resolution-dev.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [doc, s, e, source, kind, gold] = l.split('\t');
    return { doc, start: Number(s), end: Number(e), source, kind, gold };
  });

/** True when the resolved entity is the annotated speaker. */
export function matches(e: Entity | undefined, gold: string): boolean {
  if (!e) return false;
  if (gold === '(unnamed)') return e.anonymous || e.name[0] === e.name[0].toLowerCase();
  const names = [e.name, ...e.aliases];
  for (const alt of gold.split('|')) {
    const g = foldName(alt);
    if (names.some((n) => foldName(n) === g || orgKey(n) === orgKey(alt))) return true;
    if (names.some((n) => acronymOf(alt) === orgKey(n).replace(/[^a-z]/g, ''))) return true;
    if (e.type === 'person') {
      const gp = nameParts(alt);
      const ep = nameParts(e.name);
      if (gp.surname === ep.surname && (!gp.given.length || (ep.given.length && ep.given[0][0] === gp.given[0][0]))) return true;
    }
  }
  return false;
}

const docs = new Map(loadAnnotatedDir(join(root, '../shared/data/polnear/dev')).map((d) => [d.name, d]));
const byKind = new Map<string, { n: number; ok: number }>();
let n = 0;
let ok = 0;
let ms = 0;
for (const name of new Set(rows.map((r) => r.doc))) {
  const d = docs.get(name);
  if (!d) throw new Error(`missing dev document ${name}`);
  const doc = readDoc(d.text);
  const atts: Attribution[] = d.gold.map((g, i) => ({
    id: `g${i + 1}`,
    source: g.source ? spanRef(d.text, g.source) : null,
    cue: spanRef(d.text, g.cue),
    content: spanRef(d.text, g.content.length ? g.content : g.cue),
    kind: 'indirect',
    speaker: null,
    via: [],
    parent: null,
    hedged: false,
    confidence: 1,
  }));
  const t0 = performance.now();
  const { attributions, entities } = resolveSpeakers(doc, atts);
  ms += performance.now() - t0;
  const ents = new Map(entities.map((e) => [e.id, e]));
  for (const r of rows.filter((x) => x.doc === name)) {
    const a = attributions.find((x) => x.source && x.source.spans[0][0] === r.start && x.source.spans[0][1] === r.end);
    const e = a?.speaker ? ents.get(a.speaker) : undefined;
    const good = matches(e, r.gold);
    n++;
    if (good) ok++;
    const k = byKind.get(r.kind) ?? { n: 0, ok: 0 };
    k.n++;
    if (good) k.ok++;
    byKind.set(r.kind, k);
    if (verbose && !good) console.log(`MISS ${r.kind}\t[${r.source}]\tgold=${r.gold}\tgot=${e ? `${e.name} (${e.type})` : 'null'}\t${name}:${r.start}`);
  }
}
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
console.log(`speaker resolution: ${ok}/${n} = ${pct(ok, n)}`);
for (const [k, v] of byKind) console.log(`  ${k.padEnd(8)} ${v.ok}/${v.n} = ${pct(v.ok, v.n)}`);
console.log(`speakers stage time on these ${new Set(rows.map((r) => r.doc)).size} documents: ${ms.toFixed(1)} ms`);
