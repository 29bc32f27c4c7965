// Gradients on webgpu (SwiftShader here and in CI) equal the cpu backend's, which
// gradients.test.ts checks against finite differences.
import { it, expect } from 'vitest';
import { tf, ready } from '../../src/index.js';
import { describeBackends, compareClose } from '../../src/testing/index.js';
import { Conv1d, Embedding, Rng, TransformerBlock } from '../../src/nn/index.js';

/** Gradients of a tiny model (embedding → conv → block) w.r.t. all parameters, on the current backend. */
async function grads(): Promise<Record<string, Float32Array>> {
  const emb = new Embedding(6, 8, { seed: 1 });
  const conv = new Conv1d(8, 8, 3, { padding: 1, seed: 2 });
  const block = new TransformerBlock(8, 2, { mlpRatio: 2, norm: 'rms', activation: 'gelu', seed: 3 });
  const ids = tf.tensor(
    [
      [0, 5, 2, 2],
      [1, 3, 4, 0],
    ],
    [2, 4],
    'int32',
  );
  const rng = new Rng(9);
  const R = tf.tensor(
    Float32Array.from({ length: 64 }, () => rng.normal()),
    [2, 4, 8],
  );
  const named = [...emb.namedParameters('emb.'), ...conv.namedParameters('conv.'), ...block.namedParameters('block.')];
  const { value, grads: g } = tf.variableGrads(
    () => {
      const h = tf.transpose(conv.forward(tf.transpose(emb.forward(ids), [0, 2, 1])), [0, 2, 1]);
      return tf.sum(tf.mul(block.forward(h, { causal: true }), R)) as tf.Scalar;
    },
    named.map(([, v]) => v),
  );
  const out: Record<string, Float32Array> = {};
  for (const [n, v] of named) out[n] = (await g[v.name]!.data()) as Float32Array;
  tf.dispose([value, ids, R, ...Object.values(g)]);
  emb.dispose();
  conv.dispose();
  block.dispose();
  return out;
}

await describeBackends(
  'nn gradients on webgpu',
  ({ tol }) => {
    it('match the cpu backend for embedding, conv and transformer block parameters', async () => {
      const gpu = await grads();
      await ready({ backend: 'cpu', strict: true });
      const cpu = await grads();
      await ready({ backend: 'webgpu', strict: true });
      expect(Object.keys(gpu)).toEqual(Object.keys(cpu));
      for (const [n, g] of Object.entries(gpu)) {
        const rep = compareClose(g, cpu[n]!, { atol: tol.atol * 5, rtol: tol.rtol * 5 });
        expect(rep.ok, `${n}: ${rep.message}`).toBe(true);
      }
    });
  },
  { backends: ['webgpu'] },
);
