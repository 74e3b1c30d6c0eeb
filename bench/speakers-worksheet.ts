/**
 * Builds the speaker-annotation worksheets over PolNeAR *train* (issue "Speakers v2").
 *
 * Every gold attribution (first .ann per text) whose source is not a plain full name becomes one row:
 * pronouns, relative pronouns, possessives, nominals ("the senator", "officials"), bare surnames or
 * short names ("Trump", "Mr. Clarke", "The Post"), and relays (cue "quoted ... as saying", "cited",
 * "according to", "told"). Articles are drawn in a fixed pseudo-random order (FNV-1a of the file name)
 * and each article is assigned *before annotation* to the part the speaker model learns and tunes on
 * ("learn") or to the part that is only measured ("measure"), by the same hash. At most 10 rows per
 * article, so the set spreads over many articles.
 *
 *   node --import tsx bench/speakers-worksheet.ts [--articles 170] [--slices 2] [--skip 0] [--first 1]
 *
 * writes test/fixtures/speaker-annotations/worksheet-N.tsv, one per annotator slice, N from --first.
 * --skip passes over the first articles of the order (those an earlier round annotated), so a later
 * round adds new articles with the same part rule.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { fnv, partOf } from './speakers-data.js';

const root = new URL('..', import.meta.url).pathname;
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ARTICLES = arg('--articles', 170);
const SLICES = arg('--slices', 2);
const SKIP = arg('--skip', 0);
const FIRST = arg('--first', 1);
const PER_ARTICLE = 10;


const PRONOUN = /^(he|she|they|it|i|we|you|his|her|him|them|their|its|our|my|one)$/i;
const RELATIVE = /^(who|whom|whose|which|that)$/i;
const RELAY_CUE = /\b(quot|cit|according|told|report|relay|transmit)/i;
const CAP = /^[A-Z][\p{L}.'’-]*$/u;
const CONNECT = /^(of|the|de|van|von|al|bin|and|da|del|la|le|for|to)$/i;

/** A rough first guess of the kind; the annotator corrects it. */
function kindOf(source: string, cue: string): string | null {
  const s = source.trim();
  if (RELAY_CUE.test(cue) && /\b(quot|cit)/i.test(cue)) return 'relay';
  if (PRONOUN.test(s)) return 'pronoun';
  if (RELATIVE.test(s)) return 'relative';
  if (/['’]s$/.test(s)) return 'possessive';
  const words = s.split(/\s+/);
  if (/^(the|a|an|this|that|these|those|some|many|several|two|three|both|one|other|most|all|another|each)$/i.test(words[0])) {
    const rest = words.slice(1);
    if (rest.length && rest.every((w) => CAP.test(w) || CONNECT.test(w)) && rest.filter((w) => CAP.test(w)).length >= 2) return null; // "The New York Times"
    return 'nominal';
  }
  if (words.some((w) => /^[a-z]/.test(w) && !CONNECT.test(w))) return 'nominal';
  const caps = words.filter((w) => CAP.test(w) && !/^(Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Pres)\.?$/.test(w));
  if (caps.length <= 1) return 'surname';
  if (RELAY_CUE.test(cue)) return 'relay';
  return null; // a full name: not in scope
}

const docs = loadAnnotatedDir(join(root, '../shared/data/polnear/train'));
const order = docs.slice().sort((a, b) => fnv(a.name) - fnv(b.name) || (a.name < b.name ? -1 : 1));
const chosen = order.slice(SKIP, SKIP + ARTICLES);
const slices: string[][] = Array.from({ length: SLICES }, () => []);
const header = [
  '# doc\tpart\tatt\tsource_start\tsource_end\tsource_text\tcue_text\tcontent_head\tkind_guess\tspeaker\tkind\tvia\tnote',
];
let rows = 0;
chosen.forEach((d, i) => {
  const part = partOf(d.name);
  const out: string[] = [];
  for (const a of d.gold) {
    if (!a.source?.length) continue;
    const src = a.source.map(([s, e]) => d.text.slice(s, e)).join(' … ');
    const cue = a.cue.map(([s, e]) => d.text.slice(s, e)).join(' … ');
    const kind = kindOf(src, cue);
    if (!kind) continue;
    const content = a.content.length ? d.text.slice(a.content[0][0], Math.min(a.content[0][1], a.content[0][0] + 70)) : '';
    const clean = (s: string): string => s.replace(/[\t\n\r]+/g, ' ');
    out.push([d.name, part, a.id, a.source[0][0], a.source[a.source.length - 1][1], clean(src), clean(cue), clean(content), kind, '', '', '', ''].join('\t'));
    if (out.length >= PER_ARTICLE) break;
  }
  slices[i % SLICES].push(...out);
  rows += out.length;
});
mkdirSync(join(root, 'test/fixtures/speaker-annotations'), { recursive: true });
slices.forEach((s, i) => writeFileSync(join(root, `test/fixtures/speaker-annotations/worksheet-${i + FIRST}.tsv`), [...header, ...s].join('\n') + '\n'));
console.log(`${rows} rows over ${chosen.length} articles in ${SLICES} worksheets`);
