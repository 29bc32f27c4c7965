import { ValueError } from '@astro/core/errors';
import { LETTERS } from '../datasets/types.js';

/** One candidate next token and its natural-log probability. */
export interface TokenLogprob {
  /** Decoded token text, including any leading space (`' A'`). */
  text: string;
  /** Natural-log probability. */
  logprob: number;
}

/** The letter a token stands for (`'A'`, `' A'`, `'▁A'`, `'A.'`, `'(A)'`), else `null`. */
export function tokenLetter(text: string, nChoices: number): number | null {
  const m = /^[\s\u2581]*\(?([A-J])[).:]?[\s]*$/.exec(text);
  if (!m) return null;
  const i = LETTERS.indexOf(m[1] as (typeof LETTERS)[number]);
  return i < nChoices ? i : null;
}

/** Whether a token is whitespace only (`' '`, `'▁'`, `'\n'`). */
export function isWhitespaceToken(text: string): boolean {
  return text.length > 0 && /^[\s\u2581]+$/.test(text);
}

/** Per-option probability mass gathered from one next-token distribution. */
export interface LetterMass {
  /** Unnormalised probability of each option letter (sum over its token variants). */
  mass: number[];
  /** Probability of whitespace-only tokens, the most probable of which is `whitespace`. */
  whitespaceMass: number;
  /** Most probable whitespace-only token, if any appeared. */
  whitespace?: string;
  /** Total probability covered by the tokens returned (1 for a full vocabulary). */
  coverage: number;
}

/**
 * Sum next-token probabilities over the token variants of each option letter, so that `' A'`,
 * `'A'` and byte-fallback tokens all count for option A. Duplicate token texts (different token
 * ids with the same text) are distinct events and are summed.
 */
export function letterMass(tokens: readonly TokenLogprob[], nChoices: number): LetterMass {
  const mass = new Array<number>(nChoices).fill(0);
  let whitespaceMass = 0;
  let best = -Infinity;
  let whitespace: string | undefined;
  let coverage = 0;
  for (const t of tokens) {
    if (!(t.logprob <= 0) || Number.isNaN(t.logprob))
      throw new ValueError(`token ${JSON.stringify(t.text)} has logprob ${t.logprob}; expected ≤ 0`);
    const p = Math.exp(t.logprob);
    coverage += p;
    const i = tokenLetter(t.text, nChoices);
    if (i !== null) mass[i]! += p;
    else if (isWhitespaceToken(t.text)) {
      whitespaceMass += p;
      if (t.logprob > best) {
        best = t.logprob;
        whitespace = t.text;
      }
    }
  }
  const out: LetterMass = { mass, whitespaceMass, coverage };
  if (whitespace !== undefined) out.whitespace = whitespace;
  return out;
}

/** Option probabilities from next-token scoring. */
export interface OptionProbabilities {
  /** Probability of each option renormalised over the options (sums to 1, or all 0 when no mass). */
  probs: number[];
  /** Unnormalised probability of each option letter as the next answer token. */
  raw: number[];
  /** Σ raw: how much of the model's next-token mass went to option letters. */
  letterMass: number;
}

/**
 * Combine the distribution after the answer prefix with, when the tokenizer splits the space
 * from the letter (SentencePiece `'▁'` then `'A'`), the distribution after the prefix plus that
 * whitespace token: P(A) = P(A-variant | prefix) + P(ws | prefix) · P(A-variant | prefix + ws).
 */
export function combineLetterMass(first: LetterMass, afterWhitespace: LetterMass | undefined, wsProb: number): OptionProbabilities {
  const raw = first.mass.map((p, i) => p + (afterWhitespace ? wsProb * (afterWhitespace.mass[i] ?? 0) : 0));
  const total = raw.reduce((a, b) => a + b, 0);
  return { raw, letterMass: total, probs: raw.map((p) => (total > 0 ? p / total : 0)) };
}
