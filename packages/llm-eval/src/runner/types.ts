import type { Usage } from '../metrics/cost.js';
import type { ExtractionMethod } from '../scoring/extract.js';

/** How MCQ answers are scored. */
export type Scoring = 'extract' | 'logprob' | 'loglik';

/** One line of `results.jsonl`: everything measured for one item. */
export interface ItemResult {
  id: string;
  topic?: string;
  /** Correct option index. */
  answerIndex: number;
  scoring: Scoring;
  /** Predicted option index; `null` when no answer was found. */
  predicted: number | null;
  correct: boolean;
  /** Probability of the predicted option (renormalised over options); `null` without probabilities. */
  confidence: number | null;
  /** Probability of each option, renormalised over the options (`logprob` and `loglik`). */
  optionProbs?: number[];
  /** Unnormalised next-token probability of each option letter (`logprob`). */
  optionRawProbs?: number[];
  /** Σ of `optionRawProbs`: how much next-token mass fell on option letters. */
  letterMass?: number;
  /** Log-likelihood of each option's text (`loglik`). */
  optionLogprobs?: number[];
  /** `acc_norm` prediction: byte-length-normalised log-likelihood (`loglik`). */
  predictedNorm?: number | null;
  /** Generated text (`extract`). */
  text?: string;
  /** Which extraction rule found the answer (`extract`). */
  extraction?: ExtractionMethod;
  usage: Usage;
  /** Wall time of the provider calls for this item (ms), excluding cache hits. */
  latencyMs: number;
  /** Provider attempts (1 = no retry). */
  attempts: number;
  /** Whether the answer came from the disk cache. */
  cached: boolean;
}
