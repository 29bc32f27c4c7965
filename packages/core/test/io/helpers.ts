// Shared helpers for the io tests: temp files, the Python peer, and FormatError assertions.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { FormatError } from '../../src/errors/index.js';
import { runPython } from '../../src/testing/peers.js';

export const here = dirname(fileURLToPath(import.meta.url));
export const fixtures = join(here, 'fixtures');
export const repoRoot = join(here, '..', '..', '..', '..');

/** A fresh temporary directory for this test file. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'astro-io-'));
}

/** Run a tools/fixtures script with the peers' Python (`ASTRO_PYTHON`, else /usr/bin/python3). */
export function python(script: string, args: string[]): { status: number; stdout: string; stderr: string } {
  return runPython(join(repoRoot, 'tools', 'fixtures', script), args);
}

/** Assert that `fn` throws a FormatError for `format` whose message matches `pattern`. */
export function expectFormatError(fn: () => unknown, format: string, pattern?: RegExp): FormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a FormatError').toBeInstanceOf(FormatError);
  const err = caught as FormatError;
  expect(err.format).toBe(format);
  if (pattern) expect(err.message).toMatch(pattern);
  return err;
}

/** Parse a value written by the fixture scripts ('nan', 'inf', '-inf' or a number). */
export function jsonNumber(v: number | string): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return Number(v);
}
