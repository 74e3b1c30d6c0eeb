/** Cues and adverbs by which a writer keeps a distance from a claim; written by hand. Lowercase. */

/** Single words that hedge wherever they stand in or next to the cue. */
export const HEDGE_WORDS = new Set([
  'reportedly', 'allegedly', 'purportedly', 'supposedly', 'ostensibly', 'claimed', 'claims', 'claim',
  'claiming', 'alleged', 'alleges', 'allege', 'alleging', 'purported', 'purports', 'rumored', 'rumoured',
  'unconfirmed', 'unverified', 'apparently',
]);

/** Participles that, after a form of "be", make an agentless raising cue ("is said to", "is believed"). */
export const AGENTLESS_PARTICIPLES = new Set([
  'said', 'believed', 'thought', 'reported', 'alleged', 'rumored', 'rumoured', 'understood', 'claimed',
  'suspected', 'expected', 'considered', 'known', 'estimated', 'feared', 'assumed', 'presumed', 'deemed',
  'seen', 'held',
]);

/** Cue words that stand for the writer's own distance without anyone speaking. */
export const AGENTLESS_ADVERBS = new Set(['reportedly', 'allegedly', 'purportedly', 'supposedly', 'rumoredly']);

export const BE_FORMS = new Set(['is', 'are', 'was', 'were', 'be', 'been', 'being', "'s", 'am']);
