/**
 * How the headline rule (src/profile/headline.ts) separates PolNeAR headlines from first paragraphs.
 * Positives: each text's first line when followed by a blank line (PolNeAR texts start with their
 * headline). Negatives: the first body paragraph when it is one line of at most 200 characters, which
 * is what would be taken for a headline in a text without one. Tuned on train; dev is only measured.
 *
 *   node --import tsx bench/headline-rule.ts [../shared/data/polnear]
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { detectHeadline } from '../src/analyze.js';
import { looksLikeHeadline } from '../src/profile/headline.js';

const root = process.argv[2] ?? join(import.meta.dirname, '..', '..', 'shared', 'data', 'polnear');
for (const split of ['train', 'dev']) {
  const dir = join(root, split, 'text');
  const pos: string[] = [];
  const neg: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const text = readFileSync(join(dir, f), 'utf8');
    const headline = detectHeadline(text);
    const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    if (headline) {
      pos.push(headline);
      paragraphs.shift();
    }
    const first = paragraphs[0];
    if (first && first.length <= 200 && !first.includes('\n')) neg.push(first);
  }
  const kept = pos.filter(looksLikeHeadline).length;
  const taken = neg.filter(looksLikeHeadline).length;
  console.log(`${split}: headlines kept ${kept}/${pos.length}; one-line first paragraphs taken for a headline ${taken}/${neg.length} (all ${neg.length} before the rule)`);
}
