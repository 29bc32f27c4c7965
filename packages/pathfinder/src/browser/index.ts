/**
 * `@astro/pathfinder/browser`: the browser-safe part of the package (no Node built-ins,
 * LanceDB, llama.cpp or transformers.js): corpus parsing from text, BM25, dense search with
 * core's `topK`, the in-memory {@link LiteratureIndex}, Pathfinder's scoring and the package's
 * own text encoder (loaded from its two files with `PathfinderTextEncoder.fromFiles`).
 * @packageDocumentation
 */
export type { LiteratureRecord, Corpus, CorpusOptions, CorpusReport } from '../corpus/record.js';
export { normalizeRecords } from '../corpus/normalize.js';
export { parseJsonl, parseJsonArray, parseCsv, parseArrowCorpus, parseCorpus } from '../corpus/read.js';
export * from '../text/index.js';
export * from '../scoring/index.js';
export * from '../retrieval/index.js';
export * from '../index/index.js';
export type { EmbeddingProvider } from '../embed/provider.js';
export { PathfinderTextEncoder, LocalEncoderProvider, TEXT_ENCODER_KIND } from '../embed/encoder.js';
export { trainTextEncoder, infoNce, sentences } from '../embed/train.js';
export { filterCitations } from '../rag/citations.js';
export { chunkText, chunkRecords } from '../rag/chunks.js';
