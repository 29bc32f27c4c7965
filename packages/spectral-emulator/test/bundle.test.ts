import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile, cp, chmod } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf, ready, FormatError, SchemaError } from '@astro/core';
import { describeBackends, compareClose } from '@astro/core/testing';
import {
  BUNDLE_FILES,
  KORG_LABELS,
  createPayne,
  loadBundle,
  loadKorgGrid,
  saveBundle,
  subsetRows,
  trainEmulator,
  verifyBundleFingerprint,
  verifyBundleIntegrity,
  MlpEmulator,
} from '../src/index.js';
import { fixture, spectra } from './data.js';

const released = spectra('emulator-reference-bundle');
const fx = fixture<{ labels: number[][]; flux: number[][] }>('bundle_mlp.json');

await describeBackends('released emulator bundle', ({ backend, tol }) => {
  let emu: MlpEmulator;
  // The bundle's fingerprint is reproduced to ≤ 1e-5 absolute on cpu and wasm; webgpu
  // (SwiftShader here, different accumulation order) is held to the backend tolerance 2e-4.
  const atol = backend === 'webgpu' ? tol.atol : 1e-5;
  beforeAll(async () => {
    emu = await loadBundle(released, { verify: false });
  });
  afterAll(() => emu.dispose());

  it(`reproduces the fingerprint evaluation to ≤ ${atol} absolute`, async () => {
    const rep = await verifyBundleFingerprint(released, emu);
    expect(rep).toBeDefined();
    expect(rep!.canonicalInputs).toEqual([[0.5, 0.5, 0.5]]);
    expect(rep!.physicalLabels[0]![0]).toBeCloseTo(5750, 6);
    expect(rep!.maxAbsErr).toBeLessThanOrEqual(atol);
  });

  it('matches a float64 numpy forward pass at random labels', async () => {
    const y = emu.predictTensor(fx.labels);
    const got = await y.data();
    y.dispose();
    const rep = compareClose(got, fx.flux.flat(), { atol, rtol: 0 });
    expect(rep.ok, rep.message).toBe(true);
  });
});

describe('bundle metadata, saving and bad bundles', () => {
  let dir: string;
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
    dir = await mkdtemp(join(tmpdir(), 'astro-bundle-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reads names, units, the domain box and the wavelength grid', async () => {
    const emu = await loadBundle(released);
    expect(emu.domain.names).toEqual(['teff', 'logg', 'feh']);
    expect(emu.domain.units).toEqual(['K', 'dex', 'dex']);
    expect([...emu.domain.min]).toEqual([4500, 2.5, Math.fround(-0.3)]);
    expect(emu.activationName).toBe('gelu_tanh');
    expect(emu.hiddenSizes).toEqual([128, 128]);
    expect(emu.numPixels).toBe(500);
    expect(emu.wavelengthAngstrom![0]).toBeCloseTo(5000, 3);
    expect(emu.numParameters()).toBe(3 * 128 + 128 + 128 * 128 + 128 + 128 * 500 + 500);
    emu.dispose();
  });

  it('round-trips the released bundle through saveBundle → loadBundle exactly', async () => {
    const emu = await loadBundle(released);
    const out = join(dir, 'resaved');
    await saveBundle(emu, out);
    const again = await loadBundle(out);
    const a = emu.predictTensor(fx.labels);
    const b = again.predictTensor(fx.labels);
    expect(compareClose(await b.data(), await a.data(), { atol: 0, rtol: 0 }).ok).toBe(true);
    tf.dispose([a, b]);
    emu.dispose();
    again.dispose();
  });

  it('saves a trained Payne MLP ([−0.5, 0.5] scaling folded into the first layer) that reloads to the same spectra', async () => {
    const korg = await loadKorgGrid(spectra('korg-regular-flux'));
    const domain = { ...KORG_LABELS, min: Float64Array.of(4500, 2.5, -0.3), max: Float64Array.of(7000, 5, 0.3) };
    const payne = createPayne({ domain, numPixels: korg.numPixels, width: 16, seed: 3, wavelengthAngstrom: korg.wavelengthAngstrom! });
    await trainEmulator(payne, subsetRows(korg, [0, 5, 10, 50, 100, 150]), { steps: 5, lr: 1e-2 });
    const out = join(dir, 'payne');
    await saveBundle(payne, out, { release: 'test' }); // the released layout
    const loaded = await MlpEmulator.load(out); // verifies its own integrity hashes and fingerprint
    expect((await readdir(out)).filter((f) => f.includes('.tmp'))).toEqual([]); // atomic writes leave no temporaries
    expect(loaded.scaling.range).toEqual([0, 1]);
    expect(loaded.activationName).toBe('leaky_relu');
    const labels = [
      [5123, 3.3, 0.1],
      [6800, 4.9, -0.29],
    ];
    const a = payne.predictTensor(labels);
    const b = loaded.predictTensor(labels);
    const rep = compareClose(await b.data(), await a.data(), { atol: 2e-6, rtol: 0 });
    expect(rep.ok, rep.message).toBe(true);
    tf.dispose([a, b]);
    // the integrity file lists the SHA-256 of every file written
    const integ = JSON.parse(await readFile(join(out, BUNDLE_FILES.integrity), 'utf8')) as { tree: { path: string; sha256: string }[] };
    for (const { path, sha256 } of integ.tree) {
      expect(
        createHash('sha256')
          .update(await readFile(join(out, path)))
          .digest('hex'),
        path,
      ).toBe(sha256);
    }
    payne.dispose();
    loaded.dispose();
  });

  it('refuses a truncated weights file, an unknown model family and a wrong fingerprint', async () => {
    const bad = join(dir, 'bad');
    await cp(released, bad, { recursive: true });
    await chmod(join(bad, 'weights'), 0o755);
    for (const f of [BUNDLE_FILES.weights, BUNDLE_FILES.config, BUNDLE_FILES.fingerprintOutputs]) await chmod(join(bad, f), 0o644);
    const w = await readFile(join(bad, BUNDLE_FILES.weights));
    await writeFile(join(bad, BUNDLE_FILES.weights), w.subarray(0, w.length - 100));
    await expect(loadBundle(bad)).rejects.toThrow(FormatError);
    await writeFile(join(bad, BUNDLE_FILES.weights), w);

    const fp = await readFile(join(bad, BUNDLE_FILES.fingerprintOutputs));
    const tweaked = Buffer.from(fp);
    const dv = new DataView(tweaked.buffer, tweaked.byteOffset, tweaked.byteLength);
    const off = tweaked.length - 4;
    dv.setFloat32(off, dv.getFloat32(off, true) + 1e-3, true);
    await writeFile(join(bad, BUNDLE_FILES.fingerprintOutputs), tweaked);
    // the changed bytes no longer match bundle_integrity.json: a FormatError naming the file
    await expect(loadBundle(bad)).rejects.toThrow(FormatError);
    await expect(loadBundle(bad)).rejects.toThrow(new RegExp(`${BUNDLE_FILES.fingerprintOutputs}: SHA-256`));
    await expect(verifyBundleIntegrity(bad)).rejects.toThrow(/SHA-256/);
    expect(await verifyBundleIntegrity(released)).toEqual({ files: expect.any(Number) as number });
    // past the integrity check, the fingerprint evaluation catches the change too
    await expect(loadBundle(bad, { checkIntegrity: false })).rejects.toThrow(/fingerprint mismatch/);

    const cfg = JSON.parse(await readFile(join(bad, BUNDLE_FILES.config), 'utf8')) as { model: { name: string } };
    cfg.model.name = 'transformer';
    await writeFile(join(bad, BUNDLE_FILES.config), JSON.stringify(cfg));
    await expect(loadBundle(bad, { checkIntegrity: false })).rejects.toThrow(SchemaError);
  });
});
