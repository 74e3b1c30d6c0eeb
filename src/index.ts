export { analyze, detectHeadline, type AnalyzeOptions } from './analyze.js';
export * from './core/types.js';
export { readDoc } from './nlp/document.js';
export { loadModel, loadDefaultModel, type AttributionModel } from './attribution/model.js';
