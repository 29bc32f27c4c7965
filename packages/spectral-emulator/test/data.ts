// Shared helpers for the tests: locate the real data and load JSON fixtures.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPath } from '@astro/core/data';

/** A folder of ../shared/data/spectra (ASTRO_DATA_DIR overrides). */
export function spectra(name: string): string {
  return dataPath('spectra', name);
}

/** A fixture written by tools/fixtures/spectral_emulator.py. */
export function fixture<T>(name: string): T {
  const here = dirname(fileURLToPath(import.meta.url));
  return JSON.parse(readFileSync(join(here, 'fixtures', name), 'utf8')) as T;
}
