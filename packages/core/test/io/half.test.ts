import { describe, expect, it } from 'vitest';
import { bfloat16ToFloat, floatToBfloat16, floatToHalf, halfToFloat } from '../../src/io/index.js';

describe('half and bfloat16 conversions', () => {
  it('decodes every binary16 pattern exactly and re-encodes it to the same bits', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = halfToFloat(h);
      const isNaN16 = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      if (isNaN16) {
        expect(Number.isNaN(x)).toBe(true);
        continue;
      }
      if (floatToHalf(x) !== h) expect(floatToHalf(x), `pattern ${h.toString(16)}`).toBe(h);
    }
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7bff)).toBe(65504);
  });

  it('rounds to nearest, ties to even, with overflow to infinity', () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00); // tie → even (down)
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even (up)
    expect(floatToHalf(65519)).toBe(0x7bff);
    expect(floatToHalf(65520)).toBe(0x7c00);
    expect(floatToHalf(2 ** -25)).toBe(0); // half of the smallest subnormal: tie → 0
    expect(floatToHalf(3 * 2 ** -25)).toBe(2); // 1.5 ulp: tie → even (2)
    expect(floatToHalf(-0)).toBe(0x8000);
  });

  it('decodes every bfloat16 pattern exactly and re-encodes it to the same bits', () => {
    for (let h = 0; h < 0x10000; h++) {
      const x = bfloat16ToFloat(h);
      if (Number.isNaN(x)) continue;
      if (floatToBfloat16(x) !== h) expect(floatToBfloat16(x), `pattern ${h.toString(16)}`).toBe(h);
    }
    expect(floatToBfloat16(1 + 2 ** -8)).toBe(0x3f80); // tie → even
    expect(floatToBfloat16(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(Number.isNaN(bfloat16ToFloat(floatToBfloat16(NaN)))).toBe(true);
  });
});
