/**
 * Feature hashing: features are integers, never strings, on the hot path.
 *
 * Every hash here has 30 bits. V8 keeps integers below 2^30 unboxed ("small integers"); a 32-bit
 * value passed to or returned from a call the compiler did not inline becomes a heap number. With
 * 32-bit hashes that was ~1.2 MB of garbage per article and ~13% of analysis time. The weight tables
 * index by the low bits and have far fewer than 2^30 slots.
 */
const HASH_BITS = 0x3fffffff;

/**
 * FNV-1a over a string from index `from` on, in 30 bits; used once per token for its word-level
 * attributes (`from` hashes a suffix without copying it).
 */
export function hashString(s: string, from = 0): number {
  let h = 0x811c9dc5;
  for (let i = from; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h & HASH_BITS;
}

/** Mixes two values into one (a murmur3-style finaliser over a combined word). */
export function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xcc9e2d51);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h & HASH_BITS;
}

/** Three values into one: a single multiply-xorshift round, cheaper than two `mix` calls. */
export function mix3(a: number, b: number, c: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c ^ 0x27d4eb2f, 0x85ebca77)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0xc2b2ae3d);
  return (h ^ (h >>> 13)) & HASH_BITS;
}

/** Seeded PRNG (mulberry32) so training runs are reproducible. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
