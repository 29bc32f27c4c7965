import { ValueError } from '@astro/core';
import { toRng, type Rng, uniformOpen } from './rng.js';

/** A proposal distribution for rejection or importance sampling. */
export interface Proposal {
  /** Draw one point from the proposal. */
  sample(rng: Rng): number;
  /** Normalised log-density of the proposal at `x`. */
  logPdf(x: number): number;
}

/** Options of {@link rejectionSample}. */
export interface RejectionOptions {
  /** Unnormalised log target density log p̃(x). */
  logTarget: (x: number) => number;
  /** Proposal q with p̃(x) ≤ M q(x) everywhere. */
  proposal: Proposal;
  /** log M, the envelope constant. */
  logEnvelope: number;
  /** Number of accepted samples wanted. */
  n: number;
  /** Seed or generator. */
  rng?: Rng | number;
  /** Give up after this many proposals (default 1000·n). */
  maxProposals?: number;
}

/** Result of {@link rejectionSample}. */
export interface RejectionResult {
  samples: Float64Array;
  /** Accepted / proposed; for a normalised target equals 1/M. */
  acceptanceRate: number;
  proposals: number;
}

/**
 * Rejection (accept–reject) sampling, von Neumann (1951): propose x ~ q, accept with
 * probability p̃(x) / (M q(x)). Throws a {@link ValueError} when the envelope is violated
 * (p̃(x) > M q(x) at a proposed point), since the samples would then be silently wrong.
 */
export function rejectionSample(opts: RejectionOptions): RejectionResult {
  const { logTarget, proposal, logEnvelope, n } = opts;
  if (!Number.isFinite(logEnvelope)) throw new ValueError(`logEnvelope must be finite, got ${logEnvelope}`);
  const rng = toRng(opts.rng);
  const maxProposals = opts.maxProposals ?? 1000 * n;
  const samples = new Float64Array(n);
  let accepted = 0;
  let proposals = 0;
  while (accepted < n) {
    if (proposals >= maxProposals) {
      throw new ValueError(`rejectionSample: only ${accepted} of ${n} accepted after ${proposals} proposals`);
    }
    const x = proposal.sample(rng);
    proposals++;
    const logRatio = logTarget(x) - proposal.logPdf(x) - logEnvelope;
    if (Number.isNaN(logRatio)) throw new ValueError(`rejectionSample: log density is NaN at x = ${x}`);
    if (logRatio > 1e-12) {
      throw new ValueError(`rejectionSample: envelope violated at x = ${x} (log p̃ − log q − log M = ${logRatio}); increase logEnvelope`);
    }
    if (Math.log(uniformOpen(rng)) < logRatio) samples[accepted++] = x;
  }
  return { samples, acceptanceRate: n / proposals, proposals };
}
