import { describe, expect, it } from 'vitest';
import { fftInPlace, powerDensity } from '../../src/index.js';

describe('FFT', () => {
  it('matches the direct DFT', () => {
    const n = 16;
    const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + 0.3 * i);
    const re = Float64Array.from(x);
    const im = new Float64Array(n);
    fftInPlace(re, im);
    for (let k = 0; k < n; k++) {
      let r = 0;
      let m = 0;
      for (let j = 0; j < n; j++) {
        r += x[j]! * Math.cos((-2 * Math.PI * k * j) / n);
        m += x[j]! * Math.sin((-2 * Math.PI * k * j) / n);
      }
      expect(re[k]).toBeCloseTo(r, 10);
      expect(im[k]).toBeCloseTo(m, 10);
    }
  });
});

describe('power density', () => {
  it('a sine of amplitude A integrates to A²/2 at its frequency, with gaps (Parseval)', () => {
    const dt = 1 / 1440; // days
    const nu = 1000; // μHz
    const A = 30; // ppm
    const t: number[] = [];
    const f: number[] = [];
    for (let i = 0; i < 20000; i++) {
      if (i > 7000 && i < 9000) continue; // a 1.4-day gap
      t.push(i * dt);
      f.push(A * Math.sin(2 * Math.PI * nu * 1e-6 * i * dt * 86400));
    }
    const s = powerDensity({ timeDays: Float64Array.from(t), flux: Float64Array.from(f) });
    expect(s.nyquistMicroHz).toBeCloseTo(1e6 / 120, 6);
    let total = 0;
    let near = 0;
    let peak = 0;
    for (let k = 0; k < s.power.length; k++) {
      total += s.power[k]! * s.dfMicroHz;
      if (Math.abs(s.frequencyMicroHz[k]! - nu) < 10) near += s.power[k]! * s.dfMicroHz;
      if (s.power[k]! > s.power[peak]!) peak = k;
    }
    expect(total).toBeCloseTo((A * A) / 2, 0);
    expect(near / total).toBeGreaterThan(0.95);
    expect(Math.abs(s.frequencyMicroHz[peak]! - nu)).toBeLessThan(s.dfMicroHz);
    expect(s.fillFactor).toBeCloseTo(18001 / 20000, 3);
  });
  it('white noise of variance s² has flat density s²/ν_Nyq', () => {
    let seed = 1;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const n = 16384;
    const f = Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(rand())) * Math.cos(2 * Math.PI * rand()) * 10);
    const t = Float64Array.from({ length: n }, (_, i) => i / 48);
    const s = powerDensity({ timeDays: t, flux: f });
    const mean = s.power.reduce((a, b) => a + b, 0) / s.power.length;
    expect(mean / (100 / s.nyquistMicroHz)).toBeGreaterThan(0.97);
    expect(mean / (100 / s.nyquistMicroHz)).toBeLessThan(1.03);
  });
});
