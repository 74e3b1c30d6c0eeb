/**
 * Speaker accuracy on the hand-annotated PolNeAR *train* attributions (test/fixtures/speaker-annotations/,
 * see its README): every annotated source that is not a plain full name, scored two ways.
 *
 * - gold spans: the article's gold attributions are fed to the speakers stage, which measures that stage alone;
 * - end to end: analyze() on the raw text with the committed attribution model; the found attribution whose
 *   source overlaps the annotated source is judged, and an annotated attribution not found counts as wrong.
 *
 *   node --import tsx bench/speakers-eval.ts --set measure          # the held-out part: aggregate figures only
 *   node --import tsx bench/speakers-eval.ts --set learn --verbose  # the part to learn from: misses listed
 *   node --import tsx bench/speakers-eval.ts --set measure --code /tmp/whosaid-old   # another checkout's code
 *   node --import tsx bench/speakers-eval.ts --set measure --rules  # the hand-ordered antecedent rules
 *
 * --verbose is refused on the measure part: its items must not steer a rule or a feature.
 */
import { join, resolve } from 'node:path';
import type { Attribution, Entity } from '../src/core/types.js';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { overlapLength } from '../src/core/span.js';
import { annotationFiles, goldAttributions, issueKind, judge, judgeVia, loadRows, root, type Row } from './speakers-data.js';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const set = opt('--set') ?? 'measure';
if (!['learn', 'measure', 'all'].includes(set)) throw new Error(`--set must be learn, measure or all, not "${set}"`);
const verbose = argv.includes('--verbose');
if (verbose && set !== 'learn') throw new Error('--verbose lists items and is allowed on --set learn only');
const code = resolve(opt('--code') ?? root);
const rulesOnly = argv.includes('--rules');
const skipE2e = argv.includes('--no-e2e');

const impl = {
  readDoc: (await import(join(code, 'src/nlp/document.ts'))).readDoc as (t: string) => import('../src/core/types.js').Doc,
  resolveSpeakers: (await import(join(code, 'src/speakers/index.ts'))).resolveSpeakers as (
    doc: import('../src/core/types.js').Doc,
    a: Attribution[],
    o?: { resolver?: 'ranker' | 'rules' },
  ) => { attributions: Attribution[]; entities: Entity[] },
  analyze: (await import(join(code, 'src/analyze.ts'))).analyze as (t: string, o?: object) => { attributions: Attribution[]; entities: Entity[] },
};

const rows = loadRows(annotationFiles(argv)).filter((r) => set === 'all' || r.part === set);
const docs = new Map(loadAnnotatedDir(join(root, '../shared/data/polnear/train')).map((d) => [d.name, d]));

interface Tally {
  n: number;
  ok: number;
}
const tally = () => new Map<string, Tally>();
const gold = tally();
const e2e = tally();
const via = { n: 0, ok: 0 };
let lost = 0;
let excluded = 0;
const add = (m: Map<string, Tally>, k: string, good: boolean) => {
  const t = m.get(k) ?? { n: 0, ok: 0 };
  t.n++;
  if (good) t.ok++;
  m.set(k, t);
};
const record = (m: Map<string, Tally>, r: Row, good: boolean) => {
  add(m, 'all', good);
  // Relayed words: the annotated kind "relay" is rare; every row with an annotated relay counts here too.
  if (r.via) add(m, 'with a via', good);
  const ik = issueKind(r);
  if (ik) add(m, `issue:${ik}`, good);
  add(m, `kind:${r.kind}`, good);
};

const byDoc = new Map<string, Row[]>();
for (const r of rows) byDoc.set(r.doc, [...(byDoc.get(r.doc) ?? []), r]);
for (const [name, mine] of byDoc) {
  const d = docs.get(name);
  if (!d) throw new Error(`${mine[0].file}:${mine[0].line}: no PolNeAR train article named ${name}`);
  const doc = impl.readDoc(d.text);
  const res = impl.resolveSpeakers(doc, goldAttributions(d), rulesOnly ? { resolver: 'rules' } : undefined);
  const ents = new Map(res.entities.map((e) => [e.id, e]));
  const found = skipE2e ? null : impl.analyze(d.text, { title: null });
  const fEnts = new Map((found?.entities ?? []).map((e) => [e.id, e]));
  for (const r of mine) {
    const a = res.attributions.find((x) => x.id === r.att);
    if (!a) throw new Error(`${r.file}:${r.line}: ${name} has no gold attribution ${r.att}`);
    const e = a.speaker ? ents.get(a.speaker) : undefined;
    const good = judge(e, r.speaker);
    if (good === null) {
      excluded++;
      continue;
    }
    record(gold, r, good);
    if (r.kind === 'relay') {
      via.n++;
      if (judgeVia(a.via.map((v) => ents.get(v)!), r.via)) via.ok++;
    }
    if (verbose && !good) console.log(`MISS ${r.kind}\t[${r.source}] ${r.cue}\tgold=${r.speaker}\tgot=${e ? `${e.name} (${e.type}${e.anonymous ? ', anonymous' : ''})` : 'null'}\t${name}:${r.start}`);
    if (found) {
      const span: [number, number][] = [[r.start, r.end]];
      const hits = found.attributions.filter((x) => x.source && overlapLength(x.source.spans, span) > 0);
      const cueSpans = d.gold.find((g) => g.id === r.att)!.cue;
      const f = hits.find((x) => overlapLength(x.cue.spans, cueSpans) > 0) ?? hits[0];
      if (!f) lost++;
      const fe = f?.speaker ? fEnts.get(f.speaker) : undefined;
      const e2eGood = !!f && judge(fe, r.speaker) === true;
      record(e2e, r, e2eGood);
      if (verbose && good && !e2eGood) {
        console.log(`E2E ${r.kind}\t[${r.source}] ${r.cue}\tgold=${r.speaker}\t` +
          (f ? `found [${f.source?.text}] ${f.cue.text} -> ${fe ? fe.name : 'null'}` : `not found${hits.length ? '' : ' (no source overlaps)'}`) + `\t${name}:${r.start}`);
      }
    }
  }
}

const pct = (t: Tally | undefined) => (t && t.n ? `${((100 * t.ok) / t.n).toFixed(1)}% (${t.ok}/${t.n})` : '-');
console.log(`speaker accuracy, ${set} part: ${rows.length} annotated rows over ${byDoc.size} articles, ${excluded} "(none)" rows not scored` +
  `${code !== root ? `; code from ${code}` : ''}${rulesOnly ? '; hand-ordered rules' : ''}`);
console.log(`${'kind'.padEnd(18)}${'gold spans'.padEnd(22)}end to end`);
const keys = [...gold.keys()].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : a.localeCompare(b)));
for (const k of keys) console.log(`${k.padEnd(18)}${pct(gold.get(k)).padEnd(22)}${skipE2e ? '' : pct(e2e.get(k))}`);
console.log(`relay rows with the annotated outlet in via (gold spans): ${pct(via)}`);
if (!skipE2e) console.log(`end to end: ${lost} annotated attributions not found by the attribution model`);
