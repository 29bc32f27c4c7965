// A logistic classifier on real SDSS galaxies (ANNz sample): does a galaxy lie beyond z = 0.1,
// from its four colours u−g, g−r, r−i, i−z? Trains on the shared training set, reports accuracy
// on the validation set, and compares the plug-in (MAP) probabilities with the Bayesian
// (Laplace + probit) predictive. Writes examples/out/bayes-ml/logistic.svg.
//
//   npx tsx bayes-ml/logistic.ts      (from examples/; ASTRO_DATA_DIR overrides the data path)
import { readFileSync } from 'node:fs';
import { dataPath } from '@astro/core/data';
import { scatterPlot, writeSvg } from '@astro/core/plot';
import { fitBayesianLogistic, fitLogisticRegression } from '@astro/bayes-ml';

const smoke = process.env['ASTRO_SMOKE'] === '1';
function load(file: string, limit: number): { X: number[][]; y: number[] } {
  const rows = readFileSync(dataPath('photoz', 'sdss-ugriz', file), 'utf8')
    .trim()
    .split('\n')
    .slice(0, limit)
    .map((l) => l.trim().split(/\s+/).map(Number));
  // columns: u g r i z, their errors, spectroscopic redshift
  return {
    X: rows.map((r) => [r[0]! - r[1]!, r[1]! - r[2]!, r[2]! - r[3]!, r[3]! - r[4]!]),
    y: rows.map((r) => (r[10]! > 0.1 ? 1 : 0)),
  };
}
const train = load('train.txt', smoke ? 1000 : 5000);
const valid = load('valid.txt', 1000);

const clf = fitLogisticRegression(train.X, train.y, { C: 10 });
const pred = clf.predict(valid.X);
const acc = pred.filter((p, i) => p === valid.y[i]).length / valid.y.length;
console.log(`L2 logistic (C = 10), ${train.X.length} training galaxies: validation accuracy ${(100 * acc).toFixed(1)}%`);
console.log(
  `  coefficients [u−g, g−r, r−i, i−z] = [${Array.from(clf.coef[0]!, (c) => c.toFixed(2)).join(', ')}], intercept ${clf.intercept[0]!.toFixed(2)}`,
);

const bayes = fitBayesianLogistic(train.X, train.y, { priorPrecision: 0.1 });
const pProbit = bayes.predictProba(valid.X);
const pMap = bayes.predictProba(valid.X, 'map');
// Probabilities clipped to [1e-15, 1 − 1e-15] as sklearn.metrics.log_loss: the MAP plug-in is overconfident.
const clip = (q: number): number => Math.min(Math.max(q, 1e-15), 1 - 1e-15);
const logLoss = (p: Float64Array): number =>
  -valid.y.reduce((s, t, i) => s + Math.log(t ? clip(p[i]!) : 1 - clip(p[i]!)), 0) / valid.y.length;
console.log(
  `Bayesian (Laplace): validation log-loss ${logLoss(pProbit).toFixed(4)} (probit predictive) vs ${logLoss(pMap).toFixed(4)} (MAP plug-in)`,
);
console.log(`  log evidence ${bayes.logEvidence.toFixed(1)}`);

const svg = await scatterPlot({
  x: valid.X.map((r) => r[1]!),
  y: valid.X.map((r) => r[2]!),
  color: { values: pProbit, title: 'P(z > 0.1)', scheme: 'viridis' },
  xAxis: { title: 'g − r (mag)' },
  yAxis: { title: 'r − i (mag)' },
  title: 'SDSS validation galaxies: Bayesian logistic P(z > 0.1) from colours',
  size: 12,
  width: 520,
  height: 400,
});
console.log(`wrote ${await writeSvg('out/bayes-ml/logistic.svg', svg)}`);
