import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Canonical JSON: object keys sorted, so equal requests hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Content-addressed disk cache of provider responses: the key is the SHA-256 of the canonical
 * JSON of the request (model identity, method, prompt, settings), the value a JSON file at
 * `dir/ab/abcdef….json`, written to a temporary name and renamed so readers never see a
 * partial entry.
 */
export class DiskCache {
  constructor(readonly dir: string) {}

  /** SHA-256 hex key of a request. */
  static key(request: unknown): string {
    return createHash('sha256').update(canonicalJson(request)).digest('hex');
  }

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  /** The cached value, or `undefined` (also for an unreadable entry, which is then recomputed). */
  async get<T>(key: string): Promise<T | undefined> {
    try {
      return JSON.parse(await readFile(this.path(key), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  /** Store a value atomically. */
  async set(key: string, value: unknown): Promise<void> {
    const p = this.path(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, JSON.stringify(value));
    await rename(tmp, p);
  }
}
