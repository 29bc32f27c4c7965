import type * as tf from '@tensorflow/tfjs-core';
import { ValueError } from '../errors/index.js';

/**
 * Selects parameters by their dotted name: a `RegExp` tested against the name, a glob
 * string (`*` matches within one dotted segment, `**` across segments, e.g. `'**.bias'`,
 * `'blocks.*.attn.*.weight'`), or a predicate.
 */
export type ParamMatcher = RegExp | string | ((name: string, param: tf.Variable) => boolean);

/**
 * One parameter group: the parameters it selects get their own learning-rate multiplier
 * and weight decay (as PyTorch's `param_groups`). Rules are tried in order; the first that
 * matches a parameter wins; unmatched parameters use the optimiser's defaults.
 */
export interface ParamGroupRule {
  /** Which parameters belong to this group. */
  match: ParamMatcher;
  /** Label used in errors and in the serialised state (default `group<i>`). */
  name?: string;
  /**
   * Multiplier on the optimiser's learning rate (default 1). A function gives one per
   * parameter name, e.g. muP's per-parameter multipliers.
   */
  lrMultiplier?: number | ((name: string) => number);
  /** Decoupled weight decay (AdamW) or L2 penalty (SGD) for this group; defaults to the optimiser's. */
  weightDecay?: number;
}

/** A parameter with the hyper-parameters its group resolved to. */
export interface ResolvedParam {
  name: string;
  variable: tf.Variable;
  group: string;
  lrMultiplier: number;
  weightDecay: number;
}

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^.]*';
    } else re += c.replace(/[\\^$+?.()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Compile a {@link ParamMatcher} into a predicate. */
export function compileMatcher(m: ParamMatcher): (name: string, param: tf.Variable) => boolean {
  if (typeof m === 'function') return m;
  const re = typeof m === 'string' ? globToRegExp(m) : m;
  return (name) => {
    re.lastIndex = 0;
    return re.test(name);
  };
}

function checkHyper(v: number, what: string): void {
  if (!Number.isFinite(v) || v < 0) throw new ValueError(`${what} must be a finite number ≥ 0, got ${v}`);
}

/**
 * Assign every named parameter to its group. Throws a {@link ValueError} on duplicate names,
 * an empty parameter list, or a negative/non-finite multiplier or decay.
 */
export function resolveGroups(
  params: Iterable<readonly [string, tf.Variable]>,
  defaults: { weightDecay: number },
  rules: readonly ParamGroupRule[] = [],
): ResolvedParam[] {
  const compiled = rules.map((r, i) => ({ rule: r, test: compileMatcher(r.match), label: r.name ?? `group${i}` }));
  const out: ResolvedParam[] = [];
  const seen = new Set<string>();
  for (const [name, variable] of params) {
    if (seen.has(name)) throw new ValueError(`parameter '${name}' is listed twice`);
    seen.add(name);
    const hit = compiled.find((c) => c.test(name, variable));
    const rule = hit?.rule;
    const mult = rule?.lrMultiplier === undefined ? 1 : typeof rule.lrMultiplier === 'number' ? rule.lrMultiplier : rule.lrMultiplier(name);
    const wd = rule?.weightDecay ?? defaults.weightDecay;
    checkHyper(mult, `lrMultiplier of '${name}'`);
    checkHyper(wd, `weightDecay of '${name}'`);
    out.push({ name, variable, group: hit?.label ?? 'default', lrMultiplier: mult, weightDecay: wd });
  }
  if (out.length === 0) throw new ValueError('the optimiser was given no parameters');
  return out;
}
