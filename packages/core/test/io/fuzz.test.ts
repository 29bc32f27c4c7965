// Seeded fuzzing of every parser: mutated files must parse or throw FormatError — never
// another exception, never hang, never allocate from a lying header.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng, arraysToTable, dataPath } from '../../src/data/index.js';
import { FormatError } from '../../src/errors/index.js';
import {
  encodeArrow,
  encodeNpy,
  encodeSafetensors,
  parseArrow,
  parseFits,
  parseNpy,
  parseNpz,
  parseSafetensors,
  parseText,
} from '../../src/io/index.js';
import { fixtures } from './helpers.js';

type Mutator = (rng: Rng, base: Uint8Array) => Uint8Array;

const flipBits: Mutator = (rng, base) => {
  const out = base.slice();
  const k = 1 + rng.below(8);
  for (let i = 0; i < k && out.length > 0; i++) out[rng.below(out.length)]! ^= 1 << rng.below(8);
  return out;
};
const truncate: Mutator = (rng, base) => base.slice(0, rng.below(base.length + 1));
const overwriteRun: Mutator = (rng, base) => {
  const out = base.slice();
  if (out.length === 0) return out;
  const at = rng.below(out.length);
  const n = 1 + rng.below(Math.min(64, out.length - at));
  for (let i = 0; i < n; i++) out[at + i] = rng.below(256);
  return out;
};
const splice: Mutator = (rng, base) => {
  const at = rng.below(base.length + 1);
  const del = rng.below(Math.min(32, base.length - at) + 1);
  const ins = Uint8Array.from({ length: rng.below(32) }, () => rng.below(256));
  const out = new Uint8Array(base.length - del + ins.length);
  out.set(base.subarray(0, at));
  out.set(ins, at);
  out.set(base.subarray(at + del), at + ins.length);
  return out;
};
const randomBytes: Mutator = (rng, base) => {
  const out = Uint8Array.from({ length: rng.below(512) }, () => rng.below(256));
  // Half the time keep the real magic so the parser gets past its first check.
  if (rng.below(2) === 0) out.set(base.subarray(0, Math.min(8, out.length)));
  return out;
};
/** Replace a digit in the ASCII header region (sizes, shapes, offsets, NAXISn, TFORMn…). */
const editDigits =
  (headerBytes: number): Mutator =>
  (rng, base) => {
    const out = base.slice();
    const end = Math.min(headerBytes, out.length);
    for (let tries = 0; tries < 40; tries++) {
      const i = rng.below(Math.max(1, end));
      if (out[i]! >= 0x30 && out[i]! <= 0x39) {
        out[i] = 0x30 + rng.below(10);
        if (rng.below(3) === 0 && i + 1 < end && out[i + 1] === 0x20) out[i + 1] = 0x30 + rng.below(10);
        return out;
      }
    }
    return out;
  };
/** Write a hostile 32-bit value (0, −1, huge, off by a little) at a random 4-aligned offset. */
const editU32 =
  (region: (b: Uint8Array) => [number, number]): Mutator =>
  (rng, base) => {
    const out = base.slice();
    const [lo, hi] = region(out);
    if (hi - lo < 4) return out;
    const at = lo + rng.below(hi - lo - 3);
    const dv = new DataView(out.buffer);
    const old = dv.getUint32(at, true);
    const choices = [0, 0xffffffff, 0x7fffffff, old + 1, old - 1, old * 2, out.length, out.length + 1, rng.nextUint32()];
    dv.setUint32(at, choices[rng.below(choices.length)]! >>> 0, true);
    return out;
  };

interface Target {
  name: string;
  base: Uint8Array;
  parse: (b: Uint8Array) => unknown;
  mutators: Mutator[];
  cases: number;
}

function npyLenEdit(): Mutator {
  return (rng, base) => {
    const out = base.slice();
    if (out.length >= 10) new DataView(out.buffer).setUint16(8, [0, 1, 0xffff, rng.below(65536), out.length][rng.below(5)]!, true);
    return out;
  };
}
function stLenEdit(): Mutator {
  return (rng, base) => {
    const out = base.slice();
    if (out.length < 8) return out;
    const dv = new DataView(out.buffer);
    const v = [0, 1, 2, out.length, out.length - 8, out.length - 7, 2 ** 32 - 1, 2 ** 53, 99_999_999, rng.nextUint32()][rng.below(10)]!;
    dv.setUint32(0, v % 2 ** 32, true);
    dv.setUint32(4, Math.floor(v / 2 ** 32), true);
    return out;
  };
}

const generic: Mutator[] = [flipBits, truncate, overwriteRun, splice, randomBytes];
const npzDir = (b: Uint8Array): [number, number] => [Math.max(0, b.length - 200), b.length];

function targets(): Target[] {
  const st = encodeSafetensors(
    {
      w: { shape: [4, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) },
      h: { shape: [5], data: [1, 2, 3, 4, 5], dtype: 'F16' },
      i: { shape: [2], data: BigInt64Array.from([1n, 2n]) },
    },
    { metadata: { a: 'b' } },
  );
  const npy = encodeNpy({ shape: [3, 4], data: Float64Array.from({ length: 12 }, (_, i) => i) });
  const fits = new Uint8Array(readFileSync(join(fixtures, 'fits', 'all_types.fits')));
  const fitsGz = new Uint8Array(readFileSync(join(fixtures, 'fits', 'all_types.fits.gz')));
  const labels = new Uint8Array(readFileSync(dataPath('spectra', 'lamost-apogee-crossmatch', 'lamost_labels.fits')));
  const table = arraysToTable({
    v: { shape: [6, 4], data: Float32Array.from({ length: 24 }, (_, i) => i) },
    k: { shape: [6], data: Int32Array.from([1, 2, 3, 4, 5, 6]) },
  });
  const touchFits = (b: Uint8Array): void => {
    for (const h of parseFits(b).hdus) {
      if (h.type === 'image') h.image();
      if (h.type === 'bintable') h.table();
    }
  };
  const touchArrow = (b: Uint8Array): void => {
    const t = parseArrow(b);
    for (const f of t.schema.fields) t.getChild(f.name)?.toArray();
  };
  const text = new TextEncoder().encode('# c\nname,x,y\n"a, b",1.5,2\nc,3,4e5\n');
  return [
    { name: 'safetensors', base: st, parse: parseSafetensors, mutators: [...generic, stLenEdit(), editDigits(st.length)], cases: 3000 },
    { name: 'npy', base: npy, parse: parseNpy, mutators: [...generic, npyLenEdit(), editDigits(128)], cases: 3000 },
    {
      name: 'npz (stored)',
      base: new Uint8Array(readFileSync(join(fixtures, 'npy', 'stored.npz'))),
      parse: parseNpz,
      mutators: [...generic, editU32(npzDir), editU32(() => [0, 80])],
      cases: 2000,
    },
    {
      name: 'npz (deflated)',
      base: new Uint8Array(readFileSync(join(fixtures, 'npy', 'deflated.npz'))),
      parse: parseNpz,
      mutators: [...generic, editU32(npzDir), editU32(() => [0, 80])],
      cases: 2000,
    },
    { name: 'fits', base: fits, parse: touchFits, mutators: [...generic, editDigits(fits.length), editDigits(2880)], cases: 2000 },
    { name: 'fits.gz', base: fitsGz, parse: touchFits, mutators: [...generic, editU32((b) => [b.length - 8, b.length])], cases: 1000 },
    { name: 'fits (LAMOST labels)', base: labels, parse: touchFits, mutators: [flipBits, truncate, editDigits(2880 * 2)], cases: 300 },
    {
      name: 'arrow (file)',
      base: encodeArrow(table, 'file'),
      parse: touchArrow,
      mutators: [...generic, editU32((b) => [0, b.length])],
      cases: 2000,
    },
    {
      name: 'arrow (stream)',
      base: encodeArrow(table, 'stream'),
      parse: touchArrow,
      mutators: [...generic, editU32((b) => [0, b.length])],
      cases: 2000,
    },
    { name: 'text', base: text, parse: (b) => parseText(b), mutators: generic, cases: 1000 },
  ];
}

describe('fuzz: mutated files parse or throw FormatError', () => {
  for (const t of targets()) {
    it(`${t.name}: ${t.cases} seeded mutations`, () => {
      const rng = new Rng(0).fork(`fuzz:${t.name}`);
      let ok = 0;
      let rejected = 0;
      let slowest = 0;
      const rssBefore = process.memoryUsage().rss;
      for (let c = 0; c < t.cases; c++) {
        const m = t.mutators[c % t.mutators.length]!;
        const input = m(rng, t.base);
        const start = performance.now();
        try {
          t.parse(input);
          ok++;
        } catch (e) {
          if (!(e instanceof FormatError)) {
            throw new Error(
              `${t.name} case ${c} (${m.name || 'mutator'}) threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`,
              { cause: e },
            );
          }
          rejected++;
        }
        slowest = Math.max(slowest, performance.now() - start);
      }
      expect(ok + rejected).toBe(t.cases);
      expect(rejected).toBeGreaterThan(t.cases / 10); // the mutations really do break files
      expect(slowest).toBeLessThan(1000);
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 2 ** 20);
    });
  }
});
