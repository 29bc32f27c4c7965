import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dataPath } from '@astro/core/data';
import { Rng } from '@astro/core/nn';
import { describeBackends } from '@astro/core/testing';
import { CLI_USAGE, runCli } from '../../src/index.js';

/** Run `astro-lc` in-process, capturing what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const kic = dataPath('lightcurves', 'kepler-pysyd', '2309595_LC.txt');
const fitsFile = join(__dirname, '..', 'fixtures', 'kepler_lc_synthetic.fits');
const dir = mkdtempSync(join(tmpdir(), 'astro-lc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('astro-lc numax prints ν_max ± σ of a real Kepler star (SYD catalogue: 643.2 ± 9.1 μHz)', async () => {
  const r = await cli('numax', kic);
  expect(r.code).toBe(0);
  const m = /^([\d.]+) ± ([\d.]+) μHz$/.exec(r.out[0] ?? '');
  expect(m, r.out.join('\n')).not.toBeNull();
  expect(Math.abs(Number(m![1]) - 643.2) / 643.2).toBeLessThan(0.03);
  expect(Number(m![2])).toBeGreaterThan(0);
  expect(Number(m![2])).toBeLessThan(20);
  expect(r.err).toEqual([]);
});

it('astro-lc numax reads FITS, and warns when a light curve is white noise (no power excess)', async () => {
  const f = await cli('numax', fitsFile);
  expect(f.code, f.err.join('\n')).toBe(0);
  expect(f.out[0]).toMatch(/^[\d.]+ ± [\d.]+ μHz$/);
  // 20 days of 29.4-min cadences of seeded Gaussian white noise about 1e4 e⁻/s.
  const rng = new Rng(5);
  const lines = Array.from({ length: 980 }, (_, i) => `${(i * 29.4244 / 1440).toFixed(8)} ${(1e4 * (1 + 1e-4 * rng.normal())).toFixed(4)}`);
  const noise = join(dir, 'white.txt');
  writeFileSync(noise, lines.join('\n'));
  const r = await cli('numax', noise);
  expect(r.code).toBe(0);
  expect(r.out[0]).toMatch(/μHz$/);
  expect(r.err.join('\n')).toMatch(/no significant oscillation power excess \(2ΔlnL = -?[\d.]+ < 25\)/);
});

it('astro-lc reports usage (exit 2) and typed errors (exit 1)', async () => {
  expect(await cli('frobnicate')).toEqual({ code: 2, out: [], err: [CLI_USAGE] });
  expect((await cli('numax')).code).toBe(2);
  const missing = await cli('numax', join(dir, 'nope.txt'));
  expect(missing.code).toBe(1);
  expect(missing.err[0]).toMatch(/nope\.txt/);
  const bad = await cli('pretrain', join(dir, 'x'), '--steps', 'many');
  expect(bad).toMatchObject({ code: 1, err: ["ValueError: --steps needs a number, got 'many'"] });
  expect((await cli('pretrain', join(dir, 'x'), '--positions', 'sinusoidal', '--backend', 'wasm')).err[0]).toMatch(/--positions must be 'learned' or 'rotary'/);
  expect((await cli('embed', dir, kic, '--backend', 'tpu')).err[0]).toBe("ValueError: --backend must be webgpu, wasm or cpu, got 'tpu'");
});

await describeBackends(
  'astro-lc pretrain + embed',
  () => {
    it('pre-trains and saves a model, then embeds a real light curve with it', async () => {
      const model = join(dir, 'model');
      const p = await cli('pretrain', model, '--stars', '3', '--steps', '4', '--dim', '16', '--layers', '1', '--seed', '2', '--positions', 'rotary', '--backend', 'wasm');
      expect(p.code, p.err.join('\n')).toBe(0);
      const summary = JSON.parse(p.out[0]!) as { dir: string; parameters: number; finalLoss: number };
      expect(summary.dir).toBe(model);
      expect(Number.isFinite(summary.finalLoss)).toBe(true);
      expect(p.err.at(-1)).toMatch(/^step 4\/4 loss [\d.]+$/);
      expect(existsSync(join(model, 'model.safetensors'))).toBe(true);
      const cfg = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')) as { hyperParameters: { dim: number; positions: string } };
      expect(cfg.hyperParameters).toMatchObject({ dim: 16, positions: 'rotary' });
      const e = await cli('embed', model, kic, '--backend', 'wasm');
      expect(e.code, e.err.join('\n')).toBe(0);
      const out = JSON.parse(e.out[0]!) as { windows: number; embedding: number[] };
      // 28.9 days of 1-minute cadences in windows of 16 × 16 cadences.
      expect(out.windows).toBeGreaterThan(100);
      expect(out.embedding).toHaveLength(16);
      expect(out.embedding.every(Number.isFinite)).toBe(true);
    });
  },
  { backends: ['wasm'] },
);
