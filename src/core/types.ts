/**
 * The data every stage speaks. Offsets are indices into the exact input string, as
 * `String.prototype.slice` counts them (UTF-16 code units), end exclusive.
 */

/** A half-open character range `[start, end)` into the document text. */
export type Range = [start: number, end: number];

/** A possibly discontinuous span: its ranges in text order and the text they cover, joined by " … " gaps. */
export interface SpanRef {
  text: string;
  spans: Range[];
}

export interface Token {
  /** Index of the token in `Doc.tokens`. */
  i: number;
  start: number;
  end: number;
  /** Exactly `doc.text.slice(start, end)`. */
  text: string;
  lower: string;
  /** Universal POS tag from the NLP library (NOUN, VERB, PROPN, PUNCT, …). */
  pos: string;
  lemma: string;
  /** Index of the sentence holding the token. */
  sentence: number;
  /** True when whitespace (or the start of the text) precedes the token. */
  spaceBefore: boolean;
}

export interface Sentence {
  i: number;
  start: number;
  end: number;
  /** Token indices `[first, last + 1)`. */
  tokenStart: number;
  tokenEnd: number;
}

/** One document: the text and its token/sentence layers, all with offsets into `text`. */
export interface Doc {
  text: string;
  tokens: Token[];
  sentences: Sentence[];
}

export type AttributionKind = 'direct' | 'indirect' | 'mixed';

export interface Attribution {
  id: string;
  /** null when the attribution has no source ("is said to", "reportedly"). */
  source: SpanRef | null;
  cue: SpanRef;
  content: SpanRef;
  kind: AttributionKind;
  /** Entity id of whose words these are; null when unattributed or not yet resolved. */
  speaker: string | null;
  /** Entities that relayed the words, nearest to the writer first. */
  via: string[];
  /** Id of the attribution whose content holds this one; null for outermost attributions. */
  parent: string | null;
  /** The writer keeps a distance from the claim. */
  hedged: boolean;
  /** The model's estimate of the probability that this attribution is right, in [0, 1]. */
  confidence: number;
  /**
   * The model's estimate of the probability that all three spans are exactly right (stricter than
   * `confidence`, which counts an attribution right when its spans overlap the true ones well).
   * Absent with models trained before it existed.
   */
  exactConfidence?: number;
}

export type EntityType = 'person' | 'organization' | 'media' | 'anonymous' | 'other';

export interface Entity {
  id: string;
  name: string;
  type: EntityType;
  anonymous: boolean;
  aliases: string[];
  descriptors: string[];
  mentions: Range[];
  /**
   * A person's gender as the text tells it (title, pronoun, role noun, given name); "unknown" where it
   * does not and for every entity that is not a person. Optional: older analyses lack it.
   */
  gender?: EntityGender;
}

export type EntityGender = 'female' | 'male' | 'unknown';

export interface ProfileFlag {
  code: string;
  message: string;
  attributions: string[];
}

export interface Profile {
  attributions: number;
  speakers: number;
  named: number;
  anonymous: number;
  unattributed: number;
  headlineQuestion: boolean;
  flags: ProfileFlag[];
  [extra: string]: unknown;
}

export interface DocumentInfo {
  id: string;
  title: string | null;
  chars: number;
  /** The analysed text; present for extracted HTML input or when asked for. */
  text?: string;
  [extra: string]: unknown;
}

/** The "whosaid/1" analysis: a contract. Add fields; never rename or drop one. */
export interface Analysis {
  schema: 'whosaid/1';
  document: DocumentInfo;
  attributions: Attribution[];
  entities: Entity[];
  profile: Profile;
}

export const SCHEMA = 'whosaid/1' as const;
