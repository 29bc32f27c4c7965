import { ShapeError, ValueError } from '../errors/index.js';
import { checkValues, frameOf, scaleOf, type AxisOptions, type FrameOptions, type NumericArray } from './axis.js';
import { renderVegaLite, type RenderOptions, type VegaLiteSpec } from './render.js';

/**
 * Count `values` into the bins delimited by `edges` (length B+1, strictly increasing).
 * Bins are half-open [e_i, e_{i+1}) except the last, which also includes its right edge
 * (NumPy's `histogram` convention).
 *
 * @returns counts, length B.
 * @throws {ShapeError} if there are fewer than 2 edges.
 * @throws {ValueError} if edges are not strictly increasing, a value is NaN/±Inf, or a value
 *   falls outside [e_0, e_B] (nothing is dropped silently).
 */
export function histogramCounts(values: NumericArray, edges: NumericArray): Float64Array {
  checkEdges(edges, 'histogramCounts');
  checkValues(values, 'histogramCounts: values');
  const nb = edges.length - 1;
  const counts = new Float64Array(nb);
  const lo = edges[0]!;
  const hi = edges[nb]!;
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < lo || v > hi) {
      outside++;
      continue;
    }
    // Binary search for the last edge ≤ v.
    let a = 0;
    let b = nb;
    while (b - a > 1) {
      const mid = (a + b) >> 1;
      if (edges[mid]! <= v) a = mid;
      else b = mid;
    }
    counts[a]!++;
  }
  if (outside > 0) {
    throw new ValueError(`histogramCounts: ${outside} of ${values.length} values fall outside the edges [${lo}, ${hi}]`);
  }
  return counts;
}

/** `n` equal-width bin edges spanning [min, max] of `values` (a single value gets a unit-width bin). */
export function equalWidthEdges(values: NumericArray, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1) throw new ValueError(`equalWidthEdges: bins must be a positive integer, got ${n}`);
  if (values.length === 0) throw new ShapeError('equalWidthEdges: no values');
  checkValues(values, 'equalWidthEdges: values');
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    lo = Math.min(lo, values[i]!);
    hi = Math.max(hi, values[i]!);
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) edges[i] = lo + ((hi - lo) * i) / n;
  edges[n] = hi;
  return edges;
}

function checkEdges(edges: NumericArray, who: string): void {
  if (edges.length < 2) throw new ShapeError(`${who}: need at least 2 bin edges, got ${edges.length}`);
  checkValues(edges, `${who}: edges`);
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) {
      throw new ValueError(`${who}: edges must be strictly increasing (edges[${i - 1}] = ${edges[i - 1]}, edges[${i}] = ${edges[i]})`);
    }
  }
}

/** Options of {@link histogramPlot}: give counts per bin, or raw values to be binned. */
export interface HistogramPlotOptions extends FrameOptions {
  /** Bin edges, length B+1, strictly increasing. Required with `counts`; optional with `values`. */
  edges?: NumericArray;
  /** Counts (or any non-negative weight) per bin, length B. */
  counts?: NumericArray;
  /** Raw values to bin with `edges`, or with `bins` equal-width bins over their range. */
  values?: NumericArray;
  /** Number of equal-width bins when `values` are given without `edges` (default 20). */
  bins?: number;
  /** Divide counts by (total × bin width) so the bars integrate to 1 (a probability density). */
  density?: boolean;
  /**
   * Draw a horizontal reference line at this height, in the units of the bars: e.g. N/B for
   * a probability-integral-transform (PIT) histogram of a calibrated model, or 1 with `density`.
   */
  expected?: number;
  /** x axis: title with units; `log` is supported when every edge is > 0. */
  x?: AxisOptions;
  /** y axis: title (default `'count'` or `'density'`), log scale, fixed domain. */
  y?: AxisOptions;
  /** Bar colour (CSS). */
  color?: string;
}

/**
 * Vega-Lite spec of a histogram drawn as one bar per bin from its edges (so uneven bins and
 * precomputed counts, e.g. PIT histograms, are drawn exactly), with an optional reference line.
 *
 * @throws {ShapeError} if counts do not have one entry fewer than edges, or neither counts nor values are given.
 * @throws {ValueError} on bad edges, negative counts, NaN/±Inf, or values outside the edges.
 */
export function histogramPlotSpec(opts: HistogramPlotOptions): VegaLiteSpec {
  let edges: NumericArray;
  let counts: NumericArray;
  if (opts.counts !== undefined) {
    if (opts.values !== undefined) throw new ShapeError('histogramPlot: give either counts or values, not both');
    if (opts.edges === undefined) throw new ShapeError('histogramPlot: counts need their bin edges');
    edges = opts.edges;
    counts = opts.counts;
    checkEdges(edges, 'histogramPlot');
    checkValues(counts, 'histogramPlot: counts', { length: edges.length - 1 });
    for (let i = 0; i < counts.length; i++) {
      if (counts[i]! < 0) throw new ValueError(`histogramPlot: counts[${i}] = ${counts[i]} is negative`);
    }
  } else if (opts.values !== undefined) {
    edges = opts.edges ?? equalWidthEdges(opts.values, opts.bins ?? 20);
    counts = histogramCounts(opts.values, edges);
  } else {
    throw new ShapeError('histogramPlot: give counts (with edges) or values');
  }
  if (opts.x?.log) checkValues(edges, 'histogramPlot: edges', { log: true });
  const nb = counts.length;
  let total = 0;
  for (let i = 0; i < nb; i++) total += counts[i]!;
  const rows: { lo: number; hi: number; h: number; count: number }[] = [];
  for (let i = 0; i < nb; i++) {
    const lo = edges[i]!;
    const hi = edges[i + 1]!;
    const c = counts[i]!;
    const h = opts.density ? (total > 0 ? c / (total * (hi - lo)) : 0) : c;
    rows.push({ lo, hi, h, count: c });
  }
  const yTitle = opts.y?.title ?? (opts.density ? 'density' : 'count');
  const yScale = { ...scaleOf(opts.y), ...(opts.y?.log ? {} : { zero: true }) };
  const xScale = { ...scaleOf(opts.x), ...(opts.x?.domain ? {} : { domain: [edges[0]!, edges[nb]!] }) };
  const layer: Record<string, unknown>[] = [
    {
      mark: { type: 'rect', color: opts.color ?? '#4c78a8', stroke: 'white', strokeWidth: 0.5 },
      encoding: {
        x: { field: 'lo', type: 'quantitative', title: opts.x?.title ?? 'value', scale: xScale },
        x2: { field: 'hi' },
        y: { field: 'h', type: 'quantitative', title: yTitle, scale: yScale },
        // On a log axis a bar starts at the bottom of the frame (there is no zero to start from).
        y2: opts.y?.log ? { value: 'height' } : { datum: 0 },
      },
    },
  ];
  if (opts.expected !== undefined) {
    checkValues([opts.expected], 'histogramPlot: expected');
    layer.push({
      data: { values: [{ h: opts.expected }] },
      mark: { type: 'rule', color: '#e45756', strokeDash: [6, 4], strokeWidth: 1.5 },
      encoding: { y: { field: 'h', type: 'quantitative' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...frameOf(opts),
    // On a log y axis empty bins have no bar (log 0 is undefined); they stay in the x domain.
    data: { values: opts.y?.log ? rows.filter((r) => r.h > 0) : rows },
    layer,
  } as unknown as VegaLiteSpec;
}

/** Render a histogram (see {@link histogramPlotSpec}) to an SVG string. */
export function histogramPlot(opts: HistogramPlotOptions, render: RenderOptions = {}): Promise<string> {
  return renderVegaLite(histogramPlotSpec(opts), render);
}
