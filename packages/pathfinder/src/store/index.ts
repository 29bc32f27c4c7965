export { indexCorpus, openIndex, lanceSearch, INDEX_KIND, INDEX_SCHEMA, type IndexManifest, type IndexCorpusOptions, type IndexCorpusReport } from './lance.js';
