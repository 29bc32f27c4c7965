import * as tf from '@tensorflow/tfjs-core';
import { BackendError, ValueError } from '../errors/index.js';
import { RunningTopK } from './select.js';
import type { TopKKernel, TopKProblem } from './types.js';
import { topKShader } from './wgsl.js';

/**
 * Why a raw GPUDevice pipeline rather than a tfjs `WebGPUProgram` through `runWebGPUProgram`:
 * the kernel streams corpus tiles from host memory (the corpus may be far larger than one
 * tensor should be), keeps per-invocation top-k lists in registers and needs workgroup memory
 * and barriers sized by k; tfjs programs are shaped around one output tensor per dispatch and
 * would force an m × tile intermediate. Using the tfjs backend's own `device` shares its queue,
 * adapter and limits, so no second device is opened.
 */

/** Extra candidates per query kept to absorb float32 rounding before the exact re-rank. */
const PAD = 4;
/** Largest candidate list per workgroup the shader is compiled for. */
export const WGSL_MAX_K = 256;
/** Corpus rows each invocation scans per chunk. */
const ROWS_PER_INVOCATION = 32;
/** Most queries per dispatch along y (WebGPU's per-dimension dispatch limit is 65535). */
const MAX_QUERIES_PER_DISPATCH = 65535;

interface Compiled {
  pipeline: GPUComputePipeline;
  wg: number;
}

const pipelines = new WeakMap<GPUDevice, Map<string, Compiled>>();

/** The GPUDevice of the active tfjs webgpu backend. */
function tfDevice(): GPUDevice {
  if (tf.getBackend() !== 'webgpu') {
    throw new BackendError(`the 'wgsl' kernel needs the webgpu backend, but tfjs is on '${tf.getBackend()}'`);
  }
  const device = (tf.backend() as unknown as { device?: GPUDevice }).device;
  if (!device) throw new BackendError('the tfjs webgpu backend exposes no GPUDevice');
  return device;
}

function workgroupSize(device: GPUDevice, K: number): number {
  const bytes = device.limits.maxComputeWorkgroupStorageSize;
  let wg = 64;
  while (wg > 1 && wg * K * 8 > bytes) wg >>= 1;
  return Math.min(wg, device.limits.maxComputeInvocationsPerWorkgroup);
}

async function pipelineFor(device: GPUDevice, K: number): Promise<Compiled> {
  let byKey = pipelines.get(device);
  if (!byKey) pipelines.set(device, (byKey = new Map()));
  const wg = workgroupSize(device, K);
  const key = `${K}x${wg}`;
  const hit = byKey.get(key);
  if (hit) return hit;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: topKShader(K, wg), label: `astro topK K=${K} WG=${wg}` });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const err = await device.popErrorScope();
  if (err) throw new BackendError(`topK WGSL pipeline (K=${K}, WG=${wg}) failed to compile: ${err.message}`);
  const compiled = { pipeline, wg };
  byKey.set(key, compiled);
  return compiled;
}

/** Largest tile that respects the device's storage-buffer binding limit. */
function maxTileRows(device: GPUDevice, d: number): number {
  const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  return Math.max(1, Math.floor(limit / (4 * d)));
}

/**
 * WebGPU kernel: a WGSL compute shader ({@link topKShader}) fuses the distance computation with
 * a per-workgroup top-k, on the tfjs webgpu backend's own GPUDevice. The corpus is streamed in
 * tiles of `tileRows` rows; for each tile the GPU returns K ≥ k + 4 candidates per (query, chunk
 * of rows), which the host merges into a running top-k. GPU memory is O(m·d + tileRows·d), never
 * m × n.
 */
export const wgslKernel: TopKKernel = {
  name: 'wgsl',
  description: 'WGSL compute shader: direct distance + per-invocation register top-k + workgroup tree merge, corpus streamed in tiles',
  available: (backend) => backend === 'webgpu',
  defaultTileRows: ({ d }) => Math.max(1024, Math.min(1 << 18, Math.floor((32 << 20) / (4 * Math.max(1, d))))),
  async run(p: TopKProblem) {
    const device = tfDevice();
    const { queries, corpus, k, metric, corpusSqNorms } = p;
    const m = queries.rows;
    const n = corpus.rows;
    const d = queries.cols;
    // Rounded up to a multiple of 8 so that nearby k share one compiled pipeline; slots beyond
    // the corpus size stay empty (index 0xffffffff) and are dropped on the host.
    const K = Math.ceil((k + PAD) / 8) * 8;
    if (K > WGSL_MAX_K) {
      throw new ValueError(`the 'wgsl' kernel supports k ≤ ${WGSL_MAX_K - PAD}, got k = ${k}; use kernel 'matmul' or 'blocked'`);
    }
    if (m * d * 4 > device.limits.maxStorageBufferBindingSize) {
      throw new ValueError(`the 'wgsl' kernel: ${m} queries × ${d} floats exceed the device's storage buffer limit; split the queries`);
    }
    const tileRows = Math.min(p.tileRows, maxTileRows(device, d), n);
    const { pipeline, wg } = await pipelineFor(device, K);
    const chunk = wg * ROWS_PER_INVOCATION;
    const maxChunks = Math.ceil(tileRows / chunk);
    // Candidate output per dispatch is queries × chunks × K (keys and indices): cap it at 64 MiB
    // each (and the device's binding limit) by splitting the queries across dispatches.
    const outLimit = Math.min(64 << 20, device.limits.maxStorageBufferBindingSize);
    const perQuery = maxChunks * K * 4;
    const qPerDispatch = Math.max(1, Math.min(m, MAX_QUERIES_PER_DISPATCH, Math.floor(outLimit / perQuery)));
    const outCount = qPerDispatch * maxChunks * K;

    const S = GPUBufferUsage.STORAGE;
    const buffers: GPUBuffer[] = [];
    const make = (size: number, usage: number, label: string): GPUBuffer => {
      const b = device.createBuffer({ size: Math.max(16, Math.ceil(size / 4) * 4), usage, label });
      buffers.push(b);
      return b;
    };
    try {
      const qBuf = make(m * d * 4, S | GPUBufferUsage.COPY_DST, 'topK queries');
      device.queue.writeBuffer(qBuf, 0, queries.data.buffer, queries.data.byteOffset, m * d * 4);
      const cBuf = make(tileRows * d * 4, S | GPUBufferUsage.COPY_DST, 'topK corpus tile');
      const invBuf = make(tileRows * 4, S | GPUBufferUsage.COPY_DST, 'topK 1/‖c‖');
      const keyBuf = make(outCount * 4, S | GPUBufferUsage.COPY_SRC, 'topK keys');
      const idxBuf = make(outCount * 4, S | GPUBufferUsage.COPY_SRC, 'topK indices');
      // Two read-back sets: while the host merges one dispatch's candidates, the GPU already runs
      // the next (queue order makes reusing the corpus, params and output buffers safe).
      const readSets = [0, 1].map((s) => ({
        keys: make(outCount * 4, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `topK keys read ${s}`),
        idx: make(outCount * 4, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `topK indices read ${s}`),
      }));
      const params = make(32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, 'topK params');
      const bindGroup = device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [qBuf, cBuf, invBuf, keyBuf, idxBuf, params].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      const top = new RunningTopK(m, K);
      const inv = new Float32Array(tileRows);
      const cos = metric === 'cosine' ? 1 : 0;

      interface InFlight {
        set: (typeof readSets)[number];
        mapped: Promise<unknown>;
        q0: number;
        nq: number;
        numChunks: number;
        bytes: number;
      }
      const merge = async (f: InFlight): Promise<void> => {
        await f.mapped;
        const keys = new Float32Array(f.set.keys.getMappedRange(0, f.bytes));
        const idx = new Uint32Array(f.set.idx.getMappedRange(0, f.bytes));
        const per = f.numChunks * K;
        for (let qi = 0; qi < f.nq; qi++) {
          const q = f.q0 + qi;
          const base = qi * per;
          for (let s = 0; s < per; s++) {
            const j = idx[base + s]!;
            if (j !== 0xffffffff) top.push(q, keys[base + s]!, j);
          }
        }
        f.set.keys.unmap();
        f.set.idx.unmap();
      };

      let pending: InFlight | undefined;
      let unit = 0;
      try {
        for (let j0 = 0; j0 < n; j0 += tileRows) {
          const rows = Math.min(tileRows, n - j0);
          device.queue.writeBuffer(cBuf, 0, corpus.data.buffer, corpus.data.byteOffset + j0 * d * 4, rows * d * 4);
          if (cos) {
            for (let r = 0; r < rows; r++) inv[r] = 1 / Math.sqrt(corpusSqNorms[j0 + r]!);
            device.queue.writeBuffer(invBuf, 0, inv.buffer, 0, rows * 4);
          }
          const numChunks = Math.ceil(rows / chunk);
          for (let q0 = 0; q0 < m; q0 += qPerDispatch) {
            const nq = Math.min(qPerDispatch, m - q0);
            device.queue.writeBuffer(params, 0, new Uint32Array([rows, d, chunk, j0, cos, numChunks, q0, 0]));
            const bytes = nq * numChunks * K * 4;
            const set = readSets[unit++ % 2]!;
            const enc = device.createCommandEncoder({ label: 'topK' });
            const pass = enc.beginComputePass();
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, bindGroup);
            pass.dispatchWorkgroups(numChunks, nq);
            pass.end();
            enc.copyBufferToBuffer(keyBuf, 0, set.keys, 0, bytes);
            enc.copyBufferToBuffer(idxBuf, 0, set.idx, 0, bytes);
            device.queue.submit([enc.finish()]);
            const mapped = Promise.all([set.keys.mapAsync(GPUMapMode.READ, 0, bytes), set.idx.mapAsync(GPUMapMode.READ, 0, bytes)]);
            const current: InFlight = { set, mapped, q0, nq, numChunks, bytes };
            if (pending) await merge(pending);
            pending = current;
          }
        }
        if (pending) await merge(pending);
        pending = undefined;
      } finally {
        // On failure, let an outstanding map settle before its buffer is destroyed.
        if (pending) await pending.mapped.catch(() => undefined);
      }
      return { candidates: top.indices, kc: K };
    } finally {
      for (const b of buffers) b.destroy();
    }
  },
};
