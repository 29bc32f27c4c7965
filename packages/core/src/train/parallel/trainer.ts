// Data-parallel training over Node worker threads: N replicas, each with its own backend, the
// batch split by rows, gradients summed through a SharedArrayBuffer, one identical update per
// replica. This file is also the workers' entry point (see the bottom), so the published package
// needs no extra build entry: a worker loads whichever built file holds this code.
import * as tf from '@tensorflow/tfjs-core';
import type { Worker as NodeWorker } from 'node:worker_threads';
import { AbortError, UsageError, ValueError } from '../../errors/index.js';
import { Rng } from '../../random/index.js';
import { runWorker, WORKER_MARK, type FromWorker, type ToWorker, type WorkerInit } from './worker.js';
import {
  ParallelWorkerError,
  type DataParallelOptions,
  type HostTensor,
  type ParallelBatch,
  type ParallelModelSpec,
  type ParallelStepResult,
} from './types.js';

type WorkerThreads = typeof import('node:worker_threads');

function nodeBuiltin<T>(name: string): T | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  return typeof p?.getBuiltinModule === 'function' ? (p.getBuiltinModule(name) as T) : undefined;
}

/**
 * Path or URL of the file that holds this code (the worker entry point). The CommonJS build (and
 * vitest) define `__filename`; the ESM build cannot name `import.meta` because the same source is
 * also compiled to CommonJS, where `import.meta` is a syntax error, so it reads this function's
 * own frame from a stack trace instead.
 */
function selfEntry(): string {
  if (typeof __filename === 'string' && __filename) return __filename;
  const stack = new Error().stack ?? '';
  const line = stack.split('\n').find((l) => l.includes('selfEntry'));
  const m = line && /\(?((?:file:\/\/|\/|[A-Za-z]:[\\/])[^()]*?):\d+:\d+\)?\s*$/.exec(line.trim());
  if (!m) throw new UsageError(`DataParallelTrainer cannot locate its own module file (stack: ${line ?? 'none'})`);
  return m[1]!;
}

function moduleSpecifier(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m; // already a URL (file:, data:)
  const path = nodeBuiltin<typeof import('node:path')>('node:path')!;
  const url = nodeBuiltin<typeof import('node:url')>('node:url')!;
  return url.pathToFileURL(path.resolve(m)).href;
}

async function toHost(t: tf.Tensor | HostTensor, name: string): Promise<HostTensor> {
  if (t instanceof tf.Tensor) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new ValueError(`batch field '${name}' has dtype ${t.dtype}; float32 or int32 only`);
    return { data: (await t.data()) as Float32Array | Int32Array, shape: [...t.shape] };
  }
  if (!t || !(t.data instanceof Float32Array || t.data instanceof Int32Array) || !Array.isArray(t.shape)) {
    throw new ValueError(`batch field '${name}' must be a tf.Tensor or { data: Float32Array | Int32Array, shape }`);
  }
  const size = t.shape.reduce((a, b) => a * b, 1);
  if (size !== t.data.length) throw new ValueError(`batch field '${name}': shape [${t.shape}] needs ${size} values, got ${t.data.length}`);
  return t;
}

function rowsOf(fields: Record<string, HostTensor>): number {
  let rows: number | undefined;
  for (const [k, h] of Object.entries(fields)) {
    const r = h.shape[0];
    if (r === undefined) throw new ValueError(`batch field '${k}' is a scalar; every field needs rows along axis 0`);
    if (rows !== undefined && r !== rows) throw new ValueError(`batch fields have different row counts (${rows} and ${r} in '${k}')`);
    rows = r;
  }
  if (rows === undefined) throw new ValueError('the batch has no fields');
  return rows;
}

function sliceRows(h: HostTensor, start: number, end: number): HostTensor {
  const per = h.shape.slice(1).reduce((a, b) => a * b, 1);
  return { data: h.data.slice(start * per, end * per), shape: [end - start, ...h.shape.slice(1)] };
}

interface Pending {
  want: FromWorker['type'];
  got: (FromWorker | undefined)[];
  left: number;
  resolve: (msgs: FromWorker[]) => void;
  reject: (e: Error) => void;
}

/**
 * Data-parallel training on `worker_threads`: each of N workers imports `spec.module`, calls its
 * builder to make a replica (model, loss, optimizer) on its own backend, and every
 * {@link DataParallelTrainer.step} splits the batch by rows across the workers, sums their
 * row-weighted gradients and applies the same update in each replica, which stay bitwise equal.
 *
 * ```ts
 * // model.ts: export const build = () => { const m = new MLP(...); return { optimizer: new AdamW(m.namedParameters(), { lr: 1e-3 }),
 * //   loss: (b) => tf.losses.meanSquaredError(b.y, m.forward(b.x)) }; };
 * const trainer = await DataParallelTrainer.create({ module: './model.js', exportName: 'build' }, { workers: 2 });
 * try { const { loss } = await trainer.step({ x, y }); const w = await trainer.weights(); } finally { await trainer.close(); }
 * ```
 */
export class DataParallelTrainer {
  /** Number of workers. */
  readonly workers: number;
  /** Backend every worker runs. */
  readonly backend: string;
  /** Trainable parameter names, in the optimizer's order. */
  readonly paramNames: readonly string[];
  /** Trainable parameter shapes, in the same order. */
  readonly paramShapes: readonly (readonly number[])[];
  private readonly threads: NodeWorker[];
  private pending: Pending | undefined;
  private failure: Error | undefined;
  private closed = false;
  private steps = 0;
  private busy = false;
  private readonly signal: AbortSignal | undefined;
  private readonly onAbort: () => void;

  private constructor(threads: NodeWorker[], signal: AbortSignal | undefined) {
    this.threads = threads;
    this.workers = threads.length;
    this.signal = signal;
    this.backend = '';
    this.paramNames = [];
    this.paramShapes = [];
    this.onAbort = () => this.fail(new AbortError('data-parallel training was aborted'));
    threads.forEach((w, i) => {
      w.on('message', (m: FromWorker) => this.receive(i, m));
      w.on('error', (e: Error) => this.fail(new ParallelWorkerError(i, e.message, e.name, { cause: e })));
      w.on('exit', (code) => {
        if (!this.closed) this.fail(new ParallelWorkerError(i, `exited with code ${code}`));
      });
    });
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Start the workers, build a replica in each and give them worker 0's initial weights. */
  static async create(spec: ParallelModelSpec, opts: DataParallelOptions = {}): Promise<DataParallelTrainer> {
    const wt = nodeBuiltin<WorkerThreads>('node:worker_threads');
    const os = nodeBuiltin<typeof import('node:os')>('node:os');
    if (!wt || !os) throw new UsageError('DataParallelTrainer needs Node ≥ 20.16 (worker_threads through process.getBuiltinModule)');
    if (!spec || (typeof spec.module !== 'string' && !(spec.module instanceof URL))) {
      throw new ValueError('spec.module must be the path or URL of the module that exports the builder');
    }
    const n = opts.workers ?? os.availableParallelism();
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`workers must be an integer ≥ 1, got ${n}`);
    if (opts.signal?.aborted) throw new AbortError('data-parallel training was aborted before it started');
    const entry = selfEntry();
    const ts = /\.[cm]?ts$/.test(entry.replace(/[?#].*$/, ''));
    // Running from TypeScript sources (tests, tsx scripts): Node 20 workers do not inherit tsx's
    // hooks, so the worker starts from a tiny script that imports this file through tsx's API.
    const entryUrl = entry.startsWith('file:') ? entry : moduleSpecifier(entry);
    const boot = `import('tsx/esm/api').then((api) => api.tsImport(${JSON.stringify(entryUrl)}, ${JSON.stringify(entryUrl)}))`;
    const threads: NodeWorker[] = [];
    for (let i = 0; i < n; i++) {
      const init: WorkerInit = {
        [WORKER_MARK]: true,
        module: moduleSpecifier(spec.module),
        exportName: spec.exportName ?? 'default',
        options: spec.options,
        backend: opts.backend ?? 'wasm',
        worker: i,
        workers: n,
      };
      threads.push(
        ts
          ? new wt.Worker(boot, { eval: true, workerData: init, execArgv: opts.execArgv ?? [] })
          : new wt.Worker(new URL(entryUrl), { workerData: init, execArgv: [...process.execArgv, ...(opts.execArgv ?? [])] }),
      );
    }
    const t = new DataParallelTrainer(threads, opts.signal);
    try {
      const hello = (await t.collect('ready')) as Extract<FromWorker, { type: 'ready' }>[];
      const first = hello[0]!;
      for (let i = 1; i < n; i++) {
        const h = hello[i]!;
        if (h.names.join('\n') !== first.names.join('\n') || h.shapes.map(String).join(';') !== first.shapes.map(String).join(';')) {
          throw new ParallelWorkerError(i, `built different parameters than worker 0 (${h.names.length} vs ${first.names.length} tensors)`);
        }
      }
      Object.assign(t, { backend: first.backend, paramNames: first.names, paramShapes: first.shapes });
      const total = first.shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
      const grads = new SharedArrayBuffer(4 * total * n);
      const weights = new SharedArrayBuffer(4 * total);
      await t.collect('synced', () => ({ type: 'buffers', grads, weights }));
      await t.collect('adopted', () => ({ type: 'adopt' }));
      return t;
    } catch (e) {
      await t.terminate();
      throw e;
    }
  }

  /** Optimizer steps taken. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * One optimizer step on `batch` (fields split by rows across the workers; a shard may be
   * empty when the batch has fewer rows than workers). Resolves when every replica is updated.
   */
  async step(batch: ParallelBatch): Promise<ParallelStepResult> {
    return this.exclusive(async () => {
      if (batch === null || typeof batch !== 'object') throw new ValueError('batch must be an object of named fields, e.g. { x, y }');
      const fields: Record<string, HostTensor> = {};
      for (const [k, v] of Object.entries(batch)) fields[k] = await toHost(v, k);
      const rows = rowsOf(fields);
      if (rows === 0) throw new ValueError('the batch has no rows');
      const n = this.workers;
      const base = Math.floor(rows / n);
      const extra = rows % n;
      const shards: { offset: number; rows: number }[] = [];
      let off = 0;
      for (let i = 0; i < n; i++) {
        const r = base + (i < extra ? 1 : 0);
        shards.push({ offset: off, rows: r });
        off += r;
      }
      const step = this.steps;
      const got = (await this.collect('grads', (i) => {
        const s = shards[i]!;
        const f: Record<string, HostTensor> = {};
        for (const [k, h] of Object.entries(fields)) f[k] = sliceRows(h, s.offset, s.offset + s.rows);
        return { type: 'step', step, fields: f, rows: s.rows, totalRows: rows, offset: s.offset };
      })) as Extract<FromWorker, { type: 'grads' }>[];
      let loss = 0;
      got.forEach((g, i) => (loss += (g.loss * shards[i]!.rows) / rows));
      const applied = (await this.collect('applied', () => ({ type: 'apply' }))) as Extract<FromWorker, { type: 'applied' }>[];
      this.steps++;
      const out: ParallelStepResult = { loss, rows };
      if (applied[0]!.gradNorm !== undefined) out.gradNorm = applied[0]!.gradNorm;
      return out;
    });
  }

  /** The trainable weights of one replica (default worker 0), by parameter name. */
  async weights(worker = 0): Promise<Record<string, HostTensor>> {
    if (!Number.isInteger(worker) || worker < 0 || worker >= this.workers)
      throw new ValueError(`worker must be in 0..${this.workers - 1}, got ${worker}`);
    return this.exclusive(async () => {
      const got = await this.collect('weights', () => ({ type: 'weights' }), [worker]);
      return (got[0] as Extract<FromWorker, { type: 'weights' }>).weights;
    });
  }

  /** Copy worker 0's weights into local variables with the same names (e.g. the main thread's copy of the model). */
  async copyWeightsTo(params: Iterable<readonly [string, tf.Variable]>): Promise<void> {
    const w = await this.weights(0);
    for (const [name, v] of params) {
      const h = w[name];
      if (!h) continue;
      if (h.shape.join() !== v.shape.join()) throw new ValueError(`'${name}' is [${h.shape}] in the workers but [${v.shape}] here`);
      const t = tf.tensor(h.data, h.shape, v.dtype);
      v.assign(t);
      t.dispose();
    }
  }

  /** Stop every worker (idempotent). Pending calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (!this.failure && !this.busy) {
      try {
        await this.collect('closed', () => ({ type: 'close' }));
      } catch {
        // terminating anyway
      }
    }
    await this.terminate();
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.failure) throw this.failure;
    if (this.closed) throw new UsageError('the DataParallelTrainer is closed');
    if (this.busy) throw new UsageError('one call at a time: await the previous step() or weights()');
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }

  /** Send a message to some workers (default all) and wait for one reply of type `want` from each. */
  private collect(want: FromWorker['type'], msg?: (i: number) => ToWorker, only?: number[]): Promise<FromWorker[]> {
    if (this.failure) return Promise.reject(this.failure);
    const targets = only ?? this.threads.map((_, i) => i);
    return new Promise<FromWorker[]>((resolve, reject) => {
      this.pending = {
        want,
        got: this.threads.map(() => undefined),
        left: targets.length,
        resolve: (msgs) => resolve(msgs),
        reject,
      };
      if (only) for (let i = 0; i < this.threads.length; i++) if (!only.includes(i)) this.pending.got[i] = { type: 'closed' };
      if (msg) {
        for (const i of targets) {
          const m = msg(i);
          const transfer = m.type === 'step' ? Object.values(m.fields).map((h) => h.data.buffer as ArrayBuffer) : [];
          this.threads[i]!.postMessage(m, transfer);
        }
      }
    }).then((all) => (only ? only.map((i) => all[i]!) : all));
  }

  private receive(i: number, m: FromWorker): void {
    if (m.type === 'error') {
      const e = new ParallelWorkerError(i, `${m.name}: ${m.message}`, m.name);
      if (m.stack) e.stack = `${e.name}: ${e.message}\n    (in worker ${i}) ${m.stack}`;
      this.fail(e);
      return;
    }
    const p = this.pending;
    if (!p || m.type !== p.want || p.got[i] !== undefined) return;
    p.got[i] = m;
    if (--p.left === 0) {
      this.pending = undefined;
      p.resolve(p.got as FromWorker[]);
    }
  }

  private fail(e: Error): void {
    if (this.closed) return;
    if (!this.failure) this.failure = e;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
    void this.terminate();
  }

  private async terminate(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure ?? new UsageError('the DataParallelTrainer was closed'));
    await Promise.all(this.threads.map((w) => w.terminate().catch(() => undefined)));
  }
}

/** Options of {@link fitParallel}. */
export interface FitParallelOptions extends DataParallelOptions {
  epochs: number;
  /** Rows per optimizer step (split across the workers); default 32. */
  batchSize?: number;
  /** Seed of the per-epoch shuffle; default 0. */
  seed?: number;
  /** Shuffle rows every epoch; default true. */
  shuffle?: boolean;
  /** Called after every step. */
  onStep?: (p: { epoch: number; step: number; loss: number }) => void | Promise<void>;
}

/** Result of {@link fitParallel}. */
export interface FitParallelResult {
  /** Row-weighted mean training loss of each epoch. */
  history: { loss: number[] };
  globalStep: number;
  /** The trained weights (worker 0's; every replica holds the same). */
  weights: Record<string, HostTensor>;
}

/**
 * Train for `epochs` over an array dataset (named fields with rows along axis 0) with a
 * {@link DataParallelTrainer}: seeded shuffle per epoch, `batchSize` rows per step, workers closed
 * at the end (also on error or abort).
 */
export async function fitParallel(spec: ParallelModelSpec, data: ParallelBatch, opts: FitParallelOptions): Promise<FitParallelResult> {
  if (!opts || !Number.isInteger(opts.epochs) || opts.epochs < 1)
    throw new ValueError(`epochs must be an integer ≥ 1, got ${opts?.epochs}`);
  const batchSize = opts.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(`batchSize must be an integer ≥ 1, got ${batchSize}`);
  const fields: Record<string, HostTensor> = {};
  for (const [k, v] of Object.entries(data ?? {})) fields[k] = await toHost(v, k);
  const n = rowsOf(fields);
  if (n === 0) throw new ValueError('the dataset has no rows');
  const rng = new Rng(opts.seed ?? 0);
  const trainer = await DataParallelTrainer.create(spec, opts);
  try {
    const history: number[] = [];
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = (opts.shuffle ?? true) ? rng.permutation(n) : Int32Array.from({ length: n }, (_, i) => i);
      let sum = 0;
      for (let start = 0; start < n; start += batchSize) {
        const idx = order.subarray(start, Math.min(n, start + batchSize));
        const batch: Record<string, HostTensor> = {};
        for (const [k, h] of Object.entries(fields)) {
          const per = h.shape.slice(1).reduce((a, b) => a * b, 1);
          const out = h.data instanceof Int32Array ? new Int32Array(idx.length * per) : new Float32Array(idx.length * per);
          idx.forEach((r, j) => out.set(h.data.subarray(r * per, (r + 1) * per), j * per));
          batch[k] = { data: out, shape: [idx.length, ...h.shape.slice(1)] };
        }
        const r = await trainer.step(batch);
        sum += r.loss * r.rows;
        if (opts.onStep) await opts.onStep({ epoch, step: trainer.stepCount, loss: r.loss });
      }
      history.push(sum / n);
    }
    return { history: { loss: history }, globalStep: trainer.stepCount, weights: await trainer.weights(0) };
  } finally {
    await trainer.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Worker entry: when a DataParallelTrainer starts this file as a worker thread, run the loop.
{
  const wt = nodeBuiltin<WorkerThreads>('node:worker_threads');
  const data = wt && !wt.isMainThread ? (wt.workerData as Partial<WorkerInit> | undefined) : undefined;
  const started = Symbol.for('astro.dataParallelWorker');
  const g = globalThis as Record<symbol, unknown>;
  if (wt && data && data[WORKER_MARK] === true && !g[started]) {
    g[started] = true;
    const port = wt.parentPort!;
    void runWorker(data as WorkerInit, {
      postMessage: (m) => port.postMessage(m),
      on: (ev, fn) => port.on(ev, fn),
    });
  }
}
