export { planSweep } from './plan-sweep.js';
export { defaultPlanOptions, knownSkipIds, optionalFlags, SKIP_CATEGORIES, DEFAULT_SAMPLE_INTERIOR } from './options.js';
export { summarizePlan, type PlanSummary, type HostSummary, type MatrixSource } from './summary.js';
export { ALL_FACTS } from './facts.js';
export * from './types.js';
