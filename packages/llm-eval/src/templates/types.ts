/**
 * A prompt template is plain data (JSON-serialisable) so runs record it verbatim in their
 * manifest and users can ship their own as a JSON file.
 *
 * Placeholders in `user` and `system`: `{question}`, `{choices}` (the formatted option
 * lines), `{letters}` (e.g. `A, B, C or D`), `{topic}`.
 */
export interface PromptTemplate {
  /** Short name, e.g. `'astromlab1'`. */
  name: string;
  /** One line saying where the template comes from. */
  description: string;
  /** Optional system message. */
  system?: string;
  /** User message. */
  user: string;
  /** Format of one option line; placeholders `{letter}` and `{text}`. */
  choiceFormat: string;
  /** Separator between option lines (default `'\n'`). */
  choiceSeparator?: string;
  /**
   * Answer prefix prefilled before the option letter for next-token (`logprob`) and
   * option log-likelihood (`loglik`) scoring, e.g. `'Answer:'`.
   */
  answerPrefix: string;
}

/** A rendered prompt: what a provider turns into chat messages or one completion string. */
export interface RenderedPrompt {
  /** System message, if any. */
  system?: string;
  /** User message. */
  user: string;
  /** Assistant prefill (the answer prefix) for probability scoring; absent for generation. */
  prefill?: string;
}

/** Concatenate a rendered prompt into one completion-style string (system, user, prefill). */
export function promptToText(p: RenderedPrompt): string {
  const parts: string[] = [];
  if (p.system) parts.push(p.system, '');
  parts.push(p.user);
  let text = parts.join('\n');
  if (p.prefill !== undefined) text += '\n' + p.prefill;
  return text;
}
