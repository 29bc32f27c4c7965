import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { SchemaError, tf } from '@astro/core';
import { describeBackends } from '@astro/core/testing';
import { LightCurveGPT, loadLightCurveGPT, saveLightCurveGPT } from '../../src/index.js';

await describeBackends(
  'LightCurveGPT save/load',
  () => {
    it('round-trips config and weights (same predictions) and rejects another kind', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lcgpt-'));
      try {
        const m = new LightCurveGPT({ patchSize: 4, maxPatches: 5, dim: 8, layers: 1, heads: 2, seed: 9 });
        await saveLightCurveGPT(dir, m);
        const again = await loadLightCurveGPT(dir);
        expect(again.config).toEqual(m.config);
        expect(again.namedParameters().map(([n]) => n)).toContain('blocks.0.attn.q.weight');
        const x = tf.randomNormal([1, 5, 4], 0, 1, 'float32', 1);
        const t = tf.zeros([1, 5]);
        const a = m.predictNext(x, t);
        const b = again.predictNext(x, t);
        expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
        tf.dispose([x, t, a, b]);
        m.dispose();
        again.dispose();
        const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, kind: 'something-else' }));
        await expect(loadLightCurveGPT(dir)).rejects.toThrow(SchemaError);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
  { backends: ['wasm'] },
);
