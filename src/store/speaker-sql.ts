/** Speaker rows as both engines read and list them ("?" placeholders; PostgreSQL numbers them). */
import { genderOf, type GenderLabel, type RoleCategory, type SpeakerScope } from './speaker-identity.js';
import type { SpeakerListOptions, SpeakerSummary, SpeakerType } from './types.js';

export const SPEAKER_COLUMNS = `s.id, s.name, s.type, s.scope, s.gender, s.gender_confidence, s.gender_basis, s.role`;

export interface SpeakerRow {
  id: number | string;
  name: string;
  type: string;
  scope: string;
  gender: string;
  gender_confidence: number | null;
  gender_basis: string | null;
  role: string;
}

export function toSpeakerSummary(
  r: SpeakerRow,
  counts: { n: number; docs: number },
  outlets: { outlet: string | null; attributions: number }[],
): SpeakerSummary {
  return {
    id: Number(r.id),
    name: r.name,
    type: r.type as SpeakerType,
    scope: r.scope as SpeakerScope,
    gender: r.gender as GenderLabel,
    genderConfidence: r.gender_confidence === null ? null : Number(r.gender_confidence),
    genderBasis: r.gender_basis as SpeakerSummary['genderBasis'],
    role: r.role as RoleCategory,
    attributions: Number(counts.n),
    documents: Number(counts.docs),
    outlets,
  };
}

/** The speakers list: most attributions first, filtered by type, scope, role and gender. */
export function speakerListQuery(o: SpeakerListOptions): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  for (const [col, v] of [['type', o.type], ['scope', o.scope], ['role', o.role], ['gender', o.gender]] as const) {
    if (v !== undefined) {
      where.push(`s.${col} = ?`);
      params.push(v);
    }
  }
  const limit = Math.max(1, Math.min(10_000, Math.floor(o.limit ?? 20)));
  const offset = Math.max(0, Math.floor(o.offset ?? 0));
  params.push(limit, offset);
  return {
    sql: `SELECT ${SPEAKER_COLUMNS}, count(*) AS n, count(DISTINCT a.doc) AS docs FROM attributions a JOIN speakers s ON s.id = a.speaker_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY s.id ORDER BY n DESC, s.id LIMIT ? OFFSET ?`,
    params,
  };
}

/** The gender columns for a person's summed evidence (non-persons stay "unknown"). */
export function genderColumns(type: string, male: number, female: number, nameGender: string | null): [string, number | null, string | null] {
  // Unresolved sources get a gender only from a person-like name (their lexicon gender; no entity, no pronouns).
  if (type !== 'person' && type !== 'unresolved') return ['unknown', null, null];
  const g = genderOf(male, female, nameGender === 'm' || nameGender === 'f' ? nameGender : null);
  return [g.gender, g.confidence, g.basis];
}

/** The role most documents support; "unknown" when none does. */
export function leadingRole(votes: { role: string; n: number }[]): RoleCategory {
  const best = [...votes].sort((a, b) => b.n - a.n || (a.role < b.role ? -1 : 1))[0];
  return (best?.role as RoleCategory) ?? 'unknown';
}
