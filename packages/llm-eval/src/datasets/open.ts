import { DatasetError } from './errors.js';
import { assertUniqueIds } from './mcq.js';
import { parseJsonLines } from './records.js';
import type { OpenItem } from './types.js';

/**
 * Parse open-response items from JSON Lines: `{id, question, reference, rubric}` where
 * `reference` (alias `answer`) is the reference answer and `rubric` a string or list of
 * criteria. Missing question, reference or rubric → {@link DatasetError} naming the record.
 */
export function parseOpenJsonl(text: string, source = 'jsonl'): OpenItem[] {
  const items = parseJsonLines(text, source).map(({ value, line }) => {
    if (typeof value !== 'object' || value === null) throw new DatasetError(source, `line ${line}`, 'is not a JSON object');
    const r = value as Record<string, unknown>;
    const id = r['id'] !== undefined ? String(r['id']) : `#${line}`;
    const question = r['question'];
    const reference = r['reference'] ?? r['answer'];
    const rubricRaw = r['rubric'];
    if (typeof question !== 'string' || question.trim() === '') throw new DatasetError(source, id, 'missing question');
    if (typeof reference !== 'string' || reference.trim() === '') throw new DatasetError(source, id, 'missing reference answer');
    const rubric = typeof rubricRaw === 'string' ? [rubricRaw] : Array.isArray(rubricRaw) ? rubricRaw.map(String) : undefined;
    if (!rubric || rubric.length === 0 || rubric.some((c) => c.trim() === '')) throw new DatasetError(source, id, 'missing rubric');
    const item: OpenItem = { id, question: question.trim(), reference: reference.trim(), rubric };
    if (typeof r['topic'] === 'string') item.topic = r['topic'];
    return item;
  });
  assertUniqueIds(items, source);
  return items;
}
