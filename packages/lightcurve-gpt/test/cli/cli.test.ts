import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { dataPath } from '@astro/core/data';
import { Rng } from '@astro/core/nn';
import { describeBackends, runCliCases } from '@astro/core/testing';
import { CLI_USAGE, runCli } from '../../src/index.js';

/** Run `astro-lc` in-process, capturing what it prints. */
async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

const kic = dataPath('lightcurves', 'kepler-pysyd', '2309595_LC.txt');
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
  // Notes only (what the preparation changed), never an error.
  expect(r.err.every((l) => l.startsWith('note: '))).toBe(true);
});

it('astro-lc numax stitches a folder of Kepler quarters, says what it dropped, and writes JSON atomically', async () => {
  const out = join(dir, 'kic5899262.json');
  const r = await cli('numax', dataPath('lightcurves', 'kepler-llc-fits'), '--target', '5899262', '--out', out);
  expect(r.code, r.err.join('\n')).toBe(0);
  expect(r.out[0]).toMatch(/^[\d.]+ ± [\d.]+ μHz$/);
  expect(r.err).toContain('note: stitched 2 files, each divided by its median flux');
  expect(r.err.some((l) => /dropped \d+ (QUALITY-flagged cadences|rows with NaN)/.test(l))).toBe(true);
  const j = JSON.parse(readFileSync(out, 'utf8')) as { detected: boolean; numaxMicroHz: number; input: { parts: unknown[] } };
  expect(j.detected).toBe(true);
  expect(j.input.parts).toHaveLength(2);
  expect(Math.abs(j.numaxMicroHz - 45.18) / 45.18).toBeLessThan(0.1);
});

it('astro-lc numax says "no detection (reason)" with exit 0 on a flat light curve and on white noise', async () => {
  const flat = join(dir, 'flat.txt');
  writeFileSync(flat, Array.from({ length: 2000 }, (_, i) => `${((i * 29.4244) / 1440).toFixed(8)} 1.0`).join('\n'));
  const f = await cli('numax', flat);
  expect(f.code).toBe(0);
  expect(f.out).toEqual([expect.stringMatching(/^no detection \(the flux is constant/)]);
  // 20 days of 29.4-min cadences of seeded Gaussian white noise about 1e4 e⁻/s.
  const rng = new Rng(5);
  const lines = Array.from(
    { length: 980 },
    (_, i) => `${((i * 29.4244) / 1440).toFixed(8)} ${(1e4 * (1 + 1e-4 * rng.normal())).toFixed(4)}`,
  );
  const noise = join(dir, 'white.txt');
  writeFileSync(noise, lines.join('\n'));
  const r = await cli('numax', noise);
  expect(r.code).toBe(0);
  expect(r.out[0]).toMatch(/^no detection \(no significant power excess \(2ΔlnL = [\d.]+ < \d+\)\)$/);
  expect(r.err.join('\n')).toMatch(/could lie above Nyquist/);
  const j = await cli('numax', noise, '--json');
  expect(JSON.parse(j.out[0]!)).toMatchObject({ detected: false, code: 'below-threshold' });
});

it('astro-lc numax keeps a file with NaN rows, repeated and unsorted stamps, and reports each', async () => {
  const rows = Array.from({ length: 3000 }, (_, i) => [(i * 58.85) / 86400, 1 + 1e-4 * Math.sin(i)]);
  rows[10]![1] = NaN;
  rows.splice(20, 0, [rows[20]![0]!, rows[20]![1]!]); // an exact repeat
  [rows[30], rows[31]] = [rows[31]!, rows[30]!]; // out of order
  const file = join(dir, 'messy.txt');
  writeFileSync(file, rows.map(([t, f]) => `${t} ${f}`).join('\n'));
  const r = await cli('numax', file);
  expect(r.code, r.err.join('\n')).toBe(0);
  expect(r.err).toEqual(
    expect.arrayContaining([
      'note: dropped 1 rows with NaN/Inf time or flux',
      'note: sorted the rows by time',
      'note: merged 1 exactly repeated time stamps',
    ]),
  );
});

it('astro-lc prints help', async () => {
  const h = await cli('--help');
  expect(h.code).toBe(0);
  expect(h.out[0]).toBe(CLI_USAGE);
});

const fitsQuarter = dataPath('lightcurves', 'kepler-llc-fits', 'kplr005899262-2009131105131_llc.fits.gz');
runCliCases(
  (argv, io) => runCli(argv, io),
  [
    { name: 'missing file', argv: ['numax', '/nonexistent.txt'], code: 1, message: /^astro-lc: \/nonexistent\.txt: no such file/ },
    { name: 'missing file in a temp folder', argv: (f) => ['numax', f.missing()], code: 1, mentions: (f) => f.dir },
    { name: 'empty file', argv: (f) => ['numax', f.empty()], code: 1, message: /is empty/ },
    { name: 'a folder with no light curves', argv: (f) => ['numax', f.directory()], code: 1, message: /folder with no light-curve files/ },
    { name: 'random bytes .txt', argv: (f) => ['numax', f.random('.txt')], code: 1, mentions: 'random.txt' },
    { name: 'random bytes .fits', argv: (f) => ['numax', f.random('.fits')], code: 1, mentions: 'random.fits' },
    { name: 'truncated gzipped FITS', argv: (f) => ['numax', f.truncated(fitsQuarter, 0.5)], code: 1, mentions: 'truncated-' },
    {
      name: 'truncated FITS (gunzipped, cut)',
      argv: (f) => ['numax', f.text('cut.fits', 'SIMPLE  =                    T' + ' '.repeat(50))],
      code: 1,
      mentions: 'cut.fits',
    },
    { name: 'a CSV with one column', argv: (f) => ['numax', f.text('one.txt', '1\n2\n3\n')], code: 1, message: /need two columns/ },
    { name: 'a non-numeric column', argv: (f) => ['numax', f.text('words.txt', 'time flux\n0 a\n1 b\n')], code: 1, mentions: 'words.txt' },
    {
      name: 'only NaN/Inf values',
      argv: (f) => ['numax', f.text('nan.txt', '0 nan\n1 inf\n2 -inf\n')],
      code: 1,
      message: /nan\.txt: no rows with finite time and flux/,
    },
    { name: 'unknown flag', argv: ['numax', kic, '--frob'], code: 2, message: /unknown option --frob/ },
    { name: 'unknown command', argv: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
    { name: 'missing command', argv: [], code: 2, message: /missing command/ },
    { name: 'missing file argument', argv: ['numax'], code: 2, message: /missing argument SOURCE/ },
    { name: '--threshold without a value', argv: ['numax', kic, '--threshold'], code: 2, message: /--threshold needs a value/ },
    { name: '--threshold -1', argv: ['numax', kic, '--threshold', '-1'], code: 2, message: /--threshold must be ≥ 0/ },
    {
      name: '--steps abc',
      argv: (f) => ['pretrain', join(f.dir, 'm'), '--steps', 'abc'],
      code: 2,
      message: /--steps must be a number, got 'abc'/,
    },
    {
      name: '--positions sinusoidal',
      argv: (f) => ['pretrain', join(f.dir, 'm'), '--positions', 'sinusoidal'],
      code: 2,
      message: /--positions must be one of learned, rotary/,
    },
    {
      name: '--backend tpu',
      argv: ['embed', dir, kic, '--backend', 'tpu'],
      code: 2,
      message: /--backend must be one of webgpu, wasm, cpu/,
    },
    { name: 'embed without FILE', argv: ['embed', dir], code: 2, message: /missing argument FILE/ },
    {
      name: '--out in a missing folder',
      argv: (f) => ['numax', kic, '--out', f.inMissingFolder()],
      code: 1,
      message: /does not exist/,
      noOutput: (f) => f.inMissingFolder(),
    },
    { name: '--out in a read-only folder', argv: (f) => ['numax', kic, '--out', f.inReadOnlyFolder()], code: 1, message: /not writable/ },
    {
      name: 'pretrain into a missing folder',
      argv: (f) => ['pretrain', f.inMissingFolder('model'), '--steps', '1', '--stars', '1'],
      code: 1,
      message: /does not exist/,
    },
    {
      name: 'embed with a missing model folder',
      argv: (f) => ['embed', f.missing(''), kic, '--backend', 'cpu'],
      code: 1,
      mentions: 'does-not-exist',
    },
  ],
  { program: 'astro-lc', usage: /usage: astro-lc numax/ },
);

await describeBackends(
  'astro-lc pretrain + embed',
  () => {
    it('pre-trains and saves a model, then embeds a real light curve with it', async () => {
      const model = join(dir, 'model');
      const p = await cli(
        'pretrain',
        model,
        '--stars',
        '3',
        '--steps',
        '4',
        '--dim',
        '16',
        '--layers',
        '1',
        '--seed',
        '2',
        '--positions',
        'rotary',
        '--backend',
        'wasm',
      );
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
