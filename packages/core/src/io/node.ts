/**
 * Thin Node file helpers. They reach `node:fs` through `process.getBuiltinModule` at call
 * time, so importing `@astro/core/io` in a browser bundle pulls in nothing from Node; calling
 * them outside Node throws a clear error.
 */
import { AstroError } from '../errors/index.js';

type Fs = typeof import('node:fs/promises');

function fs(): Fs {
  const p = typeof process !== 'undefined' ? process : undefined;
  if (!p?.getBuiltinModule) {
    throw new AstroError('NODE_ONLY', 'file helpers need Node (>= 20.16); in a browser, fetch the bytes and use the parse functions');
  }
  return p.getBuiltinModule('node:fs/promises') as Fs;
}

/** Read a whole file as bytes (Node only). */
export async function readBytes(path: string): Promise<Uint8Array> {
  const buf = await fs().readFile(path);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Write bytes to a file, creating or replacing it (Node only). */
export async function writeBytes(path: string, bytes: Uint8Array): Promise<void> {
  await fs().writeFile(path, bytes);
}
