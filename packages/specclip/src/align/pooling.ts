import { tf } from '@astro/core';
import { Module, Linear, initTensor, truncNormal, rngFor } from '@astro/core/nn';

/**
 * Attention pooling projection head for token encoders (SpecCLIP's projection of a token sequence):
 * a learned `query` [dim] attends over tokens [B, T, dim] with scores (x_t·q)/√dim, the softmax-
 * weighted sum is projected by `proj` (Linear dim→out). → [B, out].
 */
export class AttentionPooling extends Module {
  readonly query: tf.Variable;
  readonly proj: Linear;
  readonly dim: number;

  constructor(dim: number, out: number, seed?: number) {
    super();
    const rng = rngFor(seed);
    this.dim = dim;
    this.query = this.param('query', initTensor(truncNormal({ std: 0.02 }), [dim, 1], rng));
    this.proj = this.child('proj', new Linear(dim, out, { seed: rng.nextUint32() }));
  }

  /** tokens [B, T, dim] → [B, out]. */
  forward(tokens: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const [b, t, d] = tokens.shape;
      const scores = tf.reshape(tf.matMul(tf.reshape(tokens, [b * t, d]), this.query), [b, t]);
      const w = tf.expandDims(tf.softmax(tf.div(scores, Math.sqrt(d)), -1), -1);
      return this.proj.forward(tf.sum(tf.mul(w, tokens), 1)) as tf.Tensor2D;
    });
  }
}
