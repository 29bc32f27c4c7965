// The worker side of DataParallelTrainer: build a replica, answer `step` with this shard's
// row-weighted gradients written into a SharedArrayBuffer slot, answer `apply` by summing every
// slot in worker order (so each replica sums the same numbers in the same order and stays bitwise
// identical) and applying one optimizer update.
import * as tf from '@tensorflow/tfjs-core';
import { ready } from '../../backend/ready.js';
import type { BackendName } from '../../backend/types.js';
import type { HostTensor, ParallelBuilder, ParallelSetup } from './types.js';

/** Key in `workerData` that marks a data-parallel worker. */
export const WORKER_MARK = '__astroDataParallelWorker';

export interface WorkerInit {
  [WORKER_MARK]: true;
  module: string;
  exportName: string;
  options: unknown;
  backend: BackendName;
  worker: number;
  workers: number;
}

export type ToWorker =
  | { type: 'buffers'; grads: SharedArrayBuffer; weights: SharedArrayBuffer }
  | { type: 'step'; step: number; fields: Record<string, HostTensor>; rows: number; totalRows: number; offset: number }
  | { type: 'adopt' }
  | { type: 'apply' }
  | { type: 'weights' }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; names: string[]; shapes: number[][]; backend: string }
  | { type: 'synced' }
  | { type: 'adopted' }
  | { type: 'grads'; loss: number }
  | { type: 'applied'; gradNorm?: number }
  | { type: 'weights'; weights: Record<string, HostTensor> }
  | { type: 'closed' }
  | { type: 'error'; name: string; message: string; stack?: string };

interface Port {
  postMessage(m: FromWorker): void;
  on(ev: 'message', fn: (m: ToWorker) => void): void;
}

/** Run the worker loop (called once, in a worker thread started by DataParallelTrainer). */
export async function runWorker(init: WorkerInit, port: Port): Promise<void> {
  let setup: ParallelSetup | undefined;
  let vars: tf.Variable[] = [];
  let names: string[] = [];
  let offsets: number[] = [];
  let total = 0;
  let grads: Float32Array | undefined;
  let weights: Float32Array | undefined;
  const fail = (e: unknown): void => {
    const err = e instanceof Error ? e : new Error(String(e));
    port.postMessage({ type: 'error', name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) });
  };
  const handle = async (m: ToWorker): Promise<void> => {
    if (m.type === 'buffers') {
      grads = new Float32Array(m.grads);
      weights = new Float32Array(m.weights);
      // Worker 0's initial weights become everyone's.
      if (init.worker === 0) {
        for (let i = 0; i < vars.length; i++) weights.set(await vars[i]!.data(), offsets[i]!);
      }
      port.postMessage({ type: 'synced' });
      return;
    }
    if (m.type === 'adopt') {
      // Take worker 0's initial weights (written before this message was sent).
      if (init.worker !== 0) {
        for (let i = 0; i < vars.length; i++) {
          const t = tf.tensor(weights!.slice(offsets[i]!, offsets[i]! + vars[i]!.size), vars[i]!.shape);
          vars[i]!.assign(t);
          t.dispose();
        }
      }
      port.postMessage({ type: 'adopted' });
      return;
    }
    if (m.type === 'step') {
      const slot = grads!.subarray(init.worker * total, (init.worker + 1) * total);
      if (m.rows === 0) {
        slot.fill(0);
        port.postMessage({ type: 'grads', loss: 0 });
        return;
      }
      const batch: Record<string, tf.Tensor> = {};
      for (const [k, h] of Object.entries(m.fields))
        batch[k] = tf.tensor(h.data, h.shape, h.data instanceof Int32Array ? 'int32' : 'float32');
      const ctx = { step: m.step, worker: init.worker, workers: init.workers, rows: m.rows, totalRows: m.totalRows, offset: m.offset };
      const opt = setup!.optimizer;
      let shardLoss = 0;
      try {
        const { loss, grads: g } = opt.valueAndGrads(() => {
          const l = setup!.loss(batch, ctx);
          if (!(l instanceof tf.Tensor) || l.size !== 1) throw new TypeError('the loss must return a scalar tensor');
          return tf.mul(l, m.rows / m.totalRows) as tf.Scalar;
        });
        try {
          shardLoss = (await loss.data())[0]! * (m.totalRows / m.rows);
          for (let i = 0; i < names.length; i++) {
            const gi = g[names[i]!];
            if (gi) slot.set(await gi.data(), offsets[i]!);
            else slot.fill(0, offsets[i]!, offsets[i]! + vars[i]!.size);
          }
        } finally {
          loss.dispose();
          tf.dispose(Object.values(g));
        }
      } finally {
        tf.dispose(Object.values(batch));
      }
      port.postMessage({ type: 'grads', loss: shardLoss });
      return;
    }
    if (m.type === 'apply') {
      const sum = new Float32Array(total);
      for (let w = 0; w < init.workers; w++) {
        const s = grads!.subarray(w * total, (w + 1) * total);
        for (let i = 0; i < total; i++) sum[i] = sum[i]! + s[i]!;
      }
      const g: Record<string, tf.Tensor> = {};
      for (let i = 0; i < names.length; i++)
        g[names[i]!] = tf.tensor(sum.subarray(offsets[i]!, offsets[i]! + vars[i]!.size), vars[i]!.shape);
      try {
        const norm = setup!.optimizer.applyGradients(g);
        let gradNorm: number | undefined;
        if (norm) {
          gradNorm = (await norm.data())[0]!;
          norm.dispose();
        }
        port.postMessage(gradNorm === undefined ? { type: 'applied' } : { type: 'applied', gradNorm });
      } finally {
        tf.dispose(Object.values(g));
      }
      return;
    }
    if (m.type === 'weights') {
      const out: Record<string, HostTensor> = {};
      for (let i = 0; i < names.length; i++) out[names[i]!] = { data: (await vars[i]!.data()) as Float32Array, shape: [...vars[i]!.shape] };
      port.postMessage({ type: 'weights', weights: out });
      return;
    }
    if (m.type === 'close') {
      setup?.dispose?.();
      port.postMessage({ type: 'closed' });
    }
  };

  // Messages are handled strictly one after another.
  let chain: Promise<void> = (async () => {
    await ready({ backend: init.backend, strict: true });
    let mod: Record<string, unknown>;
    try {
      mod = (await import(/* @vite-ignore */ init.module)) as Record<string, unknown>;
    } catch (e) {
      // The CommonJS build turns import() into require(), which cannot load an ES module or a
      // file: URL: fall back to a native import() (Node only, as in backend/ready.ts).
      const nativeImport = new Function('s', 'return import(s)') as (s: string) => Promise<Record<string, unknown>>;
      try {
        mod = await nativeImport(init.module);
      } catch {
        throw e;
      }
    }
    const build = mod[init.exportName];
    if (typeof build !== 'function') {
      throw new TypeError(
        `${init.module} has no exported function '${init.exportName}' (exports: ${Object.keys(mod).join(', ') || 'none'})`,
      );
    }
    setup = await (build as ParallelBuilder)(init.options, { worker: init.worker, workers: init.workers });
    if (!setup || typeof setup.loss !== 'function' || !setup.optimizer || typeof setup.optimizer.valueAndGrads !== 'function') {
      throw new TypeError(`'${init.exportName}' must return { loss(batch, ctx), optimizer } (an @astro/core Optimizer)`);
    }
    const params = setup.optimizer.params.filter((p) => p.variable.trainable);
    names = params.map((p) => p.name);
    vars = params.map((p) => p.variable);
    offsets = [];
    total = 0;
    for (const v of vars) {
      offsets.push(total);
      total += v.size;
    }
    port.postMessage({ type: 'ready', names, shapes: vars.map((v) => [...v.shape]), backend: tf.getBackend() });
  })().catch(fail);
  port.on('message', (m) => {
    chain = chain.then(() => handle(m)).catch(fail);
  });
}
