/**
 * Trains the speakers stage's antecedent ranker (src/speakers/ranker.ts) on the *learn* part of the
 * speaker annotations and writes models/speakers/ranker.json. An averaged perceptron over
 * mention-ranking decisions: at each ranked source (a pronoun, a nominal) whose annotated speaker is
 * among the candidates, the weights move towards the best-scoring right candidate and away from the
 * chosen one when it is wrong. The decisions are made by the weights being learned (so the salience
 * features see the stage's own earlier answers, as at run time). Articles are shuffled per epoch with
 * a fixed seed: the same data gives the same weights.
 * Besides the annotated rows, it learns from GUM's coreference (bench/speakers-gum.ts) and from silver
 * pronoun decisions made from unannotated PolNeAR train articles by replacing a named source with
 * "he" / "she" (bench/speakers-silver.ts): on learn CV (seeds 13 / 1 / 2) these took the pronoun rows
 * from 141 / 142 / 143 to 149 / 146 / 149 of 177 and all rows from 86.2 / 86.3 / 86.3% to 86.8 / 86.6 / 86.7%.
 *
 *   node --import tsx bench/speakers-train.ts [--epochs 12] [--seed 13] [--out models/speakers/ranker.json]
 *   node --import tsx bench/speakers-train.ts --folds 5    # cross-validation over learn articles, writes nothing
 *   node --import tsx bench/speakers-train.ts --no-silver  # without the silver pronoun decisions (bench/speakers-silver.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Entity } from '../src/core/types.js';
import { loadAnnotatedDir, type AnnotatedText } from '../src/formats/polnear.js';
import { readDoc } from '../src/nlp/document.js';
import { resolveSpeakers } from '../src/speakers/index.js';
import type { Candidate } from '../src/speakers/ranker.js';
import type { EntityDraft } from '../src/speakers/entities.js';
import { allGumDecisions, type Decision } from './speakers-gum.js';
import { silverDecisions } from './speakers-silver.js';
import { annotationFiles, goldAttributions, judge, loadRows, root, type Row } from './speakers-data.js';
import { rng } from '../src/attribution/hash.js';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : dflt;
};
const EPOCHS = Number(opt('--epochs', '12'));
const SEED = Number(opt('--seed', '13'));
const FOLDS = Number(opt('--folds', '0'));
const VERBOSE = argv.includes('--verbose');
const USE_GUM = !argv.includes('--no-gum');
/** Silver pronoun decisions from unannotated PolNeAR train articles (bench/speakers-silver.ts): at most this many; --no-silver for none. */
const SILVER = argv.includes('--no-silver') ? 0 : Number(opt('--silver', '100000'));
const OUT = resolve(root, opt('--out', 'models/speakers/ranker.json'));

function asEntity(d: EntityDraft): Entity {
  return { id: '', name: d.name, type: d.type ?? 'person', anonymous: d.anonymous, aliases: [...d.aliases], descriptors: [...d.descriptors], mentions: [] };
}

/** Is this candidate the annotated speaker? null is right for an unnamed, generic or document speaker. */
function right(c: Candidate, gold: string): boolean {
  if (!c.draft) return gold.startsWith('(') && gold !== '(none)';
  return judge(asEntity(c.draft), gold) === true;
}

interface Item {
  doc: AnnotatedText;
  rows: Map<string, Row>;
}

const allRows = loadRows(annotationFiles(argv)).filter((r) => r.part === 'learn');
const texts = new Map(loadAnnotatedDir(join(root, '../shared/data/polnear/train')).map((d) => [d.name, d]));
const items: Item[] = [];
for (const r of allRows) {
  let it = items.find((x) => x.doc.name === r.doc);
  if (!it) {
    const doc = texts.get(r.doc);
    if (!doc) throw new Error(`${r.file}:${r.line}: no PolNeAR train article named ${r.doc}`);
    it = { doc, rows: new Map() };
    items.push(it);
  }
  it.rows.set(r.att, r);
}
items.sort((a, b) => (a.doc.name < b.doc.name ? -1 : 1));
const docs = new Map(items.map((it) => [it.doc.name, readDoc(it.doc.text)]));
const gum: Decision[] = USE_GUM ? allGumDecisions(root) : [];
// Every annotated article (both parts, all sets) stays out of the silver data.
const annotatedDocs = new Set([...loadRows(annotationFiles([])), ...loadRows(annotationFiles(argv))].map((r) => r.doc));
const silver: Decision[] = SILVER > 0 ? silverDecisions(root, annotatedDocs, SILVER) : [];
if (SILVER > 0) console.log(`${silver.length} silver pronoun decisions`);

/** Trains on `train`; returns the averaged weights. */
function train(train: Item[]): Map<string, number> {
  const w = new Map<string, number>();
  const total = new Map<string, number>(); // sum of weights over steps, for averaging (lazy form)
  const stamp = new Map<string, number>();
  let step = 0;
  const bump = (f: string, by: number) => {
    const cur = w.get(f) ?? 0;
    total.set(f, (total.get(f) ?? 0) + cur * (step - (stamp.get(f) ?? 0)));
    stamp.set(f, step);
    w.set(f, cur + by);
  };
  const random = rng(SEED);
  // Annotated articles and GUM decisions, shuffled together each epoch.
  const order: (Item | Decision)[] = [...train, ...gum, ...silver];
  const learnStatic = (d: Decision) => {
    step++;
    let chosen = d.cands[0];
    let cs = -Infinity;
    for (const c of d.cands) {
      let s = 0;
      for (const f of c.features) s += w.get(f) ?? 0;
      if (s > cs) {
        cs = s;
        chosen = c;
      }
    }
    if (d.right[d.cands.indexOf(chosen)]) return;
    let target: Candidate | null = null;
    let ts = -Infinity;
    d.cands.forEach((c, k) => {
      if (!d.right[k]) return;
      let s = 0;
      for (const f of c.features) s += w.get(f) ?? 0;
      if (s > ts) {
        ts = s;
        target = c;
      }
    });
    if (!target) return;
    for (const f of (target as Candidate).features) bump(f, 1);
    for (const f of chosen.features) bump(f, -1);
  };
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const x of order) {
      if ('cands' in x) {
        learnStatic(x);
        continue;
      }
      const it = x;
      resolveSpeakers(docs.get(it.doc.name)!, goldAttributions(it.doc), {
        weights: w,
        onRank: (att, cands, chosen) => {
          const row = it.rows.get(att);
          if (!row || row.speaker === '(none)') return;
          step++;
          if (right(chosen, row.speaker)) return;
          let target: Candidate | null = null;
          let ts = -Infinity;
          for (const c of cands) {
            if (!right(c, row.speaker)) continue;
            let s = 0;
            for (const f of c.features) s += w.get(f) ?? 0;
            if (s > ts) {
              ts = s;
              target = c;
            }
          }
          if (!target) return;
          for (const f of target.features) bump(f, 1);
          for (const f of chosen.features) bump(f, -1);
        },
      });
    }
  }
  const avg = new Map<string, number>();
  for (const [f, cur] of w) {
    if (f.startsWith('gum:') || f.startsWith('syn:')) continue; // GUM-only and silver-only copies: never seen at run time
    const sum = (total.get(f) ?? 0) + cur * (step - (stamp.get(f) ?? 0));
    const v = Math.round((sum / Math.max(1, step)) * 1000) / 1000;
    if (v !== 0) avg.set(f, v);
  }
  return avg;
}

const ranked = new Set<string>();

/** Accuracy of the ranked decisions on `test` (the rows the ranker decides). */
function evaluate(test: Item[], w: Map<string, number>): { n: number; ok: number } {
  let n = 0;
  let ok = 0;
  for (const it of test) {
    resolveSpeakers(docs.get(it.doc.name)!, goldAttributions(it.doc), {
      weights: w,
      onRank: (att, _c, chosen) => {
        const row = it.rows.get(att);
        if (!row || row.speaker === '(none)') return;
        n++;
        ranked.add(`${it.doc.name}:${att}`);
        if (right(chosen, row.speaker)) ok++;
        else if (VERBOSE) {
          const has = _c.filter((c) => right(c, row.speaker)).map((c) => c.draft?.name ?? 'null');
          console.log(`MISS ${row.kind}\t[${row.source}] ${row.cue}\tgold=${row.speaker}\tgot=${chosen.draft?.name ?? 'null'}\tright among=${has.join(', ') || '-'}\t${it.doc.name}:${row.start}`);
        }
      },
    });
  }
  return { n, ok };
}

/** Speaker accuracy over every scored row of `test` (gold spans), with weights or with the old rules. */
function rowAccuracy(test: Item[], w: Map<string, number> | null, byKind?: Map<string, number[]>): { n: number; ok: number; rn: number; rok: number } {
  let n = 0;
  let ok = 0;
  let rn = 0;
  let rok = 0;
  for (const it of test) {
    const res = resolveSpeakers(docs.get(it.doc.name)!, goldAttributions(it.doc), w ? { weights: w } : { resolver: 'rules' });
    const ents = new Map(res.entities.map((e) => [e.id, e]));
    for (const a of res.attributions) {
      const row = it.rows.get(a.id);
      if (!row) continue;
      const j = judge(a.speaker ? ents.get(a.speaker) : undefined, row.speaker);
      if (j === null) continue;
      n++;
      if (j) ok++;
      if (byKind) {
        const t = byKind.get(row.kind) ?? [0, 0];
        t[0] += j ? 1 : 0;
        t[1]++;
        byKind.set(row.kind, t);
      }
      if (ranked.has(`${it.doc.name}:${a.id}`)) {
        rn++;
        if (j) rok++;
      }
    }
  }
  return { n, ok, rn, rok };
}

if (FOLDS > 1) {
  const sum = { rank: [0, 0], rows: [0, 0], rules: [0, 0], rr: [0, 0], rrules: [0, 0] };
  // Held-out accuracy by annotated kind (ranker), so that a change aimed at one kind shows where it lands.
  const byKind = new Map<string, number[]>();
  for (let k = 0; k < FOLDS; k++) {
    const test = items.filter((_, i) => i % FOLDS === k);
    const w = train(items.filter((_, i) => i % FOLDS !== k));
    const r = evaluate(test, w);
    const a = rowAccuracy(test, w, byKind);
    const b = rowAccuracy(test, null);
    sum.rank[0] += r.ok;
    sum.rank[1] += r.n;
    sum.rows[0] += a.ok;
    sum.rows[1] += a.n;
    sum.rules[0] += b.ok;
    sum.rules[1] += b.n;
    sum.rr[0] += a.rok;
    sum.rr[1] += a.rn;
    sum.rrules[0] += b.rok;
    sum.rrules[1] += b.rn;
  }
  const pct = ([ok, n]: number[]) => `${ok}/${n} = ${((100 * ok) / n).toFixed(1)}%`;
  console.log(`${FOLDS}-fold cross-validation over ${items.length} learn articles (gold spans): ranked decisions ${pct(sum.rank)}; ` +
    `all rows ${pct(sum.rows)} (hand-ordered rules on the same rows: ${pct(sum.rules)}); ` +
    `rows the ranker decides ${pct(sum.rr)} (rules: ${pct(sum.rrules)})`);
  console.log(`by kind: ${[...byKind].sort((x, y) => y[1][1] - x[1][1]).map(([k, t]) => `${k} ${pct(t)}`).join('; ')}`);
} else {
  const t0 = performance.now();
  const w = train(items);
  const r = evaluate(items, w);
  const weights = Object.fromEntries([...w].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify({
    format: 'whosaid-speaker-ranker/1',
    trainedOn: `${allRows.length} annotated rows (learn part) over ${items.length} PolNeAR train articles` +
      (USE_GUM ? `, and ${gum.length} pronoun and description decisions from GUM coreference (CC BY 4.0)` : '') +
      (SILVER > 0 ? `, and ${silver.length} silver pronoun decisions (names replaced by he/she in unannotated PolNeAR train articles)` : ''),
    command: `node --import tsx bench/speakers-train.ts --epochs ${EPOCHS} --seed ${SEED}${USE_GUM ? '' : ' --no-gum'}${SILVER > 0 ? '' : ' --no-silver'}`,
    epochs: EPOCHS,
    seed: SEED,
    weights,
  }, null, 1) + '\n');
  console.log(`trained on ${items.length} articles (${allRows.length} rows) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${w.size} weights; ` +
    `training-set ranked decisions ${r.ok}/${r.n} = ${((100 * r.ok) / r.n).toFixed(1)}%; wrote ${OUT}`);
}
