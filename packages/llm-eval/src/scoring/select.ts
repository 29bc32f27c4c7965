/** Index of the largest value; ties go to the first; `null` when all are equal to 0 or the list is empty. */
export function argmax(values: readonly number[]): number | null {
  let best: number | null = null;
  let bestV = -Infinity;
  values.forEach((v, i) => {
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  });
  return bestV === 0 && values.every((v) => v === 0) ? null : best;
}

/**
 * Option log-likelihood scoring as in lm-evaluation-harness: `acc` picks the option whose
 * continuation has the highest total log-probability; `acc_norm` divides by the
 * continuation's length in bytes (UTF-8) first, removing the bias toward short options.
 */
export function loglikChoice(
  logprobs: readonly number[],
  continuations: readonly string[],
): { acc: number | null; accNorm: number | null } {
  const enc = new TextEncoder();
  const norm = logprobs.map((lp, i) => lp / Math.max(1, enc.encode(continuations[i] ?? '').length));
  return { acc: argmaxAny(logprobs), accNorm: argmaxAny(norm) };
}

function argmaxAny(values: readonly number[]): number | null {
  let best: number | null = null;
  let bestV = -Infinity;
  values.forEach((v, i) => {
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  });
  return best;
}
