import * as tf from '@tensorflow/tfjs-core';
import { installWasmBatchMatMul } from './wasm-batch-matmul.js';
import { installFusedKernels } from './fused-kernels.js';
import { vulkanUnavailableReason } from './vulkan.js';
import { BackendError } from '../errors/index.js';
import { BACKEND_ORDER, type BackendAttempt, type BackendInfo, type BackendName, type ReadyOptions } from './types.js';

let current: BackendInfo | undefined;
let gradientsRegistered = false;
const registered = new Set<BackendName>();
let webgpuAdapterInfo: string | undefined;

const isNode = (): boolean => typeof process !== 'undefined' && typeof process.versions?.node === 'string';

function envBackends(): BackendName[] | undefined {
  const raw = isNode() ? process.env['ASTRO_BACKEND'] : undefined;
  if (!raw) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const n of names) {
    if (!BACKEND_ORDER.includes(n as BackendName)) {
      throw new BackendError(`ASTRO_BACKEND=${raw}: unknown backend '${n}' (expected one of ${BACKEND_ORDER.join(', ')})`);
    }
  }
  return names as BackendName[];
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Make `navigator.gpu` exist in Node from the optional `webgpu` (Dawn) package. */
async function ensureNavigatorGpu(): Promise<GPU> {
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (g.navigator?.gpu) return g.navigator.gpu;
  if (!isNode()) throw new Error('navigator.gpu is not available in this browser');
  // Dawn's Vulkan loader complains on every start when XDG_RUNTIME_DIR is unset (containers, CI).
  if (!process.env['XDG_RUNTIME_DIR']) {
    const os = process.getBuiltinModule('node:os') as typeof import('node:os');
    process.env['XDG_RUNTIME_DIR'] = os.tmpdir();
  }
  // Dawn prints its Vulkan failures to stderr; find them out quietly first.
  const noVulkan = vulkanUnavailableReason();
  if (noVulkan) throw new Error(noVulkan);
  let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    const name = 'webgpu';
    try {
      mod = (await import(/* @vite-ignore */ name)) as typeof mod;
    } catch (e) {
      // The CommonJS build turns `import()` into `require()`, which cannot load the ESM-only
      // `webgpu` package on Node 20: fall back to a native import() (Node only, so no CSP issue).
      // (Inside a vm context such as vitest the native form is unavailable, but there the plain
      // import above works.)
      const nativeImport = new Function('s', 'return import(s)') as (s: string) => Promise<unknown>;
      try {
        mod = (await nativeImport(name)) as typeof mod;
      } catch {
        throw e;
      }
    }
  } catch (e) {
    throw new Error(`the optional 'webgpu' package (Dawn for Node) is not installed: ${message(e)}`);
  }
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const gpu = mod.create([]);
  if (g.navigator) {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  }
  return gpu;
}

async function registerWebgpu(): Promise<void> {
  const gpu = await ensureNavigatorGpu();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    const hint = isNode()
      ? process.env['VK_ICD_FILENAMES']
        ? ` (VK_ICD_FILENAMES=${process.env['VK_ICD_FILENAMES']})`
        : '; without a GPU, install Debian chromium and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json and XDG_RUNTIME_DIR=/tmp to use SwiftShader'
      : '';
    throw new Error(`navigator.gpu.requestAdapter() returned no adapter${hint}`);
  }
  const info = adapter.info;
  webgpuAdapterInfo = [info?.vendor, info?.architecture, info?.device, info?.description].filter((s) => s).join(' / ') || 'unknown adapter';
  if (!registered.has('webgpu')) {
    await import('@tensorflow/tfjs-backend-webgpu');
    registered.add('webgpu');
  }
}

async function register(name: BackendName, opts: ReadyOptions): Promise<void> {
  if (name === 'webgpu') return registerWebgpu();
  if (registered.has(name)) return;
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (opts.wasmPaths !== undefined) wasm.setWasmPaths(opts.wasmPaths as string);
    installWasmBatchMatMul();
    installFusedKernels();
  }
  registered.add(name);
}

async function registerGradients(): Promise<void> {
  if (gradientsRegistered) return;
  // The umbrella package registers every gradient and the cpu backend. Its Node entry is a
  // CommonJS bundle; tfjs-core's own register_all_gradients is ESM that Node cannot resolve.
  tf.env().set('PROD', true); // silences the cpu backend's advert for tfjs-node
  await import('@tensorflow/tfjs');
  gradientsRegistered = true;
}

/**
 * Initialise TensorFlow.js on the best available backend: webgpu → wasm → cpu.
 *
 * Precedence of the candidate list: `opts.backend`, then the `ASTRO_BACKEND`
 * environment variable (comma-separated), then the default order. With
 * `strict: true` only the first candidate is tried and failure throws a
 * {@link BackendError} that says why. Safe to call repeatedly; a call with a
 * different backend switches to it.
 */
export async function ready(opts: ReadyOptions = {}): Promise<BackendInfo> {
  await registerGradients();
  let source: BackendInfo['source'] = 'default';
  let order: BackendName[] = [...BACKEND_ORDER];
  if (opts.backend !== undefined) {
    order = typeof opts.backend === 'string' ? [opts.backend] : [...opts.backend];
    source = 'option';
  } else {
    const env = envBackends();
    if (env) {
      order = env;
      source = 'env';
    }
  }
  for (const n of order) {
    if (!BACKEND_ORDER.includes(n)) {
      throw new BackendError(`unknown backend '${String(n)}' (expected one of ${BACKEND_ORDER.join(', ')})`);
    }
  }
  if (opts.strict) order = order.slice(0, 1);
  if (current && current.backend === order[0] && tf.getBackend() === order[0]) return current;

  const tried: BackendAttempt[] = [];
  for (const name of order) {
    const t0 = Date.now();
    try {
      await register(name, opts);
      const ok = await tf.setBackend(name);
      if (!ok) throw new Error(`tf.setBackend('${name}') returned false (see the warning above)`);
      await tf.ready();
      tried.push({ backend: name, ok: true, ms: Date.now() - t0 });
      const info: BackendInfo = { backend: name, tried, source };
      if (name === 'webgpu' && webgpuAdapterInfo) info.adapter = webgpuAdapterInfo;
      if (name === 'wasm') {
        info.wasm = {
          simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
          threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
        };
      }
      current = info;
      return info;
    } catch (e) {
      tried.push({ backend: name, ok: false, reason: message(e), ms: Date.now() - t0 });
    }
  }
  const why = tried.map((t) => `${t.backend}: ${t.reason}`).join('; ');
  throw new BackendError(
    opts.strict ? `backend '${order[0]}' is not available (strict): ${why}` : `no backend could be initialised: ${why}`,
  );
}

/** What the last successful {@link ready} chose and why; `undefined` before the first call. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/** Names of the backends that can be initialised here, probing each (slow; for tests and reports). */
export async function availableBackends(): Promise<{ backend: BackendName; ok: boolean; reason?: string }[]> {
  const out: { backend: BackendName; ok: boolean; reason?: string }[] = [];
  const prev = current;
  for (const b of BACKEND_ORDER) {
    try {
      await ready({ backend: b, strict: true });
      out.push({ backend: b, ok: true });
    } catch (e) {
      out.push({ backend: b, ok: false, reason: message(e) });
    }
  }
  if (prev) await ready({ backend: prev.backend, strict: true });
  return out;
}
