import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, ValueError } from '../errors/index.js';
import type { Module } from '../nn/module.js';
import { stochasticLayers } from './stochastic.js';

/**
 * What {@link fit} trains: one module (`model`), several named modules
 * (`{ spectra: encA, photometry: encB }`, whose parameters are saved as `spectra.<param>`,
 * `photometry.<param>`), or `null` when only `params` are given.
 */
export type FitModel = Module | Readonly<Record<string, Module>> | null;

/** Variables to train, by name: a record or `[name, variable]` pairs (e.g. `module.namedParameters()`). */
export type NamedVariables = Readonly<Record<string, tf.Variable>> | Iterable<readonly [string, tf.Variable]>;

/** The training loop's view of a model: every variable it saves, the ones it trains, modes, masks. */
export interface Trainee {
  /** Variables saved in checkpoints and best-weights snapshots (modules' parameters, then extra `params`). */
  named: [string, tf.Variable][];
  /** Variables the default optimiser trains. */
  trainable: [string, tf.Variable][];
  /** Set training/evaluation mode of every module. */
  setTraining(mode: boolean): void;
  /** Mode of the first module (restored at the end). */
  wasTraining: boolean;
  /** Layers with `reseed(seed)`, depth-first. */
  stochastic: { reseed(seed: number): void }[];
  /** The single module's `forward`, when it has one. */
  forward?: (x: tf.Tensor) => tf.Tensor;
}

function isModule(m: unknown): m is Module {
  return typeof (m as Module | null)?.namedParameters === 'function' && typeof (m as Module).train === 'function';
}

/** Build the loop's view of `model` and `params`; {@link ValueError} when there is nothing to train. */
export function makeTrainee(model: FitModel | undefined, params: NamedVariables | undefined): Trainee {
  const modules: [string, Module][] = [];
  if (model == null) {
    // nothing
  } else if (isModule(model)) modules.push(['', model]);
  else if (typeof model === 'object') {
    for (const [k, m] of Object.entries(model)) {
      if (!isModule(m)) throw new ValueError(`fit: model.${k} is not a Module`);
      if (k === '' || k.includes('.')) throw new ValueError(`fit: module name '${k}' must be non-empty without '.'`);
      modules.push([`${k}.`, m]);
    }
  } else throw new ValueError(`fit: model must be a Module, a record of Modules or null, got ${typeof model}`);

  const named: [string, tf.Variable][] = [];
  for (const [prefix, m] of modules) named.push(...m.namedParameters(prefix));
  let trainable = named.filter(([, v]) => v.trainable);
  if (params !== undefined) {
    const entries: [string, tf.Variable][] =
      Symbol.iterator in Object(params)
        ? [...(params as Iterable<readonly [string, tf.Variable]>)].map(([n, v]) => [n, v])
        : Object.entries(params as Record<string, tf.Variable>);
    const byName = new Map(named);
    const seen = new Set(named.map(([, v]) => v));
    for (const [n, v] of entries) {
      if (!(v instanceof tf.Variable)) throw new ValueError(`fit: params '${n}' is not a tf.Variable`);
      const other = byName.get(n);
      if (other && other !== v) throw new ValueError(`fit: params '${n}' names a different variable than the model's '${n}'`);
      if (!seen.has(v)) {
        named.push([n, v]);
        seen.add(v);
        byName.set(n, v);
      }
    }
    trainable = entries;
  }
  if (named.length === 0) throw new ValueError('fit: nothing to train: give a model with parameters or params');
  const first = modules[0]?.[1];
  const single = modules.length === 1 && modules[0]![0] === '' ? first : undefined;
  const fwd = (single as { forward?: unknown } | undefined)?.forward;
  const t: Trainee = {
    named,
    trainable,
    setTraining: (mode) => {
      for (const [, m] of modules) m.train(mode);
    },
    wasTraining: first?.training ?? true,
    stochastic: modules.flatMap(([, m]) => stochasticLayers(m)),
  };
  if (typeof fwd === 'function') t.forward = (x) => (fwd as (x: tf.Tensor) => tf.Tensor).call(single, x);
  return t;
}

/** Snapshot of `named` variables (clones, owned by the caller). */
export function snapshotNamed(named: [string, tf.Variable][]): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [n, v] of named) out[n] = v.clone();
  return out;
}

/**
 * Assign every variable from `dict` (strict: missing, unexpected or mis-shaped entries throw a
 * {@link ShapeError} naming them, before anything is assigned).
 */
export function assignNamed(named: [string, tf.Variable][], dict: Record<string, tf.Tensor>, what: string): void {
  const problems: string[] = [];
  const names = new Set(named.map(([n]) => n));
  for (const [n, v] of named) {
    const t = dict[n];
    if (!t) problems.push(`missing '${n}'`);
    else if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
      problems.push(`'${n}' has shape [${t.shape}] but the model expects [${v.shape}]`);
    }
  }
  for (const n of Object.keys(dict)) if (!names.has(n)) problems.push(`unexpected '${n}'`);
  if (problems.length) throw new ShapeError(`${what}: ${problems.join('; ')}`);
  for (const [n, v] of named) {
    const t = dict[n]!;
    v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype));
  }
}

/** Every tensor in a batch: the batch itself, or inside arrays and plain objects (three levels deep). */
export function tensorsIn(batch: unknown, depth = 0, out: tf.Tensor[] = []): tf.Tensor[] {
  if (batch instanceof tf.Tensor) out.push(batch);
  else if (depth < 3 && batch !== null && typeof batch === 'object') {
    const proto = Object.getPrototypeOf(batch) as unknown;
    if (Array.isArray(batch)) for (const v of batch) tensorsIn(v, depth + 1, out);
    else if (proto === Object.prototype || proto === null) for (const v of Object.values(batch)) tensorsIn(v, depth + 1, out);
  }
  return out;
}

/** Rows of a batch: `x.shape[0]` of an `{x, ...}` batch, else the first axis of its first tensor, else 1. */
export function defaultBatchRows(batch: unknown): number {
  const x = (batch as { x?: unknown } | null)?.x;
  if (x instanceof tf.Tensor) return x.shape[0] ?? 1;
  const first = tensorsIn(batch)[0];
  return first?.shape[0] ?? 1;
}
