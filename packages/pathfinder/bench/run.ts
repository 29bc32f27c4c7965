/**
 * Pathfinder benchmark: index build rate and top-10 query latency at 1e4, 1e5 and 1e6
 * synthetic records built from the 300 real ADS abstracts, in memory (core topK, MiniSearch
 * BM25) vs LanceDB (local folder, brute-force vector search, no ANN index).
 *   cd packages/pathfinder && ASTRO_BACKEND=wasm npx tsx bench/run.ts        (PF_BENCH_SIZES=1e4,1e5 to shorten)
 * Synthetic record i: sentences of real abstracts drawn with core's Rng; its vector is the
 * local encoder's embedding of a real abstract plus Gaussian noise (σ = 0.05 per component),
 * so 1e6 records need no 1e6 encoder calls. The encoder's own rate is measured on 1e4 texts.
 * BM25 runs up to PF_BM25_MAX (default 1e4) records and LanceDB up to PF_LANCE_MAX (default 1e5):
 * on this shared 2-core machine MiniSearch indexed ~340 synthetic abstracts/s and LanceDB wrote
 * ~1300 rows/s from JS objects, so 1e6 runs the in-memory dense path only.
 * Writes bench/results/pathfinder.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, ready } from '@astro/core';
import { Bm25Index, DenseIndex, LocalEncoderProvider, adsAbstractsPath, readCorpus, sentences, trainTextEncoder } from '../src/index.js';

const info = await ready({ backend: (process.env['ASTRO_BACKEND'] as 'wasm' | 'cpu' | undefined) ?? 'wasm' });
const sizes = (process.env['PF_BENCH_SIZES'] ?? '1e4,1e5,1e6').split(',').map(Number);
const bm25Max = Number(process.env['PF_BM25_MAX'] ?? 1e4);
const lanceMax = Number(process.env['PF_LANCE_MAX'] ?? 1e5);
const { records } = await readCorpus(adsAbstractsPath());
const rng = new Rng(11);
const pool = records.flatMap((r) => sentences(r.abstract));
const synthText = (): string => Array.from({ length: 4 }, () => pool[rng.below(pool.length)]!).join(' ');
const { encoder } = await trainTextEncoder(records, { epochs: 10, seed: 1 });
const emb = new LocalEncoderProvider(encoder, 'bench');
const dim = encoder.dim;
const base = await emb.embed(records.map((r) => r.abstract));
const queries = records.slice(0, 20).map((r) => r.title);
const qv = await emb.embed(queries);
const ms = (t: number): number => Math.round((performance.now() - t) * 100) / 100;
const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;

// encoder throughput on 1e4 synthetic texts
const encTexts = Array.from({ length: 10_000 }, synthText);
let t = performance.now();
await emb.embed(encTexts);
const encodePerSec = 10_000 / ((performance.now() - t) / 1000);
console.log(`encoder: ${encodePerSec.toFixed(0)} texts/s (${info.backend})`);

const lance = (await import('@lancedb/lancedb')) as typeof import('@lancedb/lancedb');
const rows: Record<string, unknown>[] = [];
for (const n of sizes) {
  const vec = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const b = rng.below(records.length);
    for (let j = 0; j < dim; j++) vec[i * dim + j] = base[b * dim + j]! + 0.05 * rng.normal();
  }
  const ids = Array.from({ length: n }, (_, i) => `syn${i}`);
  // in memory: dense
  t = performance.now();
  const dense = new DenseIndex(dim, n);
  dense.add(ids, vec);
  const denseBuild = ms(t);
  const lat: number[] = [];
  for (let q = 0; q < queries.length; q++) {
    t = performance.now();
    await dense.search(qv.subarray(q * dim, (q + 1) * dim), 10);
    lat.push(ms(t));
  }
  // in memory: BM25
  let bm25Build: number | null = null;
  let bm25Lat: number | null = null;
  if (n <= bm25Max) {
    const bm = new Bm25Index();
    const docs = Array.from({ length: n }, (_, i) => ({ id: ids[i]!, text: synthText() }));
    t = performance.now();
    bm.add(docs);
    bm25Build = ms(t);
    const bl: number[] = [];
    for (const q of queries) {
      t = performance.now();
      bm.search(q, 10);
      bl.push(ms(t));
    }
    bm25Lat = median(bl);
  }
  // LanceDB: write in batches of 10 000, then brute-force cosine search
  let lanceBuild: number | null = null;
  const ll: number[] = [];
  if (n <= lanceMax) {
    const dir = await mkdtemp(join(tmpdir(), 'pf-bench-'));
    const db = await lance.connect(dir);
    t = performance.now();
    let table: Awaited<ReturnType<typeof db.createTable>> | undefined;
    for (let s = 0; s < n; s += 10_000) {
      const batch = Array.from({ length: Math.min(10_000, n - s) }, (_, i) => ({
        bibcode: ids[s + i]!,
        vector: Array.from(vec.subarray((s + i) * dim, (s + i + 1) * dim)),
      }));
      if (!table) table = await db.createTable('records', batch);
      else await table.add(batch);
    }
    lanceBuild = ms(t);
    for (let q = 0; q < queries.length; q++) {
      t = performance.now();
      await table!
        .vectorSearch(Array.from(qv.subarray(q * dim, (q + 1) * dim)))
        .distanceType('cosine')
        .select(['bibcode', '_distance'])
        .limit(10)
        .toArray();
      ll.push(ms(t));
    }
    await rm(dir, { recursive: true, force: true });
  }
  const row = {
    records: n,
    dim,
    memory_dense_build_per_s: Math.round(n / (denseBuild / 1000)),
    memory_dense_top10_ms: median(lat),
    memory_bm25_build_per_s: bm25Build === null ? null : Math.round(n / (bm25Build / 1000)),
    memory_bm25_top10_ms: bm25Lat,
    lancedb_write_per_s: lanceBuild === null ? null : Math.round(n / (lanceBuild / 1000)),
    lancedb_top10_ms: ll.length ? median(ll) : null,
    lancedb_vs_memory_latency: ll.length ? Math.round((median(ll) / median(lat)) * 100) / 100 : null,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
}
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(
  new URL('./results/pathfinder.json', import.meta.url),
  JSON.stringify(
    {
      backend: info.backend,
      date: new Date().toISOString(),
      encoder_texts_per_s: Math.round(encodePerSec),
      note: 'medians over 20 title queries; single-threaded shared machine (load average > 20 while measured)',
      rows,
    },
    null,
    2,
  ) + '\n',
);
