/**
 * node-llama-cpp, loaded on first use. The package is ESM-only with top-level await, so the
 * CommonJS build of this library cannot `require()` it; a lazy import() keeps
 * `require('@astro/llm-eval')` working (metrics, datasets, HTTP providers) and loads llama.cpp
 * only when a {@link LocalProvider} is created.
 */
import { AstroError } from '@astro/core/errors';

export type LlamaCpp = typeof import('node-llama-cpp');

let cached: Promise<LlamaCpp> | undefined;

export function loadLlamaCpp(): Promise<LlamaCpp> {
  cached ??= (async () => {
    const name = 'node-llama-cpp';
    try {
      return (await import(/* @vite-ignore */ name)) as LlamaCpp;
    } catch (e) {
      // The CommonJS build turns import() into require(), which cannot load an ESM module with
      // top-level await on Node 20: use a native import() instead (Node only). Inside a vm
      // context (vitest) the native form is unavailable, but there the plain import works.
      const nativeImport = new Function('s', 'return import(s)') as (s: string) => Promise<LlamaCpp>;
      try {
        return await nativeImport(name);
      } catch {
        const why = e instanceof Error ? e.message : String(e);
        if (/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/.test(why)) {
          throw new AstroError(
            'MISSING_PEER',
            `local GGUF models need the optional peer node-llama-cpp: npm install node-llama-cpp@3.21.1 (${why.split('\n')[0]})`,
          );
        }
        throw e;
      }
    }
  })();
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
