/**
 * Log-density with gradient: returns log p(θ) (up to a constant) and writes ∇ log p(θ) into
 * `grad` (same length as θ), by the time a returned Promise resolves. Return −Infinity outside
 * the support. Synchronous functions (closed forms) and asynchronous ones (tensors read back
 * with `await t.data()`, e.g. `tfjsLogProbGrad`, which works on every backend) both work.
 */
export type LogProbGrad = (theta: Float64Array, grad: Float64Array) => number | Promise<number>;
