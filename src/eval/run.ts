import type { Attribution } from '../core/types.js';
import { loadAnnotatedDir, type AnnotatedText } from '../formats/polnear.js';
import { aggregate, expectedCalibrationError, predictionOutcomes, scoreDocument, type DocCounts, type ScoredAttribution, type Scores } from './metrics.js';

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

export type Predict = (text: string, name: string) => Attribution[];

/**
 * Scores a predictor on a PolNeAR-layout directory. Only outermost predictions (parent null) are
 * scored, since PolNeAR annotates only the outermost attribution of a nest.
 */
export function evaluateDir(dir: string, predict: Predict): Evaluation {
  return evaluateTexts(loadAnnotatedDir(dir), predict);
}

/** Scores a predictor on annotated texts (a directory's, or a part of one: the held-out tenth of train). */
export function evaluateTexts(texts: readonly AnnotatedText[], predict: Predict): Evaluation {
  const documents: DocumentResult[] = [];
  const conf: number[] = [];
  const exactConf: number[] = [];
  const matched: boolean[] = [];
  const exact: boolean[] = [];
  for (const d of texts) {
    const outer = predict(d.text, d.name).filter((a) => a.parent === null);
    const pred = outer.map(toScored);
    documents.push({ name: d.name, counts: scoreDocument(d.text, pred, d.gold) });
    const outcomes = predictionOutcomes(d.text, pred, d.gold);
    outer.forEach((a, i) => {
      conf.push(a.confidence);
      if (a.exactConfidence !== undefined) exactConf.push(a.exactConfidence);
      matched.push(outcomes.matched[i]);
      exact.push(outcomes.exact[i]);
    });
  }
  const scores = aggregate(documents.map((d) => d.counts));
  if (conf.length) {
    scores.calibration = {
      predictions: conf.length,
      ece: expectedCalibrationError(conf, matched),
      eceExactReadOfConfidence: expectedCalibrationError(conf, exact),
      eceExact: exactConf.length === conf.length ? expectedCalibrationError(exactConf, exact) : null,
    };
  }
  return { scores, documents };
}
