import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { argmax, combineLetterMass, extractAnswer, letterMass, loglikChoice, tokenLetter } from '../src/index.js';

const choices = ['Red giant', 'White dwarf', 'Neutron star', 'Black hole'];

describe('answer extraction', () => {
  it.each([
    ['{"ANSWER": "C", "EXPLANATION": "Chandrasekhar..."}', 2, 'json'],
    ['```json\n{ "answer" : "B: White dwarf" }\n```', 1, 'json'],
    ["{'ANSWER': '(D)'}", 3, 'json'],
    ['Let me think. The answer is B. Wait, no.\nAnswer: D', 3, 'answer-line'],
    ['Final answer: (A)', 0, 'answer-line'],
    ['**Answer:** C', 2, 'answer-line'],
    ['B', 1, 'leading-letter'],
    ['(C) because it is dense', 2, 'leading-letter'],
    ['D. Black hole', 3, 'leading-letter'],
    ['I would pick option C here since mass exceeds the limit', 2, 'single-letter'],
    ['It must be a neutron star.', 2, 'option-text'],
  ])('%j → %i via %s', (text, index, method) => {
    expect(extractAnswer(text, choices)).toEqual({ index, method });
  });

  it('returns null when nothing can be found or the text is ambiguous', () => {
    expect(extractAnswer('Once upon a time there was a little dog', choices)).toEqual({ index: null, method: 'none' });
    expect(extractAnswer('either C or D', choices)).toEqual({ index: null, method: 'none' });
    expect(extractAnswer('Answer: E', choices).index).toBeNull();
    expect(extractAnswer('A red giant or a white dwarf', choices).index).toBeNull();
  });
});

describe('letter probabilities from next-token distributions', () => {
  it('recognises " A", "A", "▁A", "(A)", "A." but not lowercase or words', () => {
    expect([' A', 'A', '\u2581A', '(A)', 'A.', ' B', 'D'].map((t) => tokenLetter(t, 4))).toEqual([0, 0, 0, 0, 0, 1, 3]);
    expect(['a', 'An', ' E', 'AB'].map((t) => tokenLetter(t, 4))).toEqual([null, null, null, null]);
  });

  it('sums the variants of each letter and tracks whitespace mass', () => {
    const toks = [
      { text: ' A', logprob: Math.log(0.3) },
      { text: 'A', logprob: Math.log(0.1) },
      { text: ' B', logprob: Math.log(0.2) },
      { text: ' ', logprob: Math.log(0.25) },
      { text: '\n', logprob: Math.log(0.05) },
      { text: ' the', logprob: Math.log(0.1) },
    ];
    const m = letterMass(toks, 4);
    expect(m.mass[0]).toBeCloseTo(0.4, 12);
    expect(m.mass[1]).toBeCloseTo(0.2, 12);
    expect(m.mass[2]).toBe(0);
    expect(m.whitespaceMass).toBeCloseTo(0.3, 12);
    expect(m.whitespace).toBe(' ');
    expect(m.coverage).toBeCloseTo(1, 12);
    // after the space the model splits 0.5/0.5 between C and D:
    const m2 = letterMass(
      [
        { text: 'C', logprob: Math.log(0.5) },
        { text: 'D', logprob: Math.log(0.5) },
      ],
      4,
    );
    const c = combineLetterMass(m, m2, 0.25);
    expect(c.raw[0]).toBeCloseTo(0.4, 12);
    expect(c.raw[2]).toBeCloseTo(0.125, 12);
    expect(c.letterMass).toBeCloseTo(0.85, 12);
    expect(c.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(c.probs[0]).toBeCloseTo(0.4 / 0.85, 12);
    expect(() => letterMass([{ text: 'A', logprob: 0.1 }], 4)).toThrow(ValueError);
  });

  it('argmax returns null when no option has mass', () => {
    expect(argmax([0, 0, 0, 0])).toBeNull();
    expect(argmax([0.1, 0.3, 0.3, 0])).toBe(1);
  });

  it('acc vs acc_norm: length normalisation flips the choice toward the longer option', () => {
    // option 0: 2 bytes, logprob −3 (−1.5/byte); option 1: 10 bytes, logprob −5 (−0.5/byte)
    expect(loglikChoice([-3, -5], [' a', ' abcdefghi'])).toEqual({ acc: 0, accNorm: 1 });
  });
});
