/**
 * Draws the hand-check sample of corpus speakers from a SQLite store, and checks the automatic
 * conditions of issue 15 (no pronoun or fragment speakers; the most quoted people one speaker each).
 *
 *   npm run build && node bin/whosaid.js batch ../shared/data/polnear/train/text --db /tmp/x.db
 *   node --import tsx bench/identity-sample.ts /tmp/x.db [n=300] [seed=15] [multi=0] > test/fixtures/identity-sample.tsv
 *
 * The sample: speakers with at least one attribution counted under them, drawn uniformly: the n
 * whose identity keys hash lowest with the seed (column `drawn` = uniform); then, if `multi` > 0, that
 * many more from the speakers spanning two or more documents that the uniform draw left out (drawn =
 * multi): merges across articles are where identity errs, and a uniform draw holds few of them.
 * (Samples up to commit ac3b71c were drawn by id with mulberry32, so a re-run drew other speakers.) Each row carries what a checker reads: the source texts
 * of its passages (the written names it merged), its aliases and descriptors, and the other listed
 * speakers that share a name word with it (where a split would show). The verdict columns are filled
 * in by hand afterwards (see test/fixtures/identity-sample.README.md).
 */
import Database from 'better-sqlite3';
import { normalizeName, PRONOUNS } from '../src/store/speaker-identity.js';
import { hashString, mix } from '../src/attribution/hash.js';

const [path, nArg, seedArg, multiArg] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: bench/identity-sample.ts STORE.db [n] [seed] [multi]\n');
  process.exit(2);
}
const n = Number(nArg ?? 300);
const multi = Number(multiArg ?? 0);
const seed = Number(seedArg ?? 15);

const db = new Database(path, { readonly: true });
type Row = { id: number; norm: string; name: string; type: string; scope: string; gender: string; role: string; n: number; docs: number };
const listed = db
  .prepare(`SELECT s.id, s.norm, s.name, s.type, s.scope, s.gender, s.role, count(*) AS n, count(DISTINCT a.doc) AS docs
    FROM attributions a JOIN speakers s ON s.id = a.speaker_id GROUP BY s.id ORDER BY s.id`)
  .all() as Row[];

// Automatic checks over every listed speaker.
const ONE_WORD_FRAGMENTS = new Set(['the', 'one', 'some', 'many', 'a', 'an', 'and', 'but', 'that', 'this', 'who', 'which']);
const pronouns = listed.filter((r) => normalizeName(r.name).split(' ').every((w) => PRONOUNS.has(w)));
const fragments = listed.filter((r) => ONE_WORD_FRAGMENTS.has(normalizeName(r.name)));
process.stderr.write(`listed speakers: ${listed.length} (corpus ${listed.filter((r) => r.scope === 'corpus').length}, document ${listed.filter((r) => r.scope === 'document').length}, unnamed ${listed.filter((r) => r.scope === 'unnamed').length})\n`);
process.stderr.write(`pronoun speakers: ${pronouns.length} ${pronouns.map((r) => r.name).join(', ')}\n`);
process.stderr.write(`one-word fragment speakers: ${fragments.length} ${fragments.map((r) => r.name).join(', ')}\n`);
const top = [...listed].filter((r) => r.type === 'person').sort((a, b) => b.n - a.n).slice(0, 8);
for (const t of top) {
  const surname = normalizeName(t.name).split(' ').pop()!;
  const others = listed.filter((r) => r.id !== t.id && r.type !== 'anonymous' && normalizeName(r.name).split(' ').includes(surname));
  process.stderr.write(`top: ${t.name} ${t.n} passages in ${t.docs} documents; other listed speakers with "${surname}": ${others.map((o) => `${o.name} (${o.scope}, ${o.n})`).join('; ') || 'none'}\n`);
}

// The sample.
// Drawn by a seeded hash of each speaker's identity key, not by id: a speaker whose key a later run
// still has is drawn again whatever ids the run gave out, so hand verdicts carry over between runs.
const rank = new Map(listed.map((r) => [r.id, mix(hashString(r.norm), seed)]));
const byRank = [...listed].sort((a, b) => rank.get(a.id)! - rank.get(b.id)! || (a.norm < b.norm ? -1 : 1));
const sample: (Row & { drawn: string })[] = byRank.slice(0, n).map((r) => ({ ...r, drawn: 'uniform' }));
const multiPool = byRank.slice(n).filter((r) => r.docs >= 2);
for (const r of multiPool.slice(0, multi)) sample.push({ ...r, drawn: 'multi' });
sample.sort((a, b) => a.id - b.id);
process.stderr.write(`sample: ${sample.filter((r) => r.drawn === 'uniform').length} uniform (${sample.filter((r) => r.drawn === 'uniform' && r.docs >= 2).length} spanning ≥ 2 documents), ${sample.filter((r) => r.drawn === 'multi').length} more spanning ≥ 2 documents\n`);
const sources = db.prepare(`SELECT coalesce(a.source_text, '') AS s, count(*) AS k FROM attributions a WHERE a.speaker_id = ? GROUP BY s ORDER BY k DESC LIMIT 8`);
const aliases = db.prepare(`SELECT alias_norm FROM speaker_aliases WHERE speaker_id = ? ORDER BY alias_norm LIMIT 12`).pluck();
const descriptors = db.prepare(`SELECT descriptor FROM speaker_descriptors WHERE speaker_id = ? ORDER BY n DESC LIMIT 5`).pluck();
const docs = db.prepare(`SELECT DISTINCT d.id FROM attributions a JOIN documents d ON d.doc = a.doc WHERE a.speaker_id = ? LIMIT 3`).pluck();
const clean = (s: string) => s.replace(/[\t\n\r]+/g, ' ');
const out = ['id\tdrawn\tscope\ttype\tname\tpassages\tdocuments\tgender\trole\tsource_texts\taliases\tdescriptors\tdocs\tsame_word_speakers'];
for (const r of sample) {
  const words = normalizeName(r.name).split(' ').filter((w) => w.length > 2 && !PRONOUNS.has(w));
  const last = words[words.length - 1];
  const near = r.type === 'anonymous' || !last ? [] : listed.filter((o) => o.id !== r.id && o.type !== 'anonymous' && normalizeName(o.name).split(' ').includes(last)).slice(0, 6);
  out.push([
    r.id, r.drawn, r.scope, r.type, r.name, r.n, r.docs, r.gender, r.role,
    (sources.all(r.id) as { s: string; k: number }[]).map((x) => `${x.s}×${x.k}`).join(' | '),
    (aliases.all(r.id) as string[]).join(' | '),
    (descriptors.all(r.id) as string[]).join(' | '),
    (docs.all(r.id) as string[]).join(' | '),
    near.map((o) => `${o.name}#${o.id}(${o.scope})`).join(' | '),
  ].map((v) => clean(String(v))).join('\t'));
}
process.stdout.write(`${out.join('\n')}\n`);
