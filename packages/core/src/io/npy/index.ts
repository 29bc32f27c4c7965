export { readNpyHeader } from './header.js';
export type { NpyHeader } from './header.js';
export { parseNpy, readNpy, fortranToC } from './read.js';
export type { NpyArray } from './read.js';
export { encodeNpy, writeNpy } from './write.js';
export type { NpyInput } from './write.js';
export { parseNpz, readNpz } from './npz.js';
export { zipEntries } from './zip.js';
export type { ZipEntry } from './zip.js';
