import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf, FileError, FormatError, SchemaError, ShapeError } from '../../src/index.js';
import { MLP } from '../../src/nn/index.js';
import { parseSafetensors } from '../../src/io/index.js';
import {
  decodeModel,
  encodeModel,
  loadBundle,
  loadModel,
  saveBundle,
  saveModel,
  sha256Hex,
  writeFileAtomic,
  type ModelConfig,
  type ModelFiles,
} from '../../src/train/index.js';

interface EmuConfig extends ModelConfig {
  hyperParameters: { sizes: number[]; activation: 'gelu' | 'tanh' };
}

const config: EmuConfig = {
  kind: 'test.blackbody-emulator',
  schemaVersion: 2,
  hyperParameters: { sizes: [2, 16, 8], activation: 'tanh' },
  scalings: {
    temperature: { unit: 'K', type: 'log10-minmax', min: 3000, max: 30000 },
    flux: { unit: 'erg s⁻¹ cm⁻² Å⁻¹ sr⁻¹', type: 'standard', mean: [0.5], std: [0.25] },
  },
};
const build = (c: EmuConfig): MLP => new MLP({ sizes: c.hyperParameters.sizes, activation: c.hyperParameters.activation, seed: 123 });
const expectKind = { kind: config.kind, schemaVersion: 2, build };

describe('model persistence: config.json + model.safetensors', () => {
  let dir: string;
  beforeAll(async () => {
    await ready({ backend: 'cpu', strict: true });
    dir = await mkdtemp(join(tmpdir(), 'astro-persist-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const trained = (): MLP => {
    const m = new MLP({ sizes: [2, 16, 8], activation: 'tanh', seed: 7 });
    // move away from any seeded init so a load that silently kept the init would be caught
    for (const [, v] of m.namedParameters()) v.assign(tf.tidy(() => tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', v.size))));
    return m;
  };

  it('round-trips in memory: same names, bit-identical weights and predictions', async () => {
    const m = trained();
    const files = await encodeModel(m, config);
    const st = parseSafetensors(files.weights);
    expect(Object.keys(st.tensors)).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias'].sort());
    expect(st.tensors['layers.0.weight']).toMatchObject({ dtype: 'F32', shape: [16, 2] });
    expect(st.metadata).toEqual({ format: 'pt', kind: config.kind, schemaVersion: '2' });
    const digest = { bytes: files.weights.length, sha256: createHash('sha256').update(files.weights).digest('hex') };
    expect(JSON.parse(files.config)).toEqual({ ...config, files: { 'model.safetensors': digest } });
    const { model, config: c2 } = decodeModel(files, expectKind);
    expect(c2).toEqual({ ...config, files: { 'model.safetensors': digest } });
    const x = tf.tensor2d([
      [0.1, -0.3],
      [0.9, 0.4],
      [-1, 2],
    ]);
    expect(await model.forward(x).data()).toEqual(await m.forward(x).data());
    tf.dispose(x);
    model.dispose();
    m.dispose();
  });

  it('saves a directory and loads it back', async () => {
    const m = trained();
    const d = join(dir, 'emulator');
    await saveModel(d, m, config);
    const text = await readFile(join(d, 'config.json'), 'utf8');
    expect(JSON.parse(text)).toMatchObject({ kind: config.kind, schemaVersion: 2, scalings: { temperature: { unit: 'K' } } });
    const { model } = await loadModel(d, expectKind);
    for (const [[n, a], [, b]] of m.namedParameters().map((e, i) => [e, model.namedParameters()[i]!] as const)) {
      expect(await b.data(), n).toEqual(await a.data());
    }
    model.dispose();
    m.dispose();
  });

  it('refuses the wrong kind, an unreadable schema version, mismatched shapes and corrupt files', async () => {
    const m = trained();
    const files = await encodeModel(m, config);
    const withConfig = (patch: Record<string, unknown>): ModelFiles => ({ ...files, config: JSON.stringify({ ...config, ...patch }) });
    expect(() => decodeModel(files, { ...expectKind, kind: 'other.model' })).toThrow(SchemaError);
    expect(() => decodeModel(files, { ...expectKind, kind: 'other.model' })).toThrow(/is a 'test.blackbody-emulator', not a 'other.model'/);
    expect(() => decodeModel(withConfig({ schemaVersion: 3 }), expectKind)).toThrow(
      /schemaVersion 3 cannot be read \(this version reads 2\)/,
    );
    expect(decodeModel(withConfig({ schemaVersion: 1 }), { ...expectKind, schemaVersion: [1, 2] }).model.numParameters()).toBe(
      m.numParameters(),
    );
    expect(() => decodeModel(withConfig({ kind: undefined }), expectKind)).toThrow(/no 'kind'/);
    // architecture from the config disagrees with the weights
    const wide = withConfig({ hyperParameters: { sizes: [2, 32, 8], activation: 'tanh' } });
    expect(() => decodeModel(wide, expectKind)).toThrow(ShapeError);
    expect(() => decodeModel(wide, expectKind)).toThrow(/'layers.0.weight' has shape \[16,2\] but the module expects \[32,2\]/);
    const deeper = withConfig({ hyperParameters: { sizes: [2, 16, 16, 8], activation: 'tanh' } });
    expect(() => decodeModel(deeper, expectKind)).toThrow(/missing 'layers.2.weight'/);
    // corrupt files
    expect(() => decodeModel({ ...files, weights: files.weights.subarray(0, files.weights.length - 10) }, expectKind)).toThrow(FormatError);
    expect(() => decodeModel({ ...files, config: '{"kind": "x",' }, expectKind)).toThrow(FormatError);
    expect(() => decodeModel(withConfig({ scalings: { t: { type: 'minmax' } } }), expectKind)).toThrow(/scaling 't' has no 'unit'/);
    const d = join(dir, 'broken');
    await saveModel(d, m, config);
    await writeFile(join(d, 'model.safetensors'), new Uint8Array([1, 2, 3]));
    await expect(loadModel(d, expectKind)).rejects.toThrow(FormatError);
    await expect(encodeModel(m, { ...config, hyperParameters: { lr: NaN } })).rejects.toThrow(/JSON cannot hold/);
    m.dispose();
  });

  it('checks the SHA-256 recorded in config.json and names the file; missing paths are FileErrors', async () => {
    const m = trained();
    const d = join(dir, 'checked');
    await saveModel(d, m, config);
    expect((await readdir(d)).sort()).toEqual(['config.json', 'model.safetensors']); // no temporary files left
    const weights = new Uint8Array(await readFile(join(d, 'model.safetensors')));
    const flipped = weights.slice();
    flipped[flipped.length - 3]! ^= 1; // one bit of one weight: still a valid safetensors file
    await writeFile(join(d, 'model.safetensors'), flipped);
    await expect(loadModel(d, expectKind)).rejects.toThrow(FormatError);
    await expect(loadModel(d, expectKind)).rejects.toThrow(/checked[/\\]model\.safetensors: SHA-256 [0-9a-f]{64} does not match/);
    await writeFile(join(d, 'model.safetensors'), weights.subarray(0, weights.length - 100));
    await expect(loadModel(d, expectKind)).rejects.toThrow(/model\.safetensors: \d+ bytes but config\.json records \d+ \(truncated/);
    await writeFile(join(d, 'model.safetensors'), weights);
    await expect(loadModel(d, { ...expectKind, kind: 'other.model' })).rejects.toThrow(SchemaError);
    await expect(loadModel(join(dir, 'nowhere'), expectKind)).rejects.toThrow(FileError);
    await expect(loadModel(join(dir, 'nowhere'), expectKind)).rejects.toThrow(/nowhere: does not exist/);
    await rm(join(d, 'config.json'));
    await expect(loadModel(d, expectKind)).rejects.toThrow(/checked[/\\]config\.json: does not exist/);
    await writeFile(join(dir, 'plain-file'), 'x');
    await expect(loadModel(join(dir, 'plain-file'), expectKind)).rejects.toThrow(/plain-file: is not a folder/);
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    m.dispose();
  });

  it('saves and loads bundles (config + any named tensors) with the same checks', async () => {
    const d = join(dir, 'bundle');
    const tensors = {
      'latents.train': tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      'refit.0.weight': tf.tensor1d([0.5, -0.25]),
      counts: tf.tensor1d([3, 4], 'int32'),
    };
    await saveBundle(d, { config: { kind: '@astro/core/TestBundle', schemaVersion: 1, hyperParameters: { k: 2 } }, tensors });
    const back = await loadBundle(d, { kind: '@astro/core/TestBundle', schemaVersion: 1 });
    expect(back.config.hyperParameters).toEqual({ k: 2 });
    expect(Object.keys(back.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [k, t] of Object.entries(tensors)) {
      expect(back.tensors[k]!.dtype).toBe(t.dtype);
      expect(await back.tensors[k]!.data()).toEqual(await t.data());
    }
    await expect(loadBundle(d, { kind: '@astro/core/Other', schemaVersion: 1 })).rejects.toThrow(
      /is a '@astro\/core\/TestBundle', not a '@astro\/core\/Other'/,
    );
    tf.dispose([...Object.values(tensors), ...Object.values(back.tensors)]);
    // writeFileAtomic replaces a file whole and creates folders
    const f = join(dir, 'deep', 'er', 'out.txt');
    await writeFileAtomic(f, 'first');
    await writeFileAtomic(f, 'second');
    expect(await readFile(f, 'utf8')).toBe('second');
    expect(await readdir(join(dir, 'deep', 'er'))).toEqual(['out.txt']);
  });

  it('a failed load leaves no tensors behind', async () => {
    const m = trained();
    const files = await encodeModel(m, config);
    const before = tf.memory().numTensors;
    const wide = { ...files, config: JSON.stringify({ ...config, hyperParameters: { sizes: [2, 32, 8], activation: 'tanh' } }) };
    expect(() => decodeModel(wide, expectKind)).toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
    m.dispose();
  });
});
