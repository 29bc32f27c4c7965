/**
 * `@astro/core/plot`: publication-style charts as SVG, in Node and in the browser, from
 * Vega-Lite specs rendered headless by `vega` (no canvas, no DOM, no network).
 *
 * ```ts
 * import { linePlot, writeSvg } from '@astro/core/plot';
 * const svg = await linePlot({
 *   series: [{ name: 'train', x: epochs, y: trainLoss }, { name: 'valid', x: epochs, y: validLoss }],
 *   x: { title: 'epoch' }, y: { title: 'loss (MSE, normalised flux²)', log: true },
 * });
 * await writeSvg('loss.svg', svg);
 * ```
 * Each helper has a `*Spec` twin that returns the Vega-Lite spec, to customise and render with
 * {@link renderVegaLite}.
 * @packageDocumentation
 */
export { renderVegaLite, renderChart } from './render.js';
export type { VegaLiteSpec, RenderOptions, RenderedChart } from './render.js';
export type { AxisOptions, FrameOptions, NumericArray } from './axis.js';
export { linePlot, linePlotSpec } from './line.js';
export type { LinePlotOptions, LineSeries } from './line.js';
export { scatterPlot, scatterPlotSpec } from './scatter.js';
export type { ScatterPlotOptions, ScatterColor } from './scatter.js';
export { histogramPlot, histogramPlotSpec, histogramCounts, equalWidthEdges } from './histogram.js';
export type { HistogramPlotOptions } from './histogram.js';
export { heatmapPlot, heatmapPlotSpec } from './heatmap.js';
export type { HeatmapPlotOptions } from './heatmap.js';
export { writeSvg } from './file.js';
