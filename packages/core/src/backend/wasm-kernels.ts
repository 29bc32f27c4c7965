/** Which kernels run core's fused operations on the wasm backend. */
export type WasmKernelMode = 'auto' | 'tfjs';
let mode: WasmKernelMode = 'auto';
/**
 * Choose how core's fused operations (attention, layer norm, GELU, AdamW) run on the wasm
 * backend: `'auto'` (default: core's own kernels) or `'tfjs'` (compositions of tfjs's kernels,
 * as on the other backends) — for benchmarks that compare both in one run, or for debugging.
 */
export function useWasmKernels(m: WasmKernelMode): void {
  mode = m;
}
/** The current {@link useWasmKernels} mode. */
export function wasmKernelMode(): WasmKernelMode {
  return mode;
}
