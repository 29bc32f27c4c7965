import type { LiteratureRecord } from '../corpus/record.js';

/** 64-bit FNV-1a of a string as 16 hex digits (two 32-bit lanes; browser-safe, not cryptographic). */
export function fnv1a64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0xcbf29ce4;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x01000193) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** Content hash of a record: changes when any indexed field (title, abstract, keywords, year, citations) changes. */
export function recordHash(r: LiteratureRecord): string {
  return fnv1a64(JSON.stringify([r.title, r.abstract, r.keywords, r.year, r.citationCount]));
}
