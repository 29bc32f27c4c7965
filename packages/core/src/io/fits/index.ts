export { FitsHeader, parseCard } from './header.js';
export type { FitsCard, FitsValue } from './header.js';
export type { FitsHduType } from './hdu.js';
export type { FitsImage } from './image.js';
export type { FitsColumn, FitsTable } from './table.js';
export { parseFits, readFits, column } from './read.js';
export type { FitsFile, FitsHdu } from './read.js';
