/**
 * Silver pronoun decisions for the antecedent ranker, from PolNeAR train articles nobody annotated for
 * speakers: where a gold attribution's source is the name of a person mentioned shortly before ("Trump
 * said", "Mrs. Clinton told"), the name is replaced by "he" / "she" and the pronoun becomes one ranking
 * decision whose right answer is known: the person the name was. The candidates and features are the
 * speakers stage's own (earlier named sources count as having spoken; the one just before is the last
 * speaker), so the decision looks as a real "he said" would. Writers choose names where a pronoun would
 * be unclear, so these decisions are harder than real ones: each feature is also copied under a `syn:`
 * prefix that absorbs what holds only here (the copies are not saved), as the GUM decisions do.
 *
 * Articles of the speaker annotations (both parts, every set) are left out, so a cross-validation fold
 * never trains on the text of a test article and the measure part stays unseen.
 */
import { join } from 'node:path';
import type { AnnotatedText } from '../src/formats/polnear.js';
import { loadAnnotatedDir } from '../src/formats/polnear.js';
import { readDoc } from '../src/nlp/document.js';
import { indexDoc, readSource, tokensIn } from '../src/speakers/mentions.js';
import { clusterNames, type EntityDraft } from '../src/speakers/entities.js';
import { addAntecedent, buildCorefContext } from '../src/speakers/coref.js';
import { candidates } from '../src/speakers/ranker.js';
import { FIRST_NAMES } from '../src/nlp/lexicons/first-names.js';
import type { Decision } from './speakers-gum.js';
import { goldAttributions, partOf } from './speakers-data.js';

/**
 * How many sentences back the person must have been mentioned for a pronoun to be natural (learn CV,
 * seeds 13 / 1: 1 sentence 86.4 / 86.5%, 2 sentences 86.8 / 86.6%, 3 with 20 per article 86.3 / 86.4%).
 */
const NEAR = 2;
/** At most this many decisions per article, so that long articles do not dominate. */
const PER_ARTICLE = 8;

export interface Site {
  /** Character range of the name to replace, and the gender of the pronoun. */
  start: number;
  end: number;
  pronoun: 'he' | 'she';
  /** The person's mentions before the site, as "start:end" (the right answer's mentions). */
  earlier: Set<string>;
}

function genderOf(d: EntityDraft): 'm' | 'f' | null {
  if (d.gender === 'm' || d.gender === 'f') return d.gender;
  const g = d.parts?.given.length ? FIRST_NAMES.get(d.parts.given[0]) : undefined;
  return g === 'm' || g === 'f' ? g : null;
}

/** Sources that are a person's name alone, mentioned within NEAR sentences before. */
export function sites(art: AnnotatedText): Site[] {
  const doc = readDoc(art.text);
  const ix = indexDoc(doc);
  const table = clusterNames(ix);
  const out: Site[] = [];
  for (const a of goldAttributions(art)) {
    if (!a.source || a.source.spans.length !== 1) continue;
    const [s, e] = a.source.spans[0];
    const [ts, te] = tokensIn(doc, s, e);
    const src = readSource(ix, ts, te);
    if (!src || src.kind !== 'name' || !src.named) continue;
    const m = src.named;
    // The whole source is the name (titles included): "Trump", "Mrs. Clinton", "Bernie Sanders".
    // ("Trump's" made "his" was tried: fewer than 20 more decisions, and no gain.)
    if (doc.text.slice(s, e).trim() !== doc.text.slice(m.start, m.end) || m.possessive || m.inQuote) continue;
    const d = table.byMention.get(m);
    if (!d || d.type !== 'person' || d.plural) continue;
    const g = genderOf(d);
    if (!g) continue;
    const before = d.mentions.filter((x) => x.end <= m.start);
    if (!before.length || m.sentence - before[before.length - 1].sentence > NEAR) continue;
    out.push({ start: m.start, end: m.end, pronoun: g === 'm' ? 'he' : 'she', earlier: new Set(before.map((x) => `${x.start}:${x.end}`)) });
  }
  return out.slice(0, PER_ARTICLE);
}

/** One decision: the article with the name at `site` replaced by the pronoun. */
export function decisionAt(art: AnnotatedText, site: Site): Decision | null {
  const sentenceStart = /(^|[.!?]["”’)]?\s+|\n\s*|["“]\s*)$/.test(art.text.slice(Math.max(0, site.start - 4), site.start));
  const word = sentenceStart ? site.pronoun[0].toUpperCase() + site.pronoun.slice(1) : site.pronoun;
  const text = art.text.slice(0, site.start) + word + art.text.slice(site.end);
  const doc = readDoc(text);
  const ix = indexDoc(doc);
  const table = clusterNames(ix);
  const ctx = buildCorefContext(ix, table);
  const shift = word.length - (site.end - site.start);
  // Earlier named sources have spoken, as at run time; the nearest one before is the last speaker.
  let lastSpeaker: EntityDraft | null = null;
  let lastAt = -1;
  for (const a of goldAttributions(art)) {
    if (!a.source) continue;
    const [s, e] = a.source.spans[0];
    if (e > site.start) continue;
    const [ts, te] = tokensIn(doc, s, e);
    const src = readSource(ix, ts, te);
    const d = src?.kind === 'name' && src.named ? table.byMention.get(src.named) : undefined;
    if (!d) continue;
    addAntecedent(ctx, d, src!.start, src!.end, true);
    if (s > lastAt) {
      lastAt = s;
      lastSpeaker = d;
    }
  }
  const [ts, te] = tokensIn(doc, site.start, site.end + shift);
  const src = readSource(ix, ts, te);
  if (!src || src.kind !== 'pronoun') return null;
  const cands = candidates(ctx, src, doc.tokens[ts].sentence, { lastSpeaker });
  const right = cands.map((c) => !!c.draft && c.draft.mentions.some((m) => site.earlier.has(`${m.start}:${m.end}`)));
  if (!right.some(Boolean) || cands.length < 2) return null;
  for (const c of cands) c.features = [...c.features, ...c.features.map((f) => `syn:${f}`)];
  return { cands, right };
}

/** Silver decisions from the PolNeAR train articles outside `annotated` (and outside the measure part). */
export function silverDecisions(root: string, annotated: Set<string>, limit = Infinity): Decision[] {
  const arts = loadAnnotatedDir(join(root, '../shared/data/polnear/train'))
    .filter((a) => !annotated.has(a.name) && partOf(a.name) === 'learn')
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: Decision[] = [];
  for (const art of arts) {
    for (const site of sites(art)) {
      const d = decisionAt(art, site);
      if (d) out.push(d);
      if (out.length >= limit) return out;
    }
  }
  return out;
}
