/**
 * File checks for CLIs and loaders: inputs are checked before parsing (missing, a directory,
 * empty, not UTF-8) and outputs before the work starts (missing or read-only folder), each with a
 * {@link FileError} naming the path. Outputs are written atomically (temporary file, then rename),
 * so an interrupted or failed run never leaves a partial file.
 */
import { FileError, FormatError } from '../errors/index.js';
import { nodeFs, writeFileAtomic } from '../train/fs.js';
import { fileErrorFrom } from './run.js';

/** Check that `path` is an existing, non-empty regular file; returns its size in bytes. */
export async function checkInputFile(path: string, opts: { allowEmpty?: boolean } = {}): Promise<number> {
  const { fs } = nodeFs();
  let st;
  try {
    st = await fs.stat(path);
  } catch (e) {
    throw fileErrorFrom(e, path);
  }
  if (st.isDirectory()) throw new FileError(path, 'is a directory, expected a file');
  if (!st.isFile()) throw new FileError(path, 'is not a regular file');
  if (st.size === 0 && !opts.allowEmpty) throw new FileError(path, 'is empty');
  return st.size;
}

/** Read a whole input file as bytes after {@link checkInputFile}. */
export async function readInputBytes(path: string, opts: { allowEmpty?: boolean } = {}): Promise<Uint8Array> {
  await checkInputFile(path, opts);
  const { fs } = nodeFs();
  try {
    const buf = await fs.readFile(path);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    throw fileErrorFrom(e, path);
  }
}

/**
 * Read a text input file: checked as above and decoded as strict UTF-8; binary content is a
 * {@link FormatError} that names the file and the byte offset.
 */
export async function readInputText(path: string, opts: { allowEmpty?: boolean } = {}): Promise<string> {
  const bytes = await readInputBytes(path, opts);
  return decodeUtf8(bytes, path);
}

/** Decode strict UTF-8, naming `what` (a path) and the first bad byte on failure. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new FormatError(
      'text',
      `${what}: not UTF-8 text (invalid byte 0x${(bytes[at] ?? 0).toString(16).padStart(2, '0')} at offset ${at}); is it a binary file?`,
    );
  }
}

function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}

/**
 * Check, before any work is done, that `path` can be written: its folder exists and is writable,
 * and `path` itself is not a directory. `createParents` allows a missing folder (it will be made).
 */
export async function checkOutputPath(path: string, opts: { createParents?: boolean; directory?: boolean } = {}): Promise<void> {
  const { fs, path: p } = nodeFs();
  const abs = p.resolve(path);
  try {
    const st = await fs.stat(abs);
    if (opts.directory ? !st.isDirectory() : st.isDirectory()) {
      throw new FileError(path, opts.directory ? 'exists and is not a directory' : 'is a directory, expected a file path');
    }
  } catch (e) {
    if (e instanceof FileError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw fileErrorFrom(e, path);
  }
  let dir = p.dirname(abs);
  if (opts.createParents) {
    while (!(await exists(dir)) && p.dirname(dir) !== dir) dir = p.dirname(dir);
  } else if (!(await exists(dir))) {
    throw new FileError(path, `folder ${p.dirname(path) || '.'} does not exist`);
  }
  const st = await fs.stat(dir);
  if (!st.isDirectory()) throw new FileError(path, `${dir} is not a directory`);
  // Permission bits do not bind root, so try the real thing: create and remove a probe file.
  const probe = p.join(dir, `.astro-write-probe-${process.pid}-${Date.now()}`);
  try {
    const h = await fs.open(probe, 'wx');
    await h.close();
    await fs.unlink(probe);
  } catch (e) {
    throw new FileError(path, `folder ${dir} is not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { cause: e });
  }
}

async function exists(path: string): Promise<boolean> {
  const { fs } = nodeFs();
  try {
    await fs.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Write an output file atomically (temporary sibling + rename), with errors naming the path. */
export async function writeOutputFile(path: string, data: Uint8Array | string): Promise<void> {
  try {
    await writeFileAtomic(path, data);
  } catch (e) {
    throw fileErrorFrom(e, path);
  }
}
