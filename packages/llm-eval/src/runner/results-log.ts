import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { FormatError } from '@astro/core/errors';
import type { ItemResult } from './types.js';

/** A torn final line of a results file: the unterminated prefix a killed run left behind. */
export interface TornLine {
  /** 1-based line number. */
  line: number;
  /** Its length in bytes. */
  bytes: number;
}

/** What {@link parseResults} found in a results file. */
export interface ParsedResults {
  /** Results in file order, the first of each id. */
  results: ItemResult[];
  /** The dropped torn final line, if there was one. */
  torn?: TornLine;
  /** Byte length of the complete lines (where an appender must continue). */
  completeBytes: number;
}

/**
 * Parse the bytes of a `results.jsonl`. Only a torn final line — the unterminated tail of a run killed
 * mid-write, which starts like a result (`{`) — is dropped, and reported in `torn`; any other line that
 * is not a JSON result object with a string `id` (a corrupt middle line, random bytes, invalid UTF-8) is a
 * {@link FormatError} naming the file and the 1-based line. Repeated ids keep the first.
 */
export function parseResults(bytes: Uint8Array, path: string): ParsedResults {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const tail = bytes.subarray(end);
  let torn: TornLine | undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
  } catch (e) {
    throw new FormatError(path, 'results file is not valid UTF-8 text (not a results.jsonl?)', { cause: e });
  }
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (tail.length > 0) {
    const lineNo = lines.length + 1;
    if (tail[0] !== 0x7b /* { */ || tail.includes(0)) {
      throw new FormatError(path, `line ${lineNo} is not a JSON result (unterminated and does not start with '{')`);
    }
    torn = { line: lineNo, bytes: tail.length };
  }
  const seen = new Map<string, ItemResult>();
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let r: unknown;
    try {
      r = JSON.parse(line);
    } catch (e) {
      throw new FormatError(path, `line ${i + 1} is not valid JSON (${(e as Error).message}); only a torn final line may be dropped`, {
        cause: e,
      });
    }
    if (r === null || typeof r !== 'object' || Array.isArray(r) || typeof (r as { id?: unknown }).id !== 'string') {
      throw new FormatError(path, `line ${i + 1} is not a result object with a string "id"`);
    }
    const item = r as ItemResult;
    if (!seen.has(item.id)) seen.set(item.id, item);
  });
  return { results: [...seen.values()], ...(torn ? { torn } : {}), completeBytes: end };
}

function readFileBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Append-only JSON Lines log of item results. Each result is one `write` of one complete line
 * (in the kernel's page cache as soon as `append` returns, so a killed process loses nothing it
 * appended), and the file is `fsync`ed at most every `syncIntervalMs` and on close, which
 * bounds what an OS crash can lose without paying a disk flush per item. A torn last line is
 * dropped by {@link open} (that item is simply redone) and repeated ids are ignored, keeping the
 * first, so no item is ever counted twice.
 */
export class ResultsLog {
  private fd: number;
  private readonly done = new Map<string, ItemResult>();
  private lastSync = performance.now();

  private constructor(
    readonly path: string,
    private readonly syncIntervalMs: number,
  ) {
    this.fd = -1;
  }

  /**
   * Open (or create) the log at `path`, recovering from a torn last line (dropped, its item redone;
   * `onTorn` hears about it). `syncIntervalMs` defaults to 1000 (0: fsync every line).
   * @throws {FormatError} naming the file and line when any other line is not a result.
   */
  static open(path: string, options: { syncIntervalMs?: number; onTorn?: (t: TornLine) => void } = {}): ResultsLog {
    const log = new ResultsLog(path, options.syncIntervalMs ?? 1000);
    if (existsSync(path)) {
      const parsed = parseResults(readFileBytes(path), path);
      if (parsed.torn) {
        truncateSync(path, parsed.completeBytes);
        options.onTorn?.(parsed.torn);
      }
      for (const r of parsed.results) log.done.set(r.id, r);
    }
    log.fd = openSync(path, 'a');
    return log;
  }

  /** Whether item `id` already has a result. */
  has(id: string): boolean {
    return this.done.has(id);
  }

  /** Results so far, in the order they were first written. */
  results(): ItemResult[] {
    return [...this.done.values()];
  }

  /** Append a result; a second result for the same id is ignored (returns false). */
  append(r: ItemResult): boolean {
    if (this.done.has(r.id)) return false;
    const line = Buffer.from(JSON.stringify(r) + '\n');
    let off = 0;
    while (off < line.length) off += writeSync(this.fd, line, off);
    this.done.set(r.id, r);
    const now = performance.now();
    if (now - this.lastSync >= this.syncIntervalMs) {
      fsyncSync(this.fd);
      this.lastSync = now;
    }
    return true;
  }

  close(): void {
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = -1;
  }
}

/**
 * Read a results file without opening it for writing. A torn final line (a killed run's unterminated
 * tail) is dropped and reported through `onTorn`; any other unparsable line is an error.
 * @throws {FormatError} naming the file and the 1-based line.
 */
export function readResults(path: string, options: { onTorn?: (t: TornLine) => void } = {}): ItemResult[] {
  const parsed = parseResults(readFileBytes(path), path);
  if (parsed.torn) options.onTorn?.(parsed.torn);
  return parsed.results;
}
