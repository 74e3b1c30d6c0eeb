import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { hashString } from './hash.js';

/**
 * Word clusters derived from pretrained word vectors (training/clusters.py): for each word of a
 * fixed vocabulary, its cluster at a few granularities. The taggers read a word's clusters as
 * features, so what they learn about "accused" carries over to "blamed" and to predicates rare in
 * training. Only the ids ship (a few hundred KB); the vectors stay outside the repository.
 */
export interface WordClusters {
  /** Per word, the hashed cluster id at each granularity. */
  ids: Map<string, Uint32Array>;
  levels: number;
  /** Hashed ids used for words outside the vocabulary, per granularity. */
  unknown: Uint32Array;
  /** The gzipped table as read, so that a trained model is saved with exactly the table it used. */
  gz: Buffer;
}

export class ClusterError extends Error {}

export function parseClusters(gz: Buffer, origin: string): WordClusters {
  let text: string;
  try {
    text = gunzipSync(gz).toString('utf8');
  } catch (err) {
    throw new ClusterError(`${origin}: not a gzipped cluster table (${(err as Error).message})`);
  }
  const ids = new Map<string, Uint32Array>();
  let levels = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line || line.startsWith('#')) continue;
    const cells = line.split('\t');
    if (!levels) levels = cells.length - 1;
    if (cells.length - 1 !== levels || levels < 1) throw new ClusterError(`${origin}: line ${i + 1}: expected a word and ${levels || 'some'} cluster ids`);
    const row = new Uint32Array(levels);
    for (let k = 0; k < levels; k++) row[k] = hashString(`k${k}:${cells[k + 1]}`);
    ids.set(cells[0], row);
  }
  if (!levels) throw new ClusterError(`${origin}: no clusters in the table`);
  const unknown = Uint32Array.from({ length: levels }, (_, k) => hashString(`k${k}:unk`));
  return { ids, levels, unknown, gz };
}

export function readClusters(file: string): WordClusters {
  if (!existsSync(file)) throw new ClusterError(`${file} is missing`);
  return parseClusters(readFileSync(file), file);
}
