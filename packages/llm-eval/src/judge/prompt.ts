import type { OpenItem } from '../datasets/types.js';
import type { RenderedPrompt } from '../templates/types.js';

/**
 * The grading prompt: question, reference answer, rubric criteria and the candidate answer,
 * asking for the JSON of {@link JUDGEMENT_SCHEMA} (LLM-as-judge, Zheng et al. 2023, single-answer
 * grading with a reference).
 */
export function judgePrompt(item: OpenItem, answer: string): RenderedPrompt {
  return {
    system:
      'You are a strict astronomy professor grading an answer against a reference answer and a rubric. ' +
      'Reply with JSON only: {"verdict": "correct" | "partially_correct" | "incorrect", "score": 0-5}.',
    user:
      `Question:\n${item.question}\n\nReference answer:\n${item.reference}\n\nRubric:\n` +
      item.rubric.map((c, i) => `${i + 1}. ${c}`).join('\n') +
      `\n\nAnswer to grade:\n${answer}\n\nGrade the answer.`,
  };
}
