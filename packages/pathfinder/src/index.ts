/**
 * `@astro/pathfinder`: literature search and cited answers over ADS abstracts, after
 * Pathfinder (Iyer et al. 2024, arXiv:2408.01556).
 * @packageDocumentation
 */
export * from './corpus/index.js';
export * from './text/index.js';
export * from './scoring/index.js';
export * from './retrieval/index.js';
export * from './embed/index.js';
export * from './index/index.js';
export * from './store/index.js';
export * from './eval/index.js';
export * from './rag/index.js';
