import { ValueError } from '../errors/index.js';

/**
 * A learning-rate schedule: the learning rate used by the update that follows `step`
 * completed updates (`step` = 0, 1, 2, …). This is the convention of PyTorch's
 * `LambdaLR` stepped once per optimiser step, and of Hugging Face's schedules.
 */
export type LrSchedule = (step: number) => number;

function checkLr(lr: number, what: string): void {
  if (!Number.isFinite(lr) || lr < 0) throw new ValueError(`${what} must be a finite number ≥ 0, got ${lr}`);
}

function checkSteps(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`${what} must be an integer ≥ 0, got ${n}`);
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new ValueError(`schedule step must be an integer ≥ 0, got ${step}`);
}

/** Options of {@link constantLr}. */
export interface ConstantLrOptions {
  /** Linear warm-up from 0 over this many steps (default 0: none). */
  warmupSteps?: number;
}

/**
 * Constant learning rate, optionally after a linear warm-up:
 * lr(s) = lr · s / W for s < W, else lr.
 */
export function constantLr(lr: number, opts: ConstantLrOptions = {}): LrSchedule {
  checkLr(lr, 'lr');
  const warmup = opts.warmupSteps ?? 0;
  checkSteps(warmup, 'warmupSteps');
  return (step) => {
    checkStep(step);
    return step < warmup ? (lr * step) / warmup : lr;
  };
}

/** Options of {@link warmupCosine}. */
export interface WarmupCosineOptions {
  /** Learning rate at the end of the warm-up. */
  peakLr: number;
  /** Steps of linear warm-up from 0 to `peakLr` (W). */
  warmupSteps: number;
  /** Total number of steps (T); after T the rate stays at `minLr`. */
  totalSteps: number;
  /** Final learning rate (default 0). */
  minLr?: number;
}

/**
 * Linear warm-up then half-cosine decay (Loshchilov & Hutter 2017, "SGDR", Eq. 5, without
 * restarts; the form used by Hugging Face's `get_cosine_schedule_with_warmup`):
 *
 * lr(s) = peak · s / W                                   for s < W
 * lr(s) = min + (peak − min) · ½ · (1 + cos(π · p)),  p = min(1, (s − W) / (T − W))  otherwise.
 */
export function warmupCosine(opts: WarmupCosineOptions): LrSchedule {
  const { peakLr, warmupSteps, totalSteps } = opts;
  const minLr = opts.minLr ?? 0;
  checkLr(peakLr, 'peakLr');
  checkLr(minLr, 'minLr');
  checkSteps(warmupSteps, 'warmupSteps');
  checkSteps(totalSteps, 'totalSteps');
  if (minLr > peakLr) throw new ValueError(`minLr (${minLr}) must not exceed peakLr (${peakLr})`);
  if (totalSteps < warmupSteps) {
    throw new ValueError(`totalSteps (${totalSteps}) must be ≥ warmupSteps (${warmupSteps})`);
  }
  const decay = Math.max(1, totalSteps - warmupSteps);
  return (step) => {
    checkStep(step);
    if (step < warmupSteps) return (peakLr * step) / warmupSteps;
    const p = Math.min(1, (step - warmupSteps) / decay);
    return minLr + (peakLr - minLr) * 0.5 * (1 + Math.cos(Math.PI * p));
  };
}
