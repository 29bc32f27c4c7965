import type { PromptTemplate } from './types.js';

/**
 * The AstroMLab-1 prompt (Ting et al. 2024, "AstroMLab 1: Who Wins Astronomy Jeopardy!?",
 * arXiv:2407.11194): the model answers as JSON `{"ANSWER": ..., "EXPLANATION": ...}` for
 * answer extraction; token-probability scoring prefills `{"ANSWER": "` so the next token is
 * the option letter.
 */
export const ASTROMLAB1: PromptTemplate = {
  name: 'astromlab1',
  description: 'AstroMLab-1 (Ting et al. 2024, arXiv:2407.11194): expert persona, JSON answer with explanation',
  system: 'You are an expert in general astrophysics. Your task is to answer the following question:',
  user:
    '{question}\n{choices}\n\n' +
    'Determine the correct answer using your astronomical knowledge and provide a detailed explanation for why this answer is correct.\n\n' +
    'Output format:\n{"ANSWER": "[The choice you decide to choose]", "EXPLANATION": "[Provide a valid explanation for the answer mentioned in ANSWER]"}',
  choiceFormat: '{letter}: {text}',
  answerPrefix: '{"ANSWER": "',
};

/** MMLU's few-shot-free prompt as used by lm-evaluation-harness (`Answer:` prefix). */
export const MMLU: PromptTemplate = {
  name: 'mmlu',
  description: 'MMLU (Hendrycks et al. 2021) zero-shot prompt as in lm-evaluation-harness',
  user: 'The following are multiple choice questions (with answers) about {topic}.\n\n{question}\n{choices}',
  choiceFormat: '{letter}. {text}',
  answerPrefix: 'Answer:',
};

/** A compact prompt asking for `Answer: X`; suits small and base models. */
export const PLAIN: PromptTemplate = {
  name: 'plain',
  description: 'Question, lettered options, then "Answer:"; reply with the letter',
  user: 'Question: {question}\n{choices}\nReply with the letter of the correct option ({letters}).',
  choiceFormat: '{letter}) {text}',
  answerPrefix: 'Answer:',
};

/** Built-in templates by name. */
export const TEMPLATES: Readonly<Record<string, PromptTemplate>> = {
  astromlab1: ASTROMLAB1,
  mmlu: MMLU,
  plain: PLAIN,
};
