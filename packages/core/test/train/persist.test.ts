import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ready, tf, FormatError, SchemaError, ShapeError } from '../../src/index.js';
import { MLP } from '../../src/nn/index.js';
import { parseSafetensors } from '../../src/io/index.js';
import {
  decodeModel,
  encodeModel,
  loadModel,
  saveModel,
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
    expect(JSON.parse(files.config)).toEqual(config);
    const { model, config: c2 } = decodeModel(files, expectKind);
    expect(c2).toEqual(config);
    const x = tf.tensor2d([[0.1, -0.3], [0.9, 0.4], [-1, 2]]);
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
    expect(() => decodeModel(withConfig({ schemaVersion: 3 }), expectKind)).toThrow(/schemaVersion 3 cannot be read \(this version reads 2\)/);
    expect(decodeModel(withConfig({ schemaVersion: 1 }), { ...expectKind, schemaVersion: [1, 2] }).model.numParameters()).toBe(m.numParameters());
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
