export { parseArrow, encodeArrow, readArrow, writeArrow } from './ipc.js';
