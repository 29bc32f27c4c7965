/** Dataset loaders: AstroMLab-1 / Astro-QA JSON, MMLU CSV, JSONL, open-response items. */
export * from './types.js';
export { DatasetError } from './errors.js';
export { toMcqItem, assertUniqueIds, type RawMcq } from './mcq.js';
export { mcqFromRecord, parseMcqJson, parseMcqJsonl, parseJsonLines, collect, type OnInvalid } from './records.js';
export { parseCsvRows, parseMmluCsv } from './csv.js';
export { parseOpenJsonl } from './open.js';
export { loadMcq, type LoadMcqOptions } from './load.js';
