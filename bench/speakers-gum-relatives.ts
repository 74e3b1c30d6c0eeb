/**
 * How well the speakers stage finds the noun phrase a relative pronoun hangs on, checked on GUM's
 * treebank (../shared/data/gum/dep, CC BY 4.0 annotations; see its README): every relative who / whom /
 * which / that with an enhanced-dependency `ref` arc names its antecedent token exactly. The noun phrase
 * found (src/speakers/mentions.ts `relativeNP`) is right when it holds that token. 567 relatives in 84
 * texts that nobody tuned on: a check of the relative rule on many examples, beside the few dozen
 * relative sources of the speaker annotations.
 *
 *   node --import tsx bench/speakers-gum-relatives.ts [--verbose]
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readDoc } from '../src/nlp/document.js';
import { indexDoc, npBefore, relativeNP, tokensIn } from '../src/speakers/mentions.js';
import { root } from './speakers-data.js';
import { walkConllu } from './speakers-gum.js';

const VERBOSE = process.argv.includes('--verbose');
const RELATIVES = new Set(['who', 'whom', 'which', 'that']);

interface Rel {
  /** Character ranges of the relative pronoun and of its gold antecedent token. */
  rel: [number, number];
  gold: [number, number];
}

/** The text of one GUM file (as `walkConllu` rebuilds it) and its relatives. */
function readRelatives(file: string): { text: string; rels: Rel[] } {
  const rels: Rel[] = [];
  let sent: { id: string; start: number; end: number; lower: string; deps: string }[] = [];
  const flush = () => {
    for (const t of sent) {
      if (!RELATIVES.has(t.lower)) continue;
      const ref = /(?:^|\|)(\d+):ref(?:\||$)/.exec(t.deps);
      const g = ref && sent.find((x) => x.id === ref[1]);
      if (g) rels.push({ rel: [t.start, t.end], gold: [g.start, g.end] });
    }
    sent = [];
  };
  const text = walkConllu(file, (c, start, end) => sent.push({ id: c[0], start, end, lower: c[1].toLowerCase(), deps: c[8] }), flush);
  return { text, rels };
}

const dir = join(root, '../shared/data/gum/dep');
const tally = new Map<string, number[]>();
const add = (k: string, ok: boolean) => {
  const t = tally.get(k) ?? [0, 0];
  t[0] += ok ? 1 : 0;
  t[1]++;
  tally.set(k, t);
};
for (const f of readdirSync(dir).filter((x) => x.endsWith('.conllu')).sort()) {
  const { text, rels } = readRelatives(join(dir, f));
  const doc = readDoc(text);
  const ix = indexDoc(doc);
  const tk = doc.tokens;
  for (const r of rels) {
    const [t] = tokensIn(doc, r.rel[0], r.rel[1]);
    if (t >= tk.length || tk[t].start !== r.rel[0]) continue;
    const holds = (np: [number, number] | null) => !!np && tk[np[0]].start <= r.gold[0] && r.gold[1] <= tk[np[1] - 1].end;
    const before = npBefore(ix, t);
    const now = relativeNP(ix, t);
    const w = tk[t].lower;
    for (const k of ['all', w]) {
      add(`${k}: nearest noun phrase`, holds(before));
      add(`${k}: relativeNP`, holds(now));
    }
    if (VERBOSE && (holds(before) !== holds(now) || (process.argv.includes("--misses") && !holds(now)))) {
      const show = (np: [number, number] | null) => (np ? text.slice(tk[np[0]].start, tk[np[1] - 1].end) : '-');
      console.log(`${holds(now) ? (holds(before) ? "OK" : "GAIN") : holds(before) ? "LOSS" : "MISS"}\t${text.slice(Math.max(0, r.rel[0] - 90), r.rel[1] + 30).replace(/\s+/g, ' ')}\tgold=${text.slice(r.gold[0], r.gold[1])}\twas=${show(before)}\tnow=${show(now)}`);
    }
  }
}
const pct = ([ok, n]: number[]) => `${ok}/${n} = ${((100 * ok) / n).toFixed(1)}%`;
for (const [k, t] of [...tally].sort()) console.log(`${k.padEnd(32)} ${pct(t)}`);
