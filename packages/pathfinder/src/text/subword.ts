import { SchemaError, ValueError } from '@astro/core';
import { plainText } from './clean.js';

/** Padding id (0) and unknown-piece id (1) of every {@link SubwordTokenizer}. */
export const PAD_ID = 0;
/** Id of the unknown piece. */
export const UNK_ID = 1;
const SPECIAL = ['[PAD]', '[UNK]'];
const CONT = '##';

/** Pre-tokenisation: plain text, lower-cased, runs of letters/digits and single other symbols. */
export function preTokenize(s: string): string[] {
  return (
    plainText(s)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu) ?? []
  );
}

/** Options of {@link SubwordTokenizer.train}. */
export interface SubwordTrainOptions {
  /** Target vocabulary size including the special pieces (default 2000). */
  vocabSize?: number;
  /** Words seen fewer times are ignored while learning merges (default 2). */
  minWordCount?: number;
}

/**
 * A WordPiece-style subword tokenizer (Schuster & Nakajima 2012; Devlin et al. 2019) whose
 * vocabulary is learned with byte-pair-encoding merges (Sennrich et al. 2016) on the corpus:
 * every word starts as characters (`a`, `##b`, `##c`), and the most frequent adjacent pair is
 * merged until the vocabulary reaches its size. Encoding splits each word greedily into the
 * longest vocabulary pieces, left to right, as WordPiece does; a word with a character
 * outside the vocabulary becomes `[UNK]`. Vocabulary order is deterministic (frequency, then
 * code-point order for ties).
 */
export class SubwordTokenizer {
  readonly vocab: readonly string[];
  private readonly ids: Map<string, number>;
  private readonly maxPiece: number;

  constructor(vocab: readonly string[]) {
    if (vocab[PAD_ID] !== SPECIAL[0] || vocab[UNK_ID] !== SPECIAL[1])
      throw new SchemaError(`SubwordTokenizer: vocabulary must start with ${SPECIAL.join(', ')}`);
    this.vocab = [...vocab];
    this.ids = new Map(this.vocab.map((p, i) => [p, i]));
    if (this.ids.size !== this.vocab.length) throw new SchemaError('SubwordTokenizer: vocabulary has duplicate pieces');
    this.maxPiece = Math.max(...this.vocab.map((p) => p.length));
  }

  /** Vocabulary size. */
  get size(): number {
    return this.vocab.length;
  }

  /** Learn a vocabulary from texts. */
  static train(texts: Iterable<string>, opts: SubwordTrainOptions = {}): SubwordTokenizer {
    const vocabSize = opts.vocabSize ?? 2000;
    const minCount = opts.minWordCount ?? 2;
    if (!(Number.isInteger(vocabSize) && vocabSize >= 3))
      throw new ValueError(`SubwordTokenizer.train: vocabSize must be an integer ≥ 3, got ${vocabSize}`);
    const counts = new Map<string, number>();
    for (const t of texts) for (const w of preTokenize(t)) counts.set(w, (counts.get(w) ?? 0) + 1);
    if (counts.size === 0) throw new ValueError('SubwordTokenizer.train: no words in the training texts');
    // every character seen gets a piece (initial and continuation form), so any word of known characters encodes
    const charCount = new Map<string, number>();
    for (const [w, c] of counts)
      [...w].forEach((ch, i) => charCount.set(i === 0 ? ch : CONT + ch, (charCount.get(i === 0 ? ch : CONT + ch) ?? 0) + c));
    const byFreq = (m: Map<string, number>): string[] =>
      [...m.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([p]) => p);
    const vocab = [...SPECIAL, ...byFreq(charCount)];
    const words = [...counts.entries()]
      .filter(([, c]) => c >= minCount)
      .map(([w, c]) => ({ syms: [...w].map((ch, i) => (i === 0 ? ch : CONT + ch)), c }));
    const have = new Set(vocab);
    // pair counts and, per pair, the words holding it; updated only for the words a merge touches
    const SEP = '\u0000';
    const pairs = new Map<string, number>();
    const where = new Map<string, Set<number>>();
    const addWord = (wi: number, sign: 1 | -1): void => {
      const { syms, c } = words[wi]!;
      for (let i = 0; i + 1 < syms.length; i++) {
        const key = syms[i] + SEP + syms[i + 1];
        pairs.set(key, (pairs.get(key) ?? 0) + sign * c);
        if (sign > 0) {
          let set = where.get(key);
          if (!set) where.set(key, (set = new Set()));
          set.add(wi);
        }
      }
    };
    words.forEach((_, wi) => addWord(wi, 1));
    while (vocab.length < vocabSize) {
      let best: string | undefined;
      let bestC = 1;
      for (const [k, c] of pairs) if (c > bestC || (c === bestC && best !== undefined && k < best)) ((best = k), (bestC = c));
      if (best === undefined) break;
      const [a, b] = best.split(SEP) as [string, string];
      const merged = a + b.slice(CONT.length);
      for (const wi of where.get(best) ?? []) {
        const s = words[wi]!.syms;
        let hit = false;
        for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) hit = true;
        if (!hit) continue;
        addWord(wi, -1);
        for (let i = 0; i + 1 < s.length; i++) if (s[i] === a && s[i + 1] === b) s.splice(i, 2, merged);
        addWord(wi, 1);
      }
      pairs.delete(best);
      where.delete(best);
      if (!have.has(merged)) {
        have.add(merged);
        vocab.push(merged);
      }
    }
    return new SubwordTokenizer(vocab);
  }

  /** Pieces of one pre-tokenised word (greedy longest match), or `['[UNK]']`. */
  private wordPieces(word: string, out: number[]): void {
    const chars = [...word];
    const start = out.length;
    let i = 0;
    while (i < chars.length) {
      let j = Math.min(chars.length, i + this.maxPiece);
      let id: number | undefined;
      for (; j > i; j--) {
        const piece = (i === 0 ? '' : CONT) + chars.slice(i, j).join('');
        id = this.ids.get(piece);
        if (id !== undefined) break;
      }
      if (id === undefined) {
        out.length = start;
        out.push(UNK_ID);
        return;
      }
      out.push(id);
      i = j;
    }
  }

  /** Token ids of a text (no special tokens added); at most `maxTokens` when given. */
  encode(text: string, maxTokens?: number): number[] {
    const out: number[] = [];
    for (const w of preTokenize(text)) {
      this.wordPieces(w, out);
      if (maxTokens !== undefined && out.length >= maxTokens) return out.slice(0, maxTokens);
    }
    return out;
  }

  /** The pieces of ids (for inspection). */
  pieces(ids: readonly number[]): string[] {
    return ids.map((i) => this.vocab[i] ?? '[?]');
  }
}
