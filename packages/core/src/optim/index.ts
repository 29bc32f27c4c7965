/**
 * Optimisers (AdamW, SGD with momentum) with PyTorch-style parameter groups, global-norm
 * gradient clipping and learning-rate schedules. Each matches its `torch.optim` counterpart
 * step for step (tests compare against fixtures from `tools/fixtures/torch_optim.py`).
 *
 * ```ts
 * const opt = new AdamW(model.namedParameters(), {
 *   lr: warmupCosine({ peakLr: 1e-3, warmupSteps: 100, totalSteps: 5000 }),
 *   weightDecay: 0.01,
 *   groups: [{ match: /(\.bias|norm\.weight)$/, weightDecay: 0 }],
 *   clipGradNorm: 1,
 * });
 * const { loss } = opt.minimize(() => mse(model.forward(x), y));
 * ```
 * @module
 */
export { Optimizer } from './optimizer.js';
export type { OptimizerOptions, OptimizerState, OptimizerStateMeta, StepResult } from './optimizer.js';
export { AdamW } from './adamw.js';
export type { AdamWOptions } from './adamw.js';
export { SGD } from './sgd.js';
export type { SGDOptions } from './sgd.js';
export { clipGradNorm } from './clip.js';
export type { ClippedGrads } from './clip.js';
export { compileMatcher, resolveGroups } from './groups.js';
export type { ParamGroupRule, ParamMatcher, ResolvedParam } from './groups.js';
export { constantLr, warmupCosine } from './schedules.js';
export type { LrSchedule, ConstantLrOptions, WarmupCosineOptions } from './schedules.js';
