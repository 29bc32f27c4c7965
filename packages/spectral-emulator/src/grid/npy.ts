import { FormatError } from '@astro/core';
import { readNpy } from '@astro/core/io';

/** A `.npy` array widened to float64 (row-major). */
export interface NpyFloat {
  shape: number[];
  data: Float64Array;
}

/**
 * Read a real-valued or boolean `.npy` file with `@astro/core/io` and widen it to float64
 * (bools become 0/1). Integer files that do not fit exactly are refused.
 * @throws {FormatError} for a corrupt file or a complex/64-bit-integer dtype.
 */
export async function readNpyFloat(path: string): Promise<NpyFloat> {
  let a;
  try {
    a = await readNpy(path);
  } catch (e) {
    // name the file in the message: a parser error alone does not say which input was bad
    if (e instanceof FormatError && !e.message.includes(path))
      throw new FormatError('npy', `${path}: ${e.message.replace(/^npy: /, '')}`, { cause: e });
    throw e;
  }
  const d = a.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    throw new FormatError('npy', `${path}: 64-bit integer data (${a.dtype}) is not a float array`);
  }
  return { shape: a.shape, data: d instanceof Float64Array ? d : Float64Array.from(d) };
}
