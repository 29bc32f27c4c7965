import { ValueError } from '../errors/index.js';
import { blockedKernel } from './blocked.js';
import { matmulKernel } from './matmul.js';
import type { TopKKernel } from './types.js';
import { wgslKernel } from './webgpu.js';

/** Every known top-k kernel, by name. */
const kernels = new Map<string, TopKKernel>([
  [wgslKernel.name, wgslKernel],
  [matmulKernel.name, matmulKernel],
  [blockedKernel.name, blockedKernel],
]);

/** Picks a kernel for a problem size; `describe` says how, for {@link topKKernels}. */
interface DefaultChoice {
  choose(size: ProblemSize): string;
  describe: string;
}

/** Sizes a default choice may depend on: m queries, n corpus rows, dimension d, k. */
export interface ProblemSize {
  m: number;
  n: number;
  d: number;
  k: number;
}

const fixed = (name: string): DefaultChoice => ({ choose: () => name, describe: name });

/**
 * Kernel chosen for each tfjs backend when none is forced, from `bench/kernels.bench.ts`:
 * webgpu runs the WGSL shader. On wasm, XNNPACK's GEMM plus a scan is ~4× faster than the
 * TypeScript loops for d = 64 and many queries, but for short vectors (photometric colours,
 * d = 5) or a few queries the GEMM does too little work per dot product read back, and the
 * blocked loops win. The pure-JS cpu backend's matMul is slower than the blocked loops, so cpu
 * always uses those.
 */
const defaults = new Map<string, DefaultChoice>([
  ['webgpu', fixed('wgsl')],
  [
    'wasm',
    {
      choose: ({ m, d }) => (d >= 16 && m >= 8 ? 'matmul' : 'blocked'),
      describe: 'matmul if d ≥ 16 and m ≥ 8, else blocked',
    },
  ],
  ['cpu', fixed('blocked')],
]);

/** Fallback for a backend with no registered default (a custom tfjs backend). */
const FALLBACK = 'blocked';

/**
 * Register a top-k kernel under its `name` (replacing one of the same name), so that it can be
 * forced with `topK(..., { kernel: name })` or made a backend's default with
 * {@link setDefaultTopKKernel}.
 */
export function registerTopKKernel(kernel: TopKKernel): void {
  kernels.set(kernel.name, kernel);
}

/** Make kernel `name` the one {@link topK} uses on tfjs backend `backend` when none is forced. */
export function setDefaultTopKKernel(backend: string, name: string): void {
  if (!kernels.has(name)) throw new ValueError(`no top-k kernel named '${name}' (known: ${[...kernels.keys()].join(', ')})`);
  defaults.set(backend, fixed(name));
}

/** Names of the registered kernels and the default kernel of each backend. */
export function topKKernels(): { kernels: { name: string; description: string }[]; defaults: Record<string, string> } {
  return {
    kernels: [...kernels.values()].map((k) => ({ name: k.name, description: k.description })),
    defaults: Object.fromEntries([...defaults].map(([b, c]) => [b, c.describe])),
  };
}

/**
 * The kernel to run: `forced` if given (it must exist and be available on `backend`), else the
 * backend's default for this problem size, else the blocked TypeScript kernel.
 * @throws {ValueError} for an unknown or unavailable forced kernel.
 */
export function resolveTopKKernel(backend: string, size: ProblemSize, forced?: string): TopKKernel {
  if (forced !== undefined) {
    const k = kernels.get(forced);
    if (!k) throw new ValueError(`no top-k kernel named '${forced}' (known: ${[...kernels.keys()].join(', ')})`);
    if (!k.available(backend)) throw new ValueError(`top-k kernel '${forced}' cannot run on the '${backend}' backend`);
    return k;
  }
  const name = defaults.get(backend)?.choose(size) ?? FALLBACK;
  const k = kernels.get(name);
  return k && k.available(backend) ? k : blockedKernel;
}
