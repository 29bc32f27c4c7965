import { AstroError, FileError, FormatError, SchemaError, ShapeError, ValueError } from '@astro/core';
import { checkInputFile, fileErrorFrom, readInputBytes } from '@astro/core/cli';
import { readArrow } from '@astro/core/io';
import { photometryFromArrow } from './arrow.js';
import { parsePhotometry, type Photometry, type PhotometryOptions } from './photometry.js';

/**
 * Read a photometry file (Node only): Arrow IPC (`.arrow`, `.feather`, `.ipc`; see
 * {@link photometryFromArrow}) or the 11-column text format (anything else; see {@link parsePhotometry}).
 * Every error names the file: a missing, empty, unreadable file or a directory is a `FileError`
 * (`<path>: no such file or directory`), and the parsers' `FormatError`/`ValueError` come back with the path in front.
 */
export async function readPhotometry(path: string, opts: PhotometryOptions = {}): Promise<Photometry> {
  try {
    if (/\.(arrow|feather|ipc)$/i.test(path)) {
      await checkInputFile(path);
      return photometryFromArrow(await readArrow(path), opts);
    }
    return parsePhotometry(await readInputBytes(path), opts);
  } catch (e) {
    throw namingFile(e, path);
  }
}

/** The same error with the file's path in front (typed errors keep their class; system errors become FileError). */
export function namingFile(e: unknown, path: string): unknown {
  if (e instanceof AstroError) {
    if (e instanceof FileError || e.message.includes(path)) return e;
    if (e instanceof FormatError) return new FormatError(path, e.message, { cause: e });
    const msg = `${path}: ${e.message}`;
    const E = e instanceof ValueError ? ValueError : e instanceof ShapeError ? ShapeError : e instanceof SchemaError ? SchemaError : null;
    if (E) {
      const out = new E(msg);
      (out as { cause?: unknown }).cause = e;
      return out;
    }
    return e;
  }
  return fileErrorFrom(e, path);
}
