import { tf } from '@astro/core';

/**
 * Masked-modelling loss (SpecCLIP / MAE style): squared reconstruction error of each token's
 * pixels over observed pixels only, averaged over tokens with the masked positions weighted 1 and
 * the rest 0, then divided by the masked fraction:
 * L = mean_{b,t}( m_bt · e_bt ) / mean_{b,t}( m_bt ),  e_bt = Σ_w o_btw (ŷ − y)² / max(1, Σ_w o_btw).
 * pred, target, observed [B, T, W]; mask [B, T] (1 = masked).
 */
export function maskedReconstructionLoss(pred: tf.Tensor3D, target: tf.Tensor3D, observed: tf.Tensor3D, mask: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const se = tf.mul(tf.square(tf.sub(pred, target)), observed);
    const perToken = tf.div(tf.sum(se, -1), tf.maximum(tf.sum(observed, -1), 1));
    const maskedFraction = tf.mean(mask);
    return tf.div(tf.mean(tf.mul(perToken, mask)), tf.maximum(maskedFraction, 1e-12)) as tf.Scalar;
  });
}
