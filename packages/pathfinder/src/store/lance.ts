import { AbortError, SchemaError, ValueError } from '@astro/core';
import type { LiteratureRecord } from '../corpus/record.js';
import { LocalEncoderProvider, PathfinderTextEncoder, TEXT_ENCODER_KIND } from '../embed/encoder.js';
import type { EmbeddingProvider } from '../embed/provider.js';
import { recordHash } from '../index/hash.js';
import { LiteratureIndex, indexedText, type IndexField } from '../index/literature-index.js';
import type { Bm25Params } from '../retrieval/bm25.js';

/** Kind of a saved index's manifest. */
export const INDEX_KIND = '@astro/pathfinder/Index';
/** Schema version of the manifest. */
export const INDEX_SCHEMA = 1;

/** The manifest of a saved index (the `manifest` row of its `meta` table). */
export interface IndexManifest {
  kind: string;
  schemaVersion: number;
  /** Identity of the embedding model ({@link EmbeddingProvider.id}), or null for BM25 only. */
  embedderId: string | null;
  dim: number | null;
  fields: IndexField[];
  bm25: { k1: number; b: number };
  /** Records in the index when the manifest was written. */
  count: number;
}

/** Options of {@link indexCorpus}. */
export interface IndexCorpusOptions {
  /** Embedding model; with a {@link LocalEncoderProvider} its weights are stored in the index too. */
  embedder?: EmbeddingProvider;
  fields?: readonly IndexField[];
  bm25?: Bm25Params;
  /** Records embedded and committed per batch (default 256): a killed run loses at most one batch of work. */
  batchSize?: number;
  /** Object-store options passed to LanceDB (`aws_endpoint`, `aws_access_key_id`, …) for `s3://` URIs. */
  storageOptions?: Record<string, string>;
  signal?: AbortSignal;
  /** Called after each committed batch. */
  onBatch?: (done: number, total: number) => void;
}

/** What {@link indexCorpus} did. */
export interface IndexCorpusReport {
  added: number;
  changed: number;
  unchanged: number;
  /** Records already committed by an earlier (possibly killed) run of the same corpus. */
  total: number;
}

type Lance = typeof import('@lancedb/lancedb');
type Connection = Awaited<ReturnType<Lance['connect']>>;
type LTable = Awaited<ReturnType<Connection['openTable']>>;

let lance: Promise<Lance> | undefined;
function loadLance(): Promise<Lance> {
  // a non-literal specifier keeps bundlers (the browser demo) from pulling in the native module
  const name = '@lancedb/lancedb';
  lance ??= import(/* @vite-ignore */ name) as Promise<Lance>;
  return lance;
}

const RECORDS = 'records';
const META = 'meta';

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function connect(uri: string, storageOptions?: Record<string, string>): Promise<Connection> {
  const l = await loadLance();
  return l.connect(uri, storageOptions ? { storageOptions } : {});
}

async function tableOrUndefined(db: Connection, name: string): Promise<LTable | undefined> {
  // openTable rather than tableNames(): listing is not reliable on every object store
  try {
    return await db.openTable(name);
  } catch (e) {
    if (/not found|does not exist|was not found/i.test((e as Error).message)) return undefined;
    throw e;
  }
}

async function readMeta(db: Connection): Promise<Map<string, string>> {
  const t = await tableOrUndefined(db, META);
  const out = new Map<string, string>();
  if (!t) return out;
  for (const r of await t.query().toArray()) out.set(String(r.key), String(r.value));
  return out;
}

async function writeMeta(db: Connection, entries: Record<string, string>): Promise<void> {
  const rows = Object.entries(entries).map(([key, value]) => ({ key, value }));
  let t = await tableOrUndefined(db, META);
  if (!t) {
    await db.createTable(META, rows);
    return;
  }
  await t.delete(`key IN (${Object.keys(entries).map(sqlString).join(', ')})`);
  await t.add(rows);
}

function toRow(r: LiteratureRecord, vector: Float32Array | undefined): Record<string, unknown> {
  return {
    bibcode: r.bibcode,
    title: r.title,
    abstract: r.abstract,
    year: r.year,
    citation_count: r.citationCount,
    keywords: JSON.stringify(r.keywords),
    domain: r.domain ?? '',
    hash: recordHash(r),
    ...(vector ? { vector: Array.from(vector) } : {}),
  };
}

function fromRow(row: Record<string, unknown>): LiteratureRecord {
  const domain = String(row['domain'] ?? '');
  return {
    bibcode: String(row['bibcode']),
    title: String(row['title']),
    abstract: String(row['abstract']),
    year: Number(row['year']),
    citationCount: Number(row['citation_count']),
    keywords: JSON.parse(String(row['keywords'])) as string[],
    ...(domain ? { domain } : {}),
  };
}

function parseManifest(text: string | undefined, uri: string): IndexManifest {
  if (text === undefined) throw new SchemaError(`${uri} is not a Pathfinder index (no manifest)`);
  const m = JSON.parse(text) as IndexManifest;
  if (m.kind !== INDEX_KIND) throw new SchemaError(`${uri}: manifest kind '${m.kind}', expected '${INDEX_KIND}'`);
  if (m.schemaVersion !== INDEX_SCHEMA)
    throw new SchemaError(`${uri}: index schemaVersion ${m.schemaVersion}; this version reads ${INDEX_SCHEMA}`);
  return m;
}

/**
 * Build or update a persistent index at `uri` (a local folder, or an object-store URI such as
 * `s3://bucket/path` with `storageOptions`) with LanceDB. Records are embedded and committed in
 * batches, each an atomic LanceDB commit: re-running adds only new or changed bibcodes (by
 * content hash), and a run that was killed resumes where its last commit ended, losing
 * nothing. A changed record's old row is deleted before the new one is written; if a run dies
 * between the two, the record is simply pending again. The BM25 state and the manifest
 * (model identity, fields, dimension) are written last, in the `meta` table.
 * @throws {ValueError} when the index was built with another embedding model or fields.
 */
export async function indexCorpus(
  uri: string,
  records: readonly LiteratureRecord[],
  opts: IndexCorpusOptions = {},
): Promise<{ index: LiteratureIndex; report: IndexCorpusReport }> {
  const batchSize = opts.batchSize ?? 256;
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new ValueError(`indexCorpus: batchSize must be a positive integer, got ${batchSize}`);
  const fields = [...(opts.fields ?? ['title', 'abstract', 'keywords'])] as IndexField[];
  const db = await connect(uri, opts.storageOptions);
  const meta = await readMeta(db);
  const embedderId = opts.embedder?.id ?? null;
  const pendingModel = meta.get('pending');
  const previous = meta.get('manifest')
    ? parseManifest(meta.get('manifest'), uri)
    : pendingModel
      ? (JSON.parse(pendingModel) as IndexManifest)
      : undefined;
  if (previous && previous.embedderId !== embedderId) {
    throw new ValueError(
      `${uri} was indexed with embedder ${previous.embedderId ?? 'none'}, not ${embedderId ?? 'none'}; use a new folder to change models`,
    );
  }
  if (previous && previous.fields.join() !== fields.join())
    throw new ValueError(`${uri} indexes fields ${previous.fields.join(', ')}, not ${fields.join(', ')}`);
  // record the model before any row is written, so a resumed run is checked against it
  const draft: IndexManifest = {
    kind: INDEX_KIND,
    schemaVersion: INDEX_SCHEMA,
    embedderId,
    dim: opts.embedder?.dim ?? null,
    fields,
    bm25: { k1: opts.bm25?.k1 ?? 1.2, b: opts.bm25?.b ?? 0.75 },
    count: 0,
  };
  const extra: Record<string, string> = { pending: JSON.stringify(draft) };
  if (opts.embedder instanceof LocalEncoderProvider && !meta.has('encoder.config')) {
    const files = await opts.embedder.encoder.toFiles();
    extra['encoder.config'] = files.config;
    extra['encoder.weights'] = Buffer.from(files.weights).toString('base64');
  }
  await writeMeta(db, extra);
  let table = await tableOrUndefined(db, RECORDS);
  const stored = new Map<string, string>();
  if (table) for (const r of await table.query().select(['bibcode', 'hash']).toArray()) stored.set(String(r.bibcode), String(r.hash));
  const todo = records.filter((r) => stored.get(r.bibcode) !== recordHash(r));
  const changed = todo.filter((r) => stored.has(r.bibcode)).map((r) => r.bibcode);
  if (table && changed.length)
    for (let s = 0; s < changed.length; s += 500)
      await table.delete(
        `bibcode IN (${changed
          .slice(s, s + 500)
          .map(sqlString)
          .join(', ')})`,
      );
  for (let s = 0; s < todo.length; s += batchSize) {
    if (opts.signal?.aborted)
      throw new AbortError(`indexing aborted after ${s} of ${todo.length} pending records (committed work is kept; run again to resume)`);
    const batch = todo.slice(s, s + batchSize);
    const vec = opts.embedder
      ? await opts.embedder.embed(
          batch.map((r) => indexedText(r, fields)),
          { role: 'document', ...(opts.signal ? { signal: opts.signal } : {}) },
        )
      : undefined;
    const dim = vec ? vec.length / batch.length : 0;
    const rows = batch.map((r, i) => toRow(r, vec?.subarray(i * dim, (i + 1) * dim)));
    if (!table) table = await db.createTable(RECORDS, rows);
    else await table.add(rows);
    opts.onBatch?.(s + batch.length, todo.length);
  }
  const index = await loadRows(db, uri, draft, opts.embedder);
  const manifest: IndexManifest = { ...draft, dim: index.dense?.dim ?? null, count: index.size };
  await writeMeta(db, { manifest: JSON.stringify(manifest), bm25: JSON.stringify(index.bm25.toJSON()) });
  return {
    index,
    report: { added: todo.length - changed.length, changed: changed.length, unchanged: records.length - todo.length, total: index.size },
  };
}

async function loadRows(
  db: Connection,
  uri: string,
  manifest: IndexManifest,
  embedder: EmbeddingProvider | undefined,
  bm25Json?: string,
): Promise<LiteratureIndex> {
  const index = new LiteratureIndex({ ...(embedder ? { embedder } : {}), fields: manifest.fields, bm25: manifest.bm25 });
  const table = await tableOrUndefined(db, RECORDS);
  if (!table) return index;
  const rows = await table.query().toArray();
  const records = rows.map((r) => fromRow(r as Record<string, unknown>));
  let vectors: Float32Array | undefined;
  if (manifest.embedderId !== null && rows.length > 0) {
    const first = rows[0]!.vector as { toArray(): Float32Array } | undefined;
    if (!first) throw new SchemaError(`${uri}: records have no vector column`);
    const dim = first.toArray().length;
    vectors = new Float32Array(rows.length * dim);
    rows.forEach((r, i) => vectors!.set((r.vector as { toArray(): Float32Array }).toArray(), i * dim));
  }
  index.restore(records, vectors, bm25Json ? JSON.parse(bm25Json) : undefined);
  return index;
}

/**
 * Open an index written by {@link indexCorpus} into memory. The embedder defaults to the
 * package's encoder stored in the index; another model must have the identity the index
 * was built with.
 * @throws {SchemaError} when `uri` holds no Pathfinder index or one of another version.
 * @throws {ValueError} when `embedder` is not the model the index was built with.
 */
export async function openIndex(
  uri: string,
  opts: { embedder?: EmbeddingProvider; storageOptions?: Record<string, string> } = {},
): Promise<LiteratureIndex> {
  const db = await connect(uri, opts.storageOptions);
  const meta = await readMeta(db);
  const manifest = parseManifest(meta.get('manifest'), uri);
  let embedder = opts.embedder;
  if (!embedder && manifest.embedderId !== null) {
    const config = meta.get('encoder.config');
    const weights = meta.get('encoder.weights');
    if (!config || !weights) throw new ValueError(`${uri} was built with embedder ${manifest.embedderId}; pass that provider to openIndex`);
    const name = manifest.embedderId.slice(TEXT_ENCODER_KIND.length + 1).split(':')[0] || 'local';
    embedder = new LocalEncoderProvider(
      PathfinderTextEncoder.fromFiles({ config, weights: new Uint8Array(Buffer.from(weights, 'base64')) }),
      name,
    );
  }
  if ((embedder?.id ?? null) !== manifest.embedderId)
    throw new ValueError(`${uri} was built with embedder ${manifest.embedderId ?? 'none'}, not ${embedder?.id ?? 'none'}`);
  return loadRows(db, uri, manifest, embedder, meta.get('bm25'));
}

/** The package's own encoder stored in an index (undefined when there is none or no index). */
export async function storedEncoder(
  uri: string,
  opts: { storageOptions?: Record<string, string> } = {},
): Promise<LocalEncoderProvider | undefined> {
  const db = await connect(uri, opts.storageOptions);
  const meta = await readMeta(db);
  const config = meta.get('encoder.config');
  const weights = meta.get('encoder.weights');
  const m = meta.get('manifest') ?? meta.get('pending');
  if (!config || !weights || !m) return undefined;
  const id = (JSON.parse(m) as IndexManifest).embedderId ?? '';
  const name = id.slice(TEXT_ENCODER_KIND.length + 1).split(':')[0] || 'local';
  return new LocalEncoderProvider(
    PathfinderTextEncoder.fromFiles({ config, weights: new Uint8Array(Buffer.from(weights, 'base64')) }),
    name,
  );
}

/** Dense top-k straight from LanceDB's vector search (cosine), without loading the index: for corpora larger than memory. */
export async function lanceSearch(
  uri: string,
  queryVector: Float32Array,
  k: number,
  opts: { storageOptions?: Record<string, string> } = {},
): Promise<{ bibcode: string; distance: number }[]> {
  const db = await connect(uri, opts.storageOptions);
  const table = await tableOrUndefined(db, RECORDS);
  if (!table) throw new SchemaError(`${uri} has no records table`);
  const rows = await table.vectorSearch(Array.from(queryVector)).distanceType('cosine').select(['bibcode']).limit(k).toArray();
  return rows.map((r) => ({ bibcode: String(r.bibcode), distance: Number(r._distance) }));
}
