export { runBatch, runPlan, type BatchOptions, type BatchCounts } from './batch.js';
export { planInputs, readSources, InputPlanError, type Plan, type RawItem } from './sources.js';
export { createProgress, progressLine, summaryLine } from './progress.js';
