import { ShapeError, ValueError } from '../errors/index.js';
import { checkValues, frameOf, scaleOf, type AxisOptions, type FrameOptions, type NumericArray } from './axis.js';
import { renderVegaLite, type RenderOptions, type VegaLiteSpec } from './render.js';

/** Colour-coding of the points of a {@link scatterPlot}. */
export type ScatterColor =
  { values: NumericArray; title?: string; log?: boolean; scheme?: string } | { categories: readonly string[]; title?: string };

/** Options of {@link scatterPlot}. */
export interface ScatterPlotOptions extends FrameOptions {
  /** Abscissae, length n. */
  x: NumericArray;
  /** Ordinates, length n. */
  y: NumericArray;
  /** Symmetric 1σ uncertainty of x, length n (draws horizontal error bars). */
  xErr?: NumericArray;
  /** Symmetric 1σ uncertainty of y, length n (draws vertical error bars). */
  yErr?: NumericArray;
  /** Colour each point by a number (continuous scale) or a category (legend). */
  color?: ScatterColor;
  /** x axis (title with units, log scale, fixed domain). */
  xAxis?: AxisOptions;
  /** y axis (title with units, log scale, fixed domain). */
  yAxis?: AxisOptions;
  /** Marker area in px² (default 30). */
  size?: number;
  /** Marker opacity in [0, 1] (default 0.8). */
  opacity?: number;
  /** Also draw the identity line y = x (e.g. predicted vs true redshift). */
  identity?: boolean;
}

type Row = Record<string, number | string>;

/**
 * Vega-Lite spec of a scatter plot with optional colour field, error bars and identity line.
 * Error bars span value ± err (1σ); on a log axis the lower end must stay > 0.
 *
 * @throws {ShapeError} if the arrays differ in length.
 * @throws {ValueError} on NaN/±Inf, negative errors, or values ≤ 0 on a log axis.
 */
export function scatterPlotSpec(opts: ScatterPlotOptions): VegaLiteSpec {
  const n = opts.x.length;
  checkValues(opts.x, 'scatterPlot: x', { log: opts.xAxis?.log });
  checkValues(opts.y, 'scatterPlot: y', { length: n, log: opts.yAxis?.log });
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) rows.push({ x: opts.x[i]!, y: opts.y[i]! });
  const errs: [NumericArray | undefined, 'x' | 'y', AxisOptions | undefined][] = [
    [opts.xErr, 'x', opts.xAxis],
    [opts.yErr, 'y', opts.yAxis],
  ];
  for (const [err, axis, ax] of errs) {
    if (!err) continue;
    checkValues(err, `scatterPlot: ${axis}Err`, { length: n });
    for (let i = 0; i < n; i++) {
      const e = err[i]!;
      const v = rows[i]![axis] as number;
      if (e < 0) throw new ValueError(`scatterPlot: ${axis}Err[${i}] = ${e} is negative`);
      rows[i]![`${axis}lo`] = v - e;
      rows[i]![`${axis}hi`] = v + e;
    }
    if (ax?.log)
      checkValues(
        rows.map((r) => r[`${axis}lo`] as number),
        `scatterPlot: ${axis} − ${axis}Err`,
        { log: true },
      );
  }
  const xEnc = { field: 'x', type: 'quantitative', title: opts.xAxis?.title ?? 'x', scale: scaleOf(opts.xAxis) };
  const yEnc = { field: 'y', type: 'quantitative', title: opts.yAxis?.title ?? 'y', scale: scaleOf(opts.yAxis) };
  const pointEnc: Record<string, unknown> = { x: xEnc, y: yEnc };
  const c = opts.color;
  if (c && 'values' in c) {
    checkValues(c.values, 'scatterPlot: color.values', { length: n, log: c.log });
    for (let i = 0; i < n; i++) rows[i]!['c'] = c.values[i]!;
    const scale: Record<string, unknown> = { type: c.log ? 'log' : 'linear', scheme: c.scheme ?? 'viridis' };
    pointEnc['color'] = { field: 'c', type: 'quantitative', title: c.title ?? 'colour', scale, legend: { titleLimit: 0 } };
  } else if (c) {
    if (c.categories.length !== n) {
      throw new ShapeError(`scatterPlot: color.categories has length ${c.categories.length}, expected ${n}`);
    }
    for (let i = 0; i < n; i++) rows[i]!['c'] = c.categories[i]!;
    pointEnc['color'] = { field: 'c', type: 'nominal', title: c.title ?? 'class', legend: { titleLimit: 0, labelLimit: 0 } };
  }
  const layer: Record<string, unknown>[] = [];
  if (opts.xErr) {
    layer.push({
      mark: { type: 'rule', color: '#888', clip: true },
      encoding: { x: { ...xEnc, field: 'xlo' }, x2: { field: 'xhi' }, y: yEnc },
    });
  }
  if (opts.yErr) {
    layer.push({
      mark: { type: 'rule', color: '#888', clip: true },
      encoding: { y: { ...yEnc, field: 'ylo' }, y2: { field: 'yhi' }, x: xEnc },
    });
  }
  layer.push({
    mark: { type: 'point', filled: true, size: opts.size ?? 30, opacity: opts.opacity ?? 0.8, clip: true },
    encoding: pointEnc,
  });
  if (opts.identity) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      for (const k of ['x', 'y', 'xlo', 'xhi', 'ylo', 'yhi']) {
        const v = r[k];
        if (typeof v === 'number') {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (Number.isFinite(lo)) {
      layer.push({
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: 'line', color: '#444', strokeDash: [4, 3], clip: true },
        encoding: { x: xEnc, y: yEnc },
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...frameOf(opts),
    data: { values: rows },
    layer,
  } as unknown as VegaLiteSpec;
}

/** Render a scatter plot (see {@link scatterPlotSpec}) to an SVG string. */
export function scatterPlot(opts: ScatterPlotOptions, render: RenderOptions = {}): Promise<string> {
  return renderVegaLite(scatterPlotSpec(opts), render);
}
