import type { Attribution, Doc, Entity, Profile, ProfileFlag, Range } from '../core/types.js';
import { hedgeWords } from './hedges.js';

export { looksLikeHeadline } from './headline.js';

export interface ProfileInput {
  doc: Doc;
  attributions: Attribution[];
  entities: Entity[];
  title: string | null;
}

export interface TopSpeaker {
  entity: string;
  name: string;
  type: Entity['type'];
  /** Words of content attributed to this speaker. */
  words: number;
  attributions: string[];
}

/** A voice dominates when it carries more than this share of the attributed words. */
export const DOMINANT_SHARE = 0.6;
const TOP_N = 5;

function countWords(text: string, spans: Range[]): number {
  let n = 0;
  for (const [s, e] of spans) {
    let inWord = false;
    for (let i = s; i < e; i++) {
      const c = text.charCodeAt(i);
      const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 191;
      if (alnum && !inWord) n++;
      inWord = alnum || (inWord && (c === 39 || c === 8217 || c === 45));
    }
  }
  return n;
}

/**
 * Distinct speakers: entities whose words at least one attribution carries (relays and mere mentions
 * are not speakers). The profile, the text report and the HTML view all show this one count.
 */
export function countSpeakers(attributions: Pick<Attribution, 'speaker'>[]): number {
  return new Set(attributions.map((a) => a.speaker).filter((s): s is string => !!s)).size;
}

/** At most `max` quoted words, then how many more. */
function quotedList(words: string[], max = 4): string {
  const shown = words.slice(0, max).map((w) => `"${w}"`);
  return words.length > max ? `${shown.join(', ')} and ${words.length - max} more` : shown.join(', ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The article's sourcing profile: counts that can each be traced back to attributions, the share of
 * sentences carrying attribution, the top speakers by words attributed, and flags, each with the
 * attribution ids behind it.
 */
export function buildProfile({ doc, attributions, entities, title }: ProfileInput): Profile {
  const byId = new Map(entities.map((e) => [e.id, e]));
  let named = 0;
  let anonymous = 0;
  let unattributed = 0;
  let direct = 0;
  let indirect = 0;
  let mixed = 0;
  let hedged = 0;
  let relayed = 0;
  const unattributedIds: string[] = [];
  const anonymousIds: string[] = [];
  const singleOutletAnonymous: string[] = [];
  const words = new Map<string, { words: number; ids: string[] }>();
  let attributedWords = 0;
  for (const a of attributions) {
    if (a.kind === 'direct') direct++;
    else if (a.kind === 'mixed') mixed++;
    else indirect++;
    if (a.hedged) hedged++;
    if (a.via.length) relayed++;
    const e = a.speaker ? byId.get(a.speaker) : undefined;
    if (!e) {
      unattributed++;
      unattributedIds.push(a.id);
    } else if (e.anonymous) {
      anonymous++;
      anonymousIds.push(a.id);
      // Relayed by one news outlet alone: a claim no one else can check. A relay that is a person or a
      // body ("X's spokesman said an official said") is not an outlet.
      if (a.via.length === 1 && byId.get(a.via[0])?.type === 'media') singleOutletAnonymous.push(a.id);
    } else named++;
    // Nested attributions' words are already inside their parent's content: count outermost only.
    if (e && a.parent === null) {
      const w = countWords(doc.text, a.content.spans);
      const slot = words.get(e.id) ?? { words: 0, ids: [] };
      slot.words += w;
      slot.ids.push(a.id);
      words.set(e.id, slot);
      attributedWords += w;
    } else if (e) {
      const slot = words.get(e.id) ?? { words: 0, ids: [] };
      slot.ids.push(a.id);
      words.set(e.id, slot);
    }
  }
  const speakers = countSpeakers(attributions);
  const topSpeakers: TopSpeaker[] = [...words]
    .map(([id, w]) => ({ entity: id, name: byId.get(id)!.name, type: byId.get(id)!.type, words: w.words, attributions: w.ids }))
    .sort((x, y) => y.words - x.words || y.attributions.length - x.attributions.length)
    .slice(0, TOP_N);

  // Sentences carrying attribution: any sentence a cue or content of an attribution touches.
  const carrying = new Set<number>();
  const sents = doc.sentences;
  const mark = (s: number, e: number) => {
    let lo = 0;
    let hi = sents.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (sents[mid].start <= s) lo = mid;
      else hi = mid - 1;
    }
    for (let k = lo; k < sents.length && sents[k].start < e; k++) if (sents[k].end > s) carrying.add(k);
  };
  for (const a of attributions) {
    for (const [s, e] of a.cue.spans) mark(s, e);
    for (const [s, e] of a.content.spans) mark(s, e);
  }
  const sentenceShare = sents.length ? Math.round((carrying.size / sents.length) * 1000) / 1000 : 0;

  const headlineQuestion = !!title && title.trim().endsWith('?');
  const flags: ProfileFlag[] = [];
  if (singleOutletAnonymous.length) {
    flags.push({
      code: 'single-anonymous-origin',
      message: `${plural(singleOutletAnonymous.length, 'claim rests', 'claims rest')} only on an anonymous source relayed by a single outlet.`,
      attributions: singleOutletAnonymous,
    });
  }
  if (unattributedIds.length) {
    flags.push({
      code: 'unattributed',
      message: `${plural(unattributedIds.length, 'claim is', 'claims are')} reported without anyone named as saying ${unattributedIds.length === 1 ? 'it' : 'them'}.`,
      attributions: unattributedIds,
    });
  }
  if (attributions.length && anonymous * 2 > attributions.length) {
    flags.push({
      code: 'mostly-anonymous',
      message: `${anonymous} of ${attributions.length} attributions rest on anonymous sources.`,
      attributions: anonymousIds,
    });
  }
  const top = topSpeakers[0];
  if (top && attributedWords > 0 && speakers >= 1 && top.words / attributedWords > DOMINANT_SHARE && attributions.length >= 3) {
    flags.push({
      code: 'dominant-voice',
      message: `${top.name} carries ${Math.round((top.words / attributedWords) * 100)}% of the attributed words.`,
      attributions: top.attributions,
    });
  }
  if (headlineQuestion) {
    flags.push({ code: 'question-headline', message: 'The headline is a question, which often signals a claim the article cannot stand behind.', attributions: [] });
  }
  if (hedged) {
    const hedgedAttributions = attributions.filter((a) => a.hedged);
    // The words this article used, in reading order, not a fixed list of examples.
    const used = [...new Set(hedgedAttributions.flatMap((a) => hedgeWords(doc, a)))];
    flags.push({
      code: 'hedged',
      message: `${plural(hedged, 'claim is', 'claims are')} hedged${used.length ? ` (${quotedList(used)})` : ''}.`,
      attributions: hedgedAttributions.map((a) => a.id),
    });
  }
  return {
    attributions: attributions.length,
    speakers,
    named,
    anonymous,
    unattributed,
    headlineQuestion,
    flags,
    direct,
    indirect,
    mixed,
    hedged,
    relayed,
    sentences: sents.length,
    sentenceShare,
    attributedWords,
    topSpeakers,
  };
}
