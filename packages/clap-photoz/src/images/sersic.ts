import { ValueError } from '@astro/core';
import { lnGamma } from '../template/prior.js';
import { gammaP } from './gamma.js';

/**
 * The Sérsic constant b_n, defined by γ(2n, b_n) = Γ(2n)/2 so that r_e encloses half the light
 * (Ciotti & Bertin 1999, A&A 352, 447): started from their asymptotic series
 * b ≈ 2n − 1/3 + 4/(405n) + 46/(25515n²) + 131/(1148175n³) and refined by Newton's method on
 * P(2n, b) = ½ to 1e-12. b_1 = 1.67834699…, b_4 = 7.66924944….
 * @throws {ValueError} unless 0.2 ≤ n ≤ 10.
 */
export function sersicB(n: number): number {
  if (!(n >= 0.2 && n <= 10)) throw new ValueError(`sersicB: Sérsic index n must be in [0.2, 10], got ${n}`);
  const a = 2 * n;
  let b = 2 * n - 1 / 3 + 4 / (405 * n) + 46 / (25515 * n * n) + 131 / (1148175 * n ** 3);
  const lnG = lnGamma(a);
  for (let it = 0; it < 50; it++) {
    const f = gammaP(a, b) - 0.5;
    const df = Math.exp((a - 1) * Math.log(b) - b - lnG);
    const step = f / df;
    b = Math.max(b - step, b / 2);
    if (Math.abs(step) < 1e-12 * b) break;
  }
  return b;
}

/** A Sérsic profile on the pixel grid (lengths in pixels, angle in radians). */
export interface SersicProfile {
  /** Total flux (any unit; the image is in the same unit per pixel). */
  flux: number;
  /** Half-light radius along the major axis, r_e (px). */
  reMajorPx: number;
  /** Sérsic index n (1 = exponential disc, 4 = de Vaucouleurs). */
  n: number;
  /** Axis ratio q = b/a ∈ (0, 1]. */
  q: number;
  /** Position angle of the major axis from the +x (column) axis, counter-clockwise (rad). */
  paRad: number;
  /** Centre (px) in pixel coordinates, pixel (i, j) spanning [j, j+1) × [i, i+1); default the image centre. */
  x0?: number;
  y0?: number;
}

/**
 * Render a Sérsic profile I(R) = I_e exp(−b_n[(R/r_e)^{1/n} − 1]) with the elliptical radius
 * R² = x′² + (y′/q)² (x′ along the major axis), normalised analytically so that the integral over
 * the plane is `flux` (L = 2π q r_e² I_e n e^{b_n} b_n^{−2n} Γ(2n)); each pixel is the mean of an
 * s × s sub-grid (s = `oversample`, default 5; 25 within 2 px of the centre for the cusp), so the
 * image sums to `flux` minus what falls outside the cutout. Returns height × width row-major.
 * @throws {ValueError} on a non-positive size, flux < 0, r_e ≤ 0, q ∉ (0, 1] or n out of range.
 */
export function renderSersic(p: SersicProfile, width: number, height = width, oversample = 5): Float64Array {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0))
    throw new ValueError(`renderSersic: image size must be positive integers, got ${width} × ${height}`);
  if (!(p.flux >= 0) || !(p.reMajorPx > 0) || !(p.q > 0 && p.q <= 1) || !Number.isFinite(p.paRad)) {
    throw new ValueError(
      `renderSersic: need flux ≥ 0, r_e > 0, 0 < q ≤ 1 and a finite angle, got flux ${p.flux}, r_e ${p.reMajorPx}, q ${p.q}, pa ${p.paRad}`,
    );
  }
  const b = sersicB(p.n);
  const { n, q, reMajorPx: re } = p;
  const ie = p.flux / (2 * Math.PI * q * re * re * n * Math.exp(b + lnGamma(2 * n) - 2 * n * Math.log(b)));
  const x0 = p.x0 ?? width / 2;
  const y0 = p.y0 ?? height / 2;
  const c = Math.cos(p.paRad);
  const s = Math.sin(p.paRad);
  const inv = 1 / n;
  const out = new Float64Array(width * height);
  for (let i = 0; i < height; i++) {
    for (let j = 0; j < width; j++) {
      const near = Math.abs(j + 0.5 - x0) < 2.5 && Math.abs(i + 0.5 - y0) < 2.5;
      const k = near ? 25 : oversample;
      let sum = 0;
      for (let u = 0; u < k; u++) {
        const dy = i + (u + 0.5) / k - y0;
        for (let v = 0; v < k; v++) {
          const dx = j + (v + 0.5) / k - x0;
          const xp = dx * c + dy * s;
          const yp = (-dx * s + dy * c) / q;
          const r = Math.sqrt(xp * xp + yp * yp) / re;
          sum += Math.exp(-b * (r ** inv - 1));
        }
      }
      out[i * width + j] = (ie * sum) / (k * k);
    }
  }
  return out;
}

/**
 * Radius (px) of the circular aperture about (x0, y0) that holds `fraction` of `total`, from the
 * image's pixels by their centres' distances, linearly interpolated in the cumulative sum — the
 * measured half-light radius when `fraction` = ½ and `total` the profile's flux.
 */
export function apertureRadius(img: Float64Array, width: number, x0: number, y0: number, total: number, fraction = 0.5): number {
  const height = img.length / width;
  const rs: [number, number][] = [];
  for (let i = 0; i < height; i++) for (let j = 0; j < width; j++) rs.push([Math.hypot(j + 0.5 - x0, i + 0.5 - y0), img[i * width + j]!]);
  rs.sort((a, b) => a[0] - b[0]);
  const target = fraction * total;
  let cum = 0;
  let prevR = 0;
  for (const [r, f] of rs) {
    if (cum + f >= target) return prevR + ((target - cum) / f) * (r - prevR);
    cum += f;
    prevR = r;
  }
  return Number.POSITIVE_INFINITY;
}
