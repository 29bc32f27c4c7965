/**
 * Running top-k selection for many queries at once: for each query, the `capacity` smallest
 * keys seen so far, kept sorted ascending with ties broken by the lower corpus index. Insertion
 * is O(capacity) but almost every candidate is rejected by one comparison with the current worst,
 * which is the regime of k ≪ n nearest-neighbour search.
 */
export class RunningTopK {
  /** Keys, `queries × capacity`, ascending per query; +Inf marks an empty slot. */
  readonly keys: Float64Array;
  /** Corpus indices matching `keys`; `EMPTY` marks an empty slot. */
  readonly indices: Int32Array;
  /** Index used for empty slots: larger than any corpus index, so it loses every tie. */
  static readonly EMPTY = 0x7fffffff;

  constructor(
    readonly queries: number,
    readonly capacity: number,
  ) {
    this.keys = new Float64Array(queries * capacity).fill(Infinity);
    this.indices = new Int32Array(queries * capacity).fill(RunningTopK.EMPTY);
  }

  /** Current worst (largest) key kept for query `q`: a candidate must beat it to enter. */
  worst(q: number): number {
    return this.keys[q * this.capacity + this.capacity - 1]!;
  }

  /** Offer candidate (`key`, corpus index `j`) to query `q`; ordering is lexicographic on (key, j). */
  push(q: number, key: number, j: number): void {
    const cap = this.capacity;
    const base = q * cap;
    const keys = this.keys;
    const idx = this.indices;
    let p = base + cap - 1;
    const wk = keys[p]!;
    if (key > wk || (key === wk && j >= idx[p]!)) return;
    // Shift larger entries up one slot, then drop the candidate in.
    while (p > base) {
      const pk = keys[p - 1]!;
      if (pk < key || (pk === key && idx[p - 1]! < j)) break;
      keys[p] = pk;
      idx[p] = idx[p - 1]!;
      p--;
    }
    keys[p] = key;
    idx[p] = j;
  }
}
