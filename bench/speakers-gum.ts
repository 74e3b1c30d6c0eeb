/**
 * Extra ranking decisions for the antecedent ranker from GUM's coreference (../shared/data/gum/dep,
 * CC BY 4.0 annotations; see its README): every third-person pronoun and every definite description
 * that GUM marks as a mention of a person or an organisation becomes one decision, with the candidates
 * the speakers stage itself would offer (its named entities before the mention). A candidate is right
 * when one of its mentions overlaps a GUM mention of the same entity; "no one named" is right when
 * none is. GUM is not news and has no attributions, so the decisions carry no "spoke" or
 * "last speaker" features: they teach agreement, distance, position and role-noun match.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDoc } from '../src/nlp/document.js';
import { indexDoc, readSource, tokensIn } from '../src/speakers/mentions.js';
import { clusterNames } from '../src/speakers/entities.js';
import { buildCorefContext } from '../src/speakers/coref.js';
import { candidates, type Candidate } from '../src/speakers/ranker.js';
import { PRONOUNS } from '../src/speakers/mentions.js';

export interface Decision {
  cands: Candidate[];
  right: boolean[];
}

interface GumMention {
  start: number;
  end: number;
  entity: string;
  type: string;
}

/**
 * Walks a GUM CoNLL-U file: rebuilds its text (tokens joined as SpaceAfter says, a line per sentence, a
 * blank line per paragraph), calls `token` with each word's columns and character range, and
 * `sentenceEnd` after each sentence. Returns the text.
 */
export function walkConllu(file: string, token: (cols: string[], start: number, end: number) => void, sentenceEnd: () => void = () => {}): string {
  let text = '';
  let pendingSpace = '';
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('# newpar')) {
      if (text) pendingSpace = '\n\n';
      continue;
    }
    if (!line || line.startsWith('#')) {
      if (!line) {
        sentenceEnd();
        if (text && pendingSpace !== '\n\n') pendingSpace = '\n';
      }
      continue;
    }
    const c = line.split('\t');
    // Multiword ranges ("1-2") and empty nodes ("1.1") are not words of the text.
    if (c.length < 10 || c[0].includes('-') || c[0].includes('.')) continue;
    text += pendingSpace;
    const start = text.length;
    text += c[1];
    pendingSpace = /(^|\|)SpaceAfter=No(\||$)/.test(c[9]) ? '' : ' ';
    token(c, start, text.length);
  }
  sentenceEnd();
  return text;
}

/** Text (as `walkConllu` rebuilds it) and entity mentions. */
export function readGum(file: string): { text: string; mentions: GumMention[] } {
  const mentions: GumMention[] = [];
  const open: { id: string; type: string; start: number }[] = [];
  const text = walkConllu(file, (c, start, end) => {
    const ent = /(?:^|\|)Entity=([^|]*)/.exec(c[9]);
    if (!ent) return;
    const re = /\(([^()]+)|(\d+)?\)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(ent[1]))) {
      if (m[1]) {
        const [id, type] = m[1].split('-');
        open.push({ id, type, start });
      } else {
        const id = m[2];
        let k = open.length - 1;
        if (id) while (k >= 0 && open[k].id !== id) k--;
        if (k < 0) continue;
        const o = open.splice(k, 1)[0];
        mentions.push({ start: o.start, end, entity: o.id, type: o.type });
      }
    }
  });
  return { text, mentions };
}

const overlaps = (a: [number, number], s: number, e: number) => a[0] < e && s < a[1];

/** The ranking decisions of one GUM document. */
export function gumDecisions(file: string): Decision[] {
  const { text, mentions } = readGum(file);
  const doc = readDoc(text);
  const ix = indexDoc(doc);
  const table = clusterNames(ix);
  const ctx = buildCorefContext(ix, table);
  const out: Decision[] = [];
  for (const m of mentions) {
    if (m.type !== 'person' && m.type !== 'organization') continue;
    const [ts, te] = tokensIn(doc, m.start, m.end);
    if (te <= ts) continue;
    const first = doc.tokens[ts].lower;
    const pronoun = te - ts === 1 && PRONOUNS.get(first);
    if (pronoun && (pronoun.person !== 3 || pronoun.relative)) continue;
    if (!pronoun && !(first === 'the' && te - ts <= 4)) continue;
    if (ix.nameAt[te - 1] >= 0) continue; // a name, not a description
    const src = readSource(ix, ts, te);
    if (!src || (src.kind !== 'pronoun' && src.kind !== 'nominal' && src.kind !== 'other')) continue;
    const cands = candidates(ctx, src, doc.tokens[ts].sentence, { lastSpeaker: null });
    const earlier = mentions.filter((x) => x.entity === m.entity && x.end <= m.start);
    const right = cands.map((c) => !!c.draft && c.draft.ranges.some((r) => r[1] <= m.start && earlier.some((x) => overlaps(r, x.start, x.end))));
    if (!right.some(Boolean)) {
      const k = cands.findIndex((c) => c.draft === null);
      if (k < 0) continue;
      right[k] = true;
    }
    // Domain adaptation (Daumé's "easy" scheme, half of it): each feature also as a GUM-only copy, which
    // soaks up what holds in GUM and not in news; the run-time ranker sees the shared copies only.
    for (const c of cands) c.features = [...c.features, ...c.features.map((f) => `gum:${f}`)];
    out.push({ cands, right });
  }
  return out;
}

export function gumDir(root: string): string {
  return join(root, '../shared/data/gum/dep');
}

export function allGumDecisions(root: string): Decision[] {
  const dir = gumDir(root);
  return readdirSync(dir).filter((f) => f.endsWith('.conllu')).sort().flatMap((f) => gumDecisions(join(dir, f)));
}
