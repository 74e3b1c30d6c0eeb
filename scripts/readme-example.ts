/**
 * The README's example output, generated from the bundled example so it cannot drift from what the
 * tool prints: `node --import tsx scripts/readme-example.ts` rewrites the block between the
 * `<!-- example:start -->` and `<!-- example:end -->` markers; test/unit/readme.test.ts fails when the
 * committed block differs from what this produces.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../src/analyze.js';
import { writers } from '../src/formats/writers.js';
import type { Analysis } from '../src/core/types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const README = `${root}README.md`;
const EXAMPLE = 'examples/port-strike.txt';
const START = '<!-- example:start -->';
const END = '<!-- example:end -->';
const REPORT_LINES = 16;

/** One attribution whose source is a pronoun, its speaker and the profile: what the JSON adds over the report. */
function excerpt(analysis: Analysis): Analysis {
  const a = analysis.attributions.find((x) => x.speaker && /^(he|she|they)$/i.test(x.source?.text ?? '')) ?? analysis.attributions[0];
  const entity = analysis.entities.filter((e) => e.id === a?.speaker);
  const profile = { ...analysis.profile, flags: analysis.profile.flags.slice(0, 1), topSpeakers: analysis.profile.topSpeakers?.slice(0, 1) };
  return { ...analysis, attributions: a ? [a] : [], entities: entity, profile };
}

/** The markdown between the markers (without them). */
export function exampleBlock(): string {
  const text = readFileSync(`${root}${EXAMPLE}`, 'utf8');
  const analysis = analyze(text, { id: 'port-strike' });
  const report = writers.text.write(analysis, text).split('\n').slice(0, REPORT_LINES).join('\n');
  const json = writers.json.write(excerpt(analysis), text).trimEnd();
  return [
    '',
    `\`whosaid analyze ${EXAMPLE} --format text\` begins:`,
    '',
    '```text',
    report,
    '…',
    '```',
    '',
    `and \`whosaid analyze ${EXAMPLE}\` prints the whosaid/1 JSON; trimmed to one attribution whose source is a`,
    'pronoun, its speaker entity and the profile (first flag and top speaker only), it reads:',
    '',
    '```json',
    json,
    '```',
    '',
  ].join('\n');
}

/** The block currently in the README, or null when the markers are missing. */
export function committedBlock(readme: string): string | null {
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  return s < 0 || e < s ? null : readme.slice(s + START.length, e);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const readme = readFileSync(README, 'utf8');
  const s = readme.indexOf(START);
  const e = readme.indexOf(END);
  if (s < 0 || e < s) {
    console.error(`README.md: no ${START} … ${END} block to fill`);
    process.exit(1);
  }
  writeFileSync(README, readme.slice(0, s + START.length) + exampleBlock() + readme.slice(e));
  console.log('README.md: example block regenerated');
}
