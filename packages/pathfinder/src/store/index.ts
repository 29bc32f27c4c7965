export {
  indexCorpus,
  openIndex,
  lanceSearch,
  storedEncoder,
  INDEX_KIND,
  INDEX_SCHEMA,
  type IndexManifest,
  type IndexCorpusOptions,
  type IndexCorpusReport,
} from './lance.js';
