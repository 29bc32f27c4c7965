/**
 * File layout of an emulator bundle as released by the astro-emulators toolkit
 * (`bundle_format_version` 1, `weights_layout` `params_plus_model_state_v1`):
 *
 * ```
 * config.json  metadata.json  README.txt  bundle_integrity.json
 * weights/weights.safetensors            params/params/core_model/layers/<i>/{kernel [in, out], bias}
 * input_domain.safetensors               min/parameters, max/parameters (physical box)
 * reference_scaling_inputs.safetensors   min/parameters, max/parameters (affine min-max to [0, 1])
 * reference_scaling_outputs.safetensors  min/flux, max/flux (canonical → physical)
 * extras/wavelength_angstrom.safetensors value [P]
 * fingerprint_evaluation/{inputs,outputs}.safetensors  canonical inputs → canonical outputs
 * ```
 */
export const BUNDLE_FILES = {
  config: 'config.json',
  metadata: 'metadata.json',
  readme: 'README.txt',
  integrity: 'bundle_integrity.json',
  weights: 'weights/weights.safetensors',
  inputDomain: 'input_domain.safetensors',
  scalingInputs: 'reference_scaling_inputs.safetensors',
  scalingOutputs: 'reference_scaling_outputs.safetensors',
  wavelength: 'extras/wavelength_angstrom.safetensors',
  fingerprintInputs: 'fingerprint_evaluation/inputs.safetensors',
  fingerprintOutputs: 'fingerprint_evaluation/outputs.safetensors',
} as const;

/** Weight name of layer `i`'s kernel or bias in a bundle. */
export function bundleWeightName(i: number, what: 'kernel' | 'bias'): string {
  return `params/params/core_model/layers/${i}/${what}`;
}

/** Bundle format versions this package reads and writes. */
export const BUNDLE_FORMAT_VERSION = 1;
