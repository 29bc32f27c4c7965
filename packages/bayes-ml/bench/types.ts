/** One row of bench/results/bayes-ml.json: our time vs a peer's, ratio = peer ÷ ours (higher is better). */
export interface Comparison {
  name: string;
  /** Our value with its unit, e.g. "412 ms". */
  ours: string;
  /** Peer library and configuration. */
  peer: string;
  /** Peer value with its unit. */
  peerValue: string;
  /** Speedup peer ÷ ours (≥ 1 means we are faster). */
  ratio: number;
}

/** What each `*.bench.ts` default export resolves to. */
export interface BenchResult {
  comparisons: Comparison[];
  metrics: Record<string, unknown>;
}

/** Median of a list of timings. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
