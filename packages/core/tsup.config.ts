import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'nn/index': 'src/nn/index.ts',
    'optim/index': 'src/optim/index.ts',
    'train/index': 'src/train/index.ts',
    'io/index': 'src/io/index.ts',
    'kernels/index': 'src/kernels/index.ts',
    'plot/index': 'src/plot/index.ts',
    'linalg/index': 'src/linalg/index.ts',
    'data/index': 'src/data/index.ts',
    'testing/index': 'src/testing/index.ts',
    'errors/index': 'src/errors/index.ts',
    'cli/index': 'src/cli/index.ts',
    'random/index': 'src/random/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: true,
  external: [/^@tensorflow\//, 'webgpu', 'apache-arrow', 'ml-matrix', 'vega', 'vega-lite', 'fflate', 'vitest'],
});
