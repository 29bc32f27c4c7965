import type { EnsembleMove, Rng } from '@astro/bayes-ml';

/** Log-probabilities of a batch of parameter vectors (row-major `n × nDim`), one emulator call. */
export type BatchLogProb = (thetas: Float64Array, n: number, nDim: number) => Float64Array;

/**
 * Remembers the log-probabilities of the last batch of proposals so that the ensemble sampler's
 * per-walker, synchronous log-probability can answer from one batched emulator call per half
 * step instead of one call per walker (an emulator call costs about the same for 1 row as for
 * 16). A lookup matches a parameter vector value by value; a vector that was not prefetched is
 * evaluated on its own, so the result never depends on the sampler's internals, only the speed.
 */
export class ProposalCache {
  private rows: Float64Array = new Float64Array(0);
  private lp: Float64Array = new Float64Array(0);
  private n = 0;
  private nDim = 0;
  private next = 0;
  /** Log-probabilities answered from a batch, and evaluated one vector at a time. */
  batched = 0;
  single = 0;

  constructor(private readonly batch: BatchLogProb) {}

  /** Evaluate `n` parameter vectors in one batch and remember them. */
  prefetch(thetas: Float64Array, n: number, nDim: number): void {
    this.rows = thetas.slice(0, n * nDim);
    this.n = n;
    this.nDim = nDim;
    this.next = 0;
    this.lp = this.batch(this.rows, n, nDim);
  }

  /** The log-probability of θ: from the last batch when θ is in it, else evaluated alone. */
  logProb(theta: Float64Array): number {
    const { n, nDim, rows } = this;
    if (theta.length === nDim) {
      for (let t = 0; t < n; t++) {
        const i = (this.next + t) % n;
        let same = true;
        for (let d = 0; d < nDim && same; d++) same = rows[i * nDim + d] === theta[d];
        if (same) {
          this.next = i + 1;
          this.batched++;
          return this.lp[i]!;
        }
      }
    }
    this.single++;
    return this.batch(Float64Array.from(theta), 1, theta.length)[0]!;
  }
}

/**
 * Wraps a red–blue ensemble move (e.g. bayes-ml's `StretchMove`) so that, right after it
 * proposes new positions for half of the walkers, all proposals are evaluated in one batch
 * through a {@link ProposalCache}. The proposals and Metropolis–Hastings factors are the
 * wrapped move's, unchanged.
 */
export class PrefetchingMove implements EnsembleMove {
  readonly name: string;

  constructor(
    private readonly inner: EnsembleMove,
    private readonly cache: ProposalCache,
  ) {
    this.name = inner.name;
  }

  propose(s: Float64Array, nS: number, c: Float64Array, nC: number, nDim: number, rng: Rng, q: Float64Array, logFactor: Float64Array): void {
    this.inner.propose(s, nS, c, nC, nDim, rng, q, logFactor);
    this.cache.prefetch(q, nS, nDim);
  }
}
