import { AstroError } from '../errors/index.js';

type Fs = typeof import('node:fs/promises');
type Path = typeof import('node:path');

/** `node:fs/promises` and `node:path`, reached at call time so browser bundles stay clean. */
export function nodeFs(): { fs: Fs; path: Path } {
  const p = typeof process !== 'undefined' ? process : undefined;
  if (!p?.getBuiltinModule) {
    throw new AstroError('NODE_ONLY', 'saving to disk needs Node (>= 20.16); in a browser use the in-memory encode/decode functions');
  }
  return { fs: p.getBuiltinModule('node:fs/promises') as Fs, path: p.getBuiltinModule('node:path') as Path };
}

/** Write `bytes` to `file` through a temporary sibling and a rename, so readers never see a partial file. */
export async function writeFileAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const { fs, path } = nodeFs();
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  await fs.writeFile(tmp, bytes);
  await fs.rename(tmp, file);
}
