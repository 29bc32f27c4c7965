import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';

/** Result of {@link clipGradNorm}. */
export interface ClippedGrads {
  /** The rescaled gradients (new tensors, owned by the caller), same keys as the input. */
  grads: Record<string, tf.Tensor>;
  /** Global L2 norm of the gradients before clipping, ‖g‖ = √(Σᵢ‖gᵢ‖²). */
  totalNorm: tf.Scalar;
}

/**
 * Global-norm gradient clipping, as `torch.nn.utils.clip_grad_norm_`: every gradient is
 * multiplied by min(1, maxNorm / (‖g‖ + 1e-6)), where ‖g‖ is the L2 norm of all gradients
 * concatenated (Pascanu et al. 2013, "On the difficulty of training RNNs", Alg. 2).
 * Returns the pre-clip norm. The input tensors are not disposed.
 */
export function clipGradNorm(grads: Record<string, tf.Tensor>, maxNorm: number): ClippedGrads {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new ValueError(`clipGradNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  }
  const keys = Object.keys(grads);
  if (keys.length === 0) throw new ValueError('clipGradNorm: no gradients given');
  return tf.tidy(() => {
    const sq = keys.map((k) => tf.sum(tf.square(grads[k]!)));
    const totalNorm = tf.sqrt(sq.length === 1 ? sq[0]! : tf.addN(sq)) as tf.Scalar;
    const coef = tf.minimum(tf.div(maxNorm, tf.add(totalNorm, 1e-6)), 1);
    const out: Record<string, tf.Tensor> = {};
    for (const k of keys) out[k] = tf.mul(grads[k]!, coef);
    return { grads: out, totalNorm };
  });
}
