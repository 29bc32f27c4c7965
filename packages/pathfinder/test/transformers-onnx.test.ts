import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransformersEmbeddings } from '../src/index.js';

/**
 * A real ONNX model through transformers.js, offline: test/fixtures/tiny-onnx is a seeded
 * BERT-shaped toy encoder (hidden size 8) with a WordLevel tokenizer, written by
 * tools/fixtures/pathfinder_tiny_onnx.py together with PyTorch's masked-mean, L2-normalised
 * embeddings of three sentences (expected.json). Only the committed files are read here.
 */
const folder = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'tiny-onnx');

interface Expected {
  dim: number;
  sentences: string[];
  input_ids: number[][];
  embeddings: number[][];
}

describe('TransformersEmbeddings on a tiny real ONNX model', () => {
  let expected: Expected;
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];

  beforeAll(async () => {
    expected = JSON.parse(await readFile(join(folder, 'expected.json'), 'utf8')) as Expected;
    // Any network request fails the test (and is recorded): the folder must be the only source.
    globalThis.fetch = ((input: Parameters<typeof fetch>[0]) => {
      fetched.push(String(input instanceof Request ? input.url : input));
      return Promise.reject(new Error(`network access during an offline model load: ${String(input)}`));
    }) as typeof fetch;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  it('tokenises as the Python reference did (lowercase, whitespace, [UNK], [CLS] … [SEP])', async () => {
    const hf = await import('@huggingface/transformers');
    hf.env.allowRemoteModels = false;
    hf.env.localModelPath = '';
    const tok = await hf.AutoTokenizer.from_pretrained(folder);
    for (let i = 0; i < expected.sentences.length; i++) {
      expect(tok.encode(expected.sentences[i]!)).toEqual(expected.input_ids[i]);
    }
    expect(fetched).toEqual([]);
  }, 60_000);

  it('matches PyTorch to 1e-5 in a padded batch, with dimension 8 and unit norms, without the network', async () => {
    const emb = await TransformersEmbeddings.load(folder);
    const hf = await import('@huggingface/transformers');
    expect(hf.env.allowRemoteModels).toBe(false);
    expect(emb.dim).toBeUndefined();

    const out = await emb.embed(expected.sentences);
    expect(emb.dim).toBe(8);
    expect(expected.dim).toBe(8);
    expect(out).toHaveLength(expected.sentences.length * 8);
    let maxDiff = 0;
    for (let i = 0; i < expected.sentences.length; i++) {
      const row = out.subarray(i * 8, (i + 1) * 8);
      expect(Math.hypot(...row)).toBeCloseTo(1, 5);
      for (let j = 0; j < 8; j++) maxDiff = Math.max(maxDiff, Math.abs(row[j]! - expected.embeddings[i]![j]!));
    }
    expect(maxDiff).toBeLessThan(1e-5);

    // Each sentence alone (no padding) gives the same vector as in the padded batch.
    for (let i = 0; i < expected.sentences.length; i++) {
      const one = await emb.embed([expected.sentences[i]!]);
      for (let j = 0; j < 8; j++) expect(Math.abs(one[j]! - expected.embeddings[i]![j]!)).toBeLessThan(1e-5);
    }
    // The three sentences are not the same vector (the model is not degenerate).
    const cos = (a: number, b: number) => expected.embeddings[a]!.reduce((s, v, k) => s + v * expected.embeddings[b]![k]!, 0);
    expect(Math.max(cos(0, 1), cos(0, 2), cos(1, 2))).toBeLessThan(0.999);
    expect(fetched).toEqual([]);
  }, 60_000);
});
