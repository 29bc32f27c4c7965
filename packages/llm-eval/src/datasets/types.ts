/** A four-or-more-option multiple-choice question, as every MCQ loader returns it. */
export interface McqItem {
  /** Stable identifier, unique within the dataset (used for resuming and caching). */
  id: string;
  /** Question text. */
  question: string;
  /** Option texts, in letter order (`choices[0]` is option A). */
  choices: string[];
  /** Index of the correct option in `choices`. */
  answerIndex: number;
  /** Optional topic or subject label used for per-topic breakdowns. */
  topic?: string;
  /** Optional explanation shipped with the item (not shown to the model). */
  explanation?: string;
}

/** An open-response item graded against a reference answer and a rubric. */
export interface OpenItem {
  /** Stable identifier, unique within the dataset. */
  id: string;
  /** Question or task text. */
  question: string;
  /** Reference answer the judge compares against. */
  reference: string;
  /** Grading rubric: criteria the judge applies (free text or a list of criteria). */
  rubric: string[];
  /** Optional topic label. */
  topic?: string;
}

/** Option letters, in order. */
export const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J'] as const;

/** Letter of option index `i` (0 → `'A'`). */
export function letterOf(i: number): string {
  const l = LETTERS[i];
  if (l === undefined) throw new RangeError(`option index ${i} has no letter (at most ${LETTERS.length} options)`);
  return l;
}
