/**
 * Plain text of an ADS field: HTML-like markup (`<SUB>`, `<SUP>`, `<i>`) removed, entities
 * decoded, whitespace collapsed. ADS abstracts carry such markup (`Ω<SUB>c</SUB>h<SUP>2</SUP>`).
 */
export function plainText(s: string): string {
  return s
    .replace(/<[^>]{1,40}>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

/** Lucene's English stop words (the 33 of `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`). */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  'a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with'.split(
    ' ',
  ),
);

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Lexical terms of a text for BM25: plain text, lower-cased, split on anything that is not a
 * letter or digit (Unicode-aware, so `ΛCDM` stays one term), Lucene's English stop words removed.
 */
export function lexicalTerms(s: string): string[] {
  const out: string[] = [];
  for (const m of plainText(s).toLowerCase().matchAll(WORD)) if (!ENGLISH_STOP_WORDS.has(m[0])) out.push(m[0]);
  return out;
}
