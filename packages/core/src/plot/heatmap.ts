import { ShapeError } from '../errors/index.js';
import { checkValues, frameOf, type AxisOptions, type FrameOptions, type NumericArray } from './axis.js';
import { renderVegaLite, type RenderOptions, type VegaLiteSpec } from './render.js';

/** Options of {@link heatmapPlot}. */
export interface HeatmapPlotOptions extends FrameOptions {
  /**
   * Cell values: a row-major flat array of `rows × cols` (then give `rows` and `cols`), or an
   * array of rows. Row 0 is drawn at the bottom (y increases upward), column 0 at the left.
   */
  z: NumericArray | readonly NumericArray[];
  /** Number of rows (needed with a flat `z`). */
  rows?: number;
  /** Number of columns (needed with a flat `z`). */
  cols?: number;
  /** Column edges in x units, length cols+1 (default 0…cols). */
  xEdges?: NumericArray;
  /** Row edges in y units, length rows+1 (default 0…rows). */
  yEdges?: NumericArray;
  /** x axis title (with units) and options; `log` needs positive edges. */
  x?: AxisOptions;
  /** y axis title (with units) and options; `log` needs positive edges. */
  y?: AxisOptions;
  /** Colour bar: title with units, log scale (all z > 0), Vega colour scheme, fixed domain. */
  color?: { title?: string; log?: boolean; scheme?: string; domain?: [number, number] };
}

function flatten(opts: HeatmapPlotOptions): { z: NumericArray; rows: number; cols: number } {
  const z = opts.z;
  if (z.length > 0 && typeof z[0] !== 'number') {
    const nested = z as readonly NumericArray[];
    const rows = nested.length;
    const cols = nested[0]!.length;
    const flat = new Float64Array(rows * cols);
    nested.forEach((row, r) => {
      if (row.length !== cols) throw new ShapeError(`heatmapPlot: row ${r} has ${row.length} columns, row 0 has ${cols}`);
      for (let c = 0; c < cols; c++) flat[r * cols + c] = row[c]!;
    });
    return { z: flat, rows, cols };
  }
  const flat = z as NumericArray;
  if (opts.rows === undefined || opts.cols === undefined) {
    throw new ShapeError('heatmapPlot: a flat z needs rows and cols');
  }
  if (flat.length !== opts.rows * opts.cols) {
    throw new ShapeError(`heatmapPlot: z has ${flat.length} values, rows × cols = ${opts.rows} × ${opts.cols}`);
  }
  return { z: flat, rows: opts.rows, cols: opts.cols };
}

function edgesOr(edges: NumericArray | undefined, n: number, what: string, log?: boolean): NumericArray {
  if (edges === undefined) return Float64Array.from({ length: n + 1 }, (_, i) => i);
  checkValues(edges, `heatmapPlot: ${what}`, { length: n + 1, log });
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) throw new ShapeError(`heatmapPlot: ${what} must be strictly increasing at ${i}`);
  }
  return edges;
}

/**
 * Vega-Lite spec of a heatmap: one rectangle per cell spanning its x and y edges, coloured by
 * its value (e.g. a confusion matrix, a 2-D posterior density, an attention map).
 *
 * @throws {ShapeError} on inconsistent sizes or non-increasing edges.
 * @throws {ValueError} on NaN/±Inf, or non-positive values on a log axis or log colour scale.
 */
export function heatmapPlotSpec(opts: HeatmapPlotOptions): VegaLiteSpec {
  const { z, rows, cols } = flatten(opts);
  if (rows === 0 || cols === 0) throw new ShapeError(`heatmapPlot: empty grid (${rows} × ${cols})`);
  checkValues(z, 'heatmapPlot: z', { log: opts.color?.log });
  const xe = edgesOr(opts.xEdges, cols, 'xEdges', opts.x?.log);
  const ye = edgesOr(opts.yEdges, rows, 'yEdges', opts.y?.log);
  const values: { x0: number; x1: number; y0: number; y1: number; z: number; row: number; col: number }[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      values.push({ x0: xe[c]!, x1: xe[c + 1]!, y0: ye[r]!, y1: ye[r + 1]!, z: z[r * cols + c]!, row: r, col: c });
    }
  }
  const axisScale = (a: AxisOptions | undefined, e: NumericArray): Record<string, unknown> => ({
    type: a?.log ? 'log' : 'linear',
    domain: a?.domain ? [...a.domain] : [e[0]!, e[e.length - 1]!],
    ...(a?.reverse ? { reverse: true } : {}),
    nice: false,
  });
  const colorScale: Record<string, unknown> = {
    type: opts.color?.log ? 'log' : 'linear',
    scheme: opts.color?.scheme ?? 'viridis',
  };
  if (opts.color?.domain) colorScale['domain'] = [...opts.color.domain];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...frameOf(opts),
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'x0', type: 'quantitative', title: opts.x?.title ?? 'x', scale: axisScale(opts.x, xe) },
      x2: { field: 'x1' },
      y: { field: 'y0', type: 'quantitative', title: opts.y?.title ?? 'y', scale: axisScale(opts.y, ye) },
      y2: { field: 'y1' },
      color: { field: 'z', type: 'quantitative', title: opts.color?.title ?? 'value', scale: colorScale, legend: { titleLimit: 0 } },
      tooltip: [
        { field: 'row', type: 'quantitative' },
        { field: 'col', type: 'quantitative' },
        { field: 'z', type: 'quantitative' },
      ],
    },
  } as unknown as VegaLiteSpec;
}

/** Render a heatmap (see {@link heatmapPlotSpec}) to an SVG string. */
export function heatmapPlot(opts: HeatmapPlotOptions, render: RenderOptions = {}): Promise<string> {
  return renderVegaLite(heatmapPlotSpec(opts), render);
}
