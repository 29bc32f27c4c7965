import { expect, it } from 'vitest';
import { tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { ClapEncoder, DEFAULT_ENCODER, DEFAULT_REFIT, gridZ, RefitNetwork, refitPdfs, zGrid } from '../src/index.js';
import ref from './fixtures/torch-networks.json' with { type: 'json' };

type Dict = Record<string, { shape: number[]; data: number[] }>;
const tensors = (d: Dict): Record<string, tf.Tensor> =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, tf.tensor(v.data, v.shape, 'float32')]));
const c = ref.config;

// PyTorch (tools/fixtures/clap_photoz_torch.py) state dicts load under the names the package saves,
// and every backend reproduces torch's latent, head logits and refit probabilities.
await describeBackends('CLAP networks vs PyTorch', ({ tol }) => {
  it('encoder latent and head logits, refit softmax probabilities', async () => {
    const enc = new ClapEncoder({ ...DEFAULT_ENCODER, hidden: c.hidden, latentDim: c.latentDim, nBins: c.nBins }, 0);
    const net = new RefitNetwork(c.latentDim, { ...DEFAULT_REFIT, hidden: c.refitHidden, nBins: c.refitBins }, 0);
    const sdE = tensors(ref.encoder as Dict);
    const sdR = tensors(ref.refit as Dict);
    enc.loadStateDict(sdE);
    net.loadStateDict(sdR);
    const x = tf.tensor2d(ref.x, [6, c.nFeatures]);
    const z = enc.forward(x);
    const logits = enc.head.forward(z);
    const probs = tf.softmax(net.mlp.forward(z));
    const check = (got: ArrayLike<number>, want: number[]): void =>
      want.forEach((v, i) => expect(Math.abs(got[i]! - v)).toBeLessThan(4 * (tol.atol + tol.rtol * Math.abs(v))));
    check(await z.data(), ref.latent);
    check(await logits.data(), ref.logits);
    check(await probs.data(), ref.refitProbs);
    // refitPdfs spreads each bin's probability uniformly: density P_b/Δ at grid points inside bin b
    const grid = zGrid(0, 0.8, 0.0025);
    const pdfs = await refitPdfs(net, (await z.data()) as Float32Array, c.latentDim, grid);
    const w = 0.8 / c.refitBins;
    const j = 50; // z = 0.125, bin 3
    const b = Math.floor(gridZ(grid, j) / w);
    const norm = pdfs.p[j]! / ((await probs.data())[b]! / w);
    expect(norm).toBeGreaterThan(0.97); // trapezoid renormalisation on the grid changes it by < 3%
    expect(norm).toBeLessThan(1.03);
    tf.dispose([x, z, logits, probs, ...Object.values(sdE), ...Object.values(sdR)]);
    enc.dispose();
    net.dispose();
  });
});
