/**
 * `.npz` archives: a zip of `.npy` members, stored (`numpy.savez`) or deflated
 * (`numpy.savez_compressed`).
 */
import { FormatError } from '../../errors/index.js';
import { readBytes } from '../node.js';
import { parseNpy, type NpyArray } from './read.js';
import { zipEntries, zipRead } from './zip.js';

/**
 * Parse an `.npz` archive into arrays keyed by name (the member name without `.npy`), in
 * archive order. Pass `names` to decode only some. A corrupt member's {@link FormatError}
 * names the member.
 */
export function parseNpz(bytes: Uint8Array, opts: { names?: readonly string[] } = {}): Record<string, NpyArray> {
  const want = opts.names ? new Set(opts.names) : undefined;
  const out: [string, NpyArray][] = [];
  for (const entry of zipEntries(bytes)) {
    const key = entry.name.endsWith('.npy') ? entry.name.slice(0, -4) : entry.name;
    if (want && !want.has(key)) continue;
    const member = zipRead(bytes, entry);
    try {
      out.push([key, parseNpy(member)]);
    } catch (e) {
      if (e instanceof FormatError) throw new FormatError('npz', `member '${entry.name}': ${e.message}`, { cause: e });
      throw e;
    }
  }
  return Object.fromEntries(out);
}

/** Read and parse an `.npz` file (Node only). */
export async function readNpz(path: string, opts: { names?: readonly string[] } = {}): Promise<Record<string, NpyArray>> {
  return parseNpz(await readBytes(path), opts);
}
