/** Hedging: cues and adverbs by which the writer keeps a distance from the claim. */
import type { Attribution } from '../core/types.js';
import { tokensIn, type DocIndex } from './mentions.js';
import { HEDGE_WORDS } from '../nlp/lexicons/hedges.js';
import type { RelayPlan } from './relays.js';

/**
 * True when the cue, the words just before it, or the source carry a hedge ("reportedly",
 * "allegedly", "claimed", "unconfirmed reports"), or when the cue is agentless ("is said to").
 */
export function isHedged(ix: DocIndex, a: Attribution, plan: RelayPlan): boolean {
  if (plan.agentless) return true;
  const tk = ix.doc.tokens;
  const cue = a.cue.spans;
  const [cs] = tokensIn(ix.doc, cue[0][0], cue[0][1]);
  const ce = tokensIn(ix.doc, cue[cue.length - 1][0], cue[cue.length - 1][1])[1];
  const sent = tk[cs]?.sentence;
  for (let t = Math.max(0, cs - 3); t < Math.min(tk.length, ce + 1); t++) {
    if (tk[t].sentence !== sent) continue;
    if (HEDGE_WORDS.has(tk[t].lower)) {
      // "claims" as a noun after the cue is the content's word, not the writer's distance.
      if (t >= ce && tk[t].lower !== 'reportedly' && tk[t].lower !== 'allegedly') continue;
      return true;
    }
  }
  if (a.source) {
    for (const [s, e] of a.source.spans) {
      const [ts, te] = tokensIn(ix.doc, s, e);
      for (let t = ts; t < te; t++) if (HEDGE_WORDS.has(tk[t].lower)) return true;
    }
  }
  return false;
}
