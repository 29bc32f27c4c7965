import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import S3rver from 's3rver';
import { ready } from '@astro/core';
import {
  LocalEncoderProvider,
  PathfinderTextEncoder,
  SubwordTokenizer,
  indexCorpus,
  openIndex,
  readCorpus,
  type LiteratureRecord,
} from '../src/index.js';
import { adsPath } from './data.js';

const path = adsPath();
describe.runIf(path)('the same store code on an object-store URI (s3rver on loopback)', () => {
  let s3: S3rver;
  let storageOptions: Record<string, string>;
  let records: LiteratureRecord[];
  beforeAll(async () => {
    await ready({ backend: 'wasm' });
    s3 = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: await mkdtemp(join(tmpdir(), 'pf-s3rver-')),
      configureBuckets: [{ name: 'pathfinder', configs: [] }],
    });
    const { port } = await s3.run();
    storageOptions = {
      aws_endpoint: `http://127.0.0.1:${port}`,
      aws_access_key_id: 'S3RVER',
      aws_secret_access_key: 'S3RVER',
      aws_region: 'us-east-1',
      allow_http: 'true',
      aws_virtual_hosted_style_request: 'false',
    };
    records = (await readCorpus(path!)).records.slice(0, 60);
  });
  afterAll(async () => s3?.close());

  it('indexes incrementally to s3://, reopens, and searches as the local folder does', async () => {
    const tok = SubwordTokenizer.train(
      records.map((r) => r.abstract),
      { vocabSize: 400 },
    );
    const embedder = new LocalEncoderProvider(new PathfinderTextEncoder(tok, { width: 16, dim: 16, seed: 5 }), 's3');
    const uri = 's3://pathfinder/ads/index';
    const first = await indexCorpus(uri, records.slice(0, 40), { embedder, storageOptions, batchSize: 16 });
    expect(first.report).toEqual({ added: 40, changed: 0, unchanged: 0, total: 40 });
    const second = await indexCorpus(uri, records, { embedder, storageOptions, batchSize: 16 });
    expect(second.report).toEqual({ added: 20, changed: 0, unchanged: 40, total: 60 });
    const remote = await openIndex(uri, { storageOptions });
    const local = (await indexCorpus(join(await mkdtemp(join(tmpdir(), 'pf-s3-local-')), 'idx'), records, { embedder })).index;
    for (const q of ['dark matter', records[7]!.title]) {
      const a = await remote.search(q, { k: 5 });
      const b = await local.search(q, { k: 5 });
      expect(a.map((h) => h.record.bibcode)).toEqual(b.map((h) => h.record.bibcode));
    }
  }, 180_000);
});
