import { describe, it, expect, afterEach } from 'vitest';
import { ready, tf } from '../../src/index.js';
import { fit, formatProgress, shouldDrawBar, ProgressBar, type FitProgress } from '../../src/train/index.js';
import { TinyMLP } from '../optim/tiny-mlp.js';

const p: FitProgress = { phase: 'step', epoch: 2, epochs: 10, batch: 45, batchesPerEpoch: 100, globalStep: 245, loss: 0.0123, lr: 1e-3 };

describe('progress reporting', () => {
  const saved = { ci: process.env['CI'], tty: process.stdout.isTTY };
  afterEach(() => {
    if (saved.ci === undefined) delete process.env['CI'];
    else process.env['CI'] = saved.ci;
    process.stdout.isTTY = saved.tty;
  });

  it('formats a line with the bar, losses, lr and rate', () => {
    expect(formatProgress(p, 210.4)).toBe('epoch 3/10 [#########-----------] 45/100 loss 0.0123 lr 1.0e-3 210 it/s');
    expect(formatProgress({ ...p, phase: 'epoch', batch: 100, loss: 2.5e-5, valLoss: 0.5 }, 3.25, 10)).toBe(
      'epoch 3/10 [##########] 100/100 loss 2.50e-5 val 0.5000 lr 1.0e-3 3.3 it/s',
    );
    expect(formatProgress({ ...p, batchesPerEpoch: undefined }, 0)).toBe('epoch 3/10 batch 45 loss 0.0123 lr 1.0e-3');
  });

  it('draws only on a TTY and never when CI is set', () => {
    process.stdout.isTTY = true;
    delete process.env['CI'];
    expect(shouldDrawBar()).toBe(true);
    process.env['CI'] = '1';
    expect(shouldDrawBar()).toBe(false);
    process.env['CI'] = 'false';
    expect(shouldDrawBar()).toBe(true);
    process.stdout.isTTY = false;
    expect(shouldDrawBar()).toBe(false);
  });

  it('redraws one line in place and ends it at each epoch; throttles step redraws', () => {
    const chunks: string[] = [];
    const bar = new ProgressBar({ write: (s: string) => chunks.push(s), columns: 40 });
    bar.update(p);
    bar.update({ ...p, batch: 46 }); // within 100 ms: skipped
    bar.update({ ...p, phase: 'epoch', batch: 100, valLoss: 0.02 });
    expect(chunks).toHaveLength(2);
    expect(chunks[0]!.startsWith('\r\x1b[2Kepoch 3/10 [')).toBe(true);
    expect(chunks[0]!.length).toBeLessThanOrEqual('\r\x1b[2K'.length + 39); // cut to the terminal width
    expect(chunks[1]!.endsWith('\n')).toBe(true);
  });

  it('fit draws the bar on a TTY when CI is unset, and stays quiet under CI', async () => {
    await ready({ backend: 'cpu', strict: true });
    const m = new TinyMLP();
    const x = tf.randomNormal([20, 3], 0, 1, 'float32', 1);
    const y = tf.randomNormal([20, 2], 0, 1, 'float32', 2);
    const written: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((s: string | Uint8Array) => (written.push(String(s)), true)) as typeof process.stdout.write;
    try {
      process.stdout.isTTY = true;
      delete process.env['CI'];
      await fit(m, { x, y }, { epochs: 2, batchSize: 8 });
      const drawn = written.join('');
      expect(drawn).toMatch(/epoch 1\/2 \[#+\] 3\/3 loss \d\.\d{4} lr 1\.0e-3/);
      expect(drawn.split('\n')).toHaveLength(3); // one finished line per epoch
      written.length = 0;
      process.env['CI'] = '1';
      await fit(m, { x, y }, { epochs: 2, batchSize: 8 });
      expect(written.join('')).toBe('');
    } finally {
      process.stdout.write = write;
    }
    tf.dispose([x, y]);
    m.dispose();
  });
});
