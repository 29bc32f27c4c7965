/**
 * Log-density with gradient: returns log p(θ) (up to a constant) and writes ∇ log p(θ) into
 * `grad` (same length as θ). Return −Infinity outside the support.
 */
export type LogProbGrad = (theta: Float64Array, grad: Float64Array) => number;
