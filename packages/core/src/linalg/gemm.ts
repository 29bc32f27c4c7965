import type { F64Workspace } from './simd-f64.js';

/** Depth (K) of one cache block: a 4×KC strip of A (4 KiB) stays in L1. */
const KC = 128;
/** Width (N) of one cache block: a KC×NC block of B (256 KiB) stays in L2. */
const NC = 256;

/**
 * C ← C − A·B (`sign` −1) or C ← C + A·B (`sign` +1) on row-major blocks inside a workspace:
 * C is M×N at element offset `c` with row stride `ldc`, A is M×K at `a` (stride `lda`), B is
 * K×N at `b` (stride `ldb`). Blocked over K and N for the caches; the SIMD kernel takes the
 * 4-aligned part, plain loops the ragged edges.
 */
export function gemmUpdate(
  ws: F64Workspace,
  sign: 1 | -1,
  c: number,
  ldc: number,
  a: number,
  lda: number,
  b: number,
  ldb: number,
  M: number,
  N: number,
  K: number,
): void {
  if (M <= 0 || N <= 0 || K <= 0) return;
  const m = ws.f64;
  const M4 = M & ~3;
  const N4 = N & ~3;
  const kern = sign < 0 ? ws.kernels.gemmSub : ws.kernels.gemmAdd;
  if (M4 > 0 && N4 > 0) {
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = Math.min(KC, K - k0);
      for (let j0 = 0; j0 < N4; j0 += NC) {
        const nc = Math.min(NC, N4 - j0);
        kern(8 * (c + j0), 8 * (a + k0), 8 * (b + k0 * ldb + j0), M4, nc, kc, ldc, lda, ldb);
      }
    }
  }
  // Ragged right columns of the first M4 rows, then the last M − M4 rows in full.
  if (N4 < N) {
    for (let i = 0; i < M4; i++) {
      const ra = a + i * lda;
      const rc = c + i * ldc;
      for (let j = N4; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += m[ra + k]! * m[b + k * ldb + j]!;
        m[rc + j] = m[rc + j]! + sign * s;
      }
    }
  }
  for (let i = M4; i < M; i++) {
    const ra = a + i * lda;
    const rc = c + i * ldc;
    for (let k = 0; k < K; k++) {
      const v = sign * m[ra + k]!;
      if (v === 0) continue;
      const rb = b + k * ldb;
      for (let j = 0; j < N; j++) m[rc + j] = m[rc + j]! + v * m[rb + j]!;
    }
  }
}
