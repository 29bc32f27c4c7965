import { ValueError } from '@astro/core/errors';
import { LocalProvider, type LocalProviderOptions } from './local.js';
import { OpenAIProvider } from './openai.js';
import type { Provider } from './types.js';

/**
 * Open a provider from a model spec string:
 * - `gguf:PATH` — a local GGUF file through node-llama-cpp;
 * - `openai:URL#MODEL` — an OpenAI-compatible chat API (`URL` includes `/v1`);
 * - `openai-completions:URL#MODEL` — the legacy completions API (vLLM, llama.cpp server),
 *   needed for prefilled answers and option log-likelihoods.
 * The API key is read from `OPENAI_API_KEY` unless given.
 */
export async function openProvider(
  spec: string,
  options: { apiKey?: string; local?: LocalProviderOptions; prefillAssistant?: boolean } = {},
): Promise<Provider> {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  const rest = spec.slice(colon + 1);
  if (kind === 'gguf') {
    if (!rest) throw new ValueError('model spec gguf:PATH needs a path');
    return LocalProvider.load(rest, options.local);
  }
  if (kind === 'openai' || kind === 'openai-completions') {
    const hash = rest.lastIndexOf('#');
    if (hash < 0 || hash === rest.length - 1)
      throw new ValueError(`model spec ${spec} needs #MODEL after the URL, e.g. openai:http://127.0.0.1:8000/v1#my-model`);
    const apiKey = options.apiKey ?? process.env['OPENAI_API_KEY'];
    return new OpenAIProvider({
      baseUrl: rest.slice(0, hash),
      model: rest.slice(hash + 1),
      api: kind === 'openai' ? 'chat' : 'completions',
      ...(apiKey ? { apiKey } : {}),
      ...(options.prefillAssistant ? { prefillAssistant: true } : {}),
    });
  }
  throw new ValueError(`unknown model spec "${spec}": use gguf:PATH, openai:URL#MODEL or openai-completions:URL#MODEL`);
}
