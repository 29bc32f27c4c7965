/**
 * The model conformance spec: one `describeModelContract(spec)` call checks that a model class
 * follows the house contract on every available backend (see `docs/house.md`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { BackendName } from '../backend/types.js';
import { AbortError, AstroError, FormatError, SchemaError } from '../errors/index.js';
import type { FitProgress } from '../train/progress.js';
import { describeBackends, type BackendContext } from './backends.js';
import { compareClose, type Tolerance } from './close.js';

/** Options every model's `fit` takes (it may take more). */
export interface ContractFitOptions {
  epochs: number;
  seed?: number;
  signal?: AbortSignal;
  onProgress?: (p: FitProgress) => void | Promise<void>;
}

/** The surface the contract checks: `fit`, async `predict`, `save(dir)`, `dispose()`. */
export interface ContractModel<D, X> {
  fit(data: D, opts: ContractFitOptions): Promise<unknown>;
  predict(x: X): Promise<unknown>;
  save(dir: string): Promise<void>;
  dispose(): void;
}

/** What {@link describeModelContract} needs to exercise one model class. */
export interface ModelContractSpec<M extends ContractModel<D, X>, D, X> {
  /** Suite name, usually the class name. */
  name: string;
  /** The `kind` written to config.json: `@astro/<package>/<Model>`. */
  kind: string;
  /** Construct an untrained model (small: the spec trains it several times). Must not train. */
  create: () => M | Promise<M>;
  /** The class's loader, `Class.load(dir)`. */
  load: (dir: string) => Promise<M>;
  /** A small training set. */
  data: () => D | Promise<D>;
  /** Inputs for `predict`. */
  input: () => X | Promise<X>;
  /** Options merged into every `fit` call (default `{ epochs: 2, seed: 1 }`). */
  fitOptions?: Partial<ContractFitOptions> & Record<string, unknown>;
  /** `predict` before `fit` must reject with a typed error mentioning fit (default false: it must work). */
  needsFit?: boolean;
  /** `fit` must report `FitProgress` through `onProgress` (default true). */
  reportsProgress?: boolean;
  /** Backends to run on (default: every available one). */
  backends?: readonly BackendName[];
  /** Tolerance for save → load predictions (default: the backend's). */
  tolerance?: (backend: BackendName) => Partial<Tolerance>;
  /** Per-test timeout in ms (default 180 000: SwiftShader WebGPU on a busy CI machine is slow). */
  timeoutMs?: number;
}

/** Flatten what `predict` resolved to (numbers, typed arrays, nested arrays, objects of those) into numbers. */
export function predictionNumbers(value: unknown, where = 'prediction'): number[] {
  const out: number[] = [];
  const visit = (v: unknown, path: string, depth: number): void => {
    if (typeof v === 'number') out.push(v);
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      for (const a of Array.from(v as unknown as ArrayLike<number>)) out.push(Number(a));
    else if (Array.isArray(v)) v.forEach((e, i) => visit(e, `${path}[${i}]`, depth + 1));
    else if (v instanceof tf.Tensor)
      throw new Error(`${path} is a tf.Tensor: predict must resolve to numbers (read tensors back with await t.data())`);
    else if (v !== null && typeof v === 'object' && depth < 4) for (const [k, e] of Object.entries(v)) visit(e, `${path}.${k}`, depth + 1);
    else if (typeof v !== 'string' && typeof v !== 'boolean') throw new Error(`${path} is ${v === null ? 'null' : typeof v}, not numbers`);
  };
  visit(value, where, 0);
  return out;
}

function expectClose(actual: number[], expected: number[], tol: Partial<Tolerance>, what: string): void {
  const r = compareClose(actual, expected, tol);
  expect(r.ok, `${what}: ${r.message}`).toBe(true);
}

async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const fs = process.getBuiltinModule('node:fs/promises') as typeof import('node:fs/promises');
  const os = process.getBuiltinModule('node:os') as typeof import('node:os');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'astro-contract-'));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/**
 * Check the house model contract for one class on every available backend (cpu, wasm, webgpu
 * through {@link describeBackends}); call with top-level `await` in a test file:
 *
 * - constructing never trains: two fresh models give identical predictions (or, with
 *   `needsFit`, `predict` before `fit` rejects with a typed error that mentions `fit`);
 * - `await model.fit(data, { epochs, seed, onProgress })` reports `FitProgress`, and the same
 *   seed gives the same predictions;
 * - `await model.predict(x)` returns a Promise of finite numbers (not tensors);
 * - `save(dir)` writes `config.json` (with `kind`, `@astro/<package>/<Model>`) and
 *   `model.safetensors`, and `load(dir)` predicts the same (to the backend's tolerance);
 * - a wrong `kind` in config.json → `SchemaError`; a truncated `model.safetensors` → `FormatError`;
 * - an aborted signal (before or during `fit`) → `AbortError`;
 * - `tf.memory().numTensors` is flat across a second fit + predict, and `dispose()` frees the model.
 */
export async function describeModelContract<M extends ContractModel<D, X>, D, X>(spec: ModelContractSpec<M, D, X>): Promise<void> {
  const timeout = spec.timeoutMs ?? 180_000;
  const fitOpts = (extra: Partial<ContractFitOptions> = {}): ContractFitOptions => ({ epochs: 2, seed: 1, ...spec.fitOptions, ...extra });
  const predictNumbers = async (m: M, x: X, what: string): Promise<number[]> => {
    const p = m.predict(x);
    expect(p, `${what}: predict must return a Promise`).toBeInstanceOf(Promise);
    const v = predictionNumbers(await p, what);
    expect(v.length, `${what}: predict returned no numbers`).toBeGreaterThan(0);
    const bad = v.findIndex((a) => !Number.isFinite(a));
    expect(bad, `${what}: predict returned ${v[bad]} at flat index ${bad}`).toBe(-1);
    return v;
  };
  const fitted = async (data: D): Promise<M> => {
    const m = await spec.create();
    await m.fit(data, fitOpts());
    return m;
  };

  await describeBackends(
    `model contract: ${spec.name}`,
    ({ backend, tol }: BackendContext) => {
      const closeTol = spec.tolerance?.(backend) ?? tol;

      it(
        'constructing never trains; fit reports progress and is seeded; predict is async and returns numbers',
        async () => {
          const data = await spec.data();
          const x = await spec.input();
          const a = await spec.create();
          const b = await spec.create();
          if (spec.needsFit) {
            const err = await a.predict(x).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(err, 'predict before fit must reject (needsFit)').toBeInstanceOf(AstroError);
            expect(String((err as Error).message), 'the error must say that fit is needed').toMatch(/fit/i);
          } else {
            const pa = await predictNumbers(a, x, 'untrained predict');
            const pb = await predictNumbers(b, x, 'untrained predict');
            expectClose(pa, pb, closeTol, 'two fresh models differ: construction must be deterministic and must not train');
          }
          const events: FitProgress[] = [];
          await a.fit(data, fitOpts({ onProgress: (p) => void events.push(p) }));
          if (spec.reportsProgress ?? true) {
            expect(events.length, 'fit must report progress through onProgress').toBeGreaterThan(0);
            for (const p of events) {
              expect(['step', 'epoch']).toContain(p.phase);
              expect(Number.isInteger(p.epoch) && Number.isFinite(p.loss), `progress event ${JSON.stringify(p)}`).toBe(true);
            }
          }
          await b.fit(data, fitOpts());
          const fa = await predictNumbers(a, x, 'fitted predict');
          const fb = await predictNumbers(b, x, 'fitted predict (same seed)');
          expectClose(fa, fb, closeTol, 'the same seed must give the same fitted model');
          a.dispose();
          b.dispose();
        },
        timeout,
      );

      it(
        'save(dir) → load(dir) predicts the same; wrong kind → SchemaError; truncated weights → FormatError',
        async () => {
          const fs = process.getBuiltinModule('node:fs/promises') as typeof import('node:fs/promises');
          const path = process.getBuiltinModule('node:path') as typeof import('node:path');
          const { dir, cleanup } = await tempDir();
          try {
            const data = await spec.data();
            const x = await spec.input();
            const m = await fitted(data);
            const before = await predictNumbers(m, x, 'before save');
            const d = path.join(dir, 'model');
            await m.save(d);
            const config = JSON.parse(await fs.readFile(path.join(d, 'config.json'), 'utf8')) as {
              kind?: unknown;
              schemaVersion?: unknown;
            };
            expect(config.kind, 'config.json kind').toBe(spec.kind);
            expect(String(config.kind), 'kind must be @astro/<package>/<Model>').toMatch(/^@astro\/[a-z0-9-]+\/[A-Z][A-Za-z0-9]*$/);
            expect(Number.isInteger(config.schemaVersion), 'config.json needs an integer schemaVersion').toBe(true);
            await fs.access(path.join(d, 'model.safetensors'));
            const again = await spec.load(d);
            const after = await predictNumbers(again, x, 'after load');
            expectClose(after, before, closeTol, 'load(save(model)) must predict the same');
            again.dispose();

            const wrong = path.join(dir, 'wrong-kind');
            await m.save(wrong);
            const text = await fs.readFile(path.join(wrong, 'config.json'), 'utf8');
            await fs.writeFile(
              path.join(wrong, 'config.json'),
              JSON.stringify({ ...JSON.parse(text), kind: '@astro/nowhere/NotThisModel' }),
            );
            await expect(spec.load(wrong), 'a wrong kind must be a SchemaError').rejects.toBeInstanceOf(SchemaError);

            const cut = path.join(dir, 'truncated');
            await m.save(cut);
            const w = await fs.readFile(path.join(cut, 'model.safetensors'));
            await fs.writeFile(path.join(cut, 'model.safetensors'), w.subarray(0, Math.floor(w.length / 2)));
            await expect(spec.load(cut), 'a truncated model.safetensors must be a FormatError').rejects.toBeInstanceOf(FormatError);
            m.dispose();
          } finally {
            await cleanup();
          }
        },
        timeout,
      );

      it(
        'an aborted signal rejects fit with AbortError (before and during training)',
        async () => {
          const data = await spec.data();
          const m = await spec.create();
          await expect(m.fit(data, fitOpts({ signal: AbortSignal.abort() })), 'pre-aborted signal').rejects.toBeInstanceOf(AbortError);
          if (spec.reportsProgress ?? true) {
            const ac = new AbortController();
            const p = m.fit(data, fitOpts({ signal: ac.signal, onProgress: () => ac.abort() }));
            await expect(p, 'signal aborted after the first progress event').rejects.toBeInstanceOf(AbortError);
          }
          m.dispose();
        },
        timeout,
      );

      it(
        'leaks no tensors: numTensors flat across a second fit + predict, and dispose() frees the model',
        async () => {
          const data = await spec.data();
          const x = await spec.input();
          const start = tf.memory().numTensors;
          const m = await spec.create();
          await m.fit(data, fitOpts());
          await predictNumbers(m, x, 'first predict');
          const held = tf.memory().numTensors;
          await m.fit(data, fitOpts());
          await predictNumbers(m, x, 'second predict');
          expect(tf.memory().numTensors, 'tensor count after a second fit + predict').toBe(held);
          m.dispose();
          expect(tf.memory().numTensors, 'tensor count after dispose()').toBeLessThanOrEqual(start);
        },
        timeout,
      );
    },
    spec.backends ? { backends: spec.backends } : {},
  );
}
