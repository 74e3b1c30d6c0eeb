/**
 * The words by which the writer hedged an attribution the speaker stage marked `hedged`, for the
 * profile's message ("hedged: reportedly, is said to"). The stage decides whether an attribution is
 * hedged; this only reads back which words in and around the cue made it so.
 */
import type { Attribution, Doc } from '../core/types.js';
import { AGENTLESS_ADVERBS, BE_FORMS, HEDGE_WORDS } from '../nlp/lexicons/hedges.js';

/** Index of the first token ending after `offset` (tokens are in text order). */
function tokenAt(doc: Doc, offset: number): number {
  let lo = 0;
  let hi = doc.tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (doc.tokens[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Tokens `[first, last + 1)` that a span's ranges touch. */
function tokenRange(doc: Doc, spans: [number, number][]): [number, number] {
  if (!spans.length) return [0, 0];
  return [tokenAt(doc, spans[0][0]), tokenAt(doc, spans[spans.length - 1][1] - 1) + 1];
}

/**
 * Hedge words (lower case) in the three words before the cue, the cue itself and the source; for an
 * agentless cue with none of them ("is said to"), the cue with its "be" and "to".
 */
export function hedgeWords(doc: Doc, a: Attribution): string[] {
  const tk = doc.tokens;
  const [cs, ce] = tokenRange(doc, a.cue.spans);
  const found: string[] = [];
  const sentence = tk[cs]?.sentence;
  for (let t = Math.max(0, cs - 3); t < Math.min(tk.length, ce); t++) {
    if (tk[t].sentence === sentence && HEDGE_WORDS.has(tk[t].lower)) found.push(tk[t].lower);
  }
  // Right after the cue only these two are the writer's ("said reportedly"); "claims" there is content.
  const next = tk[ce]?.lower;
  if (tk[ce]?.sentence === sentence && (next === 'reportedly' || next === 'allegedly')) found.push(next);
  if (a.source) {
    const [ss, se] = tokenRange(doc, a.source.spans);
    for (let t = ss; t < se; t++) if (HEDGE_WORDS.has(tk[t].lower)) found.push(tk[t].lower);
  }
  if (found.length || cs >= ce) return [...new Set(found)];
  const cue = tk.slice(cs, ce).map((t) => t.lower);
  if (cue.every((w) => AGENTLESS_ADVERBS.has(w))) return [...new Set(cue)];
  const be = cs > 0 && BE_FORMS.has(tk[cs - 1].lower) && !BE_FORMS.has(cue[0]) ? [tk[cs - 1].lower] : [];
  const to = tk[ce]?.lower === 'to' || tk[ce]?.lower === 'that' ? [tk[ce].lower] : [];
  return [[...be, ...cue, ...to].join(' ')];
}
