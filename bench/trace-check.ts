/**
 * The hand-check worksheet for trace precision: the N widest traces of a store (by outlets, then
 * documents), each traced from its root, one row per occurrence and one per finding, with an empty
 * verdict column to fill by reading them.
 *
 *   node --import tsx bench/trace-check.ts --db polnear-train.db --limit 50 > worksheet.tsv
 */
import { openStore } from '../src/store/index.js';
import { traceAttribution, widestTraces } from '../src/trace/index.js';
import { arg } from './args.js';

const store = await openStore(arg('db', 'whosaid.db'));
const limit = Number(arg('limit', '50'));
const clean = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
const rows: string[][] = [['trace', 'kind', 'row', 'document', 'outlet', 'published', 'attribution', 'relation', 'similarity', 'speaker', 'wording_or_finding', 'verdict']];
const list = await widestTraces(store, { limit });
let n = 0;
const t0 = performance.now();
for (const c of list) {
  n++;
  const r = c.root!;
  const t = await traceAttribution(store, r.document.hash, r.attribution.id);
  for (const o of t.occurrences) {
    rows.push([String(n), t.query.kind, 'occurrence', o.document.id, clean(o.document.outlet), clean(o.document.published), o.attribution.id, o.relation,
      String(o.similarity), clean(o.attribution.speaker), clean(o.attribution.content).slice(0, 400), '']);
  }
  for (const f of t.findings) {
    rows.push([String(n), t.query.kind, 'finding', '', '', '', '', f.code, '', '', clean(`${f.message} | ${f.evidence.map((e) => `${e.document}: ${e.detail}`).join(' ; ')}`).slice(0, 600), '']);
  }
}
process.stderr.write(`${n} traces in ${(performance.now() - t0).toFixed(0)} ms\n`);
process.stdout.write(rows.map((r) => r.map((x) => x.replace(/\t/g, ' ')).join('\t')).join('\n') + '\n');
await store.close();
