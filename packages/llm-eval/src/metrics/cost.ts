import { ValueError } from '@astro/core/errors';

/** Price of a model in US dollars per million tokens. */
export interface Price {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** Token usage of a request or a run. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

/** Cost summary of a run. */
export interface CostSummary {
  promptTokens: number;
  completionTokens: number;
  /** US dollars for the whole run (NaN when the model has no price). */
  usd: number;
  /** US dollars per accuracy percentage point (cost / (100 · accuracy)); NaN at zero accuracy. */
  usdPerAccuracyPoint: number;
}

/**
 * Cost of a run from summed token usage and a price table keyed by model name. A model
 * missing from the table costs NaN (unknown) rather than 0; a negative price is an error.
 */
export function runCost(usage: readonly Usage[], accuracy: number, price: Price | undefined): CostSummary {
  const promptTokens = usage.reduce((s, u) => s + u.promptTokens, 0);
  const completionTokens = usage.reduce((s, u) => s + u.completionTokens, 0);
  if (price && (price.inputPerMTok < 0 || price.outputPerMTok < 0)) throw new ValueError('prices must be ≥ 0');
  const usd = price ? (promptTokens * price.inputPerMTok + completionTokens * price.outputPerMTok) / 1e6 : NaN;
  return { promptTokens, completionTokens, usd, usdPerAccuracyPoint: accuracy > 0 ? usd / (100 * accuracy) : NaN };
}
