import * as tf from '@tensorflow/tfjs-core';
import { ShapeError, AstroError } from '../errors/index.js';
import type { ParamRole } from './roles.js';

/**
 * Base class of every neural-network layer and model, modelled on `torch.nn.Module`:
 * parameters are `tf.Variable`s registered under PyTorch-style dotted names
 * (`blocks.0.attn.q.weight`), so state dicts move to and from PyTorch checkpoints.
 *
 * Subclasses register parameters with {@link Module.param} and children with
 * {@link Module.child} in their constructor, and implement `forward`.
 */
export abstract class Module {
  /** Training mode (dropout active) vs evaluation mode. */
  training = true;
  private readonly ownParams = new Map<string, tf.Variable>();
  private readonly ownChildren = new Map<string, Module>();
  private readonly frozen = new Set<string>();
  private readonly ownRoles = new Map<string, ParamRole>();

  /**
   * Register a trainable parameter initialised from `init` (which is kept, not copied).
   * `role` tells muP how to scale its learning rate (see {@link mupLrMultipliers}); when
   * omitted it is `'bias'` for rank-1 parameters and `'hidden'` otherwise.
   */
  protected param(name: string, init: tf.Tensor, role?: ParamRole): tf.Variable {
    if (name.includes('.')) throw new AstroError('BAD_NAME', `parameter name '${name}' may not contain '.'`);
    if (this.ownParams.has(name) || this.ownChildren.has(name)) {
      throw new AstroError('BAD_NAME', `'${name}' is already registered on ${this.constructor.name}`);
    }
    const v = tf.variable(init, true);
    init.dispose();
    this.ownParams.set(name, v);
    this.ownRoles.set(name, role ?? (v.rank <= 1 ? 'bias' : 'hidden'));
    return v;
  }

  /** Register a sub-module; its parameters appear as `name.<param>`. */
  protected child<M extends Module>(name: string, module: M): M {
    if (name.includes('.')) throw new AstroError('BAD_NAME', `module name '${name}' may not contain '.'`);
    if (this.ownParams.has(name) || this.ownChildren.has(name)) {
      throw new AstroError('BAD_NAME', `'${name}' is already registered on ${this.constructor.name}`);
    }
    this.ownChildren.set(name, module);
    return module;
  }

  /** Direct children, in registration order. */
  children(): [string, Module][] {
    return [...this.ownChildren.entries()];
  }

  /** Every parameter with its dotted name, depth-first in registration order. */
  namedParameters(prefix = ''): [string, tf.Variable][] {
    const out: [string, tf.Variable][] = [];
    for (const [n, v] of this.ownParams) out.push([prefix + n, v]);
    for (const [n, m] of this.ownChildren) out.push(...m.namedParameters(`${prefix}${n}.`));
    return out;
  }

  /** Every parameter's muP role with its dotted name, in the order of {@link Module.namedParameters}. */
  namedParameterRoles(prefix = ''): [string, ParamRole][] {
    const out: [string, ParamRole][] = [];
    for (const [n, r] of this.ownRoles) out.push([prefix + n, r]);
    for (const [n, m] of this.ownChildren) out.push(...m.namedParameterRoles(`${prefix}${n}.`));
    return out;
  }

  /** Parameters that receive gradients (not frozen with {@link Module.freeze}). */
  trainableParameters(): [string, tf.Variable][] {
    return this.namedParameters().filter(([, v]) => v.trainable);
  }

  /** All parameters, without names. */
  parameters(): tf.Variable[] {
    return this.namedParameters().map(([, v]) => v);
  }

  /** Total number of scalar parameters. */
  numParameters(): number {
    return this.parameters().reduce((s, v) => s + v.size, 0);
  }

  /** Stop gradients to every parameter of this module (a frozen backbone). */
  freeze(): this {
    for (const [n, v] of this.namedParameters()) {
      v.trainable = false;
      this.frozen.add(n);
    }
    return this;
  }

  /** Undo {@link Module.freeze}. */
  unfreeze(): this {
    for (const [, v] of this.namedParameters()) v.trainable = true;
    this.frozen.clear();
    return this;
  }

  /** Set training mode here and in every child. */
  train(mode = true): this {
    this.training = mode;
    for (const [, m] of this.ownChildren) m.train(mode);
    return this;
  }

  /** Evaluation mode (dropout off). */
  eval(): this {
    return this.train(false);
  }

  /** Snapshot of every parameter (clones, owned by the caller). */
  stateDict(): Record<string, tf.Tensor> {
    const out: Record<string, tf.Tensor> = {};
    for (const [n, v] of this.namedParameters()) out[n] = v.clone();
    return out;
  }

  /**
   * Assign parameters from a state dict. With `strict` (default) missing or unexpected
   * names and any shape mismatch throw a {@link ShapeError} naming the parameter; nothing
   * is assigned unless everything matches.
   */
  loadStateDict(dict: Record<string, tf.Tensor>, opts: { strict?: boolean } = {}): void {
    const strict = opts.strict ?? true;
    const params = new Map(this.namedParameters());
    const problems: string[] = [];
    for (const [n, v] of params) {
      const t = dict[n];
      if (!t) {
        if (strict) problems.push(`missing '${n}'`);
        continue;
      }
      if (t.shape.length !== v.shape.length || t.shape.some((d, i) => d !== v.shape[i])) {
        problems.push(`'${n}' has shape [${t.shape}] but the module expects [${v.shape}]`);
      }
    }
    if (strict) for (const n of Object.keys(dict)) if (!params.has(n)) problems.push(`unexpected '${n}'`);
    if (problems.length) throw new ShapeError(`loadStateDict: ${problems.join('; ')}`);
    for (const [n, v] of params) {
      const t = dict[n];
      if (t) v.assign(t.dtype === v.dtype ? t : tf.cast(t, v.dtype));
    }
  }

  /** Free every parameter's memory. The module is unusable afterwards. */
  dispose(): void {
    for (const v of this.parameters()) v.dispose();
  }
}

/**
 * An indexed list of sub-modules, like `torch.nn.ModuleList`: item `i` owns the names
 * `i.<param>`, so a list registered as `layers` gives `layers.0.weight`, `layers.1.weight`, ….
 */
export class ModuleList<M extends Module = Module> extends Module {
  private readonly items: M[];
  constructor(items: readonly M[]) {
    super();
    this.items = items.map((m, i) => this.child(String(i), m));
  }
  /** Number of modules. */
  get length(): number {
    return this.items.length;
  }
  /** The `i`-th module; throws a RangeError outside [0, length). */
  at(i: number): M {
    const m = this.items[i];
    if (!m) throw new RangeError(`ModuleList index ${i} out of range [0, ${this.items.length})`);
    return m;
  }
  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }
}
