/**
 * Agreement between two annotators of the same speaker rows: the second annotation of a sample of sets
 * 7–9 (`agreement-7-9.tsv`: 150 rows, 50 drawn from each set with Python's random.seed(7), annotated blind
 * by a fourth helper session with the same guidelines) against the rows of annotated-7..9.tsv.
 * Two speakers agree when they are the same category ("(unnamed)", "(generic)", "(document)", "(self)",
 * "(none)"), or names that fold to the same string or share the surname with no clash of first initials
 * (any `|` alternative; for "(multiple)", any shared member). Kinds are compared as written and as the
 * issue's five groups.
 *
 *   node --import tsx bench/speakers-agreement.ts [SECOND_FILE] [--verbose]
 */
import { join } from 'node:path';
import { foldName, nameParts } from '../src/speakers/names.js';
import { issueKind, loadRows, root, type Row } from './speakers-data.js';

const DIR = join(root, 'test/fixtures/speaker-annotations');
const second = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? join(DIR, 'agreement-7-9.tsv');

const names = (s: string): string[] => (s.startsWith('(multiple)') ? s.slice(10).split(';') : [s]).flatMap((x) => x.split('|')).map((x) => x.trim()).filter(Boolean);
const category = (s: string): string | null => (s.startsWith('(') && !s.startsWith('(multiple)') ? s : null);

function sameName(a: string, b: string): boolean {
  if (foldName(a) === foldName(b)) return true;
  const pa = nameParts(a.replace(/^the\s+/i, ''));
  const pb = nameParts(b.replace(/^the\s+/i, ''));
  return pa.surname === pb.surname && (!pa.given.length || !pb.given.length || pa.given[0][0] === pb.given[0][0]);
}

function speakersAgree(a: string, b: string): boolean {
  const ca = category(a);
  const cb = category(b);
  if (ca || cb) return ca === cb;
  return names(a).some((x) => names(b).some((y) => sameName(x, y)));
}

const key = (r: Row) => `${r.doc}\t${r.att}`;
const first = new Map(loadRows([7, 8, 9].map((n) => join(DIR, `annotated-${n}.tsv`))).map((r) => [key(r), r]));
const c = { n: 0, speaker: 0, hard: 0, hardAgree: 0, kind: 0, group: 0 };
const disagree: string[] = [];
for (const b of loadRows([second])) {
  const a = first.get(key(b));
  if (!a) throw new Error(`${second}:${b.line}: ${b.doc} ${b.att} is in no annotated-7..9 row`);
  c.n++;
  const agree = speakersAgree(a.speaker, b.speaker);
  // Rows whose source is not a name of any kind: where a reader has to work out who it is.
  if (!['surname', 'name', 'org'].includes(a.kind)) {
    c.hard++;
    if (agree) c.hardAgree++;
  }
  if (agree) c.speaker++;
  else disagree.push(`${a.source.slice(0, 50)}\t${a.speaker}\t${b.speaker}`);
  if (a.kind === b.kind) c.kind++;
  if ((issueKind(a) ?? a.kind) === (issueKind(b) ?? b.kind)) c.group++;
}
const pct = (x: number) => `${((100 * x) / c.n).toFixed(1)}% (${x}/${c.n})`;
console.log(`${c.n} rows annotated twice: speaker ${pct(c.speaker)}; kind ${pct(c.kind)}; kind group ${pct(c.group)}`);
console.log(`rows whose first annotation is not a surname, name or organisation: speaker ${c.hardAgree}/${c.hard}`);
if (process.argv.includes('--verbose')) for (const d of disagree) console.log(`DIFF\t${d}`);
