// Which part of PolNeAR train a text belongs to, for the span-edge ranker's experiments: the
// held-out tenth is the one training/experiment.ts scores on (every tenth name from the fourth).
import { readdirSync } from 'node:fs';

// The same FNV-1a as the speaker annotations' learn/measure split.
export { fnv } from '../bench/speakers-data.js';

let tenth: Set<string> | null = null;

export function foldOf(name: string): 'tenth' | 'rest' {
  if (!tenth) {
    const dir = new URL('../../shared/data/polnear/train/text/', import.meta.url).pathname;
    const names = readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
    tenth = new Set(names.filter((_, i) => i % 10 === 3));
  }
  return tenth.has(name) ? 'tenth' : 'rest';
}
