export { parseText, readText, numericColumn } from './parse.js';
export type { TextTable, TextTableOptions, TextDelimiter } from './parse.js';
