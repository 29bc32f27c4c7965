import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';
import type { ResolvedParam } from './groups.js';

/** Options of {@link SGD}. */
export interface SGDOptions extends OptimizerOptions {
  /** Momentum factor μ (default 0: plain gradient descent). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum (Sutskever et al. 2013); needs momentum > 0 and dampening 0. */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent with momentum, step for step as `torch.optim.SGD`:
 *
 * d ← g + λθ;  b ← d (first step) or μb + (1−τ)d;  d ← d + μb (Nesterov) or b;  θ ← θ − η d
 *
 * Weight decay here is the classic coupled L2 penalty, as in PyTorch. State slot:
 * `momentum_buffer` (when momentum > 0).
 */
export class SGD extends Optimizer {
  readonly kind = 'SGD';
  /** μ. */
  readonly momentum: number;
  /** τ. */
  readonly dampening: number;
  /** Whether Nesterov momentum is used. */
  readonly nesterov: boolean;

  constructor(params: Iterable<readonly [string, tf.Variable]>, opts: SGDOptions) {
    super(params, opts);
    this.momentum = opts.momentum ?? 0;
    this.dampening = opts.dampening ?? 0;
    this.nesterov = opts.nesterov ?? false;
    if (!(this.momentum >= 0) || !Number.isFinite(this.momentum)) {
      throw new ValueError(`SGD momentum must be ≥ 0, got ${this.momentum}`);
    }
    if (!(this.dampening >= 0 && this.dampening <= 1)) {
      throw new ValueError(`SGD dampening must lie in [0, 1], got ${this.dampening}`);
    }
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new ValueError('SGD Nesterov momentum requires momentum > 0 and dampening 0');
    }
    if (this.momentum > 0) this.addSlot('momentum_buffer');
  }

  protected classHyper(): Record<string, unknown> {
    return { momentum: this.momentum, dampening: this.dampening, nesterov: this.nesterov };
  }

  protected update(p: ResolvedParam, g: tf.Tensor, lr: number, t: number): void {
    let d = p.weightDecay !== 0 ? tf.add(g, tf.mul(p.variable, p.weightDecay)) : g;
    if (this.momentum > 0) {
      const buf = this.slot('momentum_buffer', p.name);
      const b = t === 1 ? d : tf.add(tf.mul(buf, this.momentum), tf.mul(d, 1 - this.dampening));
      buf.assign(b);
      d = this.nesterov ? tf.add(d, tf.mul(b, this.momentum)) : b;
    }
    p.variable.assign(tf.sub(p.variable, tf.mul(d, lr)));
  }
}
