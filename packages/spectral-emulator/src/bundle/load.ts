import { tf, FormatError, SchemaError, ShapeError } from '@astro/core';
import { readSafetensors, type SafetensorsFile, type SafetensorsTensor } from '@astro/core/io';
import type { ActivationName } from '@astro/core/nn';
import { MlpEmulator } from '../payne/mlp.js';
import { BUNDLE_FILES, BUNDLE_FORMAT_VERSION, bundleWeightName } from './layout.js';

/** Options of {@link loadBundle}. */
export interface LoadBundleOptions {
  /** Check the bundle's fingerprint evaluation after loading and throw if it is off (default true). */
  verify?: boolean;
  /** Largest |Δflux| accepted by the fingerprint check (default 1e-5; use ~2e-4 on webgpu). */
  fingerprintAtol?: number;
  /**
   * Check every file listed in `bundle_integrity.json` against its SHA-256 before loading (default
   * true; a bundle without that file loads unchecked).
   */
  checkIntegrity?: boolean;
}

/**
 * Check the SHA-256 of every file listed in a bundle's `bundle_integrity.json`.
 * @throws {FormatError} naming the file whose bytes differ from the recorded hash, or that is missing.
 */
export async function verifyBundleIntegrity(dir: string): Promise<{ files: number }> {
  const path = await import('node:path');
  const fs = await import('node:fs/promises');
  const { createHash } = await import('node:crypto');
  const listPath = path.join(dir, BUNDLE_FILES.integrity);
  let list: { algorithm?: string; tree?: { path?: unknown; sha256?: unknown }[] };
  try {
    list = JSON.parse(await fs.readFile(listPath, 'utf8')) as typeof list;
  } catch (e) {
    throw new FormatError('bundle', `${listPath}: unreadable or not JSON`, { cause: e });
  }
  if (list.algorithm !== 'sha256' || !Array.isArray(list.tree))
    throw new FormatError('bundle', `${listPath}: expected algorithm 'sha256' and a tree of files`);
  for (const entry of list.tree) {
    if (typeof entry.path !== 'string' || typeof entry.sha256 !== 'string' || entry.path.includes('..'))
      throw new FormatError('bundle', `${listPath}: bad entry ${JSON.stringify(entry)}`);
    const full = path.join(dir, entry.path);
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(full);
    } catch (e) {
      throw new FormatError('bundle', `${full}: listed in ${BUNDLE_FILES.integrity} but cannot be read`, { cause: e });
    }
    const got = createHash('sha256').update(bytes).digest('hex');
    if (got !== entry.sha256)
      throw new FormatError(
        'bundle',
        `${full}: SHA-256 ${got.slice(0, 12)}… differs from ${entry.sha256.slice(0, 12)}… in ${BUNDLE_FILES.integrity} (corrupt or modified file)`,
      );
  }
  return { files: list.tree.length };
}

/** Result of {@link verifyBundleFingerprint}. */
export interface FingerprintReport {
  /** Canonical inputs [N, k] (min-max scaled to [0, 1]) and the physical labels they map to. */
  canonicalInputs: number[][];
  physicalLabels: number[][];
  /** Largest |ours − reference| over all outputs. */
  maxAbsErr: number;
  ok: boolean;
}

/**
 * Load a released emulator bundle (see {@link BUNDLE_FILES}) as an {@link MlpEmulator}:
 * Dense(kernel, bias) layers with the configured activation (`'gelu'` is Flax's default tanh
 * form unless `params.approximate` is false), inputs min-max scaled to [0, 1] with the reference
 * input scaling, outputs mapped with the reference output scaling, the input-domain box as the
 * trained domain and `extras/wavelength_angstrom` as the grid. By default every file is checked
 * against the SHA-256 in `bundle_integrity.json` first ({@link verifyBundleIntegrity}), and the
 * fingerprint evaluation is reproduced before returning.
 *
 * @throws {SchemaError} for an unknown model family, format version or scaling kind.
 * @throws {FormatError} for missing or inconsistent files (a truncated safetensors file included).
 */
export async function loadBundle(dir: string, opts: LoadBundleOptions = {}): Promise<MlpEmulator> {
  const path = await import('node:path');
  const fs = await import('node:fs/promises');
  const file = (f: string) => path.join(dir, f);
  if (
    opts.checkIntegrity !== false &&
    (await fs.access(file(BUNDLE_FILES.integrity)).then(
      () => true,
      () => false,
    ))
  )
    await verifyBundleIntegrity(dir);
  const readJson = async (f: string): Promise<Record<string, unknown>> => {
    let text: string;
    try {
      text = await fs.readFile(file(f), 'utf8');
    } catch (e) {
      throw new FormatError('bundle', `cannot read ${f} in ${dir}`, { cause: e });
    }
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new FormatError('bundle', `${f} is not valid JSON`, { cause: e });
    }
  };
  const config = await readJson(BUNDLE_FILES.config);
  const meta = await readJson(BUNDLE_FILES.metadata);
  if (meta['bundle_format_version'] !== BUNDLE_FORMAT_VERSION) {
    throw new SchemaError(
      `bundle_format_version ${String(meta['bundle_format_version'])} is not supported (expected ${BUNDLE_FORMAT_VERSION})`,
    );
  }
  const model = config['model'] as
    | { name?: string; params?: { activation?: string; hidden_sizes?: number[]; approximate?: boolean; negative_slope?: number } }
    | undefined;
  if (model?.name !== 'mlp' || meta['model_family_id'] !== 'mlp_v1') {
    throw new SchemaError(
      `only MLP bundles (model.name 'mlp', family 'mlp_v1') are supported, got '${String(model?.name)}' / '${String(meta['model_family_id'])}'`,
    );
  }
  const spec = meta['spec'] as Record<string, unknown> | undefined;
  const inScaling = spec?.['reference_scaling_inputs'] as { kind?: string } | undefined;
  const outScaling = spec?.['reference_scaling_outputs'] as { kind?: string } | undefined;
  for (const [what, s] of [
    ['input', inScaling],
    ['output', outScaling],
  ] as const) {
    if (s && s.kind !== 'affine_minmax_v1') throw new SchemaError(`${what} scaling kind '${String(s.kind)}' is not supported`);
  }
  const inputs = spec?.['inputs'] as
    { channel_names_tree?: { parameters?: string[] }; channel_units_tree?: { parameters?: string[] } } | undefined;

  const weights = await readSafe(file(BUNDLE_FILES.weights));
  const domainFile = await readSafe(file(BUNDLE_FILES.inputDomain));
  const scaleIn = inScaling ? await readSafe(file(BUNDLE_FILES.scalingInputs)) : domainFile;
  const scaleOut = outScaling ? await readSafe(file(BUNDLE_FILES.scalingOutputs)) : undefined;
  const wlPath = file(BUNDLE_FILES.wavelength);
  const wl = await fs
    .access(wlPath)
    .then(() => readSafe(wlPath))
    .catch(() => undefined);

  const hidden = model.params?.hidden_sizes ?? [];
  const layers: { kernel: { shape: number[]; data: ArrayLike<number> }; bias: { shape: number[]; data: ArrayLike<number> } }[] = [];
  for (let i = 0; i <= hidden.length; i++) {
    const kernel = weights.tensors[bundleWeightName(i, 'kernel')];
    const bias = weights.tensors[bundleWeightName(i, 'bias')];
    if (!kernel || !bias) throw new FormatError('bundle', `weights.safetensors lacks ${bundleWeightName(i, kernel ? 'bias' : 'kernel')}`);
    layers.push({ kernel: floats(kernel, bundleWeightName(i, 'kernel')), bias: floats(bias, bundleWeightName(i, 'bias')) });
    if (kernel.shape.length !== 2 || bias.shape[0] !== kernel.shape[1] || (i > 0 && kernel.shape[0] !== layers[i - 1]!.kernel.shape[1])) {
      throw new ShapeError(`bundle layer ${i}: kernel [${kernel.shape}] and bias [${bias.shape}] do not chain`);
    }
  }
  const k = layers[0]!.kernel.shape[0]!;
  const P = layers.at(-1)!.kernel.shape[1]!;
  const vec = (f: SafetensorsFile, name: string, n: number): Float64Array => {
    const t = f.tensors[name];
    if (!t || t.data.length !== n) throw new FormatError('bundle', `'${name}' must hold ${n} values, found ${t ? t.data.length : 'none'}`);
    return Float64Array.from(floats(t, name).data);
  };
  const names = inputs?.channel_names_tree?.parameters ?? Array.from({ length: k }, (_, i) => `label${i}`);
  const units = inputs?.channel_units_tree?.parameters ?? names.map(() => '');
  if (names.length !== k) throw new ShapeError(`bundle names ${names.length} labels but the first kernel takes ${k}`);
  const act = model.params?.activation ?? 'gelu';
  const activation: ActivationName =
    act === 'gelu' ? (model.params?.approximate === false ? 'gelu' : 'gelu_tanh') : (act as ActivationName);
  const emu = new MlpEmulator({
    domain: { names, units, min: vec(domainFile, 'min/parameters', k), max: vec(domainFile, 'max/parameters', k) },
    scalingBounds: { min: vec(scaleIn, 'min/parameters', k), max: vec(scaleIn, 'max/parameters', k) },
    ...(scaleOut ? { outputScaling: { min: vec(scaleOut, 'min/flux', 1)[0]!, max: vec(scaleOut, 'max/flux', 1)[0]! } } : {}),
    numPixels: P,
    hiddenSizes: hidden,
    activation,
    inputRange: [0, 1],
    ...(wl ? { wavelengthAngstrom: vec(wl, 'value', P) } : {}),
    seed: 0,
  });
  const state: Record<string, tf.Tensor> = {};
  layers.forEach(({ kernel, bias }, i) => {
    state[`layers.${i}.weight`] = tf.tidy(() =>
      tf.transpose(tf.tensor2d(Float32Array.from(kernel.data), kernel.shape as [number, number])),
    );
    state[`layers.${i}.bias`] = tf.tensor1d(Float32Array.from(bias.data));
  });
  try {
    emu.loadStateDict(state);
  } finally {
    tf.dispose(Object.values(state));
  }
  if (opts.verify ?? true) {
    const rep = await verifyBundleFingerprint(dir, emu);
    const atol = opts.fingerprintAtol ?? 1e-5;
    if (rep && !(rep.maxAbsErr <= atol)) {
      emu.dispose();
      throw new FormatError('bundle', `fingerprint mismatch: max |Δflux| ${rep.maxAbsErr} > ${atol}`);
    }
  }
  return emu;
}

/**
 * Reproduce a bundle's `fingerprint_evaluation`: its canonical inputs (min-max scaled to
 * [0, 1]) are mapped back to physical labels with the model's reference scaling, predicted,
 * and compared with the stored canonical outputs. Returns `undefined` when the bundle has none.
 */
export async function verifyBundleFingerprint(dir: string, model: MlpEmulator): Promise<FingerprintReport | undefined> {
  const path = await import('node:path');
  const fs = await import('node:fs/promises');
  const inPath = path.join(dir, BUNDLE_FILES.fingerprintInputs);
  const ok = await fs.access(inPath).then(
    () => true,
    () => false,
  );
  if (!ok) return undefined;
  const finT = (await readSafe(inPath)).tensors['parameters'];
  const foutT = (await readSafe(path.join(dir, BUNDLE_FILES.fingerprintOutputs))).tensors['flux'];
  const k = model.domain.names.length;
  if (!finT || !foutT || finT.data.length % k !== 0) throw new FormatError('bundle', 'fingerprint files lack parameters/flux');
  const fin = floats(finT, 'parameters');
  const fout = floats(foutT, 'flux');
  const n = fin.data.length / k;
  if (fout.data.length !== n * model.numPixels)
    throw new FormatError('bundle', `fingerprint outputs hold ${fout.data.length} values, expected ${n}×${model.numPixels}`);
  const canonical = Array.from(fin.data);
  // canonical space is [0, 1] whatever interval the model scales to internally
  const { min: smin, max: smax } = model.scaling;
  const phys = canonical.map((u, i) => smin[i % k]! + u * (smax[i % k]! - smin[i % k]!));
  const x = tf.tensor2d(Float32Array.from(phys), [n, k]);
  const y = model.emulate(x);
  x.dispose();
  const got = await y.data();
  y.dispose();
  const { min, max } = model.outputScaling;
  let maxAbsErr = 0;
  for (let i = 0; i < got.length; i++) {
    const ref = min + fout.data[i]! * (max - min);
    maxAbsErr = Math.max(maxAbsErr, Math.abs(got[i]! - ref));
  }
  const rows = (a: ArrayLike<number>) => Array.from({ length: n }, (_, r) => Array.from({ length: k }, (_, c) => a[r * k + c]!));
  return { canonicalInputs: rows(canonical), physicalLabels: rows(phys), maxAbsErr, ok: maxAbsErr <= 1e-5 };
}

function floats(t: SafetensorsTensor, name: string): { shape: number[]; data: Float32Array | Float64Array } {
  if (!(t.data instanceof Float32Array || t.data instanceof Float64Array)) {
    throw new FormatError('bundle', `'${name}' has dtype ${t.dtype}; a floating-point tensor is required`);
  }
  return { shape: t.shape, data: t.data };
}

async function readSafe(path: string): Promise<SafetensorsFile> {
  try {
    return await readSafetensors(path);
  } catch (e) {
    if (e instanceof FormatError) throw e;
    throw new FormatError('bundle', `cannot read ${path}`, { cause: e });
  }
}
