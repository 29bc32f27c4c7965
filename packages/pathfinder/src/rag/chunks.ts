import { ValueError } from '@astro/core';
import { plainText } from '../text/clean.js';

/** A piece of a record's abstract. */
export interface Chunk {
  bibcode: string;
  /** Character offset of the chunk in the plain abstract. */
  start: number;
  text: string;
}

/**
 * Split text into chunks of `size` characters overlapping by `overlap` (Pathfinder: 150 and
 * 50, so a chunk starts every 100 characters); the last chunk ends at the end of the text.
 */
export function chunkText(text: string, size = 150, overlap = 50): { start: number; text: string }[] {
  if (!(Number.isInteger(size) && size > 0)) throw new ValueError(`chunkText: size must be a positive integer, got ${size}`);
  if (!(Number.isInteger(overlap) && overlap >= 0 && overlap < size))
    throw new ValueError(`chunkText: overlap must be an integer in [0, size), got ${overlap}`);
  const out: { start: number; text: string }[] = [];
  const step = size - overlap;
  for (let s = 0; s < text.length; s += step) {
    out.push({ start: s, text: text.slice(s, s + size) });
    if (s + size >= text.length) break;
  }
  return out;
}

/** Chunks of records' plain abstracts (titles for records without one). */
export function chunkRecords(records: readonly { bibcode: string; title: string; abstract: string }[], size = 150, overlap = 50): Chunk[] {
  return records.flatMap((r) => chunkText(plainText(r.abstract || r.title), size, overlap).map((c) => ({ bibcode: r.bibcode, ...c })));
}
