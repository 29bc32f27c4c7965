import { DatasetError } from './errors.js';
import { assertUniqueIds, toMcqItem } from './mcq.js';
import type { McqItem } from './types.js';

/** Read a field by any of several key spellings (`question`, `Question`, ...). */
function field(rec: Record<string, unknown>, ...keys: string[]): unknown {
  for (const k of keys) if (k in rec) return rec[k];
  return undefined;
}

function idOf(rec: Record<string, unknown>, position: number): string {
  const id = field(rec, 'id', 'ID', 'Id', 'qid', 'question_id');
  return id === undefined || id === null || String(id).trim() === '' ? `#${position}` : String(id).trim();
}

/**
 * Convert one JSON object to an MCQ item. Accepts the shapes used by AstroMLab-1
 * (`question`, `A`–`D`, `answer`, optional `topic`), Astro-QA (`ID`, `Question`, `A`–`D`,
 * `Answer`, `Parse`) and generic records with a `choices`/`options` array. `position` is the
 * 1-based record number used in error messages when the record has no id.
 */
export function mcqFromRecord(rec: unknown, position: number, source: string): McqItem {
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) {
    throw new DatasetError(source, `#${position}`, 'is not a JSON object');
  }
  const r = rec as Record<string, unknown>;
  const id = idOf(r, position);
  const arr = field(r, 'choices', 'options', 'Choices', 'Options');
  let choices: unknown[];
  if (Array.isArray(arr)) {
    choices = arr;
  } else {
    choices = [];
    for (const letter of ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J']) {
      const v = field(r, letter, letter.toLowerCase());
      if (v === undefined) {
        if (letter <= 'D')
          choices.push(undefined); // four options are required
        else break;
      } else choices.push(v);
    }
  }
  return toMcqItem(
    {
      id,
      question: field(r, 'question', 'Question', 'prompt'),
      choices,
      answer: field(r, 'answer', 'Answer', 'label', 'answer_index', 'correct'),
      topic: field(r, 'topic', 'Topic', 'subject', 'category'),
      explanation: field(r, 'explanation', 'Parse', 'parse', 'rationale'),
    },
    source,
  );
}

/**
 * Called with each malformed record when a loader is asked to skip them; without it the
 * first malformed record throws.
 */
export type OnInvalid = (error: DatasetError) => void;

/** Convert records, either throwing on the first malformed one or reporting and skipping it. */
export function collect<T>(
  records: { value: unknown; position: number }[],
  convert: (v: unknown, pos: number) => T,
  onInvalid?: OnInvalid,
): T[] {
  const out: T[] = [];
  for (const { value, position } of records) {
    try {
      out.push(convert(value, position));
    } catch (e) {
      if (!onInvalid || !(e instanceof DatasetError)) throw e;
      onInvalid(e);
    }
  }
  return out;
}

/**
 * Parse a JSON array of MCQ records (Astro-QA, AstroMLab-1 style). `source` names the file;
 * `onInvalid`, when given, receives malformed records, which are skipped.
 */
export function parseMcqJson(text: string, source = 'json', onInvalid?: OnInvalid): McqItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DatasetError(source, 'file', `is not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) {
    const inner =
      typeof data === 'object' && data !== null
        ? ((data as Record<string, unknown>)['questions'] ?? (data as Record<string, unknown>)['data'])
        : undefined;
    if (!Array.isArray(inner)) throw new DatasetError(source, 'file', 'expected a JSON array of records (or {"questions": [...]})');
    data = inner;
  }
  const records = (data as unknown[]).map((value, i) => ({ value, position: i + 1 }));
  const items = collect(records, (v, pos) => mcqFromRecord(v, pos, source), onInvalid);
  assertUniqueIds(items, source);
  return items;
}

/** Parse JSON Lines (one record per non-empty line) into MCQ items; `onInvalid` as in {@link parseMcqJson}. */
export function parseMcqJsonl(text: string, source = 'jsonl', onInvalid?: OnInvalid): McqItem[] {
  const records = parseJsonLines(text, source).map(({ value, line }) => ({ value, position: line }));
  const items = collect(records, (v, pos) => mcqFromRecord(v, pos, source), onInvalid);
  assertUniqueIds(items, source);
  return items;
}

/** Split JSON Lines text into parsed values with their 1-based line numbers. */
export function parseJsonLines(text: string, source: string): { value: unknown; line: number }[] {
  const out: { value: unknown; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push({ value: JSON.parse(line), line: i + 1 });
    } catch (e) {
      throw new DatasetError(source, `line ${i + 1}`, `is not valid JSON (${(e as Error).message})`);
    }
  });
  return out;
}
