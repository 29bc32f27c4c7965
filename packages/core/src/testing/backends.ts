import { describe, beforeAll } from 'vitest';
import { ready } from '../backend/ready.js';
import { BACKEND_ORDER, type BackendName } from '../backend/types.js';
import { toleranceFor, type Tolerance } from './close.js';

/** Availability of one backend in this process. */
export interface BackendProbe {
  backend: BackendName;
  ok: boolean;
  reason?: string;
}

let probes: Promise<BackendProbe[]> | undefined;

/**
 * Probe every backend once per process. When `ASTRO_REQUIRE_WEBGPU=1` (set by CI)
 * an unavailable webgpu backend is an error rather than a skip.
 */
export function probeBackends(): Promise<BackendProbe[]> {
  probes ??= (async () => {
    const out: BackendProbe[] = [];
    for (const backend of BACKEND_ORDER) {
      try {
        await ready({ backend, strict: true });
        out.push({ backend, ok: true });
      } catch (e) {
        out.push({ backend, ok: false, reason: e instanceof Error ? e.message : String(e) });
      }
    }
    const gpu = out.find((p) => p.backend === 'webgpu');
    const require = typeof process !== 'undefined' && process.env['ASTRO_REQUIRE_WEBGPU'] === '1';
    if (require && gpu && !gpu.ok) {
      throw new Error(`ASTRO_REQUIRE_WEBGPU=1 but webgpu is unavailable: ${gpu.reason}`);
    }
    return out;
  })();
  return probes;
}

/** Context handed to each backend's suite. */
export interface BackendContext {
  backend: BackendName;
  tol: Tolerance;
}

/**
 * Run one spec on every backend (cpu, wasm, webgpu). Use with top-level await:
 *
 * ```ts
 * await describeBackends('matMul', ({ backend, tol }) => { it('...', () => { ... }) });
 * ```
 * A backend that cannot run here gets a skipped suite whose name says why.
 */
export async function describeBackends(
  name: string,
  fn: (ctx: BackendContext) => void,
  opts: { backends?: readonly BackendName[] } = {},
): Promise<void> {
  const all = await probeBackends();
  for (const p of all) {
    if (opts.backends && !opts.backends.includes(p.backend)) continue;
    const ctx: BackendContext = { backend: p.backend, tol: toleranceFor(p.backend) };
    if (!p.ok) {
      describe.skip(`${name} [${p.backend}] — unavailable: ${p.reason}`, () => fn(ctx));
      continue;
    }
    describe(`${name} [${p.backend}]`, () => {
      beforeAll(async () => {
        await ready({ backend: p.backend, strict: true });
      });
      fn(ctx);
    });
  }
}
