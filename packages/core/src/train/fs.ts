import { AstroError, FileError } from '../errors/index.js';

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

const ERRNO: Record<string, string> = {
  ENOENT: 'does not exist',
  ENOTDIR: 'a parent of it is not a folder',
  EISDIR: 'is a folder, expected a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'is on a read-only file system',
  ENOSPC: 'no space left on the device',
};

/** A Node file-system error as a {@link FileError} naming `path` (other errors unchanged). */
export function asFileError(e: unknown, path: string): unknown {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ERRNO[code] ? new FileError(path, ERRNO[code], { cause: e }) : e;
}

/**
 * Write `data` to `file` atomically: into a temporary sibling (same folder, so the rename never
 * crosses file systems), then rename over `file`, so readers never see a partial file. Creates
 * the parent folder. The temporary file is removed if anything fails; file-system failures are
 * {@link FileError}s naming the path. Node only.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const { fs, path } = nodeFs();
  const dir = path.dirname(file);
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw asFileError(e, dir);
  }
  const tmp = path.join(
    dir,
    `.${path.basename(file)}.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  );
  try {
    await fs.writeFile(tmp, data);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw asFileError(e, file);
  }
}

/**
 * `'dir'`: check that `path` is an existing folder (returns an empty array). `'file'`: read a
 * regular file's bytes. Missing paths, a folder where a file is expected and so on are
 * {@link FileError}s naming the path. Node only.
 */
export async function readFileChecked(path: string, what: 'file' | 'dir'): Promise<Uint8Array> {
  const { fs } = nodeFs();
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    throw asFileError(e, path);
  }
  if (what === 'dir') {
    if (!st.isDirectory()) throw new FileError(path, 'is not a folder (a saved model is a folder with config.json and model.safetensors)');
    return new Uint8Array(0);
  }
  if (st.isDirectory()) throw new FileError(path, 'is a folder, expected a file');
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw asFileError(e, path);
  }
}
