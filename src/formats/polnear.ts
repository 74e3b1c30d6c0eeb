import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseBrat, type BratAttribution } from './brat.js';

export interface AnnotatedText {
  name: string;
  text: string;
  gold: BratAttribution[];
  /** The .ann file the gold attributions came from. */
  annFile: string;
}

export interface LoadOptions {
  /** One entry per annotation file rather than per text: extra supervision for training. */
  allAnnotators?: boolean;
}

/**
 * Reads a PolNeAR-layout directory: `text/NAME.txt` and `attributions/NAME_XXXX.ann`. Where several
 * annotators annotated one text, the first .ann by name is used, so every run sees the same gold.
 */
export function loadAnnotatedDir(dir: string, options: LoadOptions = {}): AnnotatedText[] {
  const textDir = join(dir, 'text');
  const annDir = join(dir, 'attributions');
  const anns = readdirSync(annDir).filter((f) => f.endsWith('.ann')).sort();
  const out: AnnotatedText[] = [];
  for (const file of readdirSync(textDir).filter((f) => f.endsWith('.txt')).sort()) {
    const name = basename(file, '.txt');
    const mine = anns.filter((a) => a === `${name}.ann` || (a.startsWith(`${name}_`) && /^_[^_]+\.ann$/.test(a.slice(name.length))));
    if (!mine.length) continue;
    const text = readFileSync(join(textDir, file), 'utf8');
    for (const ann of options.allAnnotators ? mine : mine.slice(0, 1)) {
      const gold = parseBrat(readFileSync(join(annDir, ann), 'utf8')).attributions;
      out.push({ name, text, gold, annFile: join(annDir, ann) });
    }
  }
  return out;
}
