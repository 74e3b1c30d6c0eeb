import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../analyze.js';
import { loadModelOrExplain } from './analyze.js';
import { evaluateDir } from '../eval/run.js';
import { ROLES, type PRF, type Scores } from '../eval/metrics.js';
import { UserError } from './errors.js';

export function registerEval(program: Command): void {
  program
    .command('eval')
    .description('score the attribution model against a PolNeAR-layout directory (text/*.txt, attributions/*.ann)')
    .argument('<dir>', 'annotated data, e.g. ../shared/data/polnear/dev')
    .option('--json', 'print the scores as JSON')
    .option('--model <dir>', 'attribution model directory (default: the committed model)')
    .action((dir: string, flags: { json?: boolean; model?: string }) => {
      checkLayout(dir);
      const model = loadModelOrExplain(flags.model);
      const { scores } = evaluateDir(dir, (text, name) => (text.length ? analyze(text, { id: name, model }).attributions : []));
      if (!scores.documents) throw new UserError(`${dir}: no text has a matching .ann file in attributions/`);
      process.stdout.write(flags.json ? JSON.stringify(scores, null, 2) + '\n' : scoreTable(scores));
    });
}

function checkLayout(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`${dir}: no such directory`);
  for (const sub of ['text', 'attributions']) {
    if (!existsSync(join(dir, sub))) {
      throw new UserError(`${dir}: no ${sub}/ folder (expected the PolNeAR layout: text/*.txt and attributions/*.ann)`);
    }
  }
}


const f3 = (x: number) => x.toFixed(3);

function prfCells(p: PRF): string[] {
  return [f3(p.precision), f3(p.recall), f3(p.f1)];
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
}

function center(label: string, width: number): string {
  const left = Math.floor((width - label.length) / 2);
  return (' '.repeat(Math.max(0, left)) + label).padEnd(width);
}

/** "exact" and "overlap" centred over their three P/R/F1 columns. */
function groupHeader(widths: number[]): string {
  const span = (from: number) => widths.slice(from, from + 3).reduce((a, b) => a + b, 0) + 4;
  return [' '.repeat(widths[0]), center('exact', span(1)), center('overlap', span(4))].join('  ').trimEnd();
}

/** The scores as an aligned plain-text table. */
export function scoreTable(s: Scores): string {
  const widths = [11, 7, 7, 7, 9, 7, 7, 6, 6];
  const lines = [
    `${s.documents} documents`,
    '',
    groupHeader(widths),
    row(['span', 'P', 'R', 'F1', 'P', 'R', 'F1', 'pred', 'gold'], widths),
    ...ROLES.map((r) => row([r, ...prfCells(s.exact[r]), ...prfCells(s.overlap[r]), String(s.exact[r].pred), String(s.exact[r].gold)], widths)),
    '',
    row(['attribution', ...prfCells(s.attribution), '', '', '', String(s.attribution.pred), String(s.attribution.gold)], widths),
    '',
    'exact: spans equal after trimming punctuation and spaces; overlap: spans share a character.',
    'attribution: content IoU >= 0.5, cues overlap, sources overlap or are both absent (one-to-one).',
  ];
  const c = s.calibration;
  if (c) {
    lines.push(
      `calibration over ${c.predictions} predictions (ECE, 10 bins): confidence ${f3(c.ece)} against the attribution match, ` +
        `${f3(c.eceExactReadOfConfidence)} read as "spans exact"` + (c.eceExact === null ? '' : `; exactConfidence ${f3(c.eceExact)} against "spans exact"`),
    );
  }
  return lines.join('\n') + '\n';
}
