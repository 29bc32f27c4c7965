import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { readNpy } from '@astro/core/io';
import { ClapPhotoz, evaluatePdfs, readPhotometry, type PhotozMetrics } from '../src/index.js';
import { runCli, UsageError } from '../src/cli/run.js';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Run the real command (`node --import tsx src/cli/bin.ts …`) in a child process. */
function astroPhotoz(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(pkg, 'src', 'cli', 'bin.ts'), ...args], {
      cwd: pkg,
      env: { ...process.env, CI: '1' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

describe('astro-photoz CLI, end to end on a subset of the real SDSS files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'astro-photoz-'));
    const lines = async (f: string) => (await readFile(dataPath('photoz', 'sdss-ugriz', f), 'utf8')).trim().split('\n');
    const train = await lines('train.txt');
    const valid = await lines('valid.txt');
    await writeFile(join(dir, 'train.txt'), `${train.slice(0, 1500).join('\n')}\n`);
    await writeFile(join(dir, 'valid.txt'), `${valid.slice(0, 300).join('\n')}\n`);
    // the test file: 300 other validation galaxies, one with a u = 99 sentinel (missing magnitude)
    const missing = valid[700]!.trim().split(/\s+/);
    missing[0] = '99';
    await writeFile(join(dir, 'test.txt'), `${[...valid.slice(300, 600), missing.join(' ')].join('\n')}\n`);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('train → model directory; evaluate → every metric for CLAP and the baselines, and per-galaxy PDFs', async () => {
    const model = join(dir, 'model');
    const tr = await astroPhotoz(['train', '--train', join(dir, 'train.txt'), '--valid', join(dir, 'valid.txt'), '--model', model, '--epochs', '3', '--realisations', '1', '--backend', 'wasm']);
    expect(tr.out).toContain('1500 training, 300 validation galaxies');
    expect(tr.code).toBe(0);
    const vm = JSON.parse(await readFile(join(model, 'valid-metrics.json'), 'utf8')) as { n: number; metrics: Record<string, PhotozMetrics> };
    expect(vm.n).toBe(300);

    // a missing magnitude is refused unless --on-missing drop
    const refused = await astroPhotoz(['evaluate', '--model', model, '--test', join(dir, 'test.txt'), '--out', join(dir, 'm.json'), '--backend', 'wasm']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/ValueError: photometry: row 301: u magnitude is missing \(99\)/);

    const args = ['evaluate', '--model', model, '--test', join(dir, 'test.txt'), '--out', join(dir, 'metrics.json'), '--pdfs', join(dir, 'pdfs.npy'), '--on-missing', 'drop', '--backend', 'wasm'];
    const ev = await astroPhotoz(args);
    expect(ev.code).toBe(0);
    expect(ev.out).toContain('dropped 1 galaxies with a missing magnitude (rows 301)');
    const res = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { n: number; metrics: Record<string, PhotozMetrics> };
    expect(res.n).toBe(300);
    expect(Object.keys(res.metrics)).toEqual(['CLAP', 'CLAP raw (realisation 0)', 'CLAP recalibrated (realisation 0)', 'KNN (k=20, colours)', 'softmax over bins (MLP)', 'template fitting (BPZ-like)']);
    for (const m of Object.values(res.metrics)) {
      expect(m.n).toBe(300);
      expect(m.pitKS).toBeGreaterThan(0);
      expect(m.pitKS).toBeLessThan(1);
      expect(m.pitHistogram.length).toBe(20);
      expect(Number.isFinite(m.crps) && Number.isFinite(m.cdeLoss)).toBe(true);
    }
    // three epochs on 1500 galaxies already give good neighbours (the softmax network needs more)
    for (const k of ['CLAP', 'KNN (k=20, colours)', 'template fitting (BPZ-like)']) {
      expect(res.metrics[k]!.point.median.sigmaMAD).toBeLessThan(0.03);
      expect(res.metrics[k]!.coverage95).toBeGreaterThan(0.85);
    }
    // the written metrics are the library's metrics of the written PDFs, recomputed here from the saved model
    await ready({ backend: 'wasm', strict: true });
    const test = await readPhotometry(join(dir, 'test.txt'), { onMissing: 'drop' });
    const clap = await ClapPhotoz.load(model);
    const { pdfs } = await clap.predict(test);
    clap.dispose();
    const npy = await readNpy(join(dir, 'pdfs.npy'));
    expect(npy.shape).toEqual([300, pdfs.grid.n]);
    const f32 = npy.data as Float32Array;
    for (let i = 0; i < f32.length; i += 97) expect(f32[i]).toBe(Math.fround(pdfs.p[i]!));
    expect(res.metrics['CLAP']!.pitKS).toBeCloseTo(evaluatePdfs(pdfs, test.zSpec!).pitKS, 12);

    // JSON PDFs carry the grid, file rows and summaries
    expect(await runCli(['evaluate', '--model', model, '--test', join(dir, 'valid.txt'), '--pdfs', join(dir, 'pdfs.json'), '--backend', 'wasm'], () => {})).toBe(0);
    const js = JSON.parse(await readFile(join(dir, 'pdfs.json'), 'utf8')) as { z: number[]; galaxies: { row: number; zSpec: number; median: number; p: number[] }[] };
    expect(js.galaxies.length).toBe(300);
    expect(js.galaxies[0]!.row).toBe(1);
    expect(js.galaxies[0]!.p.length).toBe(js.z.length);
  });

  it('usage errors are typed and name the problem', async () => {
    const log = (): void => {};
    expect(await runCli([], log)).toBe(2);
    await expect(runCli(['fit'], log)).rejects.toThrow(UsageError);
    await expect(runCli(['train', '--train', 'a.txt'], log)).rejects.toThrow(/--valid is required/);
    await expect(runCli(['evaluate', '--model', 'm', '--test', 't'], log)).rejects.toThrow(/--out metrics.json, --pdfs FILE or both/);
    await expect(runCli(['train', '--train', 'a', '--valid', 'b', '--model', 'c', '--epochs', 'x'], log)).rejects.toThrow(/--epochs must be/);
    await expect(runCli(['evaluate', '--bogus'], log)).rejects.toThrow(UsageError);
    const r = await astroPhotoz(['evaluate', '--model', join(dir, 'model')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('UsageError: evaluate: --test is required');
  });
});
