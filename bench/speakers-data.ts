/**
 * The speaker annotations (test/fixtures/speaker-annotations/): reading the rows, building the gold
 * attributions of their articles, and judging a resolved speaker against the annotated one. Shared by
 * bench/speakers-eval.ts (measuring) and bench/speakers-train.ts (learning the antecedent ranker).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Attribution, Entity } from '../src/core/types.js';
import { spanRef } from '../src/core/span.js';
import type { AnnotatedText } from '../src/formats/polnear.js';
import { foldName, nameParts, orgKey, acronymOf } from '../src/speakers/names.js';

export const root = new URL('..', import.meta.url).pathname;
export const ANNOTATION_DIR = join(root, 'test/fixtures/speaker-annotations');

export interface Row {
  file: string;
  line: number;
  doc: string;
  part: 'learn' | 'measure';
  att: string;
  start: number;
  end: number;
  source: string;
  cue: string;
  speaker: string;
  kind: string;
  via: string;
  note: string;
}

/** FNV-1a of a string: the fixed pseudo-random order of articles and the learn/measure split. */
export function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The part an article belongs to, fixed by its name before any annotation: 4 in 10 articles are only measured. */
export const partOf = (name: string): 'learn' | 'measure' => (fnv(`part:${name}`) % 10 < 4 ? 'measure' : 'learn');

/** The annotated files: annotated-N.tsv in the fixture folder, or the files named by --from. */
export function annotationFiles(argv: string[]): string[] {
  const i = argv.indexOf('--from');
  if (i >= 0) return argv.slice(i + 1).filter((x) => !x.startsWith('--'));
  return readdirSync(ANNOTATION_DIR).filter((f) => /^annotated-\d+\.tsv$/.test(f)).sort().map((f) => join(ANNOTATION_DIR, f));
}

/** Filled rows of the given files (rows without a speaker are still being annotated and are skipped). */
export function loadRows(files: string[]): Row[] {
  const rows: Row[] = [];
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((l, k) => {
      if (!l.trim() || l.startsWith('#')) return;
      const c = l.split('\t');
      if (c.length < 9) throw new Error(`${file}:${k + 1}: expected at least 9 tab-separated columns, found ${c.length}`);
      const speaker = (c[9] ?? '').trim();
      if (!speaker) return;
      if (c[1] !== 'learn' && c[1] !== 'measure') throw new Error(`${file}:${k + 1}: part must be learn or measure, not "${c[1]}"`);
      rows.push({
        file, line: k + 1, doc: c[0], part: c[1], att: c[2], start: Number(c[3]), end: Number(c[4]), source: c[5], cue: c[6],
        speaker, kind: (c[10] ?? '').trim() || c[8], via: (c[11] ?? '').trim(), note: (c[12] ?? '').trim(),
      });
    });
  }
  return rows;
}

/** The issue's five kinds (pronoun, nominal, surname, relay, unnamed) from the annotated kind; null = only in the total. */
export function issueKind(r: Row): string | null {
  if (r.kind === 'relay') return 'relay';
  if (r.kind === 'pronoun' || r.kind === 'relative' || r.kind === 'possessive') return 'pronoun';
  if (r.kind === 'nominal') return 'nominal';
  if (r.kind === 'surname') return 'surname';
  if (r.kind === 'unnamed' || r.kind === 'generic') return 'unnamed';
  return null;
}

/** Every gold attribution of an article, as the speakers stage receives them. */
export function goldAttributions(d: AnnotatedText): Attribution[] {
  return d.gold.map((g) => ({
    id: g.id,
    source: g.source && g.source.length ? spanRef(d.text, g.source) : null,
    cue: spanRef(d.text, g.cue),
    content: spanRef(d.text, g.content.length ? g.content : g.cue),
    kind: 'indirect',
    speaker: null,
    via: [],
    parent: null,
    hedged: false,
    confidence: 1,
  }));
}

/** A named speaker: a person, organisation or outlet with a capitalised name, not anonymous. */
const isNamed = (e: Entity): boolean => !e.anonymous && (e.type === 'person' || e.type === 'organization' || e.type === 'media') && /^\p{Lu}/u.test(e.name);
const isUnnamed = (e: Entity): boolean => !isNamed(e);

/** Heads of organisations named after a person: "Hillary Clinton campaign", "Paul Ryan's office". */
const OWNED = /^(.*?)(?:['’]s?)?\s+(campaign|office|team|camp|administration|foundation|family)$/i;

function namedMatch(e: Entity, alt: string): boolean {
  // "Clinton's campaign" or "Clinton campaign" for "Hillary Clinton campaign": the same head, and owners
  // that match as person names.
  const ga = OWNED.exec(alt);
  if (ga) {
    for (const n of [e.name, ...e.aliases]) {
      const ea = OWNED.exec(n.replace(/^the\s+/i, ''));
      if (!ea || ea[2].toLowerCase() !== ga[2].toLowerCase()) continue;
      const gp = nameParts(ga[1]);
      const ep = nameParts(ea[1]);
      if (gp.surname === ep.surname && (!gp.given.length || !ep.given.length || ep.given[0][0] === gp.given[0][0])) return true;
    }
  }
  const names = [e.name, ...e.aliases];
  const g = foldName(alt);
  if (!g) return false;
  if (names.some((n) => foldName(n) === g || orgKey(n) === orgKey(alt))) return true;
  if (names.some((n) => acronymOf(alt).length >= 2 && acronymOf(alt) === orgKey(n).replace(/[^a-z]/g, ''))) return true;
  if (e.type === 'person' || e.type === 'other') {
    const gp = nameParts(alt);
    const ep = nameParts(e.name);
    if (gp.surname === ep.surname && (!gp.given.length || (ep.given.length && ep.given[0][0] === gp.given[0][0]))) return true;
  }
  return false;
}

/**
 * Is the resolved entity the annotated speaker? null when the row is not scored ("(none)": the span
 * is not a source). Names match as the old dev bench matched them (folded, acronyms, surname with a
 * compatible given initial). A speaker is "named" when it is a person, organisation or outlet with a
 * capitalised name and not anonymous; "(unnamed)" wants a speaker that is not named (anonymous or an
 * unnamed phrase: "officials", "the company's lawyers"); "(generic)", "(document)" and "(self)" want no
 * speaker, or one neither named nor typed anonymous; "(multiple) A; B" wants an unnamed group or one of
 * its members.
 */
export function judge(e: Entity | undefined, gold: string): boolean | null {
  if (gold === '(none)') return null;
  if (gold === '(unnamed)') return !!e && isUnnamed(e);
  if (gold === '(generic)' || gold === '(document)' || gold === '(self)') return !e || (!e.anonymous && isUnnamed(e));
  if (gold.startsWith('(multiple)')) {
    if (!e) return false;
    if (isUnnamed(e)) return true;
    return gold.slice('(multiple)'.length).split(';').some((alt) => alt.split('|').some((a) => namedMatch(e, a.trim())));
  }
  if (!e) return false;
  return gold.split('|').some((alt) => namedMatch(e, alt.trim()));
}

/**
 * Does the attribution's via list hold the annotated relays? Gold is a chain of relays separated by ";"
 * (nearest the writer first, as the analysis lists them), each with alternatives separated by "|"; every
 * link of the chain must be among the vias, and "(...)" matches any unnamed via. Empty gold wants empty via.
 */
export function judgeVia(vias: Entity[], gold: string): boolean {
  if (!gold) return vias.length === 0;
  return gold.split(';').every((link) =>
    link.split('|').some((alt) => vias.some((v) => namedMatch(v, alt.trim()) || (alt.trim().startsWith('(') && isUnnamed(v)))),
  );
}
