import { AstroError, FormatError } from '@astro/core';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** `node:fs/promises` and `node:path`, reached at call time so browser bundles stay free of Node. */
export function nodeFiles(): { fs: Fs; path: Path } {
  const p = typeof process !== 'undefined' ? process : undefined;
  if (!p?.getBuiltinModule) throw new AstroError('NODE_ONLY', 'saving and loading model directories needs Node ≥ 20.16; in a browser use the in-memory toFiles/fromFiles');
  return { fs: p.getBuiltinModule('node:fs/promises') as Fs, path: p.getBuiltinModule('node:path') as Path };
}

/** Write named files into a directory (created if needed), each through a temporary sibling and a rename. */
export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  const { fs, path } = nodeFiles();
  await fs.mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) {
    const file = path.join(dir, name);
    const tmp = `${file}.tmp-${process.pid}`;
    await fs.writeFile(tmp, bytes);
    await fs.rename(tmp, file);
  }
}

/** Read a file of a saved-model directory; a missing file is a {@link FormatError} naming it. */
export async function readFileIn(dir: string, name: string, as: 'utf8'): Promise<string>;
export async function readFileIn(dir: string, name: string): Promise<Uint8Array>;
export async function readFileIn(dir: string, name: string, as?: 'utf8'): Promise<string | Uint8Array> {
  const { fs, path } = nodeFiles();
  const file = path.join(dir, name);
  try {
    if (as) return await fs.readFile(file, 'utf8');
    const b = await fs.readFile(file);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new FormatError(file, `missing: a saved model directory holds ${name}`);
    throw e;
  }
}
