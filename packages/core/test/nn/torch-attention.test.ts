// MultiHeadAttention (self, causal, key padding, cross, muP scale) and pre-norm transformer
// blocks against PyTorch (tools/fixtures/torch_nn.py; the script also checks its reference
// attention against torch.nn.MultiheadAttention).
import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { describeBackends, compareClose, type Tolerance } from '../../src/testing/index.js';
import { MultiHeadAttention, TransformerBlock, type Module } from '../../src/nn/index.js';
import { stateOf, tensorOf, torchCase, type TorchCase } from './torch-fixture.js';

type Runner = (m: Module, c: TorchCase, inputs: Record<string, tf.Tensor>) => tf.Tensor;

async function expectMatches(name: string, build: (c: TorchCase) => Module, run: Runner, tol: Tolerance) {
  const c = torchCase(name);
  const m = build(c);
  const sd = stateOf(c);
  m.loadStateDict(sd);
  tf.dispose(Object.values(sd));
  const inputs: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(c.inputs)) inputs[k] = tensorOf(v);
  const y = run(m, c, inputs);
  expect(y.shape).toEqual(c.output.shape);
  const rep = compareClose(await y.data(), c.output.data, tol);
  expect(rep.ok, `${name}: ${rep.message}`).toBe(true);
  tf.dispose([y, ...Object.values(inputs)]);
  m.dispose();
}

const mha = (c: TorchCase) => {
  const cfg = c.config as { dim: number; heads: number; contextDim?: number; logitScale?: 'mup' };
  return new MultiHeadAttention(cfg.dim, cfg.heads, {
    seed: 1,
    ...(cfg.contextDim ? { contextDim: cfg.contextDim } : {}),
    ...(cfg.logitScale ? { logitScale: cfg.logitScale } : {}),
  });
};
const runMha: Runner = (m, c, inp) =>
  (m as MultiHeadAttention).forward(inp['x']!, {
    causal: Boolean(c.config['causal']),
    ...(inp['context'] ? { context: inp['context'] } : {}),
    ...(inp['keyPaddingMask'] ? { keyPaddingMask: inp['keyPaddingMask'] } : {}),
  });

await describeBackends('nn vs torch: attention and transformer block', ({ tol }) => {
  it('self-attention: plain, causal, key padding, causal + padding', async () => {
    for (const name of ['mha_self', 'mha_causal', 'mha_padding', 'mha_causal_padding']) {
      await expectMatches(name, mha, runMha, tol);
    }
  });

  it('cross-attention with context padding', async () => {
    await expectMatches('mha_cross', mha, runMha, tol);
  });

  it('muP logit scale 1/d_head', async () => {
    await expectMatches('mha_mup', mha, runMha, tol);
  });

  it('pre-norm block: LayerNorm, causal, padding, GELU', async () => {
    await expectMatches(
      'block_layernorm_causal',
      () => new TransformerBlock(8, 2, { mlpRatio: 2, norm: 'layer', activation: 'gelu', seed: 1 }),
      (m, _c, inp) => (m as TransformerBlock).forward(inp['x']!, { causal: true, keyPaddingMask: inp['keyPaddingMask']! }),
      tol,
    );
  });

  it('pre-norm block: RMSNorm, cross-attention, tanh GELU', async () => {
    await expectMatches(
      'block_rmsnorm_cross',
      () => new TransformerBlock(8, 2, { mlpRatio: 2, norm: 'rms', activation: 'gelu_tanh', contextDim: 6, seed: 1 }),
      (m, _c, inp) => (m as TransformerBlock).forward(inp['x']!, { context: inp['context']! }),
      tol,
    );
  });
});
