/**
 * Condition number of the walker ensemble as emcee's `walkers_independent` defines it: the
 * centred coordinates, each column scaled by its max-abs then unit-normalised, and the ratio
 * of largest to smallest singular value (from a Jacobi eigen-decomposition of CᵀC).
 * Returns Infinity for non-finite coordinates or a column with no spread.
 */
export function ensembleConditionNumber(coords: Float64Array, nWalkers: number, nDim: number): number {
  for (const v of coords) if (!Number.isFinite(v)) return Infinity;
  const c = new Float64Array(nWalkers * nDim);
  for (let d = 0; d < nDim; d++) {
    let mean = 0;
    for (let k = 0; k < nWalkers; k++) mean += coords[k * nDim + d]!;
    mean /= nWalkers;
    let colMax = 0;
    for (let k = 0; k < nWalkers; k++) {
      const v = coords[k * nDim + d]! - mean;
      c[k * nDim + d] = v;
      colMax = Math.max(colMax, Math.abs(v));
    }
    if (colMax === 0) return Infinity;
    let norm = 0;
    for (let k = 0; k < nWalkers; k++) {
      const v = c[k * nDim + d]! / colMax;
      c[k * nDim + d] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    for (let k = 0; k < nWalkers; k++) c[k * nDim + d] = c[k * nDim + d]! / norm;
  }
  // G = CᵀC (nDim × nDim), eigenvalues are the squared singular values of C.
  const g = new Float64Array(nDim * nDim);
  for (let i = 0; i < nDim; i++) {
    for (let j = i; j < nDim; j++) {
      let s = 0;
      for (let k = 0; k < nWalkers; k++) s += c[k * nDim + i]! * c[k * nDim + j]!;
      g[i * nDim + j] = s;
      g[j * nDim + i] = s;
    }
  }
  const ev = symmetricEigenvalues(g, nDim);
  let lo = Infinity;
  let hi = 0;
  for (const v of ev) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (!(lo > 0)) return Infinity;
  return Math.sqrt(hi / lo);
}

/** Eigenvalues of a small symmetric matrix by cyclic Jacobi rotations (destroys `a`). */
function symmetricEigenvalues(a: Float64Array, n: number): Float64Array {
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += a[i * n + j]! ** 2;
    let diag = 0;
    for (let i = 0; i < n; i++) diag += a[i * n + i]! ** 2;
    if (off <= 1e-30 * diag || off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let r = p + 1; r < n; r++) {
        const apr = a[p * n + r]!;
        if (apr === 0) continue;
        const theta = (a[r * n + r]! - a[p * n + p]!) / (2 * apr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akr = a[k * n + r]!;
          a[k * n + p] = cs * akp - sn * akr;
          a[k * n + r] = sn * akp + cs * akr;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const ark = a[r * n + k]!;
          a[p * n + k] = cs * apk - sn * ark;
          a[r * n + k] = sn * apk + cs * ark;
        }
      }
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i * n + i]!;
  return out;
}
