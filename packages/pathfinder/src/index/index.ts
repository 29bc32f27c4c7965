export {
  LiteratureIndex,
  indexedText,
  type SearchMode,
  type SearchOptions,
  type SearchHit,
  type IndexField,
  type LiteratureIndexOptions,
  type UpsertReport,
} from './literature-index.js';
export { recordHash, fnv1a64 } from './hash.js';
