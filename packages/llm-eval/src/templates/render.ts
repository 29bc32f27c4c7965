import { ValueError } from '@astro/core/errors';
import { letterOf, type McqItem } from '../datasets/types.js';
import { TEMPLATES } from './builtin.js';
import type { PromptTemplate, RenderedPrompt } from './types.js';

function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{(question|choices|letters|topic|letter|text)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Render the option lines of `item` with `template.choiceFormat`. */
export function renderChoices(template: PromptTemplate, item: McqItem): string {
  return item.choices.map((text, i) => fill(template.choiceFormat, { letter: letterOf(i), text })).join(template.choiceSeparator ?? '\n');
}

/**
 * Render an MCQ item. `withPrefill` adds the template's answer prefix as assistant prefill
 * (for `logprob` and `loglik` scoring); generation (`extract`) leaves it out.
 */
export function renderMcq(template: PromptTemplate, item: McqItem, withPrefill: boolean): RenderedPrompt {
  const letters = item.choices.map((_, i) => letterOf(i));
  const vars = {
    question: item.question,
    choices: renderChoices(template, item),
    letters: letters.length > 1 ? `${letters.slice(0, -1).join(', ')} or ${letters[letters.length - 1]}` : letters.join(''),
    topic: item.topic ?? 'astronomy',
  };
  const out: RenderedPrompt = { user: fill(template.user, vars) };
  if (template.system !== undefined) out.system = fill(template.system, vars);
  if (withPrefill) out.prefill = template.answerPrefix;
  return out;
}

/** Look up a built-in template by name, or validate a template object read from JSON. */
export function resolveTemplate(t: string | PromptTemplate): PromptTemplate {
  if (typeof t === 'string') {
    const found = TEMPLATES[t];
    if (!found) throw new ValueError(`unknown template "${t}"; built-in templates: ${Object.keys(TEMPLATES).join(', ')}`);
    return found;
  }
  for (const k of ['name', 'user', 'choiceFormat', 'answerPrefix'] as const) {
    if (typeof t[k] !== 'string') throw new ValueError(`template is missing string field "${k}"`);
  }
  if (!t.user.includes('{question}')) throw new ValueError(`template "${t.name}": user message has no {question} placeholder`);
  return t;
}
