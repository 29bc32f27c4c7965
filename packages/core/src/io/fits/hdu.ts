/**
 * Walking the header-data units (HDUs) of a FITS file and sizing their data
 * (FITS Standard 4.0, §4.4.1: Nbits = |BITPIX| × GCOUNT × (PCOUNT + NAXIS1 × … × NAXISm)).
 */
import { FormatError } from '../../errors/index.js';
import { FitsHeader, readHeader } from './header.js';

const F = 'fits';
const BLOCK = 2880;

/** Kind of data an HDU holds. */
export type FitsHduType = 'image' | 'bintable' | 'table' | 'unknown';

/** Where one HDU's header and data lie, with the header parsed. */
export interface FitsHduLayout {
  /** Position in the file (0 = primary). */
  index: number;
  type: FitsHduType;
  header: FitsHeader;
  /** Byte offset of the header. */
  headerStart: number;
  /** Byte offset and length of the data (excluding block padding). */
  dataStart: number;
  dataLength: number;
}

/** Validate the mandatory keywords of an HDU and return its type and data size in bytes. */
function sizeOf(h: FitsHeader, index: number, at: number): { type: FitsHduType; bytes: number } {
  let type: FitsHduType;
  if (index === 0) {
    if (h.cards[0]?.key !== 'SIMPLE') throw new FormatError(F, `byte ${at}: not a FITS file (first keyword is not SIMPLE)`);
    type = 'image';
  } else {
    if (h.cards[0]?.key !== 'XTENSION') throw new FormatError(F, `HDU ${index} at byte ${at}: first keyword is not XTENSION`);
    const x = String(h.get('XTENSION')).trim();
    type = x === 'IMAGE' ? 'image' : x === 'BINTABLE' || x === 'A3DTABLE' ? 'bintable' : x === 'TABLE' ? 'table' : 'unknown';
  }
  const bitpix = h.number('BITPIX');
  if (![8, 16, 32, 64, -32, -64].includes(bitpix)) throw new FormatError(F, `HDU ${index} at byte ${at}: invalid BITPIX ${bitpix}`);
  const naxis = h.number('NAXIS');
  if (!Number.isInteger(naxis) || naxis < 0 || naxis > 999) throw new FormatError(F, `HDU ${index} at byte ${at}: invalid NAXIS ${naxis}`);
  let n = naxis === 0 ? 0 : 1;
  for (let k = 1; k <= naxis; k++) {
    const d = h.number(`NAXIS${k}`);
    if (!Number.isSafeInteger(d) || d < 0) throw new FormatError(F, `HDU ${index} at byte ${at}: invalid NAXIS${k} ${d}`);
    n *= d;
  }
  const pcount = h.number('PCOUNT', 0);
  const gcount = h.number('GCOUNT', 1);
  if (!Number.isSafeInteger(pcount) || pcount < 0) throw new FormatError(F, `HDU ${index} at byte ${at}: invalid PCOUNT ${pcount}`);
  if (!Number.isSafeInteger(gcount) || gcount < 0) throw new FormatError(F, `HDU ${index} at byte ${at}: invalid GCOUNT ${gcount}`);
  // Random groups (NAXIS1 = 0 with GROUPS = T) count the remaining axes only.
  if (index === 0 && h.get('GROUPS') === true && naxis > 0 && h.number('NAXIS1') === 0) {
    n = 1;
    for (let k = 2; k <= naxis; k++) n *= h.number(`NAXIS${k}`);
  }
  const bytes = (Math.abs(bitpix) / 8) * gcount * (pcount + n);
  if (!Number.isSafeInteger(bytes)) throw new FormatError(F, `HDU ${index} at byte ${at}: data size overflows`);
  return { type, bytes };
}

/**
 * List the HDUs of an (uncompressed) FITS file. Every data size is checked against the file
 * length; a truncated HDU throws {@link FormatError} naming its index and byte offsets. The
 * final block's padding may be missing (some writers omit it).
 */
export function walkHdus(bytes: Uint8Array): FitsHduLayout[] {
  const out: FitsHduLayout[] = [];
  let p = 0;
  while (p < bytes.length) {
    // Trailing zero or blank padding after the last HDU is tolerated.
    if (out.length > 0 && isPadding(bytes, p)) break;
    const headerStart = p;
    const { header, end } = readHeader(bytes, p);
    const { type, bytes: dataLength } = sizeOf(header, out.length, headerStart);
    if (end + dataLength > bytes.length) {
      throw new FormatError(
        F,
        `HDU ${out.length} at byte ${headerStart} claims ${dataLength} data bytes from byte ${end}, but the file ends at byte ${bytes.length} (truncated?)`,
      );
    }
    out.push({ index: out.length, type, header, headerStart, dataStart: end, dataLength });
    p = end + Math.ceil(dataLength / BLOCK) * BLOCK;
  }
  if (out.length === 0) throw new FormatError(F, 'empty file');
  return out;
}

function isPadding(bytes: Uint8Array, p: number): boolean {
  for (let i = p; i < bytes.length; i++) if (bytes[i] !== 0 && bytes[i] !== 0x20) return false;
  return true;
}
