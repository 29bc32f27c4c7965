import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, SchemaError, ready, tf } from '@astro/core';
import {
  PathfinderTextEncoder,
  SubwordTokenizer,
  infoNce,
  readCorpus,
  trainTextEncoder,
  UNK_ID,
  type LiteratureRecord,
} from '../src/index.js';
import { adsPath } from './data.js';

describe('SubwordTokenizer', () => {
  it('learns merges of frequent pairs and encodes greedily', () => {
    const tok = SubwordTokenizer.train(['galaxy galaxy galaxy galaxies galaxies star stars stars'], { vocabSize: 40, minWordCount: 1 });
    const ids = tok.encode('galaxy stars');
    expect(tok.pieces(ids).join(' ')).toBe('galaxy stars');
    // an unseen word of known characters is split into pieces; an unknown character is [UNK]
    const pieces = tok.pieces(tok.encode('sale'));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('').replace(/##/g, '')).toBe('sale');
    expect(tok.encode('Ω')).toEqual([UNK_ID]);
    expect(() => new SubwordTokenizer(['a', 'b'])).toThrow(SchemaError);
  });
});

describe('InfoNCE', () => {
  it('equals the closed form for two pairs', async () => {
    await ready({ backend: 'cpu' });
    const q = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const d = tf.tensor2d([
      [0.6, 0.8],
      [0, 1],
    ]);
    const l = (await infoNce(q, d, 0.5).data())[0]!;
    const ce = (row: number[], t: number): number => -(row[t]! - Math.log(row.reduce((s, x) => s + Math.exp(x), 0)));
    const L = [
      [0.6 / 0.5, 0],
      [0.8 / 0.5, 1 / 0.5],
    ];
    const rows = (ce(L[0]!, 0) + ce(L[1]!, 1)) / 2;
    const cols = (ce([L[0]![0]!, L[1]![0]!], 0) + ce([L[0]![1]!, L[1]![1]!], 1)) / 2;
    expect(l).toBeCloseTo((rows + cols) / 2, 5);
    tf.dispose([q, d]);
  });
});

describe('PathfinderTextEncoder on the real abstracts', () => {
  const path = adsPath();
  it.runIf(path)(
    'trains through core fit (loss falls), saves, reloads bit-identically and rejects bad files',
    async () => {
      await ready({ backend: 'wasm' });
      const { records } = await readCorpus(path!);
      const sub: LiteratureRecord[] = records.slice(0, 96);
      const before = tf.memory().numTensors;
      const { encoder, loss } = await trainTextEncoder(sub, { epochs: 6, vocabSize: 1000, width: 32, dim: 32, seed: 3, batchSize: 16 });
      expect(loss.length).toBe(6);
      expect(loss[5]!).toBeLessThan(loss[0]! * 0.8);
      const texts = sub.slice(0, 5).map((r) => r.title);
      const e1 = await encoder.encode(texts);
      for (let i = 0; i < 5; i++) {
        let n2 = 0;
        for (let j = 0; j < 32; j++) n2 += e1[i * 32 + j]! ** 2;
        expect(n2).toBeCloseTo(1, 5);
      }
      const dir = await mkdtemp(join(tmpdir(), 'pf-enc-'));
      await encoder.save(dir);
      const cfg = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
      expect(cfg.kind).toBe('@astro/pathfinder/TextEncoder');
      const again = await PathfinderTextEncoder.load(dir);
      expect(Array.from(await again.encode(texts))).toEqual(Array.from(e1));
      again.dispose();
      // the same seed gives the same weights
      const twin = await trainTextEncoder(sub, { epochs: 6, vocabSize: 1000, width: 32, dim: 32, seed: 3, batchSize: 16 });
      expect(twin.loss).toEqual(loss);
      twin.encoder.dispose();
      encoder.dispose();
      expect(tf.memory().numTensors).toBe(before);
      await writeFile(join(dir, 'config.json'), JSON.stringify({ ...cfg, kind: '@astro/other/Model' }));
      await expect(PathfinderTextEncoder.load(dir)).rejects.toThrow(SchemaError);
      await writeFile(join(dir, 'config.json'), JSON.stringify(cfg));
      const w = await readFile(join(dir, 'model.safetensors'));
      await writeFile(join(dir, 'model.safetensors'), w.subarray(0, w.length - 100));
      await expect(PathfinderTextEncoder.load(dir)).rejects.toThrow(FormatError);
    },
    120_000,
  );
});
