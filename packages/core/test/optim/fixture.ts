// Loads the torch.optim reference trajectories written by tools/fixtures/torch_optim.py.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Arr {
  shape: number[];
  data: number[];
}
export interface StepRecord {
  loss: number;
  lr: number[];
  gradNorm?: number;
  params: Record<string, number[]>;
}
export interface Scenario {
  options: Record<string, unknown>;
  steps: StepRecord[];
  state: Record<string, number[]>;
}
export interface TorchOptimFixture {
  x: Arr;
  y: Arr;
  init: Record<string, Arr>;
  scenarios: Record<string, Scenario>;
  clip: { rawGrads: Record<string, number[]>; cases: { maxNorm: number; totalNorm: number; grads: Record<string, number[]> }[] };
}

export const fixture = JSON.parse(
  readFileSync(fileURLToPath(new URL('./fixtures/torch_optim.json', import.meta.url)), 'utf8'),
) as TorchOptimFixture;
