import { ShapeError } from '../errors/index.js';
import { checkValues, frameOf, scaleOf, type AxisOptions, type FrameOptions, type NumericArray } from './axis.js';
import { renderVegaLite, type RenderOptions, type VegaLiteSpec } from './render.js';

/** One curve of a {@link linePlot}. */
export interface LineSeries {
  /** Legend label (must be unique within the plot). */
  name: string;
  /** Abscissae, length n. */
  x: NumericArray;
  /** Ordinates, length n. */
  y: NumericArray;
}

/** Options of {@link linePlot}. */
export interface LinePlotOptions extends FrameOptions {
  /** The curves to draw; each gets its own colour and a legend entry when there is more than one. */
  series: readonly LineSeries[];
  /** x axis (title with units, log scale, fixed domain). */
  x?: AxisOptions;
  /** y axis (title with units, log scale, fixed domain). */
  y?: AxisOptions;
  /** Draw a marker at every data point as well as the line (default false). */
  points?: boolean;
  /** Legend title (default `'series'`). */
  legendTitle?: string;
}

/**
 * Vega-Lite spec of a multi-series line plot (e.g. training and validation loss per epoch,
 * a spectrum and its model). Points are drawn in the order given, one line per series.
 *
 * @throws {ShapeError} if a series' x and y differ in length, or there is no series.
 * @throws {ValueError} on NaN/±Inf, or values ≤ 0 on a log axis.
 */
export function linePlotSpec(opts: LinePlotOptions): VegaLiteSpec {
  if (opts.series.length === 0) throw new ShapeError('linePlot: no series given');
  const names = new Set<string>();
  const values: { series: string; x: number; y: number; order: number }[] = [];
  for (const s of opts.series) {
    if (names.has(s.name)) throw new ShapeError(`linePlot: duplicate series name "${s.name}"`);
    names.add(s.name);
    checkValues(s.x, `linePlot: series "${s.name}" x`, { log: opts.x?.log });
    checkValues(s.y, `linePlot: series "${s.name}" y`, { length: s.x.length, log: opts.y?.log });
    for (let i = 0; i < s.x.length; i++) values.push({ series: s.name, x: s.x[i]!, y: s.y[i]!, order: i });
  }
  const multi = opts.series.length > 1;
  const encoding: Record<string, unknown> = {
    x: { field: 'x', type: 'quantitative', title: opts.x?.title ?? 'x', scale: scaleOf(opts.x, { nice: false }) },
    y: { field: 'y', type: 'quantitative', title: opts.y?.title ?? 'y', scale: scaleOf(opts.y) },
    order: { field: 'order', type: 'quantitative' },
    detail: { field: 'series', type: 'nominal' },
  };
  if (multi) {
    encoding['color'] = {
      field: 'series',
      type: 'nominal',
      title: opts.legendTitle ?? 'series',
      sort: opts.series.map((s) => s.name),
      legend: { titleLimit: 0, labelLimit: 0 },
    };
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...frameOf(opts),
    data: { values },
    mark: { type: 'line', point: opts.points ?? false, clip: true },
    encoding,
  } as unknown as VegaLiteSpec;
}

/** Render a multi-series line plot (see {@link linePlotSpec}) to an SVG string. */
export function linePlot(opts: LinePlotOptions, render: RenderOptions = {}): Promise<string> {
  return renderVegaLite(linePlotSpec(opts), render);
}
