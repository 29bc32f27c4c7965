import { FormatError } from '@astro/core/errors';

/**
 * A dataset record was malformed: missing field or option, or an answer that is not among the
 * options. `record` names the record (its id or its 1-based position) and `source` the file.
 */
export class DatasetError extends FormatError {
  /** Identifier or 1-based position of the offending record. */
  readonly record: string;
  constructor(source: string, record: string, message: string) {
    super(source, `record ${record}: ${message}`);
    this.record = record;
  }
}
