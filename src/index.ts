export { analyze, detectHeadline, type AnalyzeOptions } from './analyze.js';
export * from './core/types.js';
export { readDoc } from './nlp/document.js';
export { loadModel, loadDefaultModel, type AttributionModel } from './attribution/model.js';
export { openStore, contentHash, isPostgresLocation, DEFAULT_STORE, normalizeName, StoreError } from './store/index.js';
export type * from './store/types.js';
export { runBatch, type BatchOptions, type BatchCounts } from './corpus/index.js';
