export { ready, backendInfo, availableBackends } from './ready.js';
export { BACKEND_ORDER } from './types.js';
export type { BackendName, BackendInfo, BackendAttempt, ReadyOptions } from './types.js';
export { useWasmBatchMatMul, type WasmBatchMatMulKernel } from './wasm-batch-matmul.js';
export { useWasmKernels, wasmKernelMode, type WasmKernelMode } from './wasm-kernels.js';
