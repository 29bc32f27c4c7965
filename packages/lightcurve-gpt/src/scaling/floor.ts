/**
 * The irreducible part of the next-patch loss that white noise sets: a predictor that knew
 * the noise-free signal exactly would still pay the expected Huber loss of the white noise.
 * For a residual ε ~ N(0, σ²) and Huber threshold δ (c = δ/σ, Φ and φ the standard normal
 * CDF and density),
 *
 *   E[h_δ(ε)] = ½σ²(2Φ(c) − 1) + δσφ(c) − δ²(1 − Φ(c)),
 *
 * which tends to σ²/2 (half the mean squared error) for δ ≫ σ. The Gaussian mean is also the
 * Huber-optimal point prediction of a symmetric residual, so this is a lower bound on the loss
 * of any model on data with that noise.
 */
import { ShapeError, ValueError } from '@astro/core';

/** erfc(x) (Numerical Recipes' Chebyshev fit, |relative error| < 1.2e-7 everywhere). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/**
 * Expected Huber loss E[h_δ(ε)] of a Gaussian residual ε ~ N(0, σ²) (closed form above).
 * `sigma` ≥ 0 and `delta` > 0 in the same units (standardised flux for LightCurveGPT).
 */
export function expectedGaussianHuber(sigma: number, delta = 1): number {
  if (!(sigma >= 0 && Number.isFinite(sigma)))
    throw new ValueError(`expectedGaussianHuber: sigma must be a finite number ≥ 0, got ${sigma}`);
  if (!(delta > 0 && Number.isFinite(delta)))
    throw new ValueError(`expectedGaussianHuber: delta must be a finite number > 0, got ${delta}`);
  if (sigma === 0) return 0;
  const c = delta / sigma;
  const Phi = normalCdf(c);
  const phi = Math.exp(-0.5 * c * c) / Math.sqrt(2 * Math.PI);
  return 0.5 * sigma * sigma * (2 * Phi - 1) + delta * sigma * phi - delta * delta * (1 - Phi);
}

/**
 * White-noise floor of the masked next-patch loss over a set of windows: the average of
 * {@link expectedGaussianHuber} over the predicted (observed) cadences, where window i has
 * white noise `noiseSigma[i]` in the standardised units the model sees (white noise in ppm
 * divided by the star's flux scale) and `observed[i]` predicted cadences (its weight in the
 * masked mean). Equal weights when `observed` is omitted.
 */
export function whiteNoiseFloor(noiseSigma: ArrayLike<number>, opts: { delta?: number; observed?: ArrayLike<number> } = {}): number {
  const n = noiseSigma.length;
  if (n < 1) throw new ValueError('whiteNoiseFloor: no windows');
  const w = opts.observed;
  if (w && w.length !== n) throw new ShapeError(`whiteNoiseFloor: ${w.length} observed counts for ${n} windows`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (!(wi >= 0)) throw new ValueError(`whiteNoiseFloor: observed count ${wi} at index ${i} is negative`);
    num += wi * expectedGaussianHuber(noiseSigma[i]!, opts.delta ?? 1);
    den += wi;
  }
  if (!(den > 0)) throw new ValueError('whiteNoiseFloor: no observed cadences');
  return num / den;
}
