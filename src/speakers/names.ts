/**
 * Name normalisation and matching: when two written names stand for one person or organisation.
 * Pure string functions; no document access.
 */
import { memo } from '../core/memo.js';
import { NAME_VARIANTS } from '../nlp/lexicons/first-names.js';

const SUFFIXES = new Set(['jr', 'jr.', 'sr', 'sr.', 'ii', 'iii', 'iv']);
const PARTICLES = new Set(['de', 'da', 'del', 'della', 'der', 'di', 'du', 'la', 'le', 'van', 'von', 'bin', 'ibn', 'al', 'el', 'abu', 'ben', 'st.', 'dos', 'das', 'y']);

/** Lowercase, accents and apostrophes folded, possessive dropped. */
export const foldName = memo((s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[’'`]s$/u, '')
    .replace(/[’'`]/g, '')
    .replace(/\s+/g, ' ')
    .trim(),
);

/** One spelling key per given name or surname: transliteration variants share a key. */
export const nameTokenKey = memo((tok: string): string => {
  let t = foldName(tok).replace(/\.$/, '');
  const v = NAME_VARIANTS.get(t);
  if (v) return v;
  // Light generic folding for transliterations: doubled letters, ks/x, a hard c written k (Viktor /
  // Victor, Konstantin / Constantin), final y/iy.
  t = t.replace(/(.)\1+/g, '$1').replace(/ks/g, 'x').replace(/c(?![eiyh])/g, 'k').replace(/iy$/, 'i').replace(/y$/, 'i');
  const v2 = NAME_VARIANTS.get(t);
  return v2 ?? t;
});

/** The parts of a person's name: given names and the surname, as keys. */
export interface NameParts {
  given: string[];
  surname: string;
  all: string[];
}

export function nameParts(name: string): NameParts {
  const words = name.split(/[\s]+/).filter(Boolean);
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1].toLowerCase().replace(/,$/, ''))) words.pop();
  // Surname: the last word with any particles before it ("de la Cruz", "bin Salman").
  let s = words.length - 1;
  while (s > 1 && PARTICLES.has(words[s - 1].toLowerCase())) s--;
  const surname = words.slice(s).map(nameTokenKey).join(' ');
  const given = words.slice(0, Math.max(0, s)).map(nameTokenKey).filter((w) => !PARTICLES.has(w));
  return { given, surname, all: words.map(nameTokenKey) };
}

function givenCompatible(a: string, b: string): boolean {
  if (a === b) return true;
  // Initials: "J." against "John".
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  // Short forms: "Alex" / "Alexander", "Mike" would need a lexicon; prefixes of 3+ letters only.
  return (a.length >= 3 && b.startsWith(a)) || (b.length >= 3 && a.startsWith(b));
}

/** `long` ends with the words of `short`. */
function endsWith(long: string[], short: string[]): boolean {
  const d = long.length - short.length;
  for (let i = 0; i < short.length; i++) if (long[d + i] !== short[i]) return false;
  return true;
}

/** `part` is one of the hyphen-joined parts of `surname` (checked without splitting the common unhyphenated case). */
function hyphenPart(surname: string, part: string): boolean {
  return surname.includes('-') && surname.split('-').includes(part);
}

/** True when two person names can be one person: same surname and no clash of given names. */
export function personNamesMatch(a: NameParts, b: NameParts): boolean {
  // Compound surnames: "Guajardo Villarreal" against "Ildefonso Guajardo Villarreal".
  if (a.all.length >= 2 && b.all.length > a.all.length && endsWith(b.all, a.all)) return true;
  if (b.all.length >= 2 && a.all.length > b.all.length && endsWith(a.all, b.all)) return true;
  if (a.surname !== b.surname) {
    // "Hillary" alone against "Hillary Clinton": a one-word name that is the other's first given name.
    if (a.all.length === 1 && b.given.length && b.given[0] === a.surname) return true;
    if (b.all.length === 1 && a.given.length && a.given[0] === b.surname) return true;
    // Hyphenated surnames: "Okonkwo-Hale" against "Hale".
    if (a.all.length === 1 && hyphenPart(b.surname, a.surname)) return true;
    if (b.all.length === 1 && hyphenPart(a.surname, b.surname)) return true;
    return false;
  }
  if (!a.given.length || !b.given.length) return true;
  return givenCompatible(a.given[0], b.given[0]);
}

/** Organisation or outlet key: folded, "the" and possessive dropped, punctuation squeezed. */
export const orgKey = memo((name: string): string =>
  foldName(name)
    .replace(/^the /, '')
    .replace(/[.,]/g, '')
    .replace(/\s+/g, ' ')
    .trim(),
);

/** Initials of an organisation name ("Federal Bureau of Investigation" → "fbi"). */
export const acronymOf = memo((name: string): string =>
  orgKey(name)
    .split(/[\s-]+/)
    .filter((w) => w && !['of', 'the', 'for', 'and', 'on', 'in', '&'].includes(w))
    .map((w) => w[0])
    .join(''),
);
