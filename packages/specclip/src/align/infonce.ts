import { tf, ShapeError } from '@astro/core';

/** SpecCLIP's fixed logit scale (the inverse temperature multiplying cosine similarities). */
export const SPECCLIP_LOGIT_SCALE = 15.5;

/** L2-normalise rows of x [B, D] (ε = 1e-12 as `torch.nn.functional.normalize`). */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}

/**
 * Symmetric InfoNCE (CLIP; Radford et al. 2021, eq. in their Fig. 3): with â, b̂ the L2-normalised
 * rows of a, b [B, D] and logits = s · â b̂ᵀ, L = ½ [CE(logits, I) + CE(logitsᵀ, I)], where row i
 * of a and row i of b are the positive pair. `logitScale` s is a number (SpecCLIP: 15.5) or a
 * scalar tensor (learnable: pass exp of a trained log-scale).
 * @throws {ShapeError} when a and b differ in shape or hold fewer than 2 pairs.
 */
export function clipLoss(a: tf.Tensor2D, b: tf.Tensor2D, logitScale: number | tf.Scalar = SPECCLIP_LOGIT_SCALE): tf.Scalar {
  if (a.rank !== 2 || b.rank !== 2 || a.shape[0] !== b.shape[0] || a.shape[1] !== b.shape[1]) {
    throw new ShapeError(
      `clipLoss: embeddings must be two [B, D] tensors of one shape, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`,
    );
  }
  const n = a.shape[0];
  if (n < 2) throw new ShapeError(`clipLoss: need at least 2 pairs in a batch, got ${n}`);
  return tf.tidy(() => {
    const logits = tf.mul(tf.matMul(l2Normalize(a), l2Normalize(b), false, true), logitScale) as tf.Tensor2D;
    const eye = tf.oneHot(tf.range(0, n, 1, 'int32'), n);
    const ce = (l: tf.Tensor2D) => tf.neg(tf.mean(tf.sum(tf.mul(eye, tf.logSoftmax(l, 1)), 1)));
    return tf.mul(tf.add(ce(logits), ce(tf.transpose(logits) as tf.Tensor2D)), 0.5) as tf.Scalar;
  });
}
