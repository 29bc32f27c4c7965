import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import type { ItemResult } from './types.js';

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

  /** Open (or create) the log at `path`, recovering from a torn last line. `syncIntervalMs` defaults to 1000 (0: fsync every line). */
  static open(path: string, options: { syncIntervalMs?: number } = {}): ResultsLog {
    const log = new ResultsLog(path, options.syncIntervalMs ?? 1000);
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
      for (const line of text.slice(0, end).split('\n')) {
        if (line.trim() === '') continue;
        const r = JSON.parse(line) as ItemResult;
        if (!log.done.has(r.id)) log.done.set(r.id, r);
      }
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

/** Read a results file (tolerating a torn last line) without opening it for writing. */
export function readResults(path: string): ItemResult[] {
  const text = readFileSync(path, 'utf8');
  const seen = new Map<string, ItemResult>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let r: ItemResult;
    try {
      r = JSON.parse(line) as ItemResult;
    } catch {
      continue; // torn tail of a killed run
    }
    if (!seen.has(r.id)) seen.set(r.id, r);
  }
  return [...seen.values()];
}
