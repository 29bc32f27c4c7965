import { readFile } from 'node:fs/promises';
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
 */
export async function loadMcq(path: string, options: LoadMcqOptions = {}): Promise<McqItem[]> {
  const text = await readFile(path, 'utf8');
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
