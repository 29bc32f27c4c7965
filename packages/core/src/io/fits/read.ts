/**
 * Reading FITS files: every HDU's header, with image and binary-table data decoded on demand.
 */
import { FormatError } from '../../errors/index.js';
import { gunzip, isGzip } from '../compress.js';
import { readBytes } from '../node.js';
import { walkHdus, type FitsHduType } from './hdu.js';
import type { FitsHeader } from './header.js';
import { decodeImage, type FitsImage } from './image.js';
import { decodeTable, type FitsColumn, type FitsTable } from './table.js';

/** One header-data unit. Data is decoded when first asked for and then cached. */
export interface FitsHdu {
  /** Position in the file (0 = primary). */
  index: number;
  type: FitsHduType;
  /** EXTNAME, when present. */
  name?: string;
  header: FitsHeader;
  /** Byte offset and length of the data in the (decompressed) file. */
  dataStart: number;
  dataLength: number;
  /** The pixels of a primary or IMAGE HDU; {@link FormatError} for other types. */
  image(): FitsImage;
  /** The columns of a BINTABLE HDU; {@link FormatError} for other types. */
  table(): FitsTable;
}

/** A parsed FITS file. */
export interface FitsFile {
  hdus: FitsHdu[];
  /** The HDU with this index or EXTNAME (case-insensitive); {@link FormatError} when absent. */
  hdu(which: number | string): FitsHdu;
}

/**
 * Parse a FITS file (optionally gzip-compressed, as `.fits.gz`) from bytes (browser-safe).
 * Headers are parsed and every HDU's size is checked against the file at once; image and
 * table data are decoded lazily. Corrupt or truncated input throws {@link FormatError}.
 */
export function parseFits(input: Uint8Array): FitsFile {
  const bytes = isGzip(input) ? gunzip('fits', input) : input;
  const hdus = walkHdus(bytes).map((layout): FitsHdu => {
    let image: FitsImage | undefined;
    let table: FitsTable | undefined;
    const name = layout.header.string('EXTNAME');
    return {
      index: layout.index,
      type: layout.type,
      ...(name !== undefined ? { name } : {}),
      header: layout.header,
      dataStart: layout.dataStart,
      dataLength: layout.dataLength,
      image: () => (image ??= decodeImage(bytes, layout)),
      table: () => (table ??= decodeTable(bytes, layout)),
    };
  });
  return {
    hdus,
    hdu(which) {
      const found =
        typeof which === 'number' ? hdus[which] : hdus.find((h) => h.name !== undefined && h.name.toUpperCase() === which.toUpperCase());
      if (!found)
        throw new FormatError(
          'fits',
          `no HDU ${JSON.stringify(which)} (file has ${hdus.length}: ${hdus.map((h) => h.name ?? h.index).join(', ')})`,
        );
      return found;
    },
  };
}

/** Read and parse a `.fits` or `.fits.gz` file (Node only). */
export async function readFits(path: string): Promise<FitsFile> {
  return parseFits(await readBytes(path));
}

/** The column named `name` (case-insensitive) of a table; {@link FormatError} listing the names when absent. */
export function column(table: FitsTable, name: string): FitsColumn {
  const c = table.columns.find((x) => x.name.toUpperCase() === name.toUpperCase());
  if (!c) throw new FormatError('fits', `no column '${name}' (columns: ${table.columns.map((x) => x.name).join(', ')})`);
  return c;
}
