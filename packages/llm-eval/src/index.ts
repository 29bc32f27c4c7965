/**
 * `@astro/llm-eval`: evaluate language models on astronomy benchmarks.
 *
 * ```ts
 * import { loadMcq, openProvider, runEval } from '@astro/llm-eval';
 * const items = await loadMcq('astro-qa-en.json', { limit: 50 });
 * const provider = await openProvider('gguf:model.gguf');
 * const { metrics } = await runEval({ items, datasetPath: 'astro-qa-en.json', provider, outDir: 'runs/a', scoring: 'logprob' });
 * ```
 * @packageDocumentation
 */
export { VERSION } from './version.js';
export * from './datasets/index.js';
export * from './templates/index.js';
export * from './scoring/index.js';
export * from './metrics/index.js';
export * from './providers/index.js';
export * from './runner/index.js';
export * from './report/index.js';
export * from './judge/index.js';
