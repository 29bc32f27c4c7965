/** Prompt templates as data, including AstroMLab-1's. */
export * from './types.js';
export * from './builtin.js';
export { renderMcq, renderChoices, resolveTemplate } from './render.js';
