/** One literature record, as the Astrophysics Data System (ADS) describes a paper. */
export interface LiteratureRecord {
  /** ADS bibcode, e.g. `2020A&A...641A...6P`: the record's unique identity. */
  bibcode: string;
  /** Title. */
  title: string;
  /** Abstract ('' for a record indexed by its title alone, see {@link CorpusOptions.missingAbstract}). */
  abstract: string;
  /** Publication year (a calendar year, e.g. 2020). */
  year: number;
  /** Number of citations in ADS (0 when the source gives none). */
  citationCount: number;
  /** Keywords (ADS `keyword` field: author and journal keywords), possibly empty. */
  keywords: string[];
  /** Optional subject domain (e.g. `astronomy`, `planetary`). */
  domain?: string;
}

/** How a reader treats records without an abstract. */
export type MissingAbstract = 'title' | 'skip' | 'error';

/** How a reader treats a bibcode that appears more than once. */
export type DuplicateBibcodes = 'error' | 'last' | 'first';

/** Options of the corpus readers. */
export interface CorpusOptions {
  /**
   * Records with an empty or absent abstract: `'title'` (default) keeps them and indexes the
   * title alone; `'skip'` drops them; `'error'` throws a `SchemaError` naming the first one.
   * Either way they are listed in {@link CorpusReport.missingAbstract}.
   */
  missingAbstract?: MissingAbstract;
  /**
   * A bibcode seen twice: `'error'` (default) throws a `SchemaError` naming it and both
   * positions; `'last'` keeps the later record (a newer harvest), `'first'` the earlier one.
   * Either way the bibcodes are listed in {@link CorpusReport.duplicates}.
   */
  duplicates?: DuplicateBibcodes;
  /** Name of the source in error messages (default: the path, or `'corpus'`). */
  source?: string;
}

/** What a reader did besides returning records. */
export interface CorpusReport {
  /** Bibcodes of records without an abstract (kept with their title, or skipped). */
  missingAbstract: string[];
  /** Bibcodes that appeared more than once. */
  duplicates: string[];
  /** Records read before de-duplication and skipping. */
  rowsRead: number;
}

/** Records plus the reader's report. */
export interface Corpus {
  records: LiteratureRecord[];
  report: CorpusReport;
}
