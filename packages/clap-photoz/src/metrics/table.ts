import type { PhotozMetrics } from './suite.js';

/**
 * A Markdown table of the metric suite, one row per method: point metrics of the PDF median
 * (σ_MAD, bias, σ_IQR, outlier fractions), PIT KS/CvM/AD/W1, CRPS, CDE loss and 68%/95% coverage.
 */
export function metricsTable(rows: Record<string, PhotozMetrics>): string {
  const f = (v: number, d = 4): string => v.toFixed(d);
  const out = [
    '| method | σ_MAD | bias | σ_IQR | outl 0.05 | outl RAIL | PIT KS | CvM | AD | W1 | CRPS | CDE loss | cov68 | cov95 |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, m] of Object.entries(rows)) {
    const p = m.point.median;
    out.push(
      `| ${name} | ${f(p.sigmaMAD)} | ${f(p.bias)} | ${f(p.sigmaIQR)} | ${f(p.outlierFrac)} | ${f(p.outlierFracRail)} | ${f(m.pitKS)} | ${f(m.pitCvM)} | ${f(m.pitAD, 2)} | ${f(m.pitW1)} | ${f(m.crps)} | ${f(m.cdeLoss, 2)} | ${f(m.coverage68, 3)} | ${f(m.coverage95, 3)} |`,
    );
  }
  return out.join('\n');
}
