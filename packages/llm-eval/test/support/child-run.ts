/**
 * Child process for the resume test: evaluates Astro-QA items through the HTTP provider,
 * one at a time, until the parent kills it. Usage: tsx child-run.ts BASE_URL OUT_DIR N_ITEMS
 */
import { dataPath } from '@astro/core/data';
import { OpenAIProvider, loadMcq, runEval } from '../../src/index.js';

const [url, outDir, n] = process.argv.slice(2);
if (!url || !outDir || !n) throw new Error('usage: child-run.ts BASE_URL OUT_DIR N_ITEMS');
const datasetPath = dataPath('llm', 'astro-qa-en.json');
const items = await loadMcq(datasetPath, { limit: Number(n), onInvalid: () => {} });
const provider = new OpenAIProvider({ baseUrl: url, model: 'stories260K', api: 'completions' });
await runEval({
  items,
  datasetPath,
  provider,
  outDir,
  scoring: 'logprob',
  template: 'plain',
  topLogprobs: 512,
  concurrency: 1,
  retry: { baseDelayMs: 10 },
});
console.log('child finished');
