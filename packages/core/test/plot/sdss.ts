// Reads the real SDSS ugriz + spectroscopic-redshift sample from the shared data folder.
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';

/** Columns of photoz/sdss-ugriz/train.txt: u g r i z, their errors, spec-z. */
export interface SdssSample {
  mag: Float64Array[]; // 5 bands
  magErr: Float64Array[];
  z: Float64Array;
}

export function readSdss(limit = Infinity): SdssSample {
  const lines = readFileSync(dataPath('photoz', 'sdss-ugriz', 'train.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .slice(0, limit);
  const n = lines.length;
  const mag = Array.from({ length: 5 }, () => new Float64Array(n));
  const magErr = Array.from({ length: 5 }, () => new Float64Array(n));
  const z = new Float64Array(n);
  lines.forEach((l, i) => {
    const c = l.trim().split(/\s+/).map(Number);
    if (c.length !== 11) throw new Error(`train.txt line ${i + 1}: ${c.length} columns`);
    for (let b = 0; b < 5; b++) {
      mag[b]![i] = c[b]!;
      magErr[b]![i] = c[5 + b]!;
    }
    z[i] = c[10]!;
  });
  return { mag, magErr, z };
}
