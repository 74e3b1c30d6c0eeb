import type { Attribution } from '../core/types.js';
import { loadAnnotatedDir } from '../formats/polnear.js';
import { aggregate, scoreDocument, type DocCounts, type ScoredAttribution, type Scores } from './metrics.js';

export interface DocumentResult {
  name: string;
  counts: DocCounts;
}

export interface Evaluation {
  scores: Scores;
  documents: DocumentResult[];
}

function toScored(a: Attribution): ScoredAttribution {
  return { source: a.source ? a.source.spans : null, cue: a.cue.spans, content: a.content.spans };
}

/**
 * Scores a predictor on a PolNeAR-layout directory. Only outermost predictions (parent null) are
 * scored, since PolNeAR annotates only the outermost attribution of a nest.
 */
export function evaluateDir(dir: string, predict: (text: string, name: string) => Attribution[]): Evaluation {
  const documents: DocumentResult[] = [];
  for (const d of loadAnnotatedDir(dir)) {
    const pred = predict(d.text, d.name).filter((a) => a.parent === null).map(toScored);
    documents.push({ name: d.name, counts: scoreDocument(d.text, pred, d.gold) });
  }
  return { scores: aggregate(documents.map((d) => d.counts)), documents };
}
