export { readSafetensorsHeader, MAX_HEADER_BYTES } from './header.js';
export type { SafetensorsHeader, SafetensorsEntryInfo } from './header.js';
export { parseSafetensors, readSafetensors } from './read.js';
export type { SafetensorsFile, SafetensorsTensor } from './read.js';
export { encodeSafetensors, writeSafetensors } from './write.js';
export type { SafetensorsInput, SafetensorsWriteOptions } from './write.js';
export { safetensorsToTensors, encodeTensors } from './tensors.js';
export type { EncodeTensorsOptions } from './tensors.js';
