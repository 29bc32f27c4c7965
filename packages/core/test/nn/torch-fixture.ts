// Loads the PyTorch reference cases written by tools/fixtures/torch_nn.py.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src/index.js';

export interface Encoded {
  shape: number[];
  data: number[] | boolean[];
}
export interface TorchCase {
  config: Record<string, unknown>;
  state: Record<string, Encoded>;
  inputs: Record<string, Encoded>;
  output: { shape: number[]; data: number[] };
}

const path = fileURLToPath(new URL('../fixtures/torch/nn.json', import.meta.url));
const all = JSON.parse(readFileSync(path, 'utf8')) as { cases: Record<string, TorchCase> };

/** The fixture case called `name`; throws if the generator did not write it. */
export function torchCase(name: string): TorchCase {
  const c = all.cases[name];
  if (!c) throw new Error(`fixture case '${name}' missing: rerun /usr/bin/python3 tools/fixtures/torch_nn.py`);
  return c;
}

/** A float32 tensor (or bool tensor) from an encoded array. */
export function tensorOf(e: Encoded): tf.Tensor {
  if (typeof e.data[0] === 'boolean') return tf.tensor(e.data as boolean[], e.shape, 'bool');
  return tf.tensor(e.data as number[], e.shape, 'float32');
}

/** The case's state dict as tensors (caller disposes). */
export function stateOf(c: TorchCase): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(c.state)) out[k] = tensorOf(v);
  return out;
}
