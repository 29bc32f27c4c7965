/**
 * Running a CLI's main function: every failure becomes one line on stderr that names the file
 * and what is wrong, with an exit status (2 for usage errors, 1 otherwise). Stack traces only
 * with `--verbose` or `DEBUG` set.
 */
import { AstroError, FileError, UsageError } from '../errors/index.js';

/** Where a CLI writes: results to `out`, messages to `err` (each call is one line or block). */
export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** Process stdout/stderr as a {@link CliIO}. */
export const processIO: CliIO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Options of {@link runMain}. */
export interface RunMainOptions {
  /** The program name printed before messages (`astro-lc`). */
  name: string;
  /** Usage text printed after a {@link UsageError} (and for `--help` if the command prints it). */
  usage: string | (() => string);
  /** Defaults to {@link processIO}. */
  io?: CliIO;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, expected a file',
  ENOTDIR: 'a component of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EEXIST: 'already exists',
  EMFILE: 'too many open files',
};

/** One line describing `e` (no stack): what went wrong and, for file errors, which path. */
export function describeError(e: unknown): string {
  if (e instanceof AstroError) return firstLine(e.message);
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err === 'object' && typeof err.code === 'string' && ERRNO_TEXT[err.code]) {
    const path = typeof err.path === 'string' ? err.path : undefined;
    const what =
      err.syscall === 'open' || err.syscall === 'read' || err.syscall === 'scandir'
        ? 'cannot read'
        : err.syscall
          ? `cannot ${err.syscall}`
          : 'cannot access';
    return path ? `${path}: ${what}: ${ERRNO_TEXT[err.code]}` : `${ERRNO_TEXT[err.code]} (${err.code})`;
  }
  if (e instanceof Error) return `${e.name}: ${firstLine(e.message)}`;
  return String(e);
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return i < 0 ? s : s.slice(0, i);
}

/** True when stack traces are wanted: `--verbose` in argv or `DEBUG` set. */
export function wantsVerbose(argv: readonly string[]): boolean {
  const debug = typeof process !== 'undefined' ? process.env['DEBUG'] : undefined;
  return argv.includes('--verbose') || (debug !== undefined && debug !== '' && debug !== '0');
}

/** Exit status for an error: 2 for {@link UsageError}, 1 otherwise. */
export function exitCodeFor(e: unknown): number {
  return e instanceof UsageError ? 2 : 1;
}

/**
 * Run `main(argv, io)` and turn any error into one line `name: message` on stderr and an exit
 * status; a {@link UsageError} also prints the usage (status 2). Returns the status to exit with.
 *
 * ```ts
 * process.exitCode = await runMain((argv, io) => myCli(argv, io), process.argv.slice(2), { name: 'astro-x', usage });
 * ```
 */
export async function runMain(
  main: (argv: string[], io: CliIO) => Promise<number | void> | number | void,
  argv: readonly string[],
  opts: RunMainOptions,
): Promise<number> {
  const io = opts.io ?? processIO;
  try {
    const code = await main([...argv], io);
    return typeof code === 'number' ? code : 0;
  } catch (e) {
    io.err(`${opts.name}: ${describeError(e)}`);
    if (wantsVerbose(argv) && e instanceof Error && e.stack) io.err(e.stack);
    if (e instanceof UsageError) io.err(typeof opts.usage === 'function' ? opts.usage() : opts.usage);
    return exitCodeFor(e);
  }
}

/** Wrap a Node errno error from touching `path` in a {@link FileError} (other errors pass through). */
export function fileErrorFrom(e: unknown, path: string): unknown {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err && typeof err === 'object' && typeof err.code === 'string' && ERRNO_TEXT[err.code]) {
    return new FileError(path, ERRNO_TEXT[err.code]!, { cause: e });
  }
  return e;
}
