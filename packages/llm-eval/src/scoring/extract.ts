import { LETTERS } from '../datasets/types.js';

/** How an answer was found in generated text. */
export type ExtractionMethod = 'json' | 'answer-line' | 'leading-letter' | 'single-letter' | 'option-text' | 'none';

/** Result of {@link extractAnswer}. */
export interface Extraction {
  /** 0-based option index, or `null` when no answer could be found. */
  index: number | null;
  /** Which rule found it. */
  method: ExtractionMethod;
}

function letterIndex(s: string, n: number): number | null {
  const m = /^\s*[("'[]?\s*([A-J])\s*[)"'\].:]?(?:\s|$|[:.,)\-])/.exec(s + ' ');
  if (!m) return null;
  const i = LETTERS.indexOf(m[1] as (typeof LETTERS)[number]);
  return i >= 0 && i < n ? i : null;
}

/**
 * Find the chosen option in free text, in order of reliability:
 * 1. a JSON object with an `ANSWER` key (any case; inside code fences or prose; the value may be
 *    `"B"`, `"B: text"` or `"(B)"`) — the AstroMLab-1 output format;
 * 2. the last `Answer: X` / `answer is X` / `Answer: (X)` line;
 * 3. a reply that starts with a letter (`"B"`, `"B."`, `"(B) ..."`);
 * 4. exactly one standalone capital option letter in the text;
 * 5. exactly one option text quoted verbatim.
 * Letters are upper case only (a lone `a` is an article, not an option).
 */
export function extractAnswer(text: string, choices: readonly string[]): Extraction {
  const n = choices.length;
  // 1. JSON {"ANSWER": ...}
  const jsonRe = /["']answer["']\s*:\s*["']?\s*\(?([A-J])(?![A-Za-z])/gi;
  let m: RegExpExecArray | null;
  let jsonIdx: number | null = null;
  for (m = jsonRe.exec(text); m && jsonIdx === null; m = jsonRe.exec(text)) {
    const i = LETTERS.indexOf(m[1] as (typeof LETTERS)[number]);
    if (i >= 0 && i < n) jsonIdx = i;
  }
  if (jsonIdx !== null) return { index: jsonIdx, method: 'json' };
  // 2. Answer: X (last occurrence wins: models restate the answer at the end)
  const lineRe = /\banswer(?:\s+is)?\s*[:=]?\s*\**\s*\(?([A-J])\)?(?![A-Za-z])/gi;
  let last: number | null = null;
  for (m = lineRe.exec(text); m; m = lineRe.exec(text)) {
    const letter = m[1]!;
    if (letter !== letter.toUpperCase()) continue;
    const i = LETTERS.indexOf(letter as (typeof LETTERS)[number]);
    if (i >= 0 && i < n) last = i;
  }
  if (last !== null) return { index: last, method: 'answer-line' };
  // 3. leading letter
  const lead = /^\s*A\s+[a-z]/.test(text) ? null : letterIndex(text, n); // "A red giant": an article
  if (lead !== null) return { index: lead, method: 'leading-letter' };
  // 4. exactly one standalone option letter
  const found = new Set<number>();
  const alone = /(?<![A-Za-z'’])([A-J])(?![A-Za-z'’])/g;
  for (m = alone.exec(text); m; m = alone.exec(text)) {
    const i = LETTERS.indexOf(m[1] as (typeof LETTERS)[number]);
    if (i >= 0 && i < n && !(m[1] === 'A' && /^A\s+[a-z]/.test(text.slice(m.index)))) found.add(i);
  }
  if (found.size === 1) return { index: [...found][0]!, method: 'single-letter' };
  // 5. exactly one option text
  const lower = text.toLowerCase();
  const hits = choices.map((c, i) => (c.length >= 3 && lower.includes(c.toLowerCase()) ? i : -1)).filter((i) => i >= 0);
  if (hits.length === 1) return { index: hits[0]!, method: 'option-text' };
  return { index: null, method: 'none' };
}
