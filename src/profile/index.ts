import type { Attribution, Doc, Entity, Profile } from '../core/types.js';

export interface ProfileInput {
  doc: Doc;
  attributions: Attribution[];
  entities: Entity[];
  title: string | null;
}

/** The article's sourcing profile: counts that can each be traced back to attributions. */
export function buildProfile({ attributions, entities, title }: ProfileInput): Profile {
  const byId = new Map(entities.map((e) => [e.id, e]));
  let named = 0;
  let anonymous = 0;
  let unattributed = 0;
  for (const a of attributions) {
    const e = a.speaker ? byId.get(a.speaker) : undefined;
    if (!e) unattributed++;
    else if (e.anonymous) anonymous++;
    else named++;
  }
  const speakers = new Set(attributions.map((a) => a.speaker).filter((s): s is string => !!s)).size;
  return {
    attributions: attributions.length,
    speakers,
    named,
    anonymous,
    unattributed,
    headlineQuestion: !!title && title.trim().endsWith('?'),
    flags: [],
  };
}
