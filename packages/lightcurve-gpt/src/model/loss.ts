/** Masked Huber loss for next-patch regression. */
import { tf } from '@astro/core';

/**
 * Huber loss (Huber 1964) averaged over observed cadences only:
 * ℓ(d) = ½d² for |d| ≤ δ, δ(|d| − ½δ) otherwise; Σ mask·ℓ / Σ mask. Shapes must match.
 */
export function maskedHuber(pred: tf.Tensor, target: tf.Tensor, mask: tf.Tensor, delta = 1): tf.Scalar {
  return tf.tidy(() => {
    const d = tf.abs(tf.sub(pred, target));
    const quad = tf.minimum(d, delta);
    const lin = tf.sub(d, quad);
    const l = tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(delta, lin));
    return tf.div(tf.sum(tf.mul(l, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
  });
}
