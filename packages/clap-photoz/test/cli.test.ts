import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ready } from '@astro/core';
import { arraysToTable, dataPath } from '@astro/core/data';
import { readNpy, writeArrow } from '@astro/core/io';
import { runCliCases, type CliCaseFiles } from '@astro/core/testing';
import { ClapPhotoz, evaluatePdfs, readPhotometry, type PhotozMetrics } from '../src/index.js';
import { main, runCli, UsageError } from '../src/cli/run.js';

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
    const tr = await astroPhotoz([
      'train',
      '--train',
      join(dir, 'train.txt'),
      '--valid',
      join(dir, 'valid.txt'),
      '--model',
      model,
      '--epochs',
      '3',
      '--realisations',
      '1',
      '--backend',
      'wasm',
    ]);
    expect(tr.out).toContain('1500 training, 300 validation galaxies');
    expect(tr.code).toBe(0);
    const vm = JSON.parse(await readFile(join(model, 'valid-metrics.json'), 'utf8')) as {
      n: number;
      metrics: Record<string, PhotozMetrics>;
    };
    expect(vm.n).toBe(300);

    // a missing magnitude is refused unless --on-missing drop
    const refused = await astroPhotoz([
      'evaluate',
      '--model',
      model,
      '--test',
      join(dir, 'test.txt'),
      '--out',
      join(dir, 'm.json'),
      '--backend',
      'wasm',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^astro-photoz: \S*test\.txt: photometry: row 301: u magnitude is missing \(99\)/);

    const args = [
      'evaluate',
      '--model',
      model,
      '--test',
      join(dir, 'test.txt'),
      '--out',
      join(dir, 'metrics.json'),
      '--pdfs',
      join(dir, 'pdfs.npy'),
      '--on-missing',
      'drop',
      '--backend',
      'wasm',
    ];
    const ev = await astroPhotoz(args);
    expect(ev.code).toBe(0);
    expect(ev.out).toContain('dropped 1 galaxies with a missing magnitude (rows 301)');
    const res = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as { n: number; metrics: Record<string, PhotozMetrics> };
    expect(res.n).toBe(300);
    expect(Object.keys(res.metrics)).toEqual([
      'CLAP',
      'CLAP raw (realisation 0)',
      'CLAP recalibrated (realisation 0)',
      'KNN (k=20, colours)',
      'softmax over bins (MLP)',
      'template fitting (BPZ-like)',
    ]);
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
    expect(
      await runCli(
        ['evaluate', '--model', model, '--test', join(dir, 'valid.txt'), '--pdfs', join(dir, 'pdfs.json'), '--backend', 'wasm'],
        () => {},
      ),
    ).toBe(0);
    const js = JSON.parse(await readFile(join(dir, 'pdfs.json'), 'utf8')) as {
      z: number[];
      galaxies: { row: number; zSpec: number; median: number; p: number[] }[];
    };
    expect(js.galaxies.length).toBe(300);
    expect(js.galaxies[0]!.row).toBe(1);
    expect(js.galaxies[0]!.p.length).toBe(js.z.length);
  });

  it('usage errors are typed and name the problem', async () => {
    const log = (): void => {};
    expect(await runCli([], log)).toBe(2);
    await expect(runCli(['fit'], log)).rejects.toThrow(UsageError);
    await expect(runCli(['train', '--train', 'a.txt'], log)).rejects.toThrow(/missing required option --valid/);
    await expect(runCli(['evaluate', '--model', 'm', '--test', 't'], log)).rejects.toThrow(/--out metrics.json, --pdfs FILE or both/);
    await expect(runCli(['train', '--train', 'a', '--valid', 'b', '--model', 'c', '--epochs', 'x'], log)).rejects.toThrow(
      /--epochs must be a number/,
    );
    await expect(runCli(['evaluate', '--bogus'], log)).rejects.toThrow(UsageError);
    // the real command: one line, usage, exit 2, no stack
    const r = await astroPhotoz(['evaluate', '--model', join(dir, 'model')]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('astro-photoz: missing required option --test');
    expect(r.out).toContain('usage: astro-photoz');
    expect(r.out).not.toMatch(/^\s+at /m);
  });
});

// Bad input at the command line: one line naming the file, exit 1 (2 with usage for usage errors), no output left.
const sdss = (f: string, n: number): string =>
  readFileSync(dataPath('photoz', 'sdss-ugriz', f), 'utf8')
    .trim()
    .split('\n')
    .slice(0, n)
    .join('\n') + '\n';
const good = sdss('valid.txt', 120);
const arrowSource = join(mkdtempSync(join(tmpdir(), 'photoz-arrow-')), 'valid.arrow');
beforeAll(async () => {
  const v = await readPhotometry(dataPath('photoz', 'sdss-ugriz', 'valid.txt'));
  await writeArrow(
    arrowSource,
    arraysToTable({
      mag: { shape: [v.n, 5], data: v.mag },
      mag_err: { shape: [v.n, 5], data: v.magErr },
      z_spec: { shape: [v.n], data: v.zSpec! },
    }),
  );
});
const train = (f: CliCaseFiles, file: string, model = join(f.dir, 'model')): string[] => [
  'train',
  '--train',
  file,
  '--valid',
  f.text('valid.txt', good),
  '--model',
  model,
  '--epochs',
  '1',
  '--realisations',
  '1',
  '--backend',
  'cpu',
  '--no-templates',
];
const evaluate = (f: CliCaseFiles, out: string, test = f.text('test.txt', good)): string[] => [
  'evaluate',
  '--model',
  join(f.dir, 'no-model'),
  '--test',
  test,
  '--out',
  out,
  '--backend',
  'cpu',
];
runCliCases(
  main,
  [
    {
      name: 'missing training file',
      argv: (f) => train(f, f.missing()),
      code: 1,
      message: /does-not-exist\.txt: no such file/,
      noOutput: (f) => join(f.dir, 'model'),
    },
    { name: 'empty training file', argv: (f) => train(f, f.empty()), code: 1, message: /empty\.txt: is empty/ },
    { name: 'a directory as training file', argv: (f) => train(f, f.directory()), code: 1, message: /a-folder: is a directory/ },
    {
      name: 'random bytes',
      argv: (f) => train(f, f.random('.txt')),
      code: 1,
      message: /random\.txt: .*(UTF-8|columns|numeric)/,
      noOutput: (f) => join(f.dir, 'model'),
    },
    { name: 'random bytes as Arrow', argv: (f) => train(f, f.random('.arrow')), code: 1, message: /random\.arrow/ },
    { name: 'truncated Arrow', argv: (f) => train(f, f.truncated(arrowSource, 0.5)), code: 1, message: /truncated-valid\.arrow/ },
    {
      name: 'truncated text (a torn last row)',
      argv: (f) => train(f, f.text('torn.txt', good.slice(0, good.length - 30))),
      code: 1,
      message: /torn\.txt: text: line 120 has 9 fields, expected 11/,
    },
    {
      name: 'CSV-like file with a missing column',
      argv: (f) => train(f, f.text('nine.txt', '20 19 18 17 16 0.1 0.1 0.1 0.1\n')),
      code: 1,
      message: /nine\.txt: photometry: expected 10 or 11 columns .*got 9/,
    },
    {
      name: 'non-numeric column',
      argv: (f) => train(f, f.text('word.txt', '20 19 18 17 16 0.1 0.1 0.1 0.1 0.1 abc\n')),
      code: 1,
      message: /word\.txt: .*not numeric/,
    },
    {
      name: 'NaN magnitude',
      argv: (f) => train(f, f.text('nan.txt', `${good}20 NaN 18 17 16 0.1 0.1 0.1 0.1 0.1 0.1\n`)),
      code: 1,
      message: /nan\.txt: photometry: row 121: g magnitude is missing/,
    },
    {
      name: 'Inf error',
      argv: (f) => train(f, f.text('inf.txt', '20 19 18 17 16 0.1 Infinity 0.1 0.1 0.1 0.1\n')),
      code: 1,
      message: /inf\.txt: photometry: row 1: g error must be finite/,
    },
    {
      name: 'no z_spec in the training file',
      argv: (f) =>
        train(
          f,
          f.text(
            'noz.txt',
            good
              .split('\n')
              .map((l) => l.trim().split(/\s+/).slice(0, 10).join(' '))
              .join('\n'),
          ),
        ),
      code: 1,
      message: /noz\.txt: --train needs the z_spec column/,
    },
    { name: 'unknown flag', argv: ['train', '--frob'], code: 2, message: /unknown option --frob/ },
    { name: 'unknown command', argv: ['fit'], code: 2, message: /unknown command 'fit'/ },
    {
      name: 'missing required flag',
      argv: ['train', '--train', 'a.txt', '--valid', 'b.txt'],
      code: 2,
      message: /missing required option --model/,
    },
    { name: 'option without a value', argv: ['train', '--train'], code: 2, message: /--train needs a value/ },
    {
      name: '--epochs 0',
      argv: (f) => [...train(f, f.text('t.txt', good)), '--epochs', '0'],
      code: 2,
      message: /--epochs must be ≥ 1, got 0/,
    },
    {
      name: '--epochs abc',
      argv: (f) => [...train(f, f.text('t.txt', good)), '--epochs', 'abc'],
      code: 2,
      message: /--epochs must be a number/,
    },
    {
      name: '--backend tpu',
      argv: (f) => [...train(f, f.text('t.txt', good)), '--backend', 'tpu'],
      code: 2,
      message: /--backend must be one of webgpu, wasm, cpu/,
    },
    {
      name: 'evaluate without --out or --pdfs',
      argv: ['evaluate', '--model', 'm', '--test', 't.txt'],
      code: 2,
      message: /--out metrics.json, --pdfs FILE or both/,
    },
    {
      name: '--out in a missing folder',
      argv: (f) => evaluate(f, f.inMissingFolder('m.json')),
      code: 1,
      message: /no-such-folder/,
      noOutput: (f) => f.inMissingFolder('m.json'),
    },
    { name: '--out in a read-only folder', argv: (f) => evaluate(f, f.inReadOnlyFolder('m.json')), code: 1, message: /not writable/ },
    {
      name: '--model in a read-only folder',
      argv: (f) => train(f, f.text('t.txt', good), f.inReadOnlyFolder('model')),
      code: 1,
      message: /not writable/,
    },
    {
      name: 'missing model folder',
      argv: (f) => evaluate(f, join(f.dir, 'm.json')),
      code: 1,
      message: /no-model\/config\.json: no such file/,
      noOutput: (f) => join(f.dir, 'm.json'),
    },
  ],
  { program: 'astro-photoz', usage: /usage: astro-photoz/ },
);
