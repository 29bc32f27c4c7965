import { FormatError, SchemaError } from '../errors/index.js';
import { encodeTensors, parseSafetensors, readBytes, safetensorsToTensors } from '../io/index.js';
import { CHECKPOINT_KIND, CHECKPOINT_SCHEMA_VERSION, type CheckpointMeta, type TrainingCheckpoint } from './checkpoint.js';
import { writeFileAtomic } from './fs.js';

const META_KEY = 'astro.checkpoint';

/**
 * Encode a training checkpoint as one safetensors file (browser-safe): the tensors under
 * their names (`model.*`, `optim.*`, `best.*`, float32 stored exactly) and the JSON
 * {@link CheckpointMeta} in `__metadata__["astro.checkpoint"]` (doubles round-trip exactly).
 */
export async function encodeCheckpoint(ckpt: TrainingCheckpoint): Promise<Uint8Array> {
  const meta = { ...ckpt.meta, earlyStopping: { ...ckpt.meta.earlyStopping } };
  // JSON has no Infinity: "no best value yet" is stored as null.
  const json = JSON.stringify(meta, (k, v: unknown) => (k === 'best' && v === Infinity ? null : v));
  return encodeTensors(ckpt.tensors, { metadata: { [META_KEY]: json, format: 'pt' } });
}

function bad(msg: string): FormatError {
  return new FormatError('checkpoint', msg);
}

/**
 * Decode bytes from {@link encodeCheckpoint}. Throws {@link FormatError} for a corrupt file or
 * missing metadata and {@link SchemaError} for another kind or schema version. The returned
 * tensors are owned by the caller (dispose them, e.g. with `disposeCheckpoint`).
 */
export function decodeCheckpoint(bytes: Uint8Array): TrainingCheckpoint {
  const file = parseSafetensors(bytes);
  const raw = file.metadata[META_KEY];
  if (raw === undefined) throw bad(`no '${META_KEY}' entry in the safetensors metadata: not a training checkpoint`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(raw) as CheckpointMeta;
  } catch (e) {
    throw new FormatError('checkpoint', `metadata is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (meta === null || typeof meta !== 'object') throw bad('metadata is not an object');
  if (meta.kind !== CHECKPOINT_KIND) throw new SchemaError(`expected kind '${CHECKPOINT_KIND}', found '${String(meta.kind)}'`);
  if (meta.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) {
    throw new SchemaError(`training checkpoint schemaVersion ${meta.schemaVersion}; this version reads ${CHECKPOINT_SCHEMA_VERSION}`);
  }
  const ints = ['epoch', 'batchInEpoch', 'globalStep', 'epochSamples'] as const;
  for (const k of ints) if (!Number.isInteger(meta[k]) || meta[k] < 0) throw bad(`'${k}' must be an integer ≥ 0, got ${meta[k]}`);
  const rs = meta.epochRngState as unknown;
  const words = Array.isArray(rs) ? rs : (rs as { words?: unknown } | null)?.words;
  if (!Array.isArray(words) || words.length !== 4) throw bad('epochRngState must hold 4 words');
  if (!meta.history || !meta.earlyStopping || !meta.optimizer || !meta.run)
    throw bad('metadata lacks history, earlyStopping, optimizer or run');
  if ((meta.earlyStopping.best as number | null) === null) meta.earlyStopping.best = Infinity;
  return { meta, tensors: safetensorsToTensors(file) };
}

/** Write a checkpoint to `path` atomically (a temporary file, then a rename). Node only. */
export async function saveCheckpoint(path: string, ckpt: TrainingCheckpoint): Promise<void> {
  await writeFileAtomic(path, await encodeCheckpoint(ckpt));
}

/** Read a checkpoint written by {@link saveCheckpoint}. Node only. */
export async function loadCheckpoint(path: string): Promise<TrainingCheckpoint> {
  return decodeCheckpoint(await readBytes(path));
}
