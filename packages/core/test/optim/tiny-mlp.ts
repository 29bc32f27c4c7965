// A tiny tanh MLP in torch.nn.Linear layout, built from `Module` alone, shared by the optim and
// train tests (the fixture script tools/fixtures/torch_optim.py defines the same model).
import { tf } from '../../src/index.js';
import { Module } from '../../src/nn/index.js';

/** y = x Wᵀ + b with W of shape [out, in], as torch.nn.Linear. */
export class TinyLinear extends Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(inF: number, outF: number, seed: number) {
    super();
    this.weight = this.param('weight', tf.randomUniform([outF, inF], -0.5, 0.5, 'float32', seed));
    this.bias = this.param('bias', tf.zeros([outF]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x, this.weight, false, true), this.bias);
  }
}

/** fc2(tanh(fc1(x))). */
export class TinyMLP extends Module {
  readonly fc1: TinyLinear;
  readonly fc2: TinyLinear;
  constructor(dIn = 3, dHidden = 4, dOut = 2, seed = 1) {
    super();
    this.fc1 = this.child('fc1', new TinyLinear(dIn, dHidden, seed));
    this.fc2 = this.child('fc2', new TinyLinear(dHidden, dOut, seed + 1));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => this.fc2.forward(tf.tanh(this.fc1.forward(x))));
  }
}

/** Mean squared error, as torch.nn.functional.mse_loss. */
export function mse(pred: tf.Tensor, y: tf.Tensor): tf.Scalar {
  return tf.mean(tf.square(tf.sub(pred, y)));
}
