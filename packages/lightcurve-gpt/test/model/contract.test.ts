import { describeModelContract } from '@astro/core/testing';
import { AstroconformerBaseline, LIGHTCURVE_GPT_KIND, LightCurveGPT, concatWindows, patchify, simulateStar } from '../../src/index.js';

// The house model contract (core's conformance spec) for LightCurveGPT on every available backend.
const windows = () =>
  concatWindows(
    [2.7, 3.0].map((logg, i) =>
      patchify(simulateStar({ logg, durationDays: 12, seed: 40 + i }), { patchSize: 8, numPatches: 6, maxWindows: 6 }),
    ),
  );

await describeModelContract({
  name: 'LightCurveGPT',
  kind: LIGHTCURVE_GPT_KIND,
  create: () => new LightCurveGPT({ patchSize: 8, maxPatches: 6, dim: 8, layers: 1, heads: 2, seed: 5 }),
  load: (dir) => LightCurveGPT.load(dir),
  data: windows,
  input: windows,
  fitOptions: { epochs: 2, seed: 1, batchSize: 4 },
  // WebGPU here is SwiftShader: training runs several times over take minutes; the webgpu forward
  // path is checked against PyTorch in rope.test.ts.
  backends: ['cpu', 'wasm'],
});

// The same contract for the supervised Astroconformer-style baseline (one log g label per window).
const labelled = () => {
  const loggs = [2.7, 3.0];
  const parts = loggs.map((logg, i) =>
    patchify(simulateStar({ logg, durationDays: 12, seed: 40 + i }), { patchSize: 8, numPatches: 6, maxWindows: 6 }),
  );
  return { windows: concatWindows(parts), labels: parts.flatMap((p, i) => Array<number>(p.windows).fill(loggs[i]!)) };
};

await describeModelContract({
  name: 'AstroconformerBaseline',
  kind: '@astro/lightcurve-gpt/AstroconformerBaseline',
  create: () => new AstroconformerBaseline({ length: 48, dim: 8, stride: 8, layers: 1, heads: 2, seed: 5 }),
  load: (dir) => AstroconformerBaseline.load(dir),
  data: labelled,
  input: () => labelled().windows,
  fitOptions: { epochs: 2, seed: 1, batchSize: 4 },
  // WebGPU here is SwiftShader: repeated training takes minutes (as for LightCurveGPT above).
  backends: ['cpu', 'wasm'],
});
