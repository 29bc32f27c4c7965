// Fit a straight line to the 20 points of Hogg, Bovy & Lang (2010, arXiv:1008.4686) Table 1:
// weighted least squares on the well-behaved points 5–20 (b = 34 ± 18, m = 2.24 ± 0.11), the
// outlier mixture model on all 20 (m ≈ 2.26, b ≈ 32, P_b ≈ 0.26), and the 2-D error-ellipse
// likelihood. Writes examples/out/bayes-ml/hogg-line.svg with each point coloured by its
// posterior outlier probability.
//
//   npx tsx bayes-ml/hogg-line.ts      (from examples/)
import { scatterPlotSpec, writeSvg } from '@astro/core/plot';
import { fitLeastSquares, fitLine2d, fitLineMixture, polynomialBasis } from '@astro/bayes-ml';

// ID, x, y, σy, σx, ρxy — Table 1 of the paper.
const table1 = [
  [1, 201, 592, 61, 9, -0.84],
  [2, 244, 401, 25, 4, 0.31],
  [3, 47, 583, 38, 11, 0.64],
  [4, 287, 402, 15, 7, -0.27],
  [5, 203, 495, 21, 5, -0.33],
  [6, 58, 173, 15, 9, 0.67],
  [7, 210, 479, 27, 4, -0.02],
  [8, 202, 504, 14, 4, -0.05],
  [9, 198, 510, 30, 11, -0.84],
  [10, 158, 416, 16, 7, -0.69],
  [11, 165, 393, 14, 5, 0.3],
  [12, 201, 442, 25, 5, -0.46],
  [13, 157, 317, 52, 5, -0.03],
  [14, 131, 311, 16, 6, 0.5],
  [15, 166, 400, 34, 6, 0.73],
  [16, 160, 337, 31, 5, -0.52],
  [17, 186, 423, 42, 9, 0.9],
  [18, 125, 334, 26, 8, 0.4],
  [19, 218, 533, 16, 6, -0.78],
  [20, 146, 344, 22, 5, -0.56],
];
const col = (j: number, from = 0): number[] => table1.slice(from).map((r) => r[j]!);
const all = { x: col(1), y: col(2), sigmaY: col(3), sigmaX: col(4), rhoXY: col(5) };

const wls = fitLeastSquares(polynomialBasis(col(1, 4), 1), col(2, 4), { yErr: col(3, 4) });
console.log(
  `WLS, points 5–20:      b = ${wls.coef[0]!.toFixed(1)} ± ${wls.stdErr[0]!.toFixed(1)}, m = ${wls.coef[1]!.toFixed(3)} ± ${wls.stdErr[1]!.toFixed(3)}  (χ² = ${wls.chi2.toFixed(1)} for ${wls.dof} dof)`,
);

const mix = fitLineMixture(all);
console.log(
  `mixture, all 20:       b = ${mix.intercept.toFixed(1)} ± ${mix.interceptErr.toFixed(1)}, m = ${mix.slope.toFixed(3)} ± ${mix.slopeErr.toFixed(3)}, P_b = ${mix.outlierFraction.toFixed(2)}`,
);

const ell = fitLine2d({ x: col(1, 4), y: col(2, 4), sigmaY: col(3, 4), sigmaX: col(4, 4), rhoXY: col(5, 4) });
console.log(
  `2-D ellipses, 5–20:    b = ${ell.intercept.toFixed(1)} ± ${ell.interceptErr.toFixed(1)}, m = ${ell.slope.toFixed(3)} ± ${ell.slopeErr.toFixed(3)}`,
);

const spec = scatterPlotSpec({
  x: all.x,
  y: all.y,
  xErr: all.sigmaX,
  yErr: all.sigmaY,
  color: { values: mix.outlierProbability, title: 'P(outlier)', scheme: 'redyellowblue' },
  xAxis: { title: 'x' },
  yAxis: { title: 'y' },
  title: 'Hogg, Bovy & Lang (2010) Table 1: WLS (5–20, grey) vs outlier mixture (all, black)',
  width: 560,
  height: 380,
}) as unknown as { layer: unknown[] };
const line = (b: number, m: number, color: string, dash?: number[]): unknown => ({
  data: { values: [0, 300].map((x) => ({ x, y: b + m * x })) },
  mark: { type: 'line', color, strokeDash: dash, clip: true },
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
});
spec.layer.push(line(wls.coef[0]!, wls.coef[1]!, '#999', [5, 3]), line(mix.intercept, mix.slope, '#000'));
const path = await writeSvg('out/bayes-ml/hogg-line.svg', spec as never);
console.log(`wrote ${path}`);
