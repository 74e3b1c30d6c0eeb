// One tagger's perceptron training, run in a worker thread by trainModel (train.ts): the cue taggers
// of the calibration and the final model, and then their role taggers, train side by side.
import { parentPort, workerData } from 'node:worker_threads';
import { SequenceModel } from './perceptron.js';
import { CUE_LABELS, ROLE_LABELS, cueAllowed, roleAllowed } from './features.js';
import { rng } from './hash.js';
import { runEpochs, type Instance } from './train.js';

export interface TaggerTask {
  kind: 'cue' | 'role';
  bits: number;
  epochs: number;
  seed: number;
  name: string;
  data: Instance[];
}

const task = workerData as TaggerTask;
const model = task.kind === 'role'
  ? new SequenceModel({ labels: ROLE_LABELS, bits: task.bits }, roleAllowed)
  : new SequenceModel({ labels: CUE_LABELS, bits: task.bits }, cueAllowed);
runEpochs(model, task.data, task.epochs, rng(task.seed), task.name, (line) => parentPort!.postMessage({ log: line }));
parentPort!.postMessage({ weights: model.weights, transitions: model.transitions }, [model.weights.buffer as ArrayBuffer, model.transitions.buffer as ArrayBuffer]);
