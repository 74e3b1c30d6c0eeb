/**
 * Direct and mixed quotation shares per outlet over the 840 PolNeAR train texts (outlet from
 * metadata.tsv): a check that every outlet's quotation convention is read (the NYT marks quotes with
 * doubled apostrophes).
 *
 *   node --import tsx bench/direct-share.ts
 */
import { readFileSync, readdirSync } from 'node:fs';
import { analyze } from '../src/analyze.js';
const meta = new Map<string, string>();
for (const l of readFileSync(new URL('../../shared/data/polnear/metadata.tsv', import.meta.url), 'utf8').split('\n').slice(1)) { const c = l.split('\t'); if (c[1]) meta.set(c[1], c[4]); }
const dir = new URL('../../shared/data/polnear/train/text', import.meta.url).pathname;
const agg = new Map<string, { docs: number; n: number; direct: number; mixed: number; firstPerson: number }>();
for (const f of readdirSync(dir)) {
  const name = f.replace(/\.txt$/, '');
  const a = analyze(readFileSync(`${dir}/${f}`, 'utf8'));
  const o = meta.get(name) ?? '?';
  const r = agg.get(o) ?? { docs: 0, n: 0, direct: 0, mixed: 0, firstPerson: 0 };
  r.docs++;
  for (const x of a.attributions) { r.n++; if (x.kind === 'direct') r.direct++; if (x.kind === 'mixed') r.mixed++; }
  agg.set(o, r);
}
console.log('| outlet | articles | attributions | direct | mixed |\n| --- | --- | --- | --- | --- |');
for (const [o, r] of [...agg].sort()) console.log(`| ${o} | ${r.docs} | ${r.n} | ${(100 * r.direct / r.n).toFixed(1)}% | ${(100 * r.mixed / r.n).toFixed(1)}% |`);
