import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadAnnotatedDir } from '../formats/polnear.js';
import { DEFAULT_TRAIN_OPTIONS, trainModel } from '../attribution/train.js';
import { saveModel } from '../attribution/model.js';
import { ClusterError, readClusters } from '../attribution/clusters.js';
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
    .option('--cue-mix <n>', 'cue tagger copies averaged (parameter mixing)', String(DEFAULT_TRAIN_OPTIONS.cueMix))
    // Both measured without gain on dev and off by default (models/README.md): opt-in for experiments.
    .option('--clusters <file>', 'also use word-cluster features from this table (training/clusters.py; e.g. training/clusters.tsv.gz)')
    .option('--all-annotators', 'train on every annotation file of a text, not only the first')
    .option('--no-progress', 'no progress lines, only the summary')
    .option('-q, --quiet', 'print nothing but errors (no progress, no summary)')
    .action(async (opts: { data: string; out: string; seed: string; cueEpochs: string; roleEpochs: string; cueMix: string; clusters?: string; allAnnotators?: boolean; quiet?: boolean; progress?: boolean }) => {
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
      const texts = loadAnnotatedDir(opts.data, { allAnnotators: !!opts.allAnnotators });
      if (!texts.length) throw new UserError(`${opts.data}: no annotated texts found`);
      let clusters = null;
      if (opts.clusters) {
        try {
          clusters = readClusters(opts.clusters);
        } catch (err) {
          if (err instanceof ClusterError) throw new UserError(`${err.message} (make it with training/clusters.py, or train without --clusters)`);
          throw err;
        }
      }
      const log = opts.quiet || opts.progress === false ? undefined : (line: string) => console.error(line);
      const { model, info } = await trainModel(texts, {
        seed: num(opts.seed, '--seed'),
        cueEpochs: num(opts.cueEpochs, '--cue-epochs'),
        roleEpochs: num(opts.roleEpochs, '--role-epochs'),
        cueMix: Math.max(1, num(opts.cueMix, '--cue-mix')),
        clusters,
        log,
      });
      saveModel(model, opts.out, info);
      if (!opts.quiet) console.log(`trained on ${info.documents} documents (${info.attributions} attributions) in ${info.seconds} s; model written to ${opts.out}`);
    });
}
