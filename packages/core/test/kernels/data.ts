// Real data for the kernel tests, read from the shared data folder, and a seeded generator.
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import type { DenseMatrix } from '@astro/core/kernels';

/** SDSS features u-g, g-r, r-i, i-z, r (as tools/fixtures/sklearn_knn.py builds them) and spec-z. */
export function sdssFeatures(file: 'train.txt' | 'valid.txt'): { x: DenseMatrix; z: Float64Array } {
  const rows = readFileSync(dataPath('photoz', 'sdss-ugriz', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/).map(Number));
  const x = new Float32Array(rows.length * 5);
  const z = new Float64Array(rows.length);
  rows.forEach((c, i) => {
    const [u, g, r, iMag, zMag] = c as [number, number, number, number, number];
    x.set([u - g, g - r, r - iMag, iMag - zMag, r], i * 5);
    z[i] = c[10]!;
  });
  return { x: { data: x, rows: rows.length, cols: 5 }, z };
}

/** A little-endian float32 2-D `.npy` file (enough for the APOGEE spectra; the io package has the full reader). */
export function readNpyF32(...parts: string[]): DenseMatrix {
  const buf = readFileSync(dataPath(...parts));
  if (buf.toString('latin1', 1, 6) !== 'NUMPY') throw new Error('not an npy file');
  const major = buf[6]!;
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + hlen;
  const header = buf.toString('latin1', major === 1 ? 10 : 12, start);
  if (!header.includes("'descr': '<f4'") || header.includes("'fortran_order': True")) throw new Error(`unsupported npy header ${header}`);
  const shape = /'shape': \((\d+), (\d+)\)/.exec(header);
  if (!shape) throw new Error(`not 2-D: ${header}`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = buf.readFloatLE(start + 4 * i);
  return { data, rows, cols };
}

/** Mulberry32: a small seeded uniform generator on [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows × cols standard-normal float32 matrix (Box–Muller on a seeded generator). */
export function gaussian(rows: number, cols: number, seed: number): DenseMatrix {
  const u = rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) {
    data[i] = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
  }
  return { data, rows, cols };
}
