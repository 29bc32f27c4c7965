import * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';
import { Module, ModuleList } from './module.js';
import { Linear } from './linear.js';
import { Dropout } from './dropout.js';
import { activation, type ActivationFn, type ActivationName } from './activations.js';
import { type Initializer, rngFor } from './init.js';
import { expectLastDim } from './shape.js';

/** Options of {@link MLP}. */
export interface MLPOptions {
  /** Layer widths [in, hidden…, out]; at least two entries. */
  sizes: readonly number[];
  /** Activation between layers (default `'gelu'`). */
  activation?: ActivationName;
  /** Leaky-ReLU slope when `activation` is `'leaky_relu'` (default 0.01). */
  negativeSlope?: number;
  /** Dropout probability after each hidden activation (default 0: none). */
  dropout?: number;
  /** Biases in every Linear (default true). */
  bias?: boolean;
  /** Also apply the activation after the last layer (default false). */
  activateOutput?: boolean;
  /** Seed of the initialisation and the dropout masks. */
  seed?: number;
  /** Weight initialiser for every Linear (default PyTorch's). */
  weightInit?: Initializer;
  /**
   * Give the first weight muP role `'input'` and the last `'output'` (default true when there
   * are hidden layers); the rest are `'hidden'`.
   */
  mupRoles?: boolean;
}

/**
 * Multilayer perceptron: Linear → activation (→ dropout) … → Linear. Parameters are named
 * `layers.<i>.weight` / `layers.<i>.bias` for the i-th Linear (a `ModuleList` in PyTorch).
 * x [..., sizes[0]] → [..., sizes.at(-1)].
 */
export class MLP extends Module {
  readonly layers: ModuleList<Linear>;
  readonly sizes: readonly number[];
  private readonly act: ActivationFn;
  private readonly drop: Dropout | null;
  private readonly activateOutput: boolean;

  constructor(opts: MLPOptions) {
    super();
    const sizes = opts.sizes;
    if (!Array.isArray(sizes) || sizes.length < 2) {
      throw new ValueError(`MLP: sizes must list at least [in, out], got [${String(sizes)}]`);
    }
    this.sizes = [...sizes];
    this.act = activation(opts.activation ?? 'gelu', opts.negativeSlope === undefined ? {} : { negativeSlope: opts.negativeSlope });
    this.activateOutput = opts.activateOutput ?? false;
    const rng = rngFor(opts.seed);
    const n = sizes.length - 1;
    const mup = opts.mupRoles ?? n > 1;
    const linears: Linear[] = [];
    for (let i = 0; i < n; i++) {
      const role = !mup ? 'hidden' : i === 0 ? 'input' : i === n - 1 ? 'output' : 'hidden';
      linears.push(
        new Linear(sizes[i]!, sizes[i + 1]!, {
          seed: rng.nextUint32(),
          bias: opts.bias ?? true,
          role,
          ...(opts.weightInit ? { weightInit: opts.weightInit } : {}),
        }),
      );
    }
    this.layers = this.child('layers', new ModuleList(linears));
    const p = opts.dropout ?? 0;
    this.drop = p > 0 ? this.child('dropout', new Dropout({ p, seed: rng.nextUint32() })) : null;
  }

  /** x [..., in] → [..., out]. */
  forward(x: tf.Tensor): tf.Tensor {
    expectLastDim(`MLP([${this.sizes.join(', ')}])`, 'input', x, this.sizes[0]!);
    return tf.tidy(() => {
      let h = x;
      const n = this.layers.length;
      for (let i = 0; i < n; i++) {
        h = this.layers.at(i).forward(h);
        if (i < n - 1 || this.activateOutput) h = this.act(h);
        if (this.drop && i < n - 1) h = this.drop.forward(h);
      }
      return h;
    });
  }
}
