// %% [markdown]
// # @astro/core: backends, a small model, and a plot
//
// Pick the best backend (WebGPU → WebAssembly → CPU), train a small MLP, and look at the loss curve.

// %%
import * as tslab from 'tslab';
import { ready, tf } from '@astro/core';
import { MLP } from '@astro/core/nn';
import { AdamW } from '@astro/core/optim';
import { fit } from '@astro/core/train';
import { linePlot } from '@astro/core/plot';
const info = await ready();
console.log(
  info.backend,
  info.tried.map((t) => `${t.backend}: ${t.ok ? 'ok' : t.reason}`),
);

// %% [markdown]
// Learn a damped oscillation, the shape of a stellar pulsation's autocorrelation.

// %%
const x = Array.from({ length: 512 }, (_, i) => [i / 256 - 1]);
const y = x.map(([t]) => [Math.exp(-2 * Math.abs(t!)) * Math.cos(8 * t!)]);
const model = new MLP({ sizes: [1, 64, 64, 1], activation: 'gelu', seed: 0 });
const optimizer = new AdamW(model.namedParameters(), { lr: 5e-3 });
const { history } = await fit(model, { x, y }, { epochs: 40, batchSize: 64, optimizer, seed: 1 });
console.log(`final MSE ${history.loss.at(-1)!.toExponential(2)}`);
if (!(history.loss.at(-1)! < history.loss[0]!)) throw new Error('training did not reduce the loss');

// %%
const svg = await linePlot({
  series: [{ name: 'training', x: history.loss.map((_, i) => i + 1), y: history.loss }],
  x: { title: 'epoch' },
  y: { title: 'MSE', log: true },
  title: 'Loss curve',
});
tslab.display.html(svg);
