import { readFileSync } from 'node:fs';
import { ValueError } from '@astro/core/errors';
import type { Price } from '../metrics/cost.js';
import { resolveTemplate } from '../templates/render.js';
import type { PromptTemplate } from '../templates/types.js';

/** A positive integer option, or a {@link ValueError} naming the flag. */
export function intOpt(v: string | undefined, flag: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ValueError(`--${flag} must be a non-negative integer, got "${v}"`);
  return n;
}

/** A finite number option. */
export function numOpt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ValueError(`--${flag} must be a number, got "${v}"`);
  return n;
}

/** `--template NAME` (built-in) or `--template FILE.json` (a template object). */
export function templateOpt(v: string | undefined): PromptTemplate {
  if (v === undefined) return resolveTemplate('astromlab1');
  if (v.endsWith('.json')) return resolveTemplate(JSON.parse(readFileSync(v, 'utf8')) as PromptTemplate);
  return resolveTemplate(v);
}

/**
 * Price from `--price-in/--price-out` (US$ per million tokens) or from `--prices FILE.json`, a
 * table `{ "<model>": { "inputPerMTok": 3, "outputPerMTok": 15 } }` looked up by model name.
 */
export function priceOpt(values: { 'price-in'?: string; 'price-out'?: string; prices?: string }, model: string): Price | undefined {
  const pin = numOpt(values['price-in'], 'price-in');
  const pout = numOpt(values['price-out'], 'price-out');
  if (pin !== undefined || pout !== undefined) return { inputPerMTok: pin ?? 0, outputPerMTok: pout ?? 0 };
  if (!values.prices) return undefined;
  const table = JSON.parse(readFileSync(values.prices, 'utf8')) as Record<string, Price>;
  return table[model];
}
