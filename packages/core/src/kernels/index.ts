/**
 * `@astro/core/kernels`: custom compute kernels, with a WGSL implementation for the webgpu
 * backend and wasm/CPU ones, registered explicitly per backend.
 *
 * {@link topK} is pairwise squared-Euclidean distance or cosine similarity with top-k
 * selection — nearest-neighbour search for KNN photo-z and spectral similarity search — that
 * streams the corpus in tiles, so a 10⁶ × 64 corpus never produces an m × n matrix.
 * @packageDocumentation
 */
export { topK } from './topk.js';
export type { TopKOptions } from './topk.js';
export type { TopKMetric, TopKResult, TopKKernel, TopKProblem } from './types.js';
export type { DenseMatrix, MatrixLike } from './matrix.js';
export { registerTopKKernel, setDefaultTopKKernel, topKKernels, resolveTopKKernel } from './registry.js';
export type { ProblemSize } from './registry.js';
export { blockedKernel } from './blocked.js';
export { matmulKernel } from './matmul.js';
export { wgslKernel, WGSL_MAX_K } from './webgpu.js';
export { topKShader } from './wgsl.js';
export { RunningTopK } from './select.js';
