/** Open-response grading: LLM-as-judge with a rubric, structured JSON, repeated judging, agreement. */
export { VERDICTS, JUDGEMENT_SCHEMA, parseJudgement, type Verdict, type Judgement } from './schema.js';
export { judgePrompt } from './prompt.js';
export { gradeOpenResponses, answerOpenItems, type GradedItem, type JudgeAgreement, type GradeOptions } from './grade.js';
