export type { LiteratureRecord, Corpus, CorpusOptions, CorpusReport, MissingAbstract, DuplicateBibcodes } from './record.js';
export { normalizeRecords, type RawRecord } from './normalize.js';
export {
  parseJsonl,
  parseJsonArray,
  parseCsv,
  parseArrowCorpus,
  parseCorpus,
  readCorpus,
  formatFromPath,
  type CorpusFormat,
} from './read.js';
export { adsAbstractsPath } from './data.js';
