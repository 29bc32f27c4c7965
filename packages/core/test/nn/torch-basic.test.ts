// Forward outputs of Linear, LayerNorm, RMSNorm, GELU and MLP against PyTorch (fixtures from
// tools/fixtures/torch_nn.py), with torch's weights loaded through loadStateDict.
import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { describeBackends, compareClose } from '../../src/testing/index.js';
import { GELU, LayerNorm, Linear, MLP, RMSNorm, type ActivationName } from '../../src/nn/index.js';
import type { Module } from '../../src/nn/index.js';
import { stateOf, tensorOf, torchCase } from './torch-fixture.js';

async function expectMatches(name: string, module: Module & { forward(x: tf.Tensor): tf.Tensor }, tol: { atol: number; rtol: number }) {
  const c = torchCase(name);
  const sd = stateOf(c);
  module.loadStateDict(sd);
  Object.values(sd).forEach((t) => t.dispose());
  const x = tensorOf(c.inputs['x']!);
  const y = module.forward(x);
  expect(y.shape).toEqual(c.output.shape);
  const rep = compareClose(await y.data(), c.output.data, tol);
  expect(rep.ok, `${name}: ${rep.message}`).toBe(true);
  tf.dispose([x, y]);
  module.dispose();
}

await describeBackends('nn vs torch: basic layers', ({ tol }) => {
  it('Linear (rank-3 input, with and without bias)', async () => {
    await expectMatches('linear', new Linear(6, 4, { seed: 1 }), tol);
    await expectMatches('linear_nobias', new Linear(5, 3, { bias: false, seed: 1 }), tol);
  });

  it('LayerNorm', async () => {
    await expectMatches('layernorm', new LayerNorm(7), tol);
  });

  it('RMSNorm with a gain and scale-free', async () => {
    await expectMatches('rmsnorm', new RMSNorm(7, { eps: 1e-6 }), tol);
    await expectMatches('rmsnorm_scalefree', new RMSNorm(7, { eps: 1e-6, elementwiseAffine: false }), tol);
  });

  it('GELU, erf and tanh forms', async () => {
    await expectMatches('gelu_erf', new GELU(), tol);
    await expectMatches('gelu_tanh', new GELU({ approximate: 'tanh' }), tol);
  });

  it('MLP with every activation', async () => {
    const acts: ActivationName[] = ['gelu', 'gelu_tanh', 'silu', 'tanh', 'relu', 'leaky_relu'];
    for (const a of acts) await expectMatches(`mlp_${a}`, new MLP({ sizes: [3, 16, 16, 5], activation: a, seed: 2 }), tol);
  });
});
