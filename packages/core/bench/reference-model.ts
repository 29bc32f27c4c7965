import { tf } from '../src/index.js';
import { Module, TransformerBlock, LayerNorm, Linear } from '../src/nn/index.js';

/**
 * The reference transformer of the core benchmark, identical in shape to
 * tools/bench/torch_peer.py (its "step" op): x [B, T, D] → 2 pre-norm blocks (4 heads, MLP ratio 4, GELU)
 * → LayerNorm → Linear(D, D).
 */
export class ReferenceModel extends Module {
  readonly blocks: TransformerBlock[];
  readonly norm: LayerNorm;
  readonly head: Linear;

  constructor(dim = 128, heads = 4, depth = 2, seed = 0) {
    super();
    this.blocks = Array.from({ length: depth }, (_, i) =>
      this.child(`block${i}`, new TransformerBlock(dim, heads, { mlpRatio: 4, activation: 'gelu', seed: seed + i })),
    );
    this.norm = this.child('norm', new LayerNorm(dim));
    this.head = this.child('head', new Linear(dim, dim, { seed: seed + 99 }));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      let h = x;
      for (const b of this.blocks) h = b.forward(h);
      return this.head.forward(this.norm.forward(h));
    });
  }
}
