// Builders the data-parallel tests start in worker threads (imported by each worker).
import { tf } from '../../src/index.js';
import { Linear, Module, TransformerBlock } from '../../src/nn/index.js';
import { AdamW, SGD } from '../../src/optim/index.js';
import type { ParallelSetup } from '../../src/train/index.js';

/** A small transformer (D 16, 2 heads, 1 block) with a linear head, mean-squared loss, AdamW. */
export class TinyModel extends Module {
  readonly block: TransformerBlock;
  readonly head: Linear;
  constructor(seed = 0) {
    super();
    this.block = this.child('block0', new TransformerBlock(16, 2, { mlpRatio: 2, activation: 'gelu', seed }));
    this.head = this.child('head', new Linear(16, 4, { seed: seed + 99 }));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.head.forward(this.block.forward(x)));
  }
}

export const tinyLoss = (m: TinyModel, b: Record<string, tf.Tensor>): tf.Scalar =>
  tf.mean(tf.squaredDifference(m.forward(b['x']!), b['y']!)) as tf.Scalar;

export function buildTiny(options: unknown): ParallelSetup {
  const o = (options ?? {}) as { seed?: number; lr?: number; failAtStep?: number; sgd?: boolean };
  const model = new TinyModel(o.seed ?? 0);
  const params = model.namedParameters();
  return {
    // plain SGD makes the update lr·gradient, so comparing weights compares the summed gradient
    optimizer: o.sgd ? new SGD(params, { lr: o.lr ?? 1 }) : new AdamW(params, { lr: o.lr ?? 1e-2, weightDecay: 0.01 }),
    loss: (b, ctx) => {
      if (o.failAtStep !== undefined && ctx.step === o.failAtStep && ctx.worker === 1)
        throw new RangeError(`planned failure at step ${ctx.step}`);
      return tinyLoss(model, b);
    },
    dispose: () => model.dispose(),
  };
}

/** Builds a replica with a different parameter set in worker 1 (a mismatch the trainer must refuse). */
export function buildMismatched(options: unknown, ctx: { worker: number }): ParallelSetup {
  if (ctx.worker !== 1) return buildTiny(options);
  const m = new Linear(3, 3, { seed: 1 });
  return { optimizer: new AdamW(m.namedParameters(), { lr: 1e-3 }), loss: () => tf.scalar(0) };
}

/** Never returns (for the abort test). */
export async function buildSlow(options: unknown): Promise<ParallelSetup> {
  const s = buildTiny(options);
  return {
    ...s,
    loss: (b, ctx) => {
      const until = Date.now() + 60_000;
      while (Date.now() < until && ctx.step >= 0) {
        // busy: the step never finishes, only terminate() stops it
      }
      return s.loss(b, ctx);
    },
  };
}
