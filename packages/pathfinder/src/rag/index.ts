export { complete, type LlmOptions } from './llm.js';
export { chunkText, chunkRecords, type Chunk } from './chunks.js';
export { filterCitations, type CitationCheck } from './citations.js';
export { hydePrompt, hydeDocuments, hydeVector, type HydeOptions } from './hyde.js';
export { rerank, rerankPrompt, type RerankOptions, type Reranked } from './rerank.js';
export { ask, askPrompt, type AskOptions, type AskResult } from './ask.js';
