// Every real star in the shared data as LightCurveGPT windows: the pySYD Kepler light curves
// (kepler-pysyd, kepler-pysyd-more; two-column text) and the Kepler long-cadence quarter FITS
// files (kepler-llc-fits; each quarter median-normalised, QUALITY-flagged cadences dropped),
// with the labels the shared catalogues give: SYD ν_max (syd_results.txt) and Yu et al. 2018
// ν_max and T_eff (catalogues/yu2018-red-giants.csv), T_eff from the FITS headers otherwise.
// Imported by real-stars.ts and scaling.ts; run on its own it prints the corpus.
//
//   npx tsx lightcurve-gpt/real-corpus.ts      (from examples/)
import { readdirSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Rng } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { parseFits, readBytes } from '@astro/core/io';
import {
  loggFromNumax,
  medianCadenceDays,
  normalizePpm,
  parseFitsLightCurve,
  patchify,
  readTextLightCurve,
  sigmaClip,
  simulateStar,
  type LightCurve,
  type PatchWindows,
  type SimulatedStar,
} from '@astro/lightcurve-gpt';

/** One real star: its light curve (ppm), cadence and whatever labels the shared data give. */
export interface RealStar {
  kic: string;
  source: 'kepler-pysyd' | 'kepler-pysyd-more' | 'kepler-llc-fits';
  lc: LightCurve;
  cadence: 'short' | 'long';
  /** Catalogue ν_max ± σ (μHz) and where it comes from. */
  numax?: { value: number; err: number; ref: 'SYD' | 'Yu+2018' };
  /** T_eff (K) ± σ and its source (Yu et al. 2018, else the KIC value in the FITS header). */
  teff?: { value: number; err: number; ref: 'Yu+2018' | 'KIC header' };
  /** Quality-flagged cadences dropped (FITS) and sigma-clipped points. */
  dropped: number;
}

/** SYD ν_max (μHz) and σ by KIC from syd_results.txt. */
function sydTable(): Map<string, { numax: number; err: number }> {
  const out = new Map<string, { numax: number; err: number }>();
  for (const line of readFileSync(dataPath('lightcurves', 'kepler-pysyd', 'syd_results.txt'), 'utf8').split('\n')) {
    if (line.startsWith('#') || !line.includes('|')) continue;
    const c = line.split('|').map((s) => s.trim());
    const numax = Number(c[3]);
    if (/^\d+$/.test(c[0]!) && Number.isFinite(numax)) out.set(c[0]!, { numax, err: Number(c[4]) });
  }
  return out;
}

/** Yu et al. 2018 rows for the KICs asked for (ν_max, σ, T_eff, σ). */
function yuTable(kics: Set<string>): Map<string, { numax: number; numaxErr: number; teff: number; teffErr: number }> {
  const out = new Map<string, { numax: number; numaxErr: number; teff: number; teffErr: number }>();
  const lines = readFileSync(dataPath('lightcurves', 'catalogues', 'yu2018-red-giants.csv'), 'utf8').split('\n');
  for (const line of lines.slice(1)) {
    const c = line.split(',');
    if (kics.has(c[0]!)) out.set(c[0]!, { teff: Number(c[1]), teffErr: Number(c[2]), numax: Number(c[3]), numaxErr: Number(c[4]) });
  }
  return out;
}

const clip = (lc: LightCurve): { lc: LightCurve; removed: number } => {
  const r = sigmaClip(lc, { sigma: 5 });
  return { lc: r.lightCurve, removed: r.removed };
};

/** Read every real star of the shared light-curve folders (15 stars). */
export async function loadRealStars(): Promise<RealStar[]> {
  const stars: RealStar[] = [];
  for (const source of ['kepler-pysyd', 'kepler-pysyd-more'] as const) {
    for (const f of readdirSync(dataPath('lightcurves', source))
      .filter((n) => n.endsWith('_LC.txt'))
      .sort()) {
      const raw = await readTextLightCurve(dataPath('lightcurves', source, f));
      // Relative flux → ppm, each stretch between gaps > 5 d on its own median.
      const c = clip(normalizePpm(raw, { segmentGapDays: 5 }));
      const dt = medianCadenceDays(c.lc.timeDays);
      stars.push({ kic: f.replace('_LC.txt', ''), source, lc: c.lc, cadence: dt < 0.01 ? 'short' : 'long', dropped: c.removed });
    }
  }
  const byKic = new Map<string, string[]>();
  for (const f of readdirSync(dataPath('lightcurves', 'kepler-llc-fits'))
    .filter((n) => n.endsWith('.fits.gz'))
    .sort()) {
    const kic = String(Number(f.slice(4, 13)));
    byKic.set(kic, [...(byKic.get(kic) ?? []), f]);
  }
  const headerTeff = new Map<string, number>();
  for (const [kic, files] of byKic) {
    const t: number[] = [];
    const fl: number[] = [];
    let dropped = 0;
    for (const f of files) {
      const bytes = await readBytes(dataPath('lightcurves', 'kepler-llc-fits', f));
      const q = parseFitsLightCurve(bytes, {}, f);
      dropped += q.droppedQuality;
      const teff = parseFits(bytes).hdus[0]?.header.number('TEFF');
      if (teff !== undefined && Number.isFinite(teff)) headerTeff.set(kic, teff);
      // Each quarter on its own median (quarter-to-quarter jumps of the aperture photometry).
      const n = normalizePpm(q);
      t.push(...n.timeDays);
      fl.push(...n.flux);
    }
    const order = t.map((_, i) => i).sort((a, b) => t[a]! - t[b]!);
    const c = clip({ timeDays: Float64Array.from(order, (i) => t[i]!), flux: Float64Array.from(order, (i) => fl[i]!) });
    stars.push({ kic, source: 'kepler-llc-fits', lc: c.lc, cadence: 'long', dropped: dropped + c.removed });
  }
  const syd = sydTable();
  const yu = yuTable(new Set(stars.map((s) => s.kic)));
  for (const s of stars) {
    const a = syd.get(s.kic);
    const b = yu.get(s.kic);
    if (a) s.numax = { value: a.numax, err: a.err, ref: 'SYD' };
    else if (b) s.numax = { value: b.numax, err: b.numaxErr, ref: 'Yu+2018' };
    if (b) s.teff = { value: b.teff, err: b.teffErr, ref: 'Yu+2018' };
    else if (headerTeff.has(s.kic)) s.teff = { value: headerTeff.get(s.kic)!, err: 200, ref: 'KIC header' };
  }
  return stars;
}

/**
 * log g (dex) ± σ from the scaling relation with the star's T_eff; a star with no T_eff in the
 * shared data gets T_eff = 5777 ± 700 K (what the relation's weak T_eff^½ term then costs is in σ).
 */
export function scalingLogg(s: RealStar): { value: number; err: number; teffAssumed: boolean } | undefined {
  if (!s.numax) return undefined;
  const teff = s.teff?.value ?? 5777;
  const teffErr = s.teff?.err ?? 700;
  const value = loggFromNumax(s.numax.value, teff);
  const err = Math.hypot(s.numax.err / s.numax.value / Math.LN10, (0.5 * teffErr) / teff / Math.LN10);
  return { value, err, teffAssumed: !s.teff };
}

/** Token geometry shared by the real-star studies: 16 cadences per patch, 16 patches per window. */
export const PATCH = 16;
export const PATCHES = 16;

/** Overlapping windows of a star (start-to-start stride in cadences, at most `max` windows). */
export function starWindows(lc: LightCurve, strideCadences: number, max?: number): PatchWindows {
  return patchify(lc, { patchSize: PATCH, numPatches: PATCHES, strideCadences, ...(max !== undefined ? { maxWindows: max } : {}) });
}

/** A simulated star with its windows. */
export interface SimStar {
  star: SimulatedStar;
  windows: PatchWindows;
}

/**
 * A simulated population like the real stars: half Kepler long-cadence red giants (log g
 * 2.2–3.25, T_eff 4400–5200 K, 60 d, 40–150 ppm white noise), half 1-minute main-sequence and
 * subgiant stars (ν_max 300–3500 μHz log-uniform, T_eff 5300–6500 K, 3 d, 60–300 ppm); each
 * star's windows start every `strideCadences` cadences.
 */
export function simulatedPopulation(
  n: number,
  rng: Rng,
  strideCadences: number,
  opts: { durationScale?: number; maxWindows?: number } = {},
): SimStar[] {
  const scale = opts.durationScale ?? 1;
  return Array.from({ length: n }, (_, i) => {
    const seed = rng.nextUint32();
    let star: SimulatedStar;
    if (i % 2 === 0) {
      star = simulateStar({
        logg: 2.2 + 1.05 * rng.uniform(),
        teffK: 4400 + 800 * rng.uniform(),
        cadence: 'long',
        durationDays: 60 * scale,
        whiteNoisePpm: 40 * 3.75 ** rng.uniform(),
        seed,
      });
    } else {
      const numax = 300 * (3500 / 300) ** rng.uniform();
      const teffK = 5300 + 1200 * rng.uniform();
      star = simulateStar({
        logg: loggFromNumax(numax, teffK),
        teffK,
        cadence: 'short',
        durationDays: 3 * scale,
        whiteNoisePpm: 60 * 5 ** rng.uniform(),
        seed,
      });
    }
    return { star, windows: starWindows(star, strideCadences, opts.maxWindows) };
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const smoke = process.env['ASTRO_SMOKE'] === '1';
  const stars = await loadRealStars();
  let total = 0;
  for (const s of stars) {
    const w = starWindows(s.lc, smoke ? 256 : PATCH);
    total += w.windows;
    const g = scalingLogg(s);
    const span = s.lc.timeDays[s.lc.timeDays.length - 1]! - s.lc.timeDays[0]!;
    console.log(
      `KIC ${s.kic.padStart(8)} ${s.source.padEnd(17)} ${s.cadence.padEnd(5)} ${String(s.lc.flux.length).padStart(6)} cadences, ${span.toFixed(0).padStart(4)} d, ${String(w.windows).padStart(5)} windows` +
        (s.numax ? `, ν_max ${s.numax.value} ± ${s.numax.err} μHz (${s.numax.ref})` : '') +
        (g ? `, log g ${g.value.toFixed(3)} ± ${g.err.toFixed(3)}${g.teffAssumed ? ' (T_eff assumed)' : ''}` : ''),
    );
  }
  console.log(`${stars.length} real stars, ${total} windows of ${PATCHES} × ${PATCH} cadences (stride ${smoke ? 256 : PATCH} cadences)`);
}
