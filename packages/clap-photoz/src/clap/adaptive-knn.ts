import { ValueError } from '@astro/core';
import { knnPdfs, type Neighbours } from '../knn/knn-pdf.js';
import { pit, w1Uniform } from '../metrics/pit.js';
import type { PdfSet, ZGrid } from '../pdf/grid.js';

/** Options of the adaptive KNN. */
export interface AdaptiveKnnOptions {
  /** Candidate neighbour counts (ascending, each ≤ the neighbour lists' k). Default [5, 10, 20, 40, 80]. */
  kGrid: number[];
  /** Size of the local window of training galaxies whose PITs judge each k (default 50). */
  window: number;
  /** Kernel width in Δz/(1+z) (default 0.01). */
  bandwidth: number;
}

/** Default adaptive-KNN options. */
export const DEFAULT_ADAPTIVE: AdaptiveKnnOptions = { kGrid: [5, 10, 20, 40, 80], window: 50, bandwidth: 0.01 };

/**
 * Leave-one-out PITs of the training galaxies for each k of the grid: row r is the PIT of every
 * training galaxy under a k = kGrid[r] KNN PDF built from its other neighbours.
 * @param trainNb leave-one-out neighbour lists of the training set (self excluded).
 */
export function trainingPits(trainNb: Neighbours, zTrain: Float64Array, grid: ZGrid, opts: AdaptiveKnnOptions): Float64Array[] {
  return opts.kGrid.map((k) => pit(knnPdfs(trainNb, zTrain, grid, k, opts.bandwidth), zTrain));
}

/**
 * Choose k per galaxy (the CLAP adaptive KNN): among kGrid, the k whose local PIT distribution —
 * the leave-one-out PITs of the query's `window` nearest training galaxies under that k — is
 * closest to U(0,1) in 1-Wasserstein distance. Ties go to the smaller k.
 * @param nb neighbour lists of the queries (k ≥ max(window, max kGrid)).
 * @param trainPits output of {@link trainingPits}.
 */
export function chooseK(nb: Neighbours, trainPits: Float64Array[], opts: AdaptiveKnnOptions): Int32Array {
  const L = opts.window;
  if (L > nb.k) throw new ValueError(`chooseK: window ${L} exceeds the neighbour lists' k = ${nb.k}`);
  const out = new Int32Array(nb.rows);
  const local = new Float64Array(L);
  for (let i = 0; i < nb.rows; i++) {
    let best = Infinity;
    let bestK = opts.kGrid[0]!;
    for (let r = 0; r < opts.kGrid.length; r++) {
      const tp = trainPits[r]!;
      for (let l = 0; l < L; l++) local[l] = tp[nb.indices[i * nb.k + l]!]!;
      const w = w1Uniform(local);
      if (w < best - 1e-12) {
        best = w;
        bestK = opts.kGrid[r]!;
      }
    }
    out[i] = bestK;
  }
  return out;
}

/** Adaptive-KNN PDFs: {@link chooseK} then a KNN PDF with each galaxy's own k. */
export function adaptiveKnnPdfs(
  nb: Neighbours,
  zTrain: Float64Array,
  grid: ZGrid,
  trainPits: Float64Array[],
  opts: AdaptiveKnnOptions,
): { pdfs: PdfSet; k: Int32Array } {
  const maxK = Math.max(...opts.kGrid);
  if (maxK > nb.k) throw new ValueError(`adaptiveKnnPdfs: kGrid reaches ${maxK} but the neighbour lists hold ${nb.k}`);
  const k = chooseK(nb, trainPits, opts);
  return { pdfs: knnPdfs(nb, zTrain, grid, k, opts.bandwidth), k };
}
