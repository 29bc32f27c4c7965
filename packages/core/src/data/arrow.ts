/**
 * Arrow tables ↔ flat typed arrays ↔ tfjs tensors. A vector column is a
 * `FixedSizeList<Float32>` (one fixed-length vector per row, e.g. a spectrum); scalar
 * columns are plain numeric columns. Arrays are row-major with shape `[rows, …item]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int16,
  Int32,
  Int8,
  Table,
  Type,
  Uint16,
  Uint32,
  Uint8,
  makeData,
  makeVector,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { ShapeError, ValueError } from '../errors/index.js';
import type { TypedArray } from '../io/bytes.js';
import { toInt32Array } from '../io/int64.js';

/** Numeric typed arrays a column can hold: the same set as the readers' {@link TypedArray}. */
export type NumericArray = TypedArray;

/** One column as a flat row-major array with its shape `[rows, …item]`. */
export interface ColumnArray {
  shape: number[];
  data: NumericArray;
}

/** Columns keyed by name; every column has the same number of rows (`shape[0]`). */
export type ColumnArrays = Record<string, ColumnArray>;

const NUMERIC = new Set<Type>([Type.Int, Type.Float]);

function itemShape(type: DataType, column: string): number[] {
  if (NUMERIC.has(type.typeId)) return [];
  if (type.typeId === Type.FixedSizeList) {
    const t = type as FixedSizeList;
    return [t.listSize, ...itemShape(t.children[0]!.type, column)];
  }
  throw new ValueError(`column '${column}' has type ${String(type)}, not numeric or a fixed-size list of numbers`);
}

/**
 * Leaf values of the first `count` rows of one chunk, walking nested fixed-size lists.
 * apache-arrow slices value buffers (and children) when it slices data, so values start at
 * the chunk's first row; `offset` only applies to the validity bitmap, inside `getValid`.
 */
function leafValues(d: Data, count: number, column: string): NumericArray {
  if (d.nullCount > 0) {
    for (let i = 0; i < count; i++) {
      if (!d.getValid(i)) throw new ValueError(`column '${column}' has a null at row ${i} of a chunk; fill or drop nulls first`);
    }
  }
  if (d.typeId === Type.FixedSizeList) {
    const size = (d.type as FixedSizeList).listSize;
    return leafValues(d.children[0]!, count * size, column);
  }
  const stride = (d as unknown as { stride: number }).stride ?? 1;
  if (stride !== 1) throw new ValueError(`column '${column}' has unsupported type ${String(d.type)}`);
  const values = d.values as NumericArray;
  if (values.length < count) throw new ValueError(`column '${column}': chunk holds ${values.length} values, ${count} expected`);
  return values.subarray(0, count) as NumericArray;
}

/** True when an Arrow column can become a {@link ColumnArray}. */
function isNumericColumn(type: DataType): boolean {
  try {
    itemShape(type, '');
    return true;
  } catch {
    return false;
  }
}

/**
 * Copy Arrow columns into flat typed arrays: scalar numeric columns → `[rows]`, fixed-size
 * list columns → `[rows, size]` (nested lists add axes). Without `columns`, every numeric or
 * vector column is taken (others, e.g. strings, are left out); a named non-numeric column
 * or any null throws {@link ValueError}.
 */
export function tableToArrays(table: Table, opts: { columns?: readonly string[] } = {}): ColumnArrays {
  const names = opts.columns ?? table.schema.fields.filter((f) => isNumericColumn(f.type)).map((f) => f.name);
  const out: ColumnArrays = {};
  for (const name of names) {
    const field = table.schema.fields.find((f) => f.name === name);
    if (!field) throw new ValueError(`no column '${name}' (columns: ${table.schema.fields.map((f) => f.name).join(', ')})`);
    const item = itemShape(field.type, name);
    const per = item.reduce((a, b) => a * b, 1);
    const vec = table.getChild(name) as Vector;
    const chunks = vec.data.map((d) => leafValues(d, d.length, name));
    const first = chunks[0];
    const Ctor = (first?.constructor ?? Float32Array) as new (n: number) => NumericArray;
    const data = new Ctor(table.numRows * per);
    let at = 0;
    for (const c of chunks) {
      (data as Float32Array).set(c as Float32Array, at);
      at += c.length;
    }
    Object.defineProperty(out, name, { value: { shape: [table.numRows, ...item], data }, enumerable: true });
  }
  return out;
}

function arrowType(data: NumericArray, column: string): DataType {
  if (data instanceof Float32Array) return new Float32();
  if (data instanceof Float64Array) return new Float64();
  if (data instanceof Int32Array) return new Int32();
  if (data instanceof Int16Array) return new Int16();
  if (data instanceof Int8Array) return new Int8();
  if (data instanceof Uint8Array) return new Uint8();
  if (data instanceof Uint16Array) return new Uint16();
  if (data instanceof Uint32Array) return new Uint32();
  throw new ValueError(`column '${column}': 64-bit integer columns are not supported for writing; convert to Int32Array or Float64Array`);
}

/** The row count shared by all columns; {@link ShapeError} when they differ or a shape mismatches its data. */
export function rowCount(columns: ColumnArrays): number {
  let rows: number | undefined;
  for (const [name, c] of Object.entries(columns)) {
    if (c.shape.length === 0) throw new ShapeError(`column '${name}' needs a shape [rows, …], got []`);
    const n = c.shape.reduce((a, b) => a * b, 1);
    if (n !== c.data.length)
      throw new ShapeError(`column '${name}': shape [${c.shape.join(', ')}] holds ${n} values but data has ${c.data.length}`);
    if (rows === undefined) rows = c.shape[0]!;
    else if (c.shape[0] !== rows) throw new ShapeError(`column '${name}' has ${c.shape[0]} rows but earlier columns have ${rows}`);
  }
  return rows ?? 0;
}

/**
 * Build an Arrow table from flat arrays: shape `[rows]` → a scalar column of the array's
 * type; `[rows, k]` → `FixedSizeList<T>(k)`; more axes → nested fixed-size lists.
 * Data is not copied.
 */
export function arraysToTable(columns: ColumnArrays): Table {
  const rows = rowCount(columns);
  const vectors: Record<string, Vector> = {};
  for (const [name, c] of Object.entries(columns)) {
    const leaf = arrowType(c.data, name);
    let data: Data = makeData({ type: leaf, length: c.data.length, data: c.data } as never);
    for (let axis = c.shape.length - 1; axis >= 1; axis--) {
      const size = c.shape[axis]!;
      const length = c.shape.slice(0, axis).reduce((a, b) => a * b, 1);
      const type = new FixedSizeList(size, new Field('item', data.type, false));
      data = makeData({ type, length, nullCount: 0, child: data } as never);
    }
    Object.defineProperty(vectors, name, { value: makeVector(data), enumerable: true });
  }
  const table = new Table(vectors);
  if (table.numRows !== rows) throw new ShapeError(`table has ${table.numRows} rows, expected ${rows}`);
  return table;
}

/**
 * tfjs tensors from Arrow columns (see {@link tableToArrays}): floats → float32, integers →
 * int32 (values outside int32 throw {@link ValueError}). The caller disposes the tensors.
 */
export function tableToTensors(table: Table, opts: { columns?: readonly string[] } = {}): Record<string, tf.Tensor> {
  return arraysToTensors(tableToArrays(table, opts));
}

/** tfjs tensors from {@link ColumnArrays} (float → float32, integer → int32). */
export function arraysToTensors(columns: ColumnArrays): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, c] of Object.entries(columns)) {
    const d = c.data;
    let t: tf.Tensor;
    if (d instanceof Float32Array) t = tf.tensor(d, c.shape, 'float32');
    else if (d instanceof Float64Array) t = tf.tensor(Float32Array.from(d), c.shape, 'float32');
    else if (d instanceof BigInt64Array || d instanceof BigUint64Array) t = tf.tensor(toInt32Array(d, name), c.shape, 'int32');
    else if (d instanceof Uint32Array) {
      for (let i = 0; i < d.length; i++)
        if (d[i]! > 2147483647) throw new ValueError(`column '${name}'[${i}] = ${d[i]} does not fit in int32`);
      t = tf.tensor(Int32Array.from(d), c.shape, 'int32');
    } else t = tf.tensor(d instanceof Int32Array ? d : Int32Array.from(d), c.shape, 'int32');
    Object.defineProperty(out, name, { value: t, enumerable: true });
  }
  return out;
}

/**
 * An Arrow table from tfjs tensors (read, not disposed): 1-D → scalar column, 2-D → a
 * `FixedSizeList<Float32>` (or `<Int32>`) vector column. All tensors need the same first dimension.
 */
export async function tensorsToTable(tensors: Record<string, tf.Tensor>): Promise<Table> {
  const cols: ColumnArrays = {};
  for (const [name, t] of Object.entries(tensors)) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new ValueError(`tensor '${name}' has dtype ${t.dtype}; only float32 and int32 go into tables`);
    if (t.rank === 0) throw new ShapeError(`tensor '${name}' is a scalar; tables need a rows axis`);
    const data = (await t.data()) as Float32Array | Int32Array;
    Object.defineProperty(cols, name, { value: { shape: t.shape, data }, enumerable: true });
  }
  return arraysToTable(cols);
}
