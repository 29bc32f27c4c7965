import { FormatError } from '@astro/core/errors';
import { readInputText } from '@astro/core/cli';
import type { Price } from '../metrics/cost.js';
import { resolveTemplate } from '../templates/render.js';
import type { PromptTemplate } from '../templates/types.js';

async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readInputText(path);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new FormatError(path, `${what} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

/** `--template NAME` (built-in) or `--template FILE.json` (a template object, checked). */
export async function templateOpt(v: string | undefined): Promise<PromptTemplate> {
  if (v === undefined) return resolveTemplate('astromlab1');
  if (v.endsWith('.json')) return resolveTemplate((await readJson(v, 'template')) as PromptTemplate);
  return resolveTemplate(v);
}

/**
 * Price from `--price-in/--price-out` (US$ per million tokens) or from `--prices FILE.json`, a
 * table `{ "<model>": { "inputPerMTok": 3, "outputPerMTok": 15 } }` looked up by model name.
 */
export async function priceOpt(
  values: { 'price-in'?: number | undefined; 'price-out'?: number | undefined; prices?: string | undefined },
  model: string,
): Promise<Price | undefined> {
  const pin = values['price-in'];
  const pout = values['price-out'];
  if (pin !== undefined || pout !== undefined) return { inputPerMTok: pin ?? 0, outputPerMTok: pout ?? 0 };
  if (!values.prices) return undefined;
  const table = await readJson(values.prices, 'price table');
  if (table === null || typeof table !== 'object' || Array.isArray(table))
    throw new FormatError(values.prices, 'price table must be a JSON object keyed by model name');
  const p = (table as Record<string, Price>)[model];
  if (p !== undefined && !(typeof p === 'object' && p !== null && p.inputPerMTok >= 0 && p.outputPerMTok >= 0)) {
    throw new FormatError(values.prices, `price of "${model}" needs inputPerMTok and outputPerMTok ≥ 0`);
  }
  return p;
}
