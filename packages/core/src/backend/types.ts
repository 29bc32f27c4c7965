/** Names of the tfjs backends `@astro/core` manages, in default preference order. */
export type BackendName = 'webgpu' | 'wasm' | 'cpu';

/** The default order `ready()` tries backends in. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/** One attempt to initialise a backend. */
export interface BackendAttempt {
  backend: BackendName;
  ok: boolean;
  /** Why it failed (or was skipped); absent on success. */
  reason?: string;
  /** Milliseconds spent initialising. */
  ms: number;
}

/** What `ready()` chose and why. */
export interface BackendInfo {
  backend: BackendName;
  /** Adapter description for webgpu (vendor / architecture / device), when known. */
  adapter?: string;
  /** Whether the wasm backend uses SIMD / threads (wasm only). */
  wasm?: { simd: boolean; threads: boolean };
  /** Every backend tried, in order, with the reason each one failed. */
  tried: BackendAttempt[];
  /** Where the choice came from. */
  source: 'default' | 'option' | 'env';
}

/** Options of {@link ready}. */
export interface ReadyOptions {
  /** Backend (or ordered list of backends) to try instead of webgpu → wasm → cpu. */
  backend?: BackendName | readonly BackendName[];
  /** With `strict`, fail with a `BackendError` instead of falling back. */
  strict?: boolean;
  /** Prefix or per-file map where the browser should fetch the wasm binaries (bundlers). */
  wasmPaths?: string | Record<string, string>;
  /** Ignore `ASTRO_BACKEND` (used by tests that iterate over backends). */
  ignoreEnv?: boolean;
}
