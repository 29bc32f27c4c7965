export { plainText, lexicalTerms, ENGLISH_STOP_WORDS } from './clean.js';
export { queryKeywords, KEYWORD_POS } from './keywords.js';
