export { Bm25Index, type Bm25Params, type Hit } from './bm25.js';
export { DenseIndex, type DenseHit } from './dense.js';
