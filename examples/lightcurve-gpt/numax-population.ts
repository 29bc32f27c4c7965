// Completeness and false alarms of the classical ν_max estimator on a simulated population.
//
// Stars from the package simulator across ν_max 10–4000 μHz at Kepler long (29.4 min) and short
// (58.85 s) cadence, made as messy as real photometry (random gaps, sub-cadence stamp jitter,
// exactly repeated and near-repeated stamps), plus granulation + white-noise stars with no
// oscillations. Prints the table quoted in packages/lightcurve-gpt/README.md and writes
// examples/out/lightcurve-gpt/numax-population.json.
//
//   npx tsx lightcurve-gpt/numax-population.ts [stars nulls seed]   (from examples/; default 320 120 2026;
//                                                                    ASTRO_SMOKE=1: 8 stars, 4 nulls)
import { mkdirSync, writeFileSync } from 'node:fs';
import { estimateNumax, NUMAX_DETECTION_THRESHOLD, populationPlan, simulatePopulationStar } from '@astro/lightcurve-gpt';

const smoke = process.env['ASTRO_SMOKE'] === '1';
const [stars, nulls, seed] = smoke
  ? [8, 4, 2026]
  : [Number(process.argv[2] ?? 320), Number(process.argv[3] ?? 120), Number(process.argv[4] ?? 2026)];
const out = 'out/lightcurve-gpt';
mkdirSync(out, { recursive: true });

/** A star is in the target set when its envelope is below 0.8 ν_Nyq and its expected 2ΔlnL is ≥ 3× the threshold. */
const SNR_FACTOR = 3;
const threshold = NUMAX_DETECTION_THRESHOLD;
const rows: {
  oscillates: boolean;
  cadence: string;
  numax: number;
  expected: number;
  statistic: number;
  detected: boolean;
  code: string;
  found: number | null;
  nyquist: number;
}[] = [];
const t0 = Date.now();
for (const p of populationPlan({ stars, nulls, seed })) {
  const s = simulatePopulationStar(p);
  const r = estimateNumax(s);
  rows.push({
    oscillates: s.oscillates,
    cadence: s.cadence,
    numax: s.numaxMicroHz,
    expected: s.expectedStatistic,
    statistic: r.statistic,
    detected: r.detected,
    code: r.detected ? 'detected' : r.code,
    found: r.detected ? r.numaxMicroHz : null,
    nyquist: s.nyquistMicroHz,
  });
}
const seconds = (Date.now() - t0) / 1000;

const median = (v: number[]): number => {
  if (v.length === 0) return NaN;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : 0.5 * (s[s.length / 2 - 1]! + s[s.length / 2]!);
};
const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(0)} %` : '—');
const bins: [string, number, number][] = [
  ['long', 10, 25],
  ['long', 25, 60],
  ['long', 60, 150],
  ['long', 150, 226.6],
  ['long', 226.6, 260],
  ['short', 100, 300],
  ['short', 300, 1000],
  ['short', 1000, 2500],
  ['short', 2500, 4000],
];
const table: Record<string, unknown>[] = [];
console.log(
  `| cadence | ν_max (μHz) | stars | detected (all) | target stars | detected (target) | median abs(Δν_max)/ν_max (detected) | wrong by > 20 % |`,
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [cad, lo, hi] of bins) {
  const inBin = rows.filter((r) => r.oscillates && r.cadence === cad && r.numax >= lo && r.numax < hi);
  const target = inBin.filter((r) => r.numax < 0.8 * r.nyquist && r.expected >= SNR_FACTOR * threshold);
  const det = inBin.filter((r) => r.detected);
  const errs = det.map((r) => Math.abs(r.found! - r.numax) / r.numax);
  const wrong = errs.filter((e) => e > 0.2).length;
  const row = {
    cadence: cad,
    lo,
    hi,
    stars: inBin.length,
    detected: det.length,
    target: target.length,
    targetDetected: target.filter((r) => r.detected).length,
    medianRelErr: median(errs),
    wrong,
  };
  table.push(row);
  console.log(
    `| ${cad} | ${lo}–${hi}${lo >= 0.79 * (cad === 'long' ? 283.2 : 8496) ? ' (> 0.8 ν_Nyq)' : ''} | ${inBin.length} | ${pct(det.length, inBin.length)} | ${target.length} | ${pct(row.targetDetected, target.length)} | ${det.length ? (100 * row.medianRelErr).toFixed(1) + ' %' : '—'} | ${wrong} |`,
  );
}
const target = rows.filter((r) => r.oscillates && r.numax < 0.8 * r.nyquist && r.expected >= SNR_FACTOR * threshold);
const targetDet = target.filter((r) => r.detected);
const targetErr = median(targetDet.map((r) => Math.abs(r.found! - r.numax) / r.numax));
const nullRows = rows.filter((r) => !r.oscillates);
const falseDet = nullRows.filter((r) => r.detected);
const nullStats = nullRows.map((r) => r.statistic).sort((a, b) => a - b);
console.log(
  `\ntarget set (envelope < 0.8 ν_Nyq, expected 2ΔlnL ≥ ${SNR_FACTOR} × ${threshold}): ${targetDet.length}/${target.length} detected (${pct(targetDet.length, target.length)}), median abs(Δν_max)/ν_max ${(100 * targetErr).toFixed(1)} %`,
);
console.log(
  `granulation + noise only: ${falseDet.length}/${nullRows.length} false detections (${pct(falseDet.length, nullRows.length)}); statistic median ${median(nullStats).toFixed(1)}, max ${nullStats.at(-1)?.toFixed(1)}`,
);
console.log(`${rows.length} light curves in ${seconds.toFixed(0)} s (${((1000 * seconds) / rows.length).toFixed(0)} ms each)`);
writeFileSync(
  `${out}/numax-population.json`,
  JSON.stringify(
    {
      stars,
      nulls,
      seed,
      threshold,
      snrFactor: SNR_FACTOR,
      table,
      target: { n: target.length, detected: targetDet.length, medianRelErr: targetErr },
      nulls_: { n: nullRows.length, falseDetections: falseDet.length, statistics: nullStats },
      rows,
    },
    null,
    1,
  ),
);
