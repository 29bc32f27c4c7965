/**
 * Arrow IPC (file and stream formats) through `apache-arrow`, with the checks it does not
 * make itself: the file's closing magic or the stream's end-of-stream marker must be present
 * (so a truncated file is an error, not fewer rows), and every buffer must be as long as its
 * type and length require. Any failure is a {@link FormatError}.
 */
import { Table, Type, tableFromIPC, tableToIPC, type Data, type DataType } from 'apache-arrow';
import { FormatError } from '../../errors/index.js';
import { readBytes, writeBytes } from '../node.js';
import { verifyIpc } from './verify.js';

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

function hasMagicAt(bytes: Uint8Array, at: number): boolean {
  return MAGIC.every((b, i) => bytes[at + i] === b);
}

/**
 * Parse Arrow IPC bytes (file format `ARROW1…ARROW1`, or a stream ending with its
 * end-of-stream marker) into an Arrow `Table`, validating buffer sizes.
 */
export function parseArrow(bytes: Uint8Array): Table {
  const isFile = bytes.length >= 6 && hasMagicAt(bytes, 0);
  if (isFile) {
    if (bytes.length < 12 || !hasMagicAt(bytes, bytes.length - 6)) {
      throw new FormatError('arrow', `IPC file of ${bytes.length} bytes lacks its closing ARROW1 magic (truncated?)`);
    }
  } else {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const n = bytes.length;
    if (n < 8 || dv.getUint32(n - 8, true) !== 0xffffffff || dv.getUint32(n - 4, true) !== 0) {
      throw new FormatError(
        'arrow',
        `not an Arrow IPC file (no ARROW1 magic at byte 0) nor a complete stream (no end-of-stream marker at byte ${Math.max(0, n - 8)})`,
      );
    }
  }
  verifyIpc(bytes, isFile);
  let table: Table;
  try {
    table = tableFromIPC(bytes);
  } catch (e) {
    throw new FormatError('arrow', `cannot decode IPC ${isFile ? 'file' : 'stream'}: ${(e as Error).message}`, { cause: e });
  }
  if (table.schema.fields.length === 0 && table.numRows === 0 && bytes.length > 16) {
    throw new FormatError('arrow', 'IPC data decoded to no schema');
  }
  for (const field of table.schema.fields) {
    const col = table.getChild(field.name);
    for (const data of col?.data ?? []) validateData(data, field.name);
  }
  return table;
}

/** Check that a column chunk's buffers hold at least what its type and length claim. */
function validateData(d: Data<DataType>, where: string): void {
  const end = d.offset + d.length;
  if (!Number.isSafeInteger(end) || d.length < 0) throw new FormatError('arrow', `column '${where}': bad length ${d.length}`);
  const fail = (what: string): never => {
    throw new FormatError('arrow', `column '${where}' (${String(d.type)}): ${what}`);
  };
  if (d.nullCount > 0 && d.nullBitmap && d.nullBitmap.length * 8 < end)
    fail(`validity bitmap of ${d.nullBitmap.length} bytes is too short for ${end} values`);
  const values = d.values as unknown as { length: number } | undefined;
  const offsets = d.valueOffsets as unknown as ArrayLike<number | bigint> | undefined;
  switch (d.typeId) {
    case Type.Null:
    case Type.Struct:
    case Type.Dictionary:
      break;
    case Type.Bool:
      if ((values?.length ?? 0) < Math.ceil(end / 8)) fail(`values bitmap too short for ${end} values`);
      break;
    case Type.Utf8:
    case Type.Binary:
    case Type.LargeUtf8:
    case Type.LargeBinary:
    case Type.List:
    case Type.LargeList: {
      if (!offsets || offsets.length < end + 1) fail(`offsets buffer too short for ${end} values`);
      const last = Number(offsets![end]);
      const first = Number(offsets![d.offset]);
      if (!(first >= 0 && last >= first)) fail(`offsets run backwards (${first}..${last})`);
      const have = d.typeId === Type.List || d.typeId === Type.LargeList ? (d.children[0]?.length ?? 0) : (values?.length ?? 0);
      if (have < last) fail(`data holds ${have} elements but the offsets reach ${last}`);
      break;
    }
    case Type.FixedSizeList: {
      const size = (d.type as unknown as { listSize: number }).listSize;
      if ((d.children[0]?.length ?? 0) < end * size) fail(`child holds ${d.children[0]?.length ?? 0} values, ${end * size} needed`);
      break;
    }
    default: {
      const stride = (d as unknown as { stride?: number }).stride ?? 1;
      if (values && values.length < end * stride) fail(`values buffer holds ${values.length} elements, ${end * stride} needed`);
    }
  }
  for (const child of d.children) validateData(child, `${where}.${child.type}`);
}

/** Encode an Arrow table as IPC bytes (`'file'` = Feather v2 / `.arrow`, or `'stream'`). */
export function encodeArrow(table: Table, format: 'file' | 'stream' = 'file'): Uint8Array {
  return tableToIPC(table, format);
}

/** Read and parse an Arrow IPC file or stream (Node only). */
export async function readArrow(path: string): Promise<Table> {
  return parseArrow(await readBytes(path));
}

/** Encode an Arrow table and write it as an IPC file (Node only). */
export async function writeArrow(path: string, table: Table, format: 'file' | 'stream' = 'file'): Promise<void> {
  await writeBytes(path, encodeArrow(table, format));
}
