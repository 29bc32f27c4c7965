import { FormatError } from '@astro/core/errors';

/** Verdicts a judge may give. */
export const VERDICTS = ['correct', 'partially_correct', 'incorrect'] as const;
/** One of {@link VERDICTS}. */
export type Verdict = (typeof VERDICTS)[number];

/** A judge's structured grade of one answer. */
export interface Judgement {
  verdict: Verdict;
  /** Integer score from 0 (wrong) to 5 (fully meets the rubric and reference). */
  score: number;
}

/**
 * JSON Schema of a judgement, sent as structured-output constraint (llama.cpp grammar or
 * `response_format: json_schema`): `{"verdict": "correct" | "partially_correct" | "incorrect", "score": 0..5}`.
 */
export const JUDGEMENT_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    verdict: { enum: [...VERDICTS] },
    score: { enum: [0, 1, 2, 3, 4, 5] },
  },
  required: ['verdict', 'score'],
  additionalProperties: false,
};

/**
 * Parse a judge's reply: the first balanced JSON object in the text (code fences and prose
 * around it are ignored), which must carry a known `verdict` and an integer `score` in 0..5.
 * Throws {@link FormatError} (format `'judgement'`) saying what was wrong.
 */
export function parseJudgement(text: string): Judgement {
  const start = text.indexOf('{');
  if (start < 0) throw new FormatError('judgement', `no JSON object in reply: ${JSON.stringify(text.slice(0, 80))}`);
  let depth = 0;
  let inStr = false;
  let end = -1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) {
      end = i + 1;
      break;
    }
  }
  if (end < 0) throw new FormatError('judgement', `unterminated JSON object in reply: ${JSON.stringify(text.slice(start, start + 80))}`);
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text.slice(start, end)) as Record<string, unknown>;
  } catch (e) {
    throw new FormatError('judgement', `invalid JSON in reply: ${(e as Error).message}`);
  }
  const verdict = obj['verdict'];
  const score = obj['score'];
  if (typeof verdict !== 'string' || !(VERDICTS as readonly string[]).includes(verdict)) {
    throw new FormatError('judgement', `verdict ${JSON.stringify(verdict)} is not one of ${VERDICTS.join(', ')}`);
  }
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 5) {
    throw new FormatError('judgement', `score ${JSON.stringify(score)} is not an integer in 0..5`);
  }
  return { verdict: verdict as Verdict, score };
}
