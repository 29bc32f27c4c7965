import { describe, expect, it } from 'vitest';
import { FixedSizeList, Float32, Type, tableFromArrays, vectorFromArray } from 'apache-arrow';
import { Table, arraysToTable, dataPath, tableToArrays, tableToTensors, tensorsToTable } from '../../src/data/index.js';
import { ShapeError, ValueError } from '../../src/errors/index.js';
import { ready, tf } from '../../src/index.js';
import { encodeArrow, parseArrow, readNpy } from '../../src/io/index.js';

/** Bit-exact equality of two typed arrays (fast; vitest's deep equality is slow on 10⁵ elements). */
function sameBits(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return (
    Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0 &&
    a.constructor === b.constructor
  );
}

async function korgTable(): Promise<{ table: Table; flux: Float32Array; params: Float64Array }> {
  const base = ['spectra', 'korg-regular-flux'];
  const f = await readNpy(dataPath(...base, 'normalized_flux.npy'));
  const p = await readNpy(dataPath(...base, 'parameters.npy'));
  const flux = Float32Array.from(f.data as ArrayLike<number>);
  const params = Float64Array.from(p.data as ArrayLike<number>);
  const teff = Float32Array.from({ length: 198 }, (_, i) => params[3 * i]!);
  const logg = Float64Array.from({ length: 198 }, (_, i) => params[3 * i + 1]!);
  const id = Int32Array.from({ length: 198 }, (_, i) => 1000 + i);
  const table = arraysToTable({
    flux: { shape: [198, 500], data: flux },
    teff: { shape: [198], data: teff },
    logg: { shape: [198], data: logg },
    id: { shape: [198], data: id },
  });
  return { table, flux, params };
}

describe('Arrow tables ↔ arrays (Korg spectra, real data)', () => {
  it('stores spectra as FixedSizeList<Float32>[500] and scalars as plain columns', async () => {
    const { table, flux } = await korgTable();
    expect(table.numRows).toBe(198);
    const fluxType = table.schema.fields.find((f) => f.name === 'flux')!.type as FixedSizeList;
    expect(fluxType.typeId).toBe(Type.FixedSizeList);
    expect(fluxType.listSize).toBe(500);
    expect(fluxType.children[0]!.type).toBeInstanceOf(Float32);
    // Row 17 of the table is row 17 of the .npy file.
    const row = table.getChild('flux')!.get(17)!;
    expect(Array.from(row.toArray() as Float32Array)).toEqual(Array.from(flux.subarray(17 * 500, 18 * 500)));
    const back = tableToArrays(table);
    expect(Object.keys(back)).toEqual(['flux', 'teff', 'logg', 'id']);
    expect(back['flux']!.shape).toEqual([198, 500]);
    expect(sameBits(back['flux']!.data, flux)).toBe(true);
    expect(back['logg']!.data).toBeInstanceOf(Float64Array);
    expect(back['id']!.data).toBeInstanceOf(Int32Array);
  });

  it('round-trips through IPC file and stream formats, including multi-chunk tables', async () => {
    const { table, flux } = await korgTable();
    for (const format of ['file', 'stream'] as const) {
      const bytes = encodeArrow(table, format);
      const again = parseArrow(bytes);
      expect(again.numRows).toBe(198);
      const arrays = tableToArrays(again);
      expect(sameBits(arrays['flux']!.data, flux)).toBe(true);
      expect(Array.from(arrays['id']!.data as Int32Array).slice(0, 3)).toEqual([1000, 1001, 1002]);
    }
    const two = table.slice(0, 50).concat(table.slice(50));
    expect(two.getChild('flux')!.data.length).toBe(2);
    expect(sameBits(tableToArrays(parseArrow(encodeArrow(two)))['flux']!.data, flux)).toBe(true);
    expect(tableToArrays(two)['teff']!.data).toEqual(tableToArrays(table)['teff']!.data);
  });

  it('nests fixed-size lists for 3-D arrays and takes named columns only', () => {
    const data = Float32Array.from({ length: 24 }, (_, i) => i);
    const t = arraysToTable({ cube: { shape: [2, 3, 4], data } });
    const back = tableToArrays(t, { columns: ['cube'] });
    expect(back['cube']!.shape).toEqual([2, 3, 4]);
    expect(back['cube']!.data).toEqual(data);
  });

  it('refuses nulls, strings, 64-bit writes and ragged columns with typed errors', () => {
    const withNull = tableFromArrays({ x: Float32Array.from([1, 2]) });
    const nullable = new Table({ x: vectorFromArray([1, null, 3], new Float32()) });
    expect(tableToArrays(withNull)['x']!.data).toEqual(Float32Array.from([1, 2]));
    expect(() => tableToArrays(nullable)).toThrow(/null at row 1/);
    const strings = new Table({ s: vectorFromArray(['a', 'b']) });
    expect(tableToArrays(strings)).toEqual({});
    expect(() => tableToArrays(strings, { columns: ['s'] })).toThrow(ValueError);
    expect(() => tableToArrays(strings, { columns: ['nope'] })).toThrow(/no column 'nope'/);
    expect(() => arraysToTable({ a: { shape: [2], data: new Float32Array(2) }, b: { shape: [3], data: new Float32Array(3) } })).toThrow(
      ShapeError,
    );
    expect(() => arraysToTable({ a: { shape: [2, 2], data: new Float32Array(3) } })).toThrow(ShapeError);
    expect(() => arraysToTable({ a: { shape: [1], data: new BigInt64Array(1) } })).toThrow(ValueError);
  });
});

describe('Arrow tables ↔ tfjs tensors', () => {
  it('converts vector columns to [rows, k] tensors and back without leaking', async () => {
    await ready({ backend: 'cpu', strict: true });
    const before = tf.memory().numTensors;
    const { table, flux } = await korgTable();
    const t = tableToTensors(table, { columns: ['flux', 'teff', 'id'] });
    expect(t['flux']!.shape).toEqual([198, 500]);
    expect(t['flux']!.dtype).toBe('float32');
    expect(t['id']!.dtype).toBe('int32');
    expect(sameBits(await t['flux']!.data(), flux)).toBe(true);
    const mean = tf.tidy(() => t['flux']!.mean().dataSync()[0]!);
    expect(mean).toBeGreaterThan(0.5);
    expect(mean).toBeLessThan(1.01);
    const table2 = await tensorsToTable(t);
    expect((table2.schema.fields[0]!.type as FixedSizeList).listSize).toBe(500);
    expect(sameBits(tableToArrays(table2)['flux']!.data, flux)).toBe(true);
    tf.dispose(Object.values(t));
    expect(tf.memory().numTensors).toBe(before);
    const scalar = tf.scalar(1);
    await expect(tensorsToTable({ s: scalar })).rejects.toThrow(ShapeError);
    scalar.dispose();
  });
});
