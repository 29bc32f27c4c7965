// Conv1d (PyTorch layout) against torch.nn.Conv1d: stride, padding, dilation, groups, depthwise.
import { it, expect } from 'vitest';
import { tf } from '../../src/index.js';
import { describeBackends, compareClose } from '../../src/testing/index.js';
import { Conv1d } from '../../src/nn/index.js';
import { stateOf, tensorOf, torchCase } from './torch-fixture.js';

interface ConvCfg {
  cin: number;
  cout: number;
  k: number;
  stride: number;
  padding: number | 'same';
  dilation: number;
  groups: number;
}

await describeBackends('nn vs torch: Conv1d', ({ tol }) => {
  for (const name of [
    'conv1d',
    'conv1d_stride_pad',
    'conv1d_dilation',
    'conv1d_groups',
    'conv1d_depthwise',
    'conv1d_stride_dilation',
    'conv1d_same',
  ]) {
    it(name, async () => {
      const c = torchCase(name);
      const cfg = c.config as unknown as ConvCfg;
      const m = new Conv1d(cfg.cin, cfg.cout, cfg.k, {
        stride: cfg.stride,
        padding: cfg.padding,
        dilation: cfg.dilation,
        groups: cfg.groups,
        seed: 1,
      });
      const sd = stateOf(c);
      m.loadStateDict(sd);
      tf.dispose(Object.values(sd));
      const x = tensorOf(c.inputs['x']!);
      const y = m.forward(x);
      expect(y.shape).toEqual(c.output.shape);
      expect(m.outputLength(x.shape[2]!)).toBe(c.output.shape[2]);
      const rep = compareClose(await y.data(), c.output.data, tol);
      expect(rep.ok, `${name}: ${rep.message}`).toBe(true);
      tf.dispose([x, y]);
      m.dispose();
    });
  }
});
