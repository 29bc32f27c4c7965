import { ValueError } from '@astro/core';

/** What to do with labels outside the box the emulator was trained on. */
export type DomainPolicy = 'error' | 'warn' | 'ignore';

/** Labels fell outside an emulator's trained domain and the policy was `'error'`. */
export class LabelDomainError extends ValueError {
  /** Row and column of the first offending label. */
  readonly row: number;
  readonly column: number;
  constructor(message: string, row: number, column: number) {
    super(message);
    this.row = row;
    this.column = column;
  }
}

/** The box [min, max] per label (physical units) an emulator was trained on. */
export interface LabelDomain {
  /** Label names, e.g. `['teff', 'logg', 'feh']`. */
  names: readonly string[];
  /** Units per label, e.g. `['K', 'dex', 'dex']`. */
  units: readonly string[];
  /** Lower bound per label. */
  min: Float64Array;
  /** Upper bound per label. */
  max: Float64Array;
}

/**
 * Check rows of physical labels (`values` row-major, `rows × names.length`) against the
 * trained box. `'error'` throws {@link LabelDomainError} naming the first offender, `'warn'`
 * prints one warning per call, `'ignore'` does nothing. `slack` widens the box by that
 * fraction of its width on each side (default 0). Returns the number of offending rows.
 */
export function checkLabelDomain(domain: LabelDomain, values: ArrayLike<number>, rows: number, policy: DomainPolicy, slack = 0): number {
  if (policy === 'ignore') return 0;
  const k = domain.names.length;
  let bad = 0;
  let first: { r: number; c: number; v: number } | undefined;
  for (let r = 0; r < rows; r++) {
    let rowBad = false;
    for (let c = 0; c < k; c++) {
      const v = values[r * k + c]!;
      const lo = domain.min[c]!;
      const hi = domain.max[c]!;
      const pad = slack * (hi - lo);
      if (v < lo - pad || v > hi + pad) {
        rowBad = true;
        first ??= { r, c, v };
      }
    }
    if (rowBad) bad++;
  }
  if (first) {
    const c = first.c;
    const msg =
      `label '${domain.names[c]}' = ${first.v} ${domain.units[c] ?? ''} in row ${first.r} is outside the trained domain ` +
      `[${domain.min[c]}, ${domain.max[c]}] (${bad} of ${rows} rows out of domain)`;
    if (policy === 'error') throw new LabelDomainError(msg, first.r, c);
    console.warn(`spectral-emulator: ${msg}; the emulator is extrapolating`);
  }
  return bad;
}
