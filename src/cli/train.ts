import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir } from '../formats/polnear.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../attribution/train.js';
import { saveModel } from '../attribution/model.js';
import { UserError } from './errors.js';
import { makeOutDir } from './paths.js';

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('train the attribution model on a PolNeAR-layout directory (text/*.txt, attributions/*.ann)')
    .requiredOption('--data <dir>', 'training data directory')
    .requiredOption('--out <dir>', 'where to write the model (e.g. models/attribution)')
    .option('--seed <n>', 'random seed', String(DEFAULT_TRAIN_OPTIONS.seed))
    .option('--cue-epochs <n>', 'cue tagger epochs', String(DEFAULT_TRAIN_OPTIONS.cueEpochs))
    .option('--role-epochs <n>', 'role tagger epochs', String(DEFAULT_TRAIN_OPTIONS.roleEpochs))
    .option('--no-progress', 'no progress lines, only the summary')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary)')
    .action((opts: { data: string; out: string; seed: string; cueEpochs: string; roleEpochs: string; quiet?: boolean; progress?: boolean }) => {
      for (const sub of ['text', 'attributions']) {
        if (!existsSync(join(opts.data, sub))) throw new UserError(`${opts.data}: no ${sub}/ folder (expected the PolNeAR layout: text/*.txt and attributions/*.ann)`);
      }
      const num = (v: string, flag: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new UserError(`${flag} must be a non-negative integer, got "${v}"`);
        return n;
      };
      // Before minutes of training: an --out that cannot be a folder is known now.
      makeOutDir(opts.out);
      const texts = loadAnnotatedDir(opts.data);
      if (!texts.length) throw new UserError(`${opts.data}: no annotated texts found`);
      const log = opts.quiet || opts.progress === false ? undefined : (line: string) => console.error(line);
      const { model, info } = trainModel(texts, {
        seed: num(opts.seed, '--seed'),
        cueEpochs: num(opts.cueEpochs, '--cue-epochs'),
        roleEpochs: num(opts.roleEpochs, '--role-epochs'),
        log,
      });
      saveModel(model, opts.out, info);
      if (!opts.quiet) console.log(`trained on ${info.documents} documents (${info.attributions} attributions) in ${info.seconds} s; model written to ${opts.out}`);
    });
}
