import { Rng } from '../../src/index.js';
import { describeModelContract } from '../../src/testing/index.js';
import { TinyRegressor } from './tiny-regressor.js';

/** y = sin(x0) + x1² on 64 seeded points. */
function data(): { x: number[][]; y: number[][] } {
  const r = new Rng(0).fork('contract-data');
  const x = Array.from({ length: 64 }, () => [r.uniform(-1, 1), r.uniform(-1, 1)]);
  return { x, y: x.map(([a, b]) => [Math.sin(a!) + b! * b!]) };
}

await describeModelContract({
  name: 'TinyRegressor',
  kind: TinyRegressor.kind,
  create: () => new TinyRegressor({ sizes: [2, 8, 1], seed: 3 }),
  load: (dir) => TinyRegressor.load(dir),
  data,
  input: () => [
    [0.1, 0.2],
    [-0.5, 0.7],
    [0.9, -0.9],
  ],
  fitOptions: { epochs: 2, seed: 4 },
});
