/**
 * `@astro/lightcurve-gpt`: stellar light curves for machine learning — Kepler/TESS readers,
 * gap handling, sigma clipping and normalisation, a classical ν_max estimator, a granulation
 * + solar-like oscillation simulator and a patch-token GPT with downstream heads.
 * @packageDocumentation
 */
/** Package version. */
export const VERSION = '0.1.0';
export * from './lightcurve.js';
export * from './io/index.js';
export * from './prep/index.js';
export * from './seismo/index.js';
export * from './simulate/index.js';
export * from './model/index.js';
export * from './scaling/index.js';
export { runCli, CLI_USAGE, type CliIO } from './cli/run.js';
