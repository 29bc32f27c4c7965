import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arraysToTable, tableToArrays } from '../../src/data/index.js';
import { encodeArrow, parseArrow, readArrow, writeArrow } from '../../src/io/index.js';
import { expectFormatError, tempDir } from './helpers.js';

describe('Arrow IPC files', () => {
  const table = arraysToTable({
    v: { shape: [40, 4], data: Float32Array.from({ length: 160 }, (_, i) => i / 3) },
    k: { shape: [40], data: Int32Array.from({ length: 40 }, (_, i) => i * i) },
  });

  it('writes and reads files on disk', async () => {
    const file = join(tempDir(), 't.arrow');
    await writeArrow(file, table);
    const back = tableToArrays(await readArrow(file));
    expect(back['v']!.data).toEqual(tableToArrays(table)['v']!.data);
    expect(back['k']!.data).toEqual(tableToArrays(table)['k']!.data);
  });

  it('refuses truncated files and streams instead of returning fewer rows', () => {
    const file = encodeArrow(table, 'file');
    const stream = encodeArrow(table, 'stream');
    expectFormatError(() => parseArrow(file.subarray(0, file.length - 10)), 'arrow', /closing ARROW1 magic/);
    expectFormatError(() => parseArrow(stream.subarray(0, stream.length - 8)), 'arrow', /end-of-stream marker/);
    expectFormatError(() => parseArrow(new Uint8Array([1, 2, 3])), 'arrow', /not an Arrow IPC file/);
    // A stream whose body is garbage but ends with an end-of-stream marker.
    const junk = new Uint8Array(64).fill(7);
    junk.set([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], 56);
    expectFormatError(() => parseArrow(junk), 'arrow');
  });
});
