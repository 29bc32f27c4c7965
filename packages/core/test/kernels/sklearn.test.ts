import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { describeBackends } from '@astro/core/testing';
import { topK } from '@astro/core/kernels';
import { readNpyF32, sdssFeatures } from './data.js';

// scikit-learn brute-force NearestNeighbors on the same real data (tools/fixtures/sklearn_knn.py).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/sklearn_knn.json', import.meta.url), 'utf8')) as {
  photoz: { k: number; indices: number[][]; distances: number[][] };
  spectra: { k: number; indices: number[][]; similarity: number[][] };
};

const train = sdssFeatures('train.txt');
const valid = sdssFeatures('valid.txt');
const queries = { data: valid.x.data.slice(0, 64 * 5), rows: 64, cols: 5 };
const flux = readNpyF32('spectra', 'apogee-giants-100px', 'flux.npy');
const spectraQueries = { data: flux.data.slice(0, 32 * flux.cols), rows: 32, cols: flux.cols };

await describeBackends('topK vs scikit-learn on real data', ({ backend }) => {
  const kernels = backend === 'cpu' ? ['blocked', 'matmul'] : [undefined];
  for (const kernel of kernels) {
    const label = kernel ?? 'default';
    it(`SDSS photo-z features, sqeuclidean, k = 10 (${label} kernel)`, async () => {
      const { k, indices, distances } = fixture.photoz;
      const got = await topK(queries, train.x, { k, kernel });
      expect(got.rows).toBe(64);
      for (let i = 0; i < 64; i++) {
        expect(Array.from(got.indices.subarray(i * k, (i + 1) * k))).toEqual(indices[i]);
        for (let r = 0; r < k; r++) {
          const want = distances[i]![r]!;
          expect(Math.abs(got.values[i * k + r]! - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, want));
        }
      }
      // The science check: the mean redshift of the 10 neighbours predicts the spectroscopic one
      // (KNN photo-z); a robust scatter below 0.03 in Δz/(1+z) is what ugriz KNN reaches at z < 0.6.
      const dz: number[] = [];
      for (let i = 0; i < 64; i++) {
        let zm = 0;
        for (let r = 0; r < k; r++) zm += train.z[got.indices[i * k + r]!]! / k;
        dz.push((zm - valid.z[i]!) / (1 + valid.z[i]!));
      }
      dz.sort((a, b) => a - b);
      const med = dz[32]!;
      const mad = dz.map((x) => Math.abs(x - med)).sort((a, b) => a - b)[32]!;
      expect(1.4826 * mad).toBeLessThan(0.03);
    });

    it(`APOGEE spectra, cosine similarity, k = 8 (${label} kernel)`, async () => {
      const { k, indices, similarity } = fixture.spectra;
      const got = await topK(spectraQueries, flux, { k, metric: 'cosine', kernel });
      for (let i = 0; i < 32; i++) {
        // Each spectrum's nearest neighbour is itself, with similarity 1.
        expect(got.indices[i * k]).toBe(i);
        expect(Array.from(got.indices.subarray(i * k, (i + 1) * k))).toEqual(indices[i]);
        for (let r = 0; r < k; r++) {
          expect(Math.abs(got.values[i * k + r]! - similarity[i]![r]!)).toBeLessThanOrEqual(2e-7);
        }
      }
    });
  }
});
