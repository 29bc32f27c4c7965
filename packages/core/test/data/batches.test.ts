import { describe, expect, it } from 'vitest';
import { arraysToTable, batchTensors, batches, type ColumnBatch, type ColumnArrays } from '../../src/data/index.js';
import { ValueError } from '../../src/errors/index.js';
import { ready, tf } from '../../src/index.js';

const N = 103;
const cols = (): ColumnArrays => ({
  x: { shape: [N, 3], data: Float32Array.from({ length: N * 3 }, (_, i) => Math.floor(i / 3) * 10 + (i % 3)) },
  y: { shape: [N], data: Int32Array.from({ length: N }, (_, i) => i) },
});

function collect(it: Iterable<ColumnBatch>): ColumnBatch[] {
  return [...it];
}

describe('batches()', () => {
  it('covers every row exactly once per epoch, rows and columns aligned', () => {
    const loader = batches(cols(), { batchSize: 10, seed: 5 });
    expect(loader.batchesPerEpoch).toBe(11);
    const epoch = collect(loader);
    expect(epoch.map((b) => b.columns['y']!.shape[0])).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
    const seen = epoch.flatMap((b) => Array.from(b.columns['y']!.data as Int32Array));
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(seen).not.toEqual(Array.from({ length: N }, (_, i) => i)); // shuffled
    for (const b of epoch) {
      const x = b.columns['x']!.data as Float32Array;
      b.rows.forEach((row, r) => {
        expect((b.columns['y']!.data as Int32Array)[r]).toBe(row);
        expect(Array.from(x.subarray(3 * r, 3 * r + 3))).toEqual([row * 10, row * 10 + 1, row * 10 + 2]);
      });
    }
  });

  it('is deterministic for a seed, differs between epochs and seeds, and can keep order', () => {
    const a = batches(cols(), { batchSize: 16, seed: 1 });
    const b = batches(cols(), { batchSize: 16, seed: 1 });
    const a0 = collect(a).map((x) => Array.from(x.rows));
    expect(collect(b).map((x) => Array.from(x.rows))).toEqual(a0);
    const a1 = collect(a).map((x) => Array.from(x.rows));
    expect(a1).not.toEqual(a0);
    expect(collect(a)[0]!.epoch).toBe(2);
    expect(Array.from(batches(cols(), { batchSize: 16, seed: 2 }).order(0))).not.toEqual(a0.flat());
    expect(Array.from(batches(cols(), { batchSize: 16, shuffle: false }).order(3))).toEqual(Array.from({ length: N }, (_, i) => i));
    expect(collect(batches(cols(), { batchSize: 10, dropLast: true })).length).toBe(10);
  });

  it('resumes exactly mid-epoch from a JSON state', () => {
    const ref = batches(cols(), { batchSize: 8, seed: 9 });
    const full = [...collect(ref), ...collect(ref)].map((x) => Array.from(x.rows));
    const run = batches(cols(), { batchSize: 8, seed: 9 });
    const first: number[][] = [];
    for (const b of run) {
      first.push(Array.from(b.rows));
      if (first.length === 5) break;
    }
    const saved = JSON.parse(JSON.stringify(run.state()));
    expect(saved).toMatchObject({ epoch: 0, batch: 5 });
    const resumed = batches(cols(), { batchSize: 8, seed: 9, resume: saved });
    const rest = [...collect(resumed), ...collect(resumed)].map((x) => Array.from(x.rows));
    expect([...first, ...rest].slice(0, full.length)).toEqual(full);
  });

  it('reads Arrow tables and yields tensors', async () => {
    await ready({ backend: 'cpu', strict: true });
    const table = arraysToTable(cols());
    const loader = batches(table, { batchSize: 32, seed: 3, columns: ['x'] });
    const [b] = collect(loader);
    expect(Object.keys(b!.columns)).toEqual(['x']);
    const before = tf.memory().numTensors;
    const t = batchTensors(b!);
    expect(t['x']!.shape).toEqual([32, 3]);
    expect(Array.from(await t['x']!.data()).slice(0, 3)).toEqual([b!.rows[0]! * 10, b!.rows[0]! * 10 + 1, b!.rows[0]! * 10 + 2]);
    tf.dispose(Object.values(t));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses bad sizes and states that do not match the data', () => {
    expect(() => batches(cols(), { batchSize: 0 })).toThrow(ValueError);
    const state = batches(cols(), { batchSize: 8, seed: 1 }).state();
    expect(() => batches(cols(), { batchSize: 8, seed: 2, resume: state })).toThrow(/saved seed 1 differs/);
    expect(() => batches(cols(), { batchSize: 8, seed: 1, resume: { ...state, batch: 99 } })).toThrow(/bad position/);
  });
});
