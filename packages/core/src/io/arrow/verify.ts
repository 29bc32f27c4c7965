/**
 * A bounds verifier for Arrow IPC metadata (the FlatBuffers `Message`, `Schema`,
 * `RecordBatch` and `Footer` tables of format/Message.fbs, Schema.fbs, File.fbs), run before
 * `apache-arrow` decodes anything. apache-arrow trusts vector lengths and body sizes, so a
 * flipped bit can make it loop over billions of fields or allocate gigabytes; here every
 * offset, vector and body region is checked against the bytes that exist, and the footer's
 * record batches must match the messages in the file (so a damaged footer cannot silently
 * drop rows).
 */
import { FormatError } from '../../errors/index.js';

const F = 'arrow';

/** FlatBuffers reader over one message's metadata with bounds checks. */
class Fb {
  private readonly dv: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly base: number,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(what: string, at: number): never {
    throw new FormatError(F, `metadata ${what} at byte ${this.base + at} is out of bounds or malformed`);
  }

  private u32(at: number): number {
    if (at < 0 || at + 4 > this.bytes.length) this.fail('offset', at);
    return this.dv.getUint32(at, true);
  }

  /** Position of the root table. */
  root(): number {
    return this.table(this.u32(0), 'root table');
  }

  /** Validate a table at `pos` (its vtable must lie inside the buffer). */
  table(pos: number, what: string): number {
    if (pos < 0 || pos + 4 > this.bytes.length) this.fail(what, pos);
    const vt = pos - this.dv.getInt32(pos, true);
    if (vt < 0 || vt + 4 > this.bytes.length) this.fail(`${what} vtable`, vt);
    const vtSize = this.dv.getUint16(vt, true);
    const tSize = this.dv.getUint16(vt + 2, true);
    if (vtSize < 4 || vtSize % 2 !== 0 || vt + vtSize > this.bytes.length || pos + tSize > this.bytes.length)
      this.fail(`${what} vtable`, vt);
    return pos;
  }

  /** Address of field `i` of the table at `pos`, or -1 when absent. */
  field(pos: number, i: number, size: number): number {
    const vt = pos - this.dv.getInt32(pos, true);
    const vtSize = this.dv.getUint16(vt, true);
    if (4 + 2 * i + 2 > vtSize) return -1;
    const off = this.dv.getUint16(vt + 4 + 2 * i, true);
    if (off === 0) return -1;
    if (pos + off + size > this.bytes.length) this.fail(`field ${i}`, pos + off);
    return pos + off;
  }

  /** Follow an offset field to its target, or -1. */
  ref(pos: number, i: number): number {
    const at = this.field(pos, i, 4);
    return at < 0 ? -1 : at + this.u32(at);
  }

  /** A vector field: its element start and length, checked to fit. */
  vector(pos: number, i: number, elemSize: number, what: string): { start: number; length: number } {
    const at = this.ref(pos, i);
    if (at < 0) return { start: 0, length: 0 };
    const length = this.u32(at);
    if (at + 4 + length * elemSize > this.bytes.length) this.fail(`${what} vector of ${length}`, at);
    return { start: at + 4, length };
  }

  /** A table-valued vector: the positions of its tables. */
  tables(pos: number, i: number, what: string): number[] {
    const { start, length } = this.vector(pos, i, 4, what);
    const out: number[] = [];
    for (let k = 0; k < length; k++) out.push(this.table(start + 4 * k + this.u32(start + 4 * k), what));
    return out;
  }

  string(pos: number, i: number, what: string): void {
    this.vector(pos, i, 1, what);
  }

  int64(at: number, what: string): number {
    if (at < 0) return 0;
    const lo = this.dv.getUint32(at, true);
    const hi = this.dv.getInt32(at + 4, true);
    const v = hi * 2 ** 32 + lo;
    if (!Number.isSafeInteger(v) || v < 0) this.fail(`${what} ${v}`, at);
    return v;
  }

  uint8(at: number): number {
    return at < 0 ? 0 : this.bytes[at]!;
  }

  view(): DataView {
    return this.dv;
  }
}

function keyValues(fb: Fb, pos: number, i: number): void {
  for (const kv of fb.tables(pos, i, 'custom_metadata')) {
    fb.string(kv, 0, 'key');
    fb.string(kv, 1, 'value');
  }
}

function field(fb: Fb, pos: number, depth: number): void {
  if (depth > 64) throw new FormatError(F, 'schema nests fields more than 64 deep');
  fb.string(pos, 0, 'field name');
  const type = fb.ref(pos, 3);
  if (type >= 0) fb.table(type, 'field type');
  const dict = fb.ref(pos, 4);
  if (dict >= 0) {
    fb.table(dict, 'dictionary encoding');
    const idx = fb.ref(dict, 1);
    if (idx >= 0) fb.table(idx, 'dictionary index type');
  }
  for (const child of fb.tables(pos, 5, 'children')) field(fb, child, depth + 1);
  keyValues(fb, pos, 6);
}

function schema(fb: Fb, pos: number): void {
  for (const f of fb.tables(pos, 1, 'fields')) field(fb, f, 0);
  keyValues(fb, pos, 2);
  fb.vector(pos, 3, 8, 'features');
}

function recordBatch(fb: Fb, pos: number, bodyLength: number): void {
  const length = fb.int64(fb.field(pos, 0, 8), 'record batch length');
  const nodes = fb.vector(pos, 1, 16, 'field nodes');
  const buffers = fb.vector(pos, 2, 16, 'buffers');
  // Every column needs at least a bit per row in the body, except Null-typed columns.
  const cap = 8 * bodyLength + 1024;
  if (length > cap) throw new FormatError(F, `record batch claims ${length} rows in a ${bodyLength}-byte body`);
  for (let k = 0; k < nodes.length; k++) {
    const n = fb.int64(nodes.start + 16 * k, 'node length');
    const nulls = fb.int64(nodes.start + 16 * k + 8, 'null count');
    if (n > cap || nulls > n) throw new FormatError(F, `field node ${k} claims ${n} values (${nulls} null) in a ${bodyLength}-byte body`);
  }
  for (let k = 0; k < buffers.length; k++) {
    const off = fb.int64(buffers.start + 16 * k, 'buffer offset');
    const len = fb.int64(buffers.start + 16 * k + 8, 'buffer length');
    if (off + len > bodyLength) throw new FormatError(F, `buffer ${k} spans body bytes ${off}..${off + len} of ${bodyLength}`);
  }
  const comp = fb.ref(pos, 3);
  if (comp >= 0) fb.table(comp, 'compression');
  fb.vector(pos, 4, 8, 'variadic buffer counts');
}

/** Header types of Message.fbs. */
const SCHEMA = 1;
const DICTIONARY_BATCH = 2;
const RECORD_BATCH = 3;

/**
 * Verify one encapsulated message at `p`: continuation marker, metadata length, the
 * Message table and its header, and that its body fits. Returns the message kind and the
 * offset just past its body, or `undefined` at an end-of-stream marker.
 */
function message(bytes: Uint8Array, p: number, limit: number): { kind: number; next: number } | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (p + 4 > limit) throw new FormatError(F, `message at byte ${p} is truncated`);
  let len = dv.getUint32(p, true);
  let q = p + 4;
  if (len === 0xffffffff) {
    if (q + 4 > limit) throw new FormatError(F, `message at byte ${p} is truncated`);
    len = dv.getUint32(q, true);
    q += 4;
  }
  if (len === 0) return undefined;
  if (len > limit - q) throw new FormatError(F, `message at byte ${p} claims ${len} metadata bytes but only ${limit - q} remain`);
  const fb = new Fb(bytes.subarray(q, q + len), q);
  const m = fb.root();
  const kind = fb.uint8(fb.field(m, 1, 1));
  const header = fb.ref(m, 2);
  const body = fb.int64(fb.field(m, 3, 8), 'body length');
  keyValues(fb, m, 4);
  const bodyStart = q + len;
  if (body > limit - bodyStart)
    throw new FormatError(F, `message at byte ${p} claims a ${body}-byte body but only ${limit - bodyStart} remain`);
  if (header >= 0) {
    fb.table(header, 'message header');
    if (kind === SCHEMA) schema(fb, header);
    else if (kind === RECORD_BATCH) recordBatch(fb, header, body);
    else if (kind === DICTIONARY_BATCH) {
      const data = fb.ref(header, 1);
      if (data >= 0) recordBatch(fb, fb.table(data, 'dictionary data'), body);
    }
  } else if (kind === SCHEMA || kind === RECORD_BATCH || kind === DICTIONARY_BATCH) {
    throw new FormatError(F, `message at byte ${p} has no header`);
  }
  return { kind, next: bodyStart + body };
}

/** Verify an IPC stream in `bytes[start, limit)`; returns the number of record batches. */
function stream(bytes: Uint8Array, start: number, limit: number, isStream: boolean): number {
  let p = start;
  let batches = 0;
  let first = true;
  while (p < limit) {
    const m = message(bytes, p, limit);
    if (!m) return batches;
    // A stream starts with its schema; a file carries it in the footer (apache-arrow's file writer omits it up front).
    if (first && isStream && m.kind !== SCHEMA) throw new FormatError(F, `first message at byte ${p} is not a schema`);
    first = false;
    if (m.kind === RECORD_BATCH) batches++;
    p = m.next;
    while (p % 8 !== 0 && p < limit && bytes[p] === 0) p++;
  }
  if (isStream) throw new FormatError(F, `stream ends at byte ${limit} without an end-of-stream marker`);
  return batches;
}

/** Verify Arrow IPC bytes (file or stream) before handing them to apache-arrow. */
export function verifyIpc(bytes: Uint8Array, isFile: boolean): void {
  if (!isFile) {
    stream(bytes, 0, bytes.length, true);
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  if (n < 18) throw new FormatError(F, `IPC file of ${n} bytes is too short`);
  const footerLen = dv.getInt32(n - 10, true);
  const footerStart = n - 10 - footerLen;
  if (footerLen <= 0 || footerStart < 8) throw new FormatError(F, `footer length ${footerLen} at byte ${n - 10} does not fit the file`);
  const streamed = stream(bytes, 8, footerStart, false);
  const fb = new Fb(bytes.subarray(footerStart, n - 10), footerStart);
  const footer = fb.root();
  const s = fb.ref(footer, 1);
  if (s < 0) throw new FormatError(F, `footer at byte ${footerStart} has no schema`);
  schema(fb, fb.table(s, 'footer schema'));
  for (const [i, what] of [
    [2, 'dictionary'],
    [3, 'record batch'],
  ] as const) {
    const blocks = fb.vector(footer, i, 24, `${what} blocks`);
    if (i === 3 && blocks.length !== streamed) {
      throw new FormatError(F, `footer lists ${blocks.length} record batches but the file holds ${streamed}`);
    }
    for (let k = 0; k < blocks.length; k++) {
      const at = blocks.start + 24 * k;
      const off = fb.int64(at, 'block offset');
      const metaLen = fb.view().getInt32(at + 8, true);
      const body = fb.int64(at + 16, 'block body length');
      if (metaLen < 0 || off + metaLen + body > footerStart) {
        throw new FormatError(F, `${what} block ${k} (bytes ${off}..${off + metaLen + body}) lies outside the data`);
      }
      const m = message(bytes, off, footerStart);
      if (!m || m.kind !== (i === 2 ? DICTIONARY_BATCH : RECORD_BATCH))
        throw new FormatError(F, `${what} block ${k} at byte ${off} is not a ${what}`);
    }
  }
}
