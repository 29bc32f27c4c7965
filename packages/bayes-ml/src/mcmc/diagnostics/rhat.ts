import { ShapeError, assertFinite } from '@astro/core';
import { chainSeries, checkChain, type Chain } from '../chain.js';
import { normalQuantile } from './normal-quantile.js';

/** Options of {@link splitRhat}. */
export interface RhatOptions {
  /**
   * `'rank'` (default): Vehtari et al. (2021) rank-normalised split-R̂, the maximum of the bulk
   * and folded (tail) versions. `'classic'`: Gelman et al. (BDA3, eq. 11.4) split-R̂ on raw draws.
   */
  method?: 'rank' | 'classic';
}

/**
 * Split-R̂ potential scale reduction per parameter. `chain` is [nSteps, nChains, nDim] with
 * ≥ 4 steps; each chain is split in half, so even one chain gives a usable R̂. Values near 1
 * (< 1.01 by Vehtari et al.'s rule) indicate the chains have mixed.
 */
export function splitRhat(chain: Chain, opts: RhatOptions = {}): Float64Array {
  checkChain(chain, 'splitRhat');
  const { nSteps, nDim } = chain;
  if (nSteps < 4) throw new ShapeError(`splitRhat needs at least 4 steps, got ${nSteps}`);
  assertFinite(chain.data, 'chain');
  const out = new Float64Array(nDim);
  for (let d = 0; d < nDim; d++) {
    const halves = splitChains(chain, d);
    if (opts.method === 'classic') {
      out[d] = rhatOf(halves);
      continue;
    }
    const bulk = rhatOf(rankNormalize(halves));
    // Folded draws |x − median| diagnose the tails.
    const all = Float64Array.from(halves.flatMap((h) => Array.from(h))).sort();
    const med = median(all);
    const folded = halves.map((h) => h.map((v) => Math.abs(v - med)));
    const tail = rhatOf(rankNormalize(folded));
    out[d] = Math.max(bulk, tail);
  }
  return out;
}

/** Both halves of every chain for parameter d (the middle draw of an odd-length chain is dropped). */
export function splitChains(chain: Chain, d: number): Float64Array[] {
  const half = Math.floor(chain.nSteps / 2);
  const out: Float64Array[] = [];
  for (let k = 0; k < chain.nWalkers; k++) {
    const s = chainSeries(chain, k, d);
    out.push(s.slice(0, half), s.slice(s.length - half));
  }
  return out;
}

function rhatOf(chains: Float64Array[]): number {
  const m = chains.length;
  const n = chains[0]!.length;
  const means = chains.map(mean);
  const grand = mean(Float64Array.from(means));
  let b = 0;
  for (const mu of means) b += (mu - grand) ** 2;
  b = (b * n) / (m - 1);
  let w = 0;
  chains.forEach((c, i) => {
    let s = 0;
    for (const v of c) s += (v - means[i]!) ** 2;
    w += s / (n - 1);
  });
  w /= m;
  if (w === 0) return b === 0 ? 1 : Infinity;
  const varPlus = ((n - 1) / n) * w + b / n;
  return Math.sqrt(varPlus / w);
}

/** Replace draws by normal scores Φ⁻¹((r − 3/8)/(S + 1/4)) of their pooled ranks (average ranks for ties). */
function rankNormalize(chains: Float64Array[]): Float64Array[] {
  const n = chains[0]!.length;
  const total = chains.length * n;
  const idx = new Uint32Array(total);
  const flat = new Float64Array(total);
  chains.forEach((c, k) => flat.set(c, k * n));
  for (let i = 0; i < total; i++) idx[i] = i;
  idx.sort((a, b) => flat[a]! - flat[b]!);
  const z = new Float64Array(total);
  for (let i = 0; i < total;) {
    let j = i;
    while (j + 1 < total && flat[idx[j + 1]!] === flat[idx[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    const score = normalQuantile((rank - 3 / 8) / (total + 1 / 4));
    for (let k = i; k <= j; k++) z[idx[k]!] = score;
    i = j + 1;
  }
  return chains.map((_, k) => z.slice(k * n, (k + 1) * n));
}

function mean(x: Float64Array): number {
  let s = 0;
  for (const v of x) s += v;
  return s / x.length;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  return n % 2 ? sorted[(n - 1) / 2]! : 0.5 * (sorted[n / 2 - 1]! + sorted[n / 2]!);
}
