import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, SchemaError, ValueError } from '../errors/index.js';
import { clipGradNorm } from './clip.js';
import { resolveGroups, type ParamGroupRule, type ResolvedParam } from './groups.js';
import type { LrSchedule } from './schedules.js';

/** Options shared by every optimiser. */
export interface OptimizerOptions {
  /** Learning rate, or a schedule giving it per step (see `warmupCosine`). */
  lr: number | LrSchedule;
  /** Default weight decay for parameters no group rule sets (default 0). */
  weightDecay?: number;
  /** Parameter groups with their own lr multiplier / weight decay; first matching rule wins. */
  groups?: readonly ParamGroupRule[];
  /**
   * Extra per-parameter learning-rate multipliers keyed by dotted name, applied on top of the
   * group's, e.g. `mupLrMultipliers(model, { width, baseWidth })` from `@astro/core/nn`.
   * Every parameter must have an entry (a missing one would silently train at the wrong rate).
   */
  lrMultipliers?: Readonly<Record<string, number>>;
  /** Clip the global gradient norm to this value before each step (see `clipGradNorm`). */
  clipGradNorm?: number;
}

/**
 * JSON-serialisable part of an optimiser's state. Together with the tensors of
 * {@link OptimizerState} it restores the optimiser exactly.
 */
export interface OptimizerStateMeta {
  /** Optimiser class, e.g. `'AdamW'`. */
  kind: string;
  /** Number of completed `step()` calls (the schedule position). */
  step: number;
  /** Per-parameter update counts (parameters without a gradient in a step are not updated). */
  paramSteps: Record<string, number>;
  /**
   * Hyper-parameters the state was built with (e.g. `betas`, `eps`, and per parameter its
   * lr multiplier and weight decay). Loading into an optimiser configured differently
   * throws, since the continued run would not be the one that was saved.
   */
  hyper?: Record<string, unknown>;
}

/** An optimiser's full state: metadata plus named tensors (e.g. `exp_avg.<param>`). */
export interface OptimizerState {
  meta: OptimizerStateMeta;
  tensors: Record<string, tf.Tensor>;
}

/** Result of {@link Optimizer.minimize}. */
export interface StepResult {
  /** Loss value before the update (owned by the caller). */
  loss: tf.Scalar;
  /** Global gradient norm before clipping (owned by the caller); present when clipping is on. */
  gradNorm?: tf.Scalar;
}

/**
 * Base class of the optimisers: holds the named parameters resolved into groups, the step
 * count, and per-parameter state tensors (non-trainable `tf.Variable`s updated in place,
 * so the live tensor count stays flat across steps).
 */
export abstract class Optimizer {
  /** Parameters with their group's lr multiplier and weight decay, in the order given. */
  readonly params: readonly ResolvedParam[];
  /** Number of completed steps (position in the learning-rate schedule). */
  get stepCount(): number {
    return this.steps;
  }
  /** Clip threshold for the global gradient norm, if any. */
  readonly maxGradNorm: number | undefined;
  protected steps = 0;
  protected readonly paramSteps = new Map<string, number>();
  /** State tensors by slot (`exp_avg`, …) then parameter name. */
  protected readonly slots = new Map<string, Map<string, tf.Variable>>();
  private readonly schedule: LrSchedule;
  private readonly byVarName = new Map<string, ResolvedParam>();

  /** Short class name stored in the serialised state. */
  abstract readonly kind: string;

  constructor(params: Iterable<readonly [string, tf.Variable]>, opts: OptimizerOptions) {
    const wd = opts.weightDecay ?? 0;
    const resolved = resolveGroups(params, { weightDecay: wd }, opts.groups);
    if (opts.lrMultipliers) applyMultipliers(resolved, opts.lrMultipliers);
    this.params = resolved;
    if (typeof opts.lr === 'number') {
      const lr = opts.lr;
      if (!Number.isFinite(lr) || lr < 0) throw new ValueError(`lr must be a finite number ≥ 0, got ${lr}`);
      this.schedule = () => lr;
    } else this.schedule = opts.lr;
    if (opts.clipGradNorm !== undefined && !(opts.clipGradNorm > 0)) {
      throw new ValueError(`clipGradNorm must be > 0, got ${opts.clipGradNorm}`);
    }
    this.maxGradNorm = opts.clipGradNorm;
    for (const p of this.params) {
      this.byVarName.set(p.variable.name, p);
      this.paramSteps.set(p.name, 0);
    }
  }

  /** Learning rate (before group multipliers) of the next update, from the schedule. */
  currentLr(): number {
    return this.schedule(this.steps);
  }

  /** Learning rate (before group multipliers) the schedule gives the update after `step` completed ones. */
  lrAt(step: number): number {
    return this.schedule(step);
  }

  /** Create a zero-initialised state slot for every parameter. */
  protected addSlot(slot: string): void {
    const m = new Map<string, tf.Variable>();
    for (const p of this.params) {
      const z = tf.zerosLike(p.variable);
      m.set(p.name, tf.variable(z, false));
      z.dispose();
    }
    this.slots.set(slot, m);
  }

  /** The state tensor `slot` of parameter `name`. */
  protected slot(slot: string, name: string): tf.Variable {
    const v = this.slots.get(slot)?.get(name);
    if (!v) throw new ValueError(`optimiser has no state '${slot}' for '${name}'`);
    return v;
  }

  /** Class-specific hyper-parameters recorded in the state (e.g. `{ betas, eps }`). */
  protected abstract classHyper(): Record<string, unknown>;

  private hyper(): Record<string, unknown> {
    const params: Record<string, [number, number]> = {};
    for (const p of this.params) params[p.name] = [p.lrMultiplier, p.weightDecay];
    return { ...this.classHyper(), 'params (lrMultiplier, weightDecay)': params };
  }

  /** Update one parameter in place; `t` is its 1-based update count, `lr` its learning rate. */
  protected abstract update(p: ResolvedParam, grad: tf.Tensor, lr: number, t: number): void;

  /**
   * Apply one update from gradients keyed by dotted parameter name (parameters without a
   * gradient are left untouched, as in PyTorch). Gradients are not disposed.
   */
  step(grads: Record<string, tf.Tensor>): void {
    const known = new Set(this.params.map((p) => p.name));
    for (const k of Object.keys(grads)) {
      if (!known.has(k)) throw new ValueError(`gradient for unknown parameter '${k}'`);
    }
    const lr = this.currentLr();
    if (!Number.isFinite(lr) || lr < 0) throw new ValueError(`schedule gave lr ${lr} at step ${this.steps}`);
    for (const p of this.params) {
      const g = grads[p.name];
      if (!g) continue;
      if (!sameShape(g.shape, p.variable.shape)) {
        throw new ShapeError(`gradient of '${p.name}' has shape [${g.shape}] but the parameter is [${p.variable.shape}]`);
      }
      const t = (this.paramSteps.get(p.name) ?? 0) + 1;
      this.paramSteps.set(p.name, t);
      tf.tidy(() => this.update(p, g, lr * p.lrMultiplier, t));
    }
    this.steps++;
  }

  /**
   * Loss and gradients of every trainable parameter, keyed by dotted name (both owned by
   * the caller). Nothing is updated; pair with {@link Optimizer.applyGradients}.
   */
  valueAndGrads(lossFn: () => tf.Scalar): { loss: tf.Scalar; grads: Record<string, tf.Tensor> } {
    const vars = this.params.filter((p) => p.variable.trainable).map((p) => p.variable);
    if (vars.length === 0) throw new ValueError('every parameter is frozen: nothing to optimise');
    const { value, grads } = tf.variableGrads(lossFn, vars);
    const named: Record<string, tf.Tensor> = {};
    for (const [vn, g] of Object.entries(grads)) {
      const p = this.byVarName.get(vn);
      if (p) named[p.name] = g;
      else g.dispose();
    }
    return { loss: value, grads: named };
  }

  /**
   * Clip (when `clipGradNorm` is set) and apply gradients keyed by dotted name. Returns the
   * pre-clip global norm when clipping (owned by the caller). Gradients are not disposed.
   */
  applyGradients(grads: Record<string, tf.Tensor>): tf.Scalar | undefined {
    if (this.maxGradNorm === undefined) {
      this.step(grads);
      return undefined;
    }
    const clipped = clipGradNorm(grads, this.maxGradNorm);
    try {
      this.step(clipped.grads);
    } catch (e) {
      clipped.totalNorm.dispose();
      throw e;
    } finally {
      tf.dispose(Object.values(clipped.grads));
    }
    return clipped.totalNorm;
  }

  /**
   * Compute the loss and the gradients of every trainable parameter, clip them when
   * `clipGradNorm` is set, and apply one step. Intermediate tensors are disposed.
   */
  minimize(lossFn: () => tf.Scalar): StepResult {
    const { loss, grads } = this.valueAndGrads(lossFn);
    try {
      const gradNorm = this.applyGradients(grads);
      return gradNorm ? { loss, gradNorm } : { loss };
    } catch (e) {
      loss.dispose();
      throw e;
    } finally {
      tf.dispose(Object.values(grads));
    }
  }

  /** Snapshot of the state (tensor clones owned by the caller). */
  stateDict(): OptimizerState {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [slot, m] of this.slots) for (const [n, v] of m) tensors[`${slot}.${n}`] = v.clone();
    return {
      meta: { kind: this.kind, step: this.steps, paramSteps: Object.fromEntries(this.paramSteps), hyper: this.hyper() },
      tensors,
    };
  }

  /**
   * Restore a state from {@link Optimizer.stateDict}. Checks the kind ({@link SchemaError}),
   * that every parameter and slot is present with the right shape ({@link ShapeError});
   * nothing is changed unless everything matches. The given tensors are not disposed.
   */
  loadStateDict(state: OptimizerState): void {
    if (state.meta.kind !== this.kind) {
      throw new SchemaError(`optimiser state is for '${state.meta.kind}', not '${this.kind}'`);
    }
    if (!Number.isInteger(state.meta.step) || state.meta.step < 0) {
      throw new ValueError(`optimiser state has an invalid step ${state.meta.step}`);
    }
    if (state.meta.hyper !== undefined) {
      const mine = this.hyper();
      for (const [k, v] of Object.entries(state.meta.hyper)) {
        if (JSON.stringify(v) !== JSON.stringify(mine[k])) {
          throw new ValueError(
            `optimiser state was saved with ${k} = ${JSON.stringify(v)} but this optimiser has ${JSON.stringify(mine[k])}`,
          );
        }
      }
    }
    const problems: string[] = [];
    for (const p of this.params) {
      const s = state.meta.paramSteps[p.name];
      if (s === undefined || !Number.isInteger(s) || s < 0) problems.push(`no step count for '${p.name}'`);
    }
    const expected = new Set<string>();
    for (const [slot, m] of this.slots) {
      for (const [n, v] of m) {
        const key = `${slot}.${n}`;
        expected.add(key);
        const t = state.tensors[key];
        if (!t) problems.push(`missing '${key}'`);
        else if (!sameShape(t.shape, v.shape)) problems.push(`'${key}' has shape [${t.shape}], expected [${v.shape}]`);
      }
    }
    for (const k of Object.keys(state.tensors)) if (!expected.has(k)) problems.push(`unexpected '${k}'`);
    if (problems.length) throw new ShapeError(`optimiser loadStateDict: ${problems.join('; ')}`);
    for (const [slot, m] of this.slots) {
      for (const [n, v] of m) {
        const t = state.tensors[`${slot}.${n}`]!;
        tf.tidy(() => v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype)));
      }
    }
    this.steps = state.meta.step;
    for (const p of this.params) this.paramSteps.set(p.name, state.meta.paramSteps[p.name]!);
  }

  /** Free the state tensors (the parameters belong to the model and are kept). */
  dispose(): void {
    for (const m of this.slots.values()) for (const v of m.values()) v.dispose();
    this.slots.clear();
  }
}

function applyMultipliers(params: ResolvedParam[], mult: Readonly<Record<string, number>>): void {
  const names = new Set(params.map((p) => p.name));
  const unknown = Object.keys(mult).filter((k) => !names.has(k));
  if (unknown.length) throw new ValueError(`lrMultipliers names unknown parameters: ${unknown.join(', ')}`);
  for (const p of params) {
    const m = mult[p.name];
    if (m === undefined) throw new ValueError(`lrMultipliers has no entry for '${p.name}'`);
    if (!Number.isFinite(m) || m < 0) throw new ValueError(`lrMultipliers['${p.name}'] must be finite and ≥ 0, got ${m}`);
    p.lrMultiplier *= m;
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
