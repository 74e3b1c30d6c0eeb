/**
 * Brings speaker annotation files written to the ninth session's guidelines in line with sets 1–6 on one
 * point: a document source. Sets 1–6 give a poll, report, ad, study, data set or lawsuit the speaker
 * `(document)` ("A Reuters rolling poll shows" → `(document)`), and give the author only to texts that are
 * someone's own words (a statement, an email, a letter, a speech, an editorial). The guidelines handed out for sets
 * 7–12 said to give any document's owner ("A new Gallup poll" → Gallup). This rewrites those rows to
 * `(document)`, reading nothing but the row's own `source_text`, `kind` and `speaker`, and keeps the owner
 * in the note, so no row is judged by two conventions.
 *
 *   node --import tsx bench/speakers-harmonise.ts FILE...   (rewrites each file in place, prints counts)
 */
import { readFileSync, writeFileSync } from 'node:fs';

/** Texts that carry their author's own words: their author is the speaker, as in sets 1–6. */
const OWN_WORDS = new Set(['statement', 'statements', 'release', 'email', 'emails', 'e-mail', 'letter', 'letters', 'speech',
  'speeches', 'remarks', 'excerpts', 'tweet', 'tweets', 'post', 'posts', 'message', 'messages', 'memo', 'op-ed', 'editorial',
  'editorials', 'column', 'columns']);

const NOTE = 'relabelled to (document): sets 1-6 give polls, reports, ads, studies, data and lawsuits no owner';

/** The row with its speaker rewritten, or null when it keeps its annotation. */
export function harmonise(cols: string[]): string[] | null {
  const [source, kind, speaker] = [cols[5], cols[10], cols[9]];
  if (kind !== 'document' || speaker === '(document)' || (speaker.startsWith('(') && !speaker.startsWith('(multiple)'))) return null;
  const words = source.toLowerCase().split(/[^\p{L}-]+/u);
  if (words.some((w) => OWN_WORDS.has(w))) return null;
  const out = [...cols];
  out[9] = '(document)';
  out[12] = `${cols[12] ? `${cols[12]} ` : ''}[owner as annotated: ${speaker}; ${NOTE}]`;
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const file of process.argv.slice(2)) {
    const lines = readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
    let changed = 0;
    const out = lines.map((line) => {
      if (line.startsWith('#')) return line;
      const h = harmonise(line.split('\t'));
      if (!h) return line;
      changed++;
      return h.join('\t');
    });
    writeFileSync(file, `${out.join('\n')}\n`);
    console.log(`${file}: ${changed} document rows relabelled`);
  }
}
