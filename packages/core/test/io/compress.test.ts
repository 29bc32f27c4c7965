import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/data/index.js';
import { crc32, crc32Portable, gunzip } from '../../src/io/index.js';
import { expectFormatError } from './helpers.js';

describe('gzip and CRC-32', () => {
  it('computes the standard CRC-32 check value, in Node and in the portable path', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(crc32Portable(check)).toBe(0xcbf43926);
    const rng = new Rng(11);
    const data = Uint8Array.from({ length: 5000 }, () => rng.below(256));
    expect(crc32Portable(data)).toBe(crc32(data));
  });

  it('decodes gzip written by zlib and refuses lies about the decoded size', () => {
    const text = new TextEncoder().encode('FITS '.repeat(2000));
    const gz = new Uint8Array(gzipSync(text));
    expect(new TextDecoder().decode(gunzip('fits', gz))).toBe('FITS '.repeat(2000));
    const lying = gz.slice();
    new DataView(lying.buffer).setUint32(lying.length - 4, 0xfffffff0, true);
    expectFormatError(() => gunzip('fits', lying), 'fits', /beyond deflate's maximum ratio/);
    const small = gz.slice();
    new DataView(small.buffer).setUint32(small.length - 4, 100, true);
    expectFormatError(() => gunzip('fits', small), 'fits', /decoded|corrupt/);
    const badCrc = gz.slice();
    badCrc[badCrc.length - 8]! ^= 1;
    expectFormatError(() => gunzip('fits', badCrc), 'fits', /CRC-32 mismatch/);
  });
});
