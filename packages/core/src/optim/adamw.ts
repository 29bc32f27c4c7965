import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';
import type { ResolvedParam } from './groups.js';

/** Options of {@link AdamW}. */
export interface AdamWOptions extends OptimizerOptions {
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Term added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
}

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter 2019, "Decoupled Weight Decay
 * Regularization", Alg. 2), step for step as `torch.optim.AdamW`:
 *
 * θ ← θ·(1 − η·λ);  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;
 * θ ← θ − (η / (1−β₁ᵗ)) · m / (√v / √(1−β₂ᵗ) + ε)
 *
 * with η the scheduled learning rate times the group's multiplier and λ the group's weight
 * decay (PyTorch's default λ is 0.01; here the default is 0 unless `weightDecay` is given).
 * State slots: `exp_avg` (m) and `exp_avg_sq` (v), named as in PyTorch.
 */
export class AdamW extends Optimizer {
  readonly kind = 'AdamW';
  /** β₁, β₂. */
  readonly betas: readonly [number, number];
  /** ε. */
  readonly eps: number;

  constructor(params: Iterable<readonly [string, tf.Variable]>, opts: AdamWOptions) {
    super(params, opts);
    this.betas = opts.betas ?? [0.9, 0.999];
    this.eps = opts.eps ?? 1e-8;
    for (const b of this.betas) {
      if (!(b >= 0 && b < 1)) throw new ValueError(`AdamW betas must lie in [0, 1), got [${this.betas}]`);
    }
    if (!(this.eps >= 0) || !Number.isFinite(this.eps)) throw new ValueError(`AdamW eps must be ≥ 0, got ${this.eps}`);
    this.addSlot('exp_avg');
    this.addSlot('exp_avg_sq');
  }

  protected classHyper(): Record<string, unknown> {
    return { betas: [...this.betas], eps: this.eps };
  }

  protected update(p: ResolvedParam, g: tf.Tensor, lr: number, t: number): void {
    const [b1, b2] = this.betas;
    const m = this.slot('exp_avg', p.name);
    const v = this.slot('exp_avg_sq', p.name);
    const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
    const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
    const stepSize = lr / (1 - b1 ** t);
    const denom = tf.add(tf.div(tf.sqrt(v1), Math.sqrt(1 - b2 ** t)), this.eps);
    const decayed = p.weightDecay !== 0 && lr !== 0 ? tf.mul(p.variable, 1 - lr * p.weightDecay) : p.variable;
    p.variable.assign(tf.sub(decayed, tf.mul(tf.div(m1, denom), stepSize)));
    m.assign(m1);
    v.assign(v1);
  }
}
