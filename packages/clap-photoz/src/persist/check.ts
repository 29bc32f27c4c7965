import { FormatError } from '@astro/core';

/** A JSON object field of a saved config, or a {@link FormatError} naming the field. */
export function objectField(o: unknown, key: string, where: string): Record<string, unknown> {
  const v = (o as Record<string, unknown> | null)?.[key];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FormatError(where, `'${key}' must be an object`);
  return v as Record<string, unknown>;
}

/** A finite number field of a saved config, or a {@link FormatError} naming the field. */
export function numberField(o: Record<string, unknown>, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new FormatError(where, `'${key}' must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

/** An array of finite numbers (optionally of a given length), or a {@link FormatError} naming the field. */
export function numberArray(v: unknown, what: string, where: string, length?: number): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x)))
    throw new FormatError(where, `${what} must be an array of finite numbers`);
  if (length !== undefined && v.length !== length) throw new FormatError(where, `${what} must hold ${length} numbers, got ${v.length}`);
  return v as number[];
}
