import type { Attribution, Doc, Entity } from '../core/types.js';

export interface SpeakerLayer {
  attributions: Attribution[];
  entities: Entity[];
}

/**
 * Resolves who speaks in each attribution. Placeholder layer until the speakers stage lands:
 * it passes attributions through and finds no entities.
 */
export function resolveSpeakers(_doc: Doc, attributions: Attribution[]): SpeakerLayer {
  return { attributions, entities: [] };
}
