import type { VegaLiteSpec } from '@astro/core/plot';
import type { RunMetrics } from '../metrics/summary.js';
import type { LoadedRun } from './load.js';

/**
 * Reliability diagram (DeGroot & Fienberg 1983): accuracy per equal-width confidence bin as
 * bars, bin mean confidence as points, and the diagonal of perfect calibration.
 */
export function reliabilitySpec(metrics: RunMetrics, title = 'Reliability diagram'): VegaLiteSpec {
  const bins = (metrics.calibration?.reliability ?? []).filter((b) => b.count > 0);
  const data = bins.map((b) => ({ lo: b.lo, hi: b.hi, zero: 0, accuracy: b.accuracy, confidence: b.meanConfidence, count: b.count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 360,
    height: 300,
    layer: [
      {
        data: { values: data },
        mark: { type: 'rect', color: '#4c78a8', opacity: 0.8 },
        encoding: {
          x: { field: 'lo', type: 'quantitative', scale: { domain: [0, 1] }, title: 'confidence (probability of the chosen option)' },
          x2: { field: 'hi' },
          y: { field: 'zero', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' },
          y2: { field: 'accuracy' },
        },
      },
      {
        data: { values: data },
        mark: { type: 'point', filled: true, color: '#e45756' },
        encoding: {
          x: { field: 'confidence', type: 'quantitative' },
          y: { field: 'accuracy', type: 'quantitative' },
          size: { field: 'count', type: 'quantitative', title: 'items' },
        },
      },
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', color: '#888', strokeDash: [4, 4] },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
    ],
  } as VegaLiteSpec;
}

/** Accuracy per topic as bars with 95% bootstrap intervals as error bars. */
export function topicSpec(metrics: RunMetrics, title = 'Accuracy by topic'): VegaLiteSpec {
  const data = metrics.perTopic.map((t) => ({
    topic: t.topic,
    accuracy: t.accuracy.accuracy,
    lower: t.accuracy.lower,
    upper: t.accuracy.upper,
    n: t.accuracy.n,
  }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 360,
    height: Math.max(60, 22 * data.length),
    data: { values: data },
    encoding: { y: { field: 'topic', type: 'nominal', title: null } },
    layer: [
      {
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: { x: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy (95% bootstrap CI)' } },
      },
      { mark: { type: 'rule', color: '#222' }, encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } } },
    ],
  } as VegaLiteSpec;
}

/** Cost (US dollars per run, log scale) against accuracy, one point per run; needs prices. */
export function costAccuracySpec(runs: readonly LoadedRun[], title = 'Cost vs accuracy'): VegaLiteSpec {
  const data = runs.map((r) => ({
    run: `${r.manifest.model.model} · ${r.manifest.scoring}`,
    accuracy: r.metrics.accuracy.accuracy,
    lower: r.metrics.accuracy.lower,
    upper: r.metrics.accuracy.upper,
    cost: r.metrics.cost.usd,
    tokens: r.metrics.cost.promptTokens + r.metrics.cost.completionTokens,
  }));
  const priced = data.every((d) => Number.isFinite(d.cost) && d.cost > 0);
  const xField = priced ? 'cost' : 'tokens';
  const xTitle = priced ? 'cost per run (US$)' : 'tokens per run (no price table given)';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 360,
    height: 260,
    data: { values: data },
    encoding: { x: { field: xField, type: 'quantitative', scale: { type: 'log' }, title: xTitle } },
    layer: [
      { mark: { type: 'rule', color: '#888' }, encoding: { y: { field: 'lower', type: 'quantitative' }, y2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true, size: 80 },
        encoding: {
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, title: 'accuracy' },
          color: { field: 'run', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom', direction: 'vertical' } },
        },
      },
    ],
  } as VegaLiteSpec;
}

/** Render a spec to an SVG string (vega is loaded on first use, keeping imports light). */
export async function svg(spec: VegaLiteSpec): Promise<string> {
  const { renderVegaLite } = await import('@astro/core/plot');
  return renderVegaLite(spec);
}
