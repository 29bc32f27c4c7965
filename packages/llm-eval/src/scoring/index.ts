/** Scoring: answer extraction, next-token letter probabilities, option log-likelihood. */
export { extractAnswer, type Extraction, type ExtractionMethod } from './extract.js';
export {
  tokenLetter,
  isWhitespaceToken,
  letterMass,
  combineLetterMass,
  type TokenLogprob,
  type LetterMass,
  type OptionProbabilities,
} from './letters.js';
export { argmax, loglikChoice } from './select.js';
