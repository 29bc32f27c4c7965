import { DatasetError } from './errors.js';
import { LETTERS, type McqItem } from './types.js';

/** Raw fields of an MCQ record before validation. */
export interface RawMcq {
  id: string;
  question: unknown;
  choices: unknown[];
  /** Letter (`'B'`, `' b '`), 0-based index (number), or the text of the correct option. */
  answer: unknown;
  topic?: unknown;
  explanation?: unknown;
}

/**
 * Validate a raw MCQ record and normalise its answer to an index. Letters are trimmed and
 * upper-cased; numbers are 0-based indices; a string equal to one option's text is accepted.
 * Throws {@link DatasetError} naming the record when the question or an option is missing or
 * empty, or when the answer is not among the options.
 */
export function toMcqItem(raw: RawMcq, source: string): McqItem {
  const where = raw.id;
  if (typeof raw.question !== 'string' || raw.question.trim() === '') {
    throw new DatasetError(source, where, 'missing or empty question');
  }
  if (raw.choices.length < 2) throw new DatasetError(source, where, `needs at least 2 options, got ${raw.choices.length}`);
  if (raw.choices.length > LETTERS.length) {
    throw new DatasetError(source, where, `has ${raw.choices.length} options; at most ${LETTERS.length} are supported`);
  }
  const choices: string[] = [];
  raw.choices.forEach((c, i) => {
    if (c === undefined || c === null || (typeof c !== 'string' && typeof c !== 'number') || String(c).trim() === '') {
      throw new DatasetError(source, where, `missing option ${LETTERS[i]}`);
    }
    choices.push(String(c).trim());
  });
  const answerIndex = parseAnswer(raw.answer, choices);
  if (answerIndex === undefined) {
    const allowed = choices.map((_, i) => LETTERS[i]).join(', ');
    throw new DatasetError(source, where, `answer ${JSON.stringify(raw.answer)} is not among the options (${allowed})`);
  }
  const item: McqItem = { id: where, question: raw.question.trim(), choices, answerIndex };
  if (typeof raw.topic === 'string' && raw.topic.trim() !== '') item.topic = raw.topic.trim();
  if (typeof raw.explanation === 'string' && raw.explanation.trim() !== '') item.explanation = raw.explanation.trim();
  return item;
}

function parseAnswer(answer: unknown, choices: string[]): number | undefined {
  if (typeof answer === 'number') {
    return Number.isInteger(answer) && answer >= 0 && answer < choices.length ? answer : undefined;
  }
  if (typeof answer !== 'string') return undefined;
  const a = answer.trim();
  const letter = a.replace(/^\(?([A-Za-z])\)?\.?$/, '$1').toUpperCase();
  if (letter.length === 1) {
    const i = LETTERS.indexOf(letter as (typeof LETTERS)[number]);
    if (i >= 0 && i < choices.length) return i;
  }
  if (/^\d+$/.test(a)) {
    const i = Number(a);
    return i < choices.length ? i : undefined;
  }
  const byText = choices.findIndex((c) => c === a);
  return byText >= 0 ? byText : undefined;
}

/** Throw a {@link DatasetError} if two items share an id (resuming relies on unique ids). */
export function assertUniqueIds(items: { id: string }[], source: string): void {
  const seen = new Set<string>();
  for (const it of items) {
    if (seen.has(it.id)) throw new DatasetError(source, it.id, 'duplicate id');
    seen.add(it.id);
  }
}
