import { ValueError } from '@astro/core/errors';
import { readInputText } from '@astro/core/cli';
import { basename, extname } from 'node:path';
import { parseMmluCsv } from './csv.js';
import { parseMcqJson, parseMcqJsonl, type OnInvalid } from './records.js';
import type { McqItem } from './types.js';

/** Options of {@link loadMcq}. */
export interface LoadMcqOptions {
  /** Keep only the first `limit` items (after `offset`). */
  limit?: number;
  /** Skip this many items first. */
  offset?: number;
  /** Topic for CSV files without a topic column (default: the file name without extension). */
  topic?: string;
  /**
   * Receive malformed records and skip them (e.g. Astro-QA record 876 has no option D);
   * without it the first malformed record throws a {@link DatasetError}.
   */
  onInvalid?: OnInvalid;
}

/**
 * Load a multiple-choice dataset from disk, choosing the parser by extension: `.json`
 * (Astro-QA `astro-qa-en.json`, AstroMLab-1 arrays), `.jsonl`, `.csv` (MMLU style).
 * A missing, empty or unreadable file or a directory is a `FileError`, binary content a `FormatError`,
 * each naming the path; malformed records are {@link DatasetError}s.
 * @throws {ValueError} if `limit` is not a positive integer or `offset` a non-negative one.
 */
export async function loadMcq(path: string, options: LoadMcqOptions = {}): Promise<McqItem[]> {
  if (options.limit !== undefined && !(Number.isSafeInteger(options.limit) && options.limit >= 1))
    throw new ValueError(`loadMcq: limit must be a positive integer, got ${options.limit}`);
  if (options.offset !== undefined && !(Number.isSafeInteger(options.offset) && options.offset >= 0))
    throw new ValueError(`loadMcq: offset must be a non-negative integer, got ${options.offset}`);
  const text = await readInputText(path);
  const source = basename(path);
  const ext = extname(path).toLowerCase();
  let items: McqItem[];
  const on = options.onInvalid;
  if (ext === '.csv') items = parseMmluCsv(text, { source, topic: options.topic ?? basename(path, ext), ...(on ? { onInvalid: on } : {}) });
  else if (ext === '.jsonl' || ext === '.ndjson') items = parseMcqJsonl(text, source, on);
  else items = parseMcqJson(text, source, on);
  const offset = options.offset ?? 0;
  return items.slice(offset, options.limit === undefined ? undefined : offset + options.limit);
}
