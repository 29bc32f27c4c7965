export { plainText, lexicalTerms, ENGLISH_STOP_WORDS } from './clean.js';
export { queryKeywords, KEYWORD_POS } from './keywords.js';
export { SubwordTokenizer, preTokenize, PAD_ID, UNK_ID, type SubwordTrainOptions } from './subword.js';
