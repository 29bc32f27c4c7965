import { ValueError } from '../errors/index.js';
import type { Module } from './module.js';
import type { ParamRole } from './roles.js';
import { type Initializer, scaled } from './init.js';

/** Width of a model and of the base model its hyper-parameters were tuned at. */
export interface MupWidths {
  /** Width of this model (e.g. d_model). */
  width: number;
  /** Width at which the learning rate and init were tuned. */
  baseWidth: number;
}

/** m = width / baseWidth, checked positive and finite. */
export function widthMultiplier({ width, baseWidth }: MupWidths): number {
  const m = width / baseWidth;
  if (!(m > 0) || !Number.isFinite(m)) {
    throw new ValueError(`muP: width and baseWidth must be positive, got width=${width}, baseWidth=${baseWidth}`);
  }
  return m;
}

/**
 * Adam learning-rate multiplier of a parameter role under muP (Yang et al. 2022, Table 3):
 * input weights, biases and norm gains 1; hidden and output weights 1/m.
 */
export function mupLrMultiplier(role: ParamRole, m: number): number {
  return role === 'hidden' || role === 'output' ? 1 / m : 1;
}

/**
 * Multiplier of the init standard deviation under muP relative to a fan-in-scaled base
 * init (e.g. PyTorch's default or N(0, 1/fanIn)): output (readout) weights get
 * baseWidth/width = 1/m, so their variance falls as 1/fanIn²; every other role gets 1,
 * because fan-in scaling already gives hidden weights the muP variance 1/fanIn.
 */
export function mupInitMultiplier(role: ParamRole, m: number): number {
  return role === 'output' ? 1 / m : 1;
}

/**
 * `base` scaled for muP: for role `'output'` the draws are multiplied by baseWidth/width
 * ({@link mupInitMultiplier}); other roles are returned unchanged.
 */
export function mupInit(base: Initializer, role: ParamRole, widths: MupWidths): Initializer {
  const f = mupInitMultiplier(role, widthMultiplier(widths));
  return f === 1 ? base : scaled(base, f);
}

/**
 * Per-parameter Adam learning-rate multipliers for `module` under muP, keyed by dotted
 * parameter name: input weights 1, hidden and output weights 1/m, biases and norms 1,
 * with m = width/baseWidth. Multiply the base learning rate by these.
 */
export function mupLrMultipliers(module: Module, widths: MupWidths): Record<string, number> {
  const m = widthMultiplier(widths);
  const out: Record<string, number> = {};
  for (const [name, role] of module.namedParameterRoles()) out[name] = mupLrMultiplier(role, m);
  return out;
}
