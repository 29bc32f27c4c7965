import { tf, ValueError } from '@astro/core';
import { encodeSafetensors, type SafetensorsInput } from '@astro/core/io';
import { writeFileAtomic } from '@astro/core/train';
import type { MlpEmulator } from '../payne/mlp.js';
import { BUNDLE_FILES, BUNDLE_FORMAT_VERSION, bundleWeightName } from './layout.js';

/** Options of {@link saveBundle}. */
export interface SaveBundleOptions {
  /** Release name recorded in README.txt (default `'astro-ml-emulator'`). */
  release?: string;
  /** Free text about the training data, stored in metadata `extras.notes`. */
  notes?: string;
}

const BUNDLE_ACTIVATION: Partial<Record<string, { activation: string; approximate?: boolean }>> = {
  gelu_tanh: { activation: 'gelu' },
  gelu: { activation: 'gelu', approximate: false },
  leaky_relu: { activation: 'leaky_relu' },
  relu: { activation: 'relu' },
  silu: { activation: 'silu' },
  tanh: { activation: 'tanh' },
  sigmoid: { activation: 'sigmoid' },
};

/**
 * Save an {@link MlpEmulator} in the released-bundle layout ({@link BUNDLE_FILES}) so the
 * astro-emulators toolkit and {@link loadBundle} read it back. Weights are stored as Flax-style
 * kernels [in, out]; a model that scales labels to [lo, hi] ≠ [0, 1] (The Payne's [−0.5, 0.5])
 * has the offset folded exactly into its first layer, W·(lo + (hi − lo)u) + b = (hi − lo)W·u +
 * (b + lo·W·1), so the bundle uses the canonical [0, 1] scaling. Writes a fingerprint evaluation
 * at the domain midpoint and `bundle_integrity.json` with SHA-256 of every file.
 */
export async function saveBundle(model: MlpEmulator, dir: string, opts: SaveBundleOptions = {}): Promise<void> {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  const { createHash } = await import('node:crypto');
  const act = BUNDLE_ACTIVATION[model.activationName];
  if (!act) throw new ValueError(`saveBundle: activation '${model.activationName}' has no bundle equivalent`);
  const k = model.domain.names.length;
  const P = model.numPixels;
  const [lo, hi] = model.scaling.range;
  const nLayers = model.layers.length;

  const weights: Record<string, SafetensorsInput> = { 'params/model_state': { shape: [0], data: new Float64Array(0), dtype: 'F64' } };
  for (let i = 0; i < nLayers; i++) {
    const lin = model.layers.at(i);
    const [out, inp] = lin.weight.shape as [number, number];
    const w = await lin.weight.data(); // [out, in]
    const b = lin.bias ? Float64Array.from(await lin.bias.data()) : new Float64Array(out);
    const kernel = new Float32Array(inp * out);
    const scale = i === 0 ? hi - lo : 1;
    for (let o = 0; o < out; o++) {
      for (let j = 0; j < inp; j++) {
        kernel[j * out + o] = w[o * inp + j]! * scale;
        if (i === 0) b[o]! += lo * w[o * inp + j]!;
      }
    }
    weights[bundleWeightName(i, 'kernel')] = { shape: [inp, out], data: kernel, dtype: 'F32' };
    weights[bundleWeightName(i, 'bias')] = { shape: [out], data: Float32Array.from(b), dtype: 'F32' };
  }
  const minmax = (min: ArrayLike<number>, max: ArrayLike<number>): Uint8Array =>
    encodeSafetensors({
      'max/parameters': { shape: [k], data: Float64Array.from(max), dtype: 'F64' },
      'min/parameters': { shape: [k], data: Float64Array.from(min), dtype: 'F64' },
    });
  const { min: oMin, max: oMax } = model.outputScaling;

  // fingerprint: canonical midpoint of the input domain → canonical outputs
  const mid = Array.from({ length: k }, (_, c) => {
    const phys = 0.5 * (model.domain.min[c]! + model.domain.max[c]!);
    return (phys - model.scaling.min[c]!) / (model.scaling.max[c]! - model.scaling.min[c]!);
  });
  const x = tf.tensor2d([mid.map((u, c) => model.scaling.min[c]! + u * (model.scaling.max[c]! - model.scaling.min[c]!))]);
  const y = model.emulate(x);
  x.dispose();
  const flux = await y.data();
  y.dispose();
  const canonicalOut = Float32Array.from(flux, (f) => (f - oMin) / (oMax - oMin));

  const names = [...model.domain.names];
  const units = [...model.domain.units];
  const channels = {
    channel_meanings_tree: { parameters: names },
    channel_names_tree: { parameters: names },
    channel_units_tree: { parameters: units },
    leaf_meanings_tree: { parameters: 'stellar labels' },
    leaf_units_tree: null,
    structure_tree: { parameters: null },
  };
  const outputs = {
    channel_meanings_tree: null,
    channel_names_tree: null,
    channel_units_tree: null,
    leaf_meanings_tree: { flux: 'continuum-normalized flux vector on the shared wavelength grid' },
    leaf_units_tree: { flux: 'dimensionless' },
    structure_tree: { flux: null },
  };
  const storage = (filename: string) => ({ filename, format: 'safetensors_v1', layout: 'split_minmax_tree_v1' });
  const scalingIn = {
    applies_to: 'inputs',
    kind: 'affine_minmax_v1',
    max_tree: { parameters: [...model.scaling.max] },
    min_tree: { parameters: [...model.scaling.min] },
    source_space: 'physical_input_dict_tree_v1',
    storage: storage(BUNDLE_FILES.scalingInputs),
    target_space: 'canonical_input_dict_tree_v1',
  };
  const scalingOut = {
    applies_to: 'outputs',
    kind: 'affine_minmax_v1',
    max_tree: { flux: oMax },
    min_tree: { flux: oMin },
    source_space: 'canonical_output_dict_tree_v1',
    storage: storage(BUNDLE_FILES.scalingOutputs),
    target_space: 'physical_output_dict_tree_v1',
  };
  const domain = {
    kind: 'box_v1',
    max_tree: { parameters: [...model.domain.max] },
    min_tree: { parameters: [...model.domain.min] },
    storage: storage(BUNDLE_FILES.inputDomain),
    value_space: 'physical_input_dict_tree_v1',
  };
  const config = {
    model: {
      init_hints: {},
      name: 'mlp',
      params: {
        activation: act.activation,
        ...(act.approximate === false ? { approximate: false } : {}),
        dtype: 'float32',
        hidden_sizes: [...model.hiddenSizes],
      },
    },
    schema_version: 1,
    task: { name: 'regression', params: { loss: 'l1' } },
  };
  const metadata = {
    bundle_format_version: BUNDLE_FORMAT_VERSION,
    config_schema_version: 1,
    extras: {
      notes: opts.notes ?? 'Saved by @astro/spectral-emulator. Inputs are min-max scaled to [0, 1] with reference_scaling_inputs.',
      ...(model.wavelengthAngstrom
        ? {
            wavelength_angstrom: {
              __aet_sidecar__: { format: 'safetensors_v1', layout: 'single_array_v1', path: BUNDLE_FILES.wavelength },
            },
          }
        : {}),
    },
    fingerprint_evaluation: {
      atol: 1e-7,
      rtol: 1e-5,
      inputs: {
        filename: BUNDLE_FILES.fingerprintInputs,
        format: 'safetensors_v1',
        layout: 'numeric_dict_tree_v1',
        space: 'canonical_input_dict_trees_v1',
      },
      outputs: {
        filename: BUNDLE_FILES.fingerprintOutputs,
        format: 'safetensors_v1',
        layout: 'numeric_dict_tree_v1',
        space: 'canonical_output_dict_trees_v1',
      },
      kind: 'canonical_inputs_outputs_v1',
      selection_strategy: 'midpoint_from_input_domain_then_reference_scaling_inputs_v1',
    },
    fit_method: 'gradient',
    model_family_id: 'mlp_v1',
    model_init: { hints: { input_last_axis: k, output_last_axis: P }, representation: 'model-local init hints only' },
    spec: {
      input_domain: domain,
      inputs: channels,
      outputs,
      reference_scaling_inputs: scalingIn,
      reference_scaling_outputs: scalingOut,
      spec_version: 1,
    },
    weights_layout: 'params_plus_model_state_v1',
  };
  const files: [string, Uint8Array][] = [
    [BUNDLE_FILES.config, utf8(JSON.stringify(config, null, 2))],
    [BUNDLE_FILES.metadata, utf8(JSON.stringify(metadata, null, 2))],
    [
      BUNDLE_FILES.readme,
      utf8(
        `Astro Emulators Toolkit Bundle\n\nSummary:\n  model: mlp\n  release: ${opts.release ?? 'astro-ml-emulator'}\n  bundle_format_version: ${BUNDLE_FORMAT_VERSION}\n  written by: @astro/spectral-emulator\n`,
      ),
    ],
    [BUNDLE_FILES.weights, encodeSafetensors(weights)],
    [BUNDLE_FILES.inputDomain, minmax(model.domain.min, model.domain.max)],
    [BUNDLE_FILES.scalingInputs, minmax(model.scaling.min, model.scaling.max)],
    [
      BUNDLE_FILES.scalingOutputs,
      encodeSafetensors({
        'max/flux': { shape: [], data: Float64Array.of(oMax), dtype: 'F64' },
        'min/flux': { shape: [], data: Float64Array.of(oMin), dtype: 'F64' },
      }),
    ],
    [BUNDLE_FILES.fingerprintInputs, encodeSafetensors({ parameters: { shape: [1, k], data: Float32Array.from(mid), dtype: 'F32' } })],
    [BUNDLE_FILES.fingerprintOutputs, encodeSafetensors({ flux: { shape: [1, P], data: canonicalOut, dtype: 'F32' } })],
  ];
  if (model.wavelengthAngstrom) {
    files.push([BUNDLE_FILES.wavelength, encodeSafetensors({ value: { shape: [P], data: model.wavelengthAngstrom, dtype: 'F64' } })]);
  }
  const tree: { path: string; sha256: string }[] = [];
  for (const [rel, bytes] of files) {
    const full = path.join(dir, rel);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await writeFileAtomic(full, bytes); // temporary sibling, then rename
    tree.push({ path: rel, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  tree.sort((a, b) => a.path.localeCompare(b.path));
  const bundleId = createHash('sha256')
    .update(tree.map((t) => `${t.path}:${t.sha256}`).join('\n'))
    .digest('hex');
  const integrity = { algorithm: 'sha256', bundle_id: `sha256:${bundleId}`, integrity_format_version: 1, tree };
  await writeFileAtomic(path.join(dir, BUNDLE_FILES.integrity), JSON.stringify(integrity, null, 2));
}

function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}
