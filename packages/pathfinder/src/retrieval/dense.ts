import { ShapeError, ValueError } from '@astro/core';
import { topK } from '@astro/core/kernels';

/** A dense hit: id, cosine similarity and the L2 distance between the unit-normalised vectors. */
export interface DenseHit {
  id: string;
  /** Cosine similarity in [−1, 1]. */
  score: number;
  /** ‖q̂ − d̂‖ = √(2 − 2 cos), the distance Pathfinder's 1/L2 similarity uses. */
  distance: number;
}

/**
 * In-memory dense vectors with cosine top-k search through core's `topK` (which tiles the
 * corpus and re-ranks exactly in float64). Rows are stored unit-normalised; ids are unique.
 * Adding an id that exists replaces its vector; removal swaps the last row in (O(d)).
 */
export class DenseIndex {
  readonly dim: number;
  private data: Float32Array;
  private ids: string[] = [];
  private rowOf = new Map<string, number>();

  constructor(dim: number, capacity = 1024) {
    if (!(Number.isInteger(dim) && dim >= 1)) throw new ValueError(`DenseIndex: dim must be a positive integer, got ${dim}`);
    this.dim = dim;
    this.data = new Float32Array(Math.max(1, capacity) * dim);
  }

  /** Number of vectors. */
  get size(): number {
    return this.ids.length;
  }

  /** Whether `id` has a vector. */
  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  /** Ids in row order. */
  idList(): readonly string[] {
    return this.ids;
  }

  /** The stored (unit-normalised) vector of `id`, or undefined. */
  vector(id: string): Float32Array | undefined {
    const r = this.rowOf.get(id);
    return r === undefined ? undefined : this.data.slice(r * this.dim, (r + 1) * this.dim);
  }

  /** Row-major matrix of all stored vectors (a view, valid until the next change). */
  matrix(): { data: Float32Array; rows: number; cols: number } {
    return { data: this.data.subarray(0, this.ids.length * this.dim), rows: this.ids.length, cols: this.dim };
  }

  /**
   * Add or replace vectors. `vectors` is n × dim row-major.
   * @throws {ShapeError} when the length is not ids.length × dim.
   * @throws {ValueError} for a NaN/Inf or zero vector (its cosine is undefined).
   */
  add(ids: readonly string[], vectors: Float32Array): void {
    if (vectors.length !== ids.length * this.dim) {
      throw new ShapeError(
        `DenseIndex.add: ${ids.length} ids need ${ids.length * this.dim} values (dim ${this.dim}), got ${vectors.length}`,
      );
    }
    for (let i = 0; i < ids.length; i++) {
      const v = vectors.subarray(i * this.dim, (i + 1) * this.dim);
      let n2 = 0;
      for (let j = 0; j < this.dim; j++) {
        if (!Number.isFinite(v[j]!)) throw new ValueError(`DenseIndex.add: vector of ${ids[i]} holds ${v[j]} at ${j}`);
        n2 += v[j]! * v[j]!;
      }
      if (n2 === 0) throw new ValueError(`DenseIndex.add: vector of ${ids[i]} is zero; cosine similarity is undefined`);
      const inv = 1 / Math.sqrt(n2);
      let r = this.rowOf.get(ids[i]!);
      if (r === undefined) {
        r = this.ids.length;
        if ((r + 1) * this.dim > this.data.length) {
          const grown = new Float32Array(Math.max(this.data.length * 2, (r + 1) * this.dim));
          grown.set(this.data);
          this.data = grown;
        }
        this.ids.push(ids[i]!);
        this.rowOf.set(ids[i]!, r);
      }
      for (let j = 0; j < this.dim; j++) this.data[r * this.dim + j] = v[j]! * inv;
    }
  }

  /** Remove vectors by id (absent ids are ignored). */
  remove(ids: readonly string[]): void {
    for (const id of ids) {
      const r = this.rowOf.get(id);
      if (r === undefined) continue;
      const last = this.ids.length - 1;
      if (r !== last) {
        this.data.copyWithin(r * this.dim, last * this.dim, (last + 1) * this.dim);
        const moved = this.ids[last]!;
        this.ids[r] = moved;
        this.rowOf.set(moved, r);
      }
      this.ids.pop();
      this.rowOf.delete(id);
    }
  }

  /**
   * The `k` nearest stored vectors to each query by cosine similarity (k is capped at the size).
   * @param queries m × dim row-major.
   */
  async search(queries: Float32Array, k: number): Promise<DenseHit[][]> {
    if (queries.length % this.dim !== 0)
      throw new ShapeError(`DenseIndex.search: query length ${queries.length} is not a multiple of dim ${this.dim}`);
    if (!(Number.isInteger(k) && k >= 1)) throw new ValueError(`DenseIndex.search: k must be a positive integer, got ${k}`);
    const m = queries.length / this.dim;
    if (this.size === 0) return Array.from({ length: m }, () => []);
    const kk = Math.min(k, this.size);
    const res = await topK({ data: queries, rows: m, cols: this.dim }, this.matrix(), { k: kk, metric: 'cosine' });
    const out: DenseHit[][] = [];
    for (let i = 0; i < m; i++) {
      const row: DenseHit[] = [];
      for (let r = 0; r < kk; r++) {
        const s = res.values[i * kk + r]!;
        row.push({ id: this.ids[res.indices[i * kk + r]!]!, score: s, distance: Math.sqrt(Math.max(0, 2 - 2 * s)) });
      }
      out.push(row);
    }
    return out;
  }
}
