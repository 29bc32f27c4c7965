/**
 * FITS header cards (FITS Standard 4.0, §4): 80-character ASCII cards in 2880-byte blocks,
 * ending with `END`. Values are strings (`'...'`, with `''` for a quote), logicals `T`/`F`,
 * integers and reals (`D` exponents allowed). Long strings follow the CONTINUE convention
 * (§4.2.1.2); `HIERARCH` keywords (ESO convention) are read with their full names.
 */
import { FormatError } from '../../errors/index.js';
import { decodeLatin1 } from '../bytes.js';

/** A header value: string, number, logical, or `null` for an undefined value. */
export type FitsValue = string | number | boolean | null;

/** One keyword card. `COMMENT`, `HISTORY` and blank keywords carry their text as `value`. */
export interface FitsCard {
  key: string;
  value: FitsValue;
  comment?: string;
}

/** The keyword cards of one HDU, in order, with typed look-ups. */
export class FitsHeader {
  /** Every card except END, in file order (CONTINUE cards already merged into their keyword). */
  readonly cards: FitsCard[];
  private readonly index = new Map<string, FitsCard>();

  constructor(cards: FitsCard[]) {
    this.cards = cards;
    for (const c of cards)
      if (c.key !== 'COMMENT' && c.key !== 'HISTORY' && c.key !== '' && !this.index.has(c.key)) this.index.set(c.key, c);
  }

  /** The value of `key` (first occurrence), or `undefined` when absent. Keys are case-insensitive. */
  get(key: string): FitsValue | undefined {
    return this.index.get(key.toUpperCase())?.value;
  }

  /** True when `key` is present. */
  has(key: string): boolean {
    return this.index.has(key.toUpperCase());
  }

  /** The comment of `key`'s card, if any. */
  comment(key: string): string | undefined {
    return this.index.get(key.toUpperCase())?.comment;
  }

  /** A numeric value; `fallback` when absent; {@link FormatError} when present but not a number. */
  number(key: string, fallback?: number): number {
    const v = this.get(key);
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      throw new FormatError('fits', `required keyword ${key} is missing`);
    }
    if (typeof v !== 'number') throw new FormatError('fits', `keyword ${key} is ${JSON.stringify(v)}, not a number`);
    return v;
  }

  /** A string value, or `undefined` when absent or not a string. */
  string(key: string): string | undefined {
    const v = this.get(key);
    return typeof v === 'string' ? v : undefined;
  }

  /** All `COMMENT` card texts. */
  get comments(): string[] {
    return this.cards.filter((c) => c.key === 'COMMENT').map((c) => String(c.value ?? ''));
  }

  /** All `HISTORY` card texts. */
  get history(): string[] {
    return this.cards.filter((c) => c.key === 'HISTORY').map((c) => String(c.value ?? ''));
  }

  /** Keyword → value for every valued keyword (first occurrence wins). */
  toObject(): Record<string, FitsValue> {
    const out: Record<string, FitsValue> = {};
    for (const [k, c] of this.index) Object.defineProperty(out, k, { value: c.value, enumerable: true });
    return out;
  }
}

const BLOCK = 2880;

/**
 * Read header cards starting at byte `start` (a block boundary) up to and including the
 * block holding `END`. Returns the header and the offset of the first byte after it.
 */
export function readHeader(bytes: Uint8Array, start: number): { header: FitsHeader; end: number } {
  const raw: string[] = [];
  let p = start;
  for (;;) {
    if (p + BLOCK > bytes.length) {
      throw new FormatError('fits', `header starting at byte ${start} has no END card before the file ends at byte ${bytes.length}`);
    }
    const block = decodeLatin1(bytes.subarray(p, p + BLOCK));
    p += BLOCK;
    let done = false;
    for (let i = 0; i < 36; i++) {
      const card = block.slice(i * 80, i * 80 + 80);
      if (card.startsWith('END') && card.slice(3).trim() === '') {
        done = true;
        break;
      }
      raw.push(card);
    }
    if (done) break;
  }
  const cards: FitsCard[] = [];
  for (let i = 0; i < raw.length; i++) {
    const card = parseCard(raw[i]!, start + i * 80);
    if (card.key === 'CONTINUE') {
      const prev = cards.at(-1);
      if (prev && typeof prev.value === 'string' && prev.value.endsWith('&') && typeof card.value === 'string') {
        prev.value = prev.value.slice(0, -1) + card.value;
        if (card.comment) prev.comment = (prev.comment ? prev.comment + ' ' : '') + card.comment;
        continue;
      }
    }
    cards.push(card);
  }
  return { header: new FitsHeader(cards), end: p };
}

/** Parse one 80-character card at byte `at` (for error messages). */
export function parseCard(card: string, at: number): FitsCard {
  let key = card.slice(0, 8).trimEnd();
  let rest: string;
  if (key === 'HIERARCH') {
    const eq = card.indexOf('=');
    if (eq < 0) return { key: 'COMMENT', value: card.slice(8).trim() };
    key = card.slice(9, eq).trim().toUpperCase();
    rest = card.slice(eq + 1);
  } else if (key === 'CONTINUE') {
    rest = card.slice(8);
  } else if (card.slice(8, 10) === '= ') {
    rest = card.slice(10);
  } else {
    // Commentary card (COMMENT, HISTORY, blank or any keyword without a value indicator).
    return { key, value: card.slice(8).trim() };
  }
  const { value, comment } = parseValue(rest, at, key);
  return comment === undefined ? { key, value } : { key, value, comment };
}

function parseValue(text: string, at: number, key: string): { value: FitsValue; comment?: string } {
  const s = text.trimStart();
  if (s.startsWith("'")) {
    let i = 1;
    let out = '';
    for (;;) {
      const q = s.indexOf("'", i);
      if (q < 0) throw new FormatError('fits', `card ${key} at byte ${at}: unterminated string`);
      out += s.slice(i, q);
      if (s[q + 1] === "'") {
        out += "'";
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    const after = s.slice(i);
    const slash = after.indexOf('/');
    const comment = slash >= 0 ? after.slice(slash + 1).trim() : undefined;
    return { value: out.trimEnd(), ...(comment ? { comment } : {}) };
  }
  const slash = s.indexOf('/');
  const v = (slash >= 0 ? s.slice(0, slash) : s).trim();
  const comment = slash >= 0 ? s.slice(slash + 1).trim() : undefined;
  const withComment = (value: FitsValue): { value: FitsValue; comment?: string } => (comment ? { value, comment } : { value });
  if (v === '') return withComment(null);
  if (v === 'T') return withComment(true);
  if (v === 'F') return withComment(false);
  if (/^[+-]?\d+$/.test(v)) return withComment(Number(v));
  if (/^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/.test(v)) return withComment(Number(v.replace(/[Dd]/, 'E')));
  // Complex values "(re, im)" and anything else non-standard are kept as text.
  return withComment(v);
}
