import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { heatmapPlotSpec, renderChart } from '@astro/core/plot';
import { axisTitles, findAll, hasClass, markItems, parseSvg } from './svg.js';

describe('heatmapPlot', () => {
  it('draws one cell per value at its edges, coloured over the value range', async () => {
    // A 2-D Gaussian density on a 12 × 8 grid of (log g, Teff).
    const rows = 12;
    const cols = 8;
    const teffEdges = Float64Array.from({ length: cols + 1 }, (_, i) => 4500 + 312.5 * i);
    const loggEdges = Float64Array.from({ length: rows + 1 }, (_, i) => 2.5 + 0.25 * i);
    const z = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const t = (teffEdges[c]! + teffEdges[c + 1]!) / 2;
        const g = (loggEdges[r]! + loggEdges[r + 1]!) / 2;
        z[r * cols + c] = Math.exp(-0.5 * (((t - 5750) / 600) ** 2 + ((g - 4) / 0.5) ** 2));
      }
    }
    const { svg, domains } = await renderChart(
      heatmapPlotSpec({
        z,
        rows,
        cols,
        xEdges: teffEdges,
        yEdges: loggEdges,
        x: { title: 'Teff [K]' },
        y: { title: 'log g [dex]' },
        color: { title: 'density' },
        width: 160,
        height: 240,
      }),
    );
    const root = parseSvg(svg);
    const cells = markItems(root, 'rect');
    expect(cells).toHaveLength(rows * cols);
    expect(axisTitles(root)).toEqual(['Teff [K]', 'log g [dex]']);
    expect(domains['x']).toEqual([4500, 7000]);
    expect(domains['y']).toEqual([2.5, 5.5]);
    expect(domains['color']).toEqual([Math.min(...z), Math.max(...z)]);
    // Each cell is 20 px × 20 px; cells tile the frame exactly.
    const corners = new Set<string>();
    for (const cell of cells) {
      const m = /^M([-\d.e]+),([-\d.e]+)h([-\d.e]+)v([-\d.e]+)h([-\d.e]+)Z$/.exec(cell.attrs['d'] ?? '');
      expect(m, cell.attrs['d']).not.toBeNull();
      const [x, y, w, h] = m!.slice(1, 5).map(Number) as [number, number, number, number];
      expect(w).toBeCloseTo(20, 9);
      expect(h).toBeCloseTo(20, 9);
      corners.add(`${Math.round(x / 20)},${Math.round(y / 20)}`);
    }
    expect(corners.size).toBe(rows * cols);
    const legend = findAll(root, (n) => hasClass(n, 'role-legend-title')).flatMap((n) => n.children.map((t) => t.text));
    expect(legend).toEqual(['density']);
  });

  it('accepts an array of rows and a log colour scale', async () => {
    const { svg, domains } = await renderChart(
      heatmapPlotSpec({
        z: [
          [1, 10],
          [100, 1000],
          [1e4, 1e5],
        ],
        color: { log: true },
      }),
    );
    expect(markItems(parseSvg(svg), 'rect')).toHaveLength(6);
    expect(domains['color']).toEqual([1, 1e5]);
    expect(domains['x']).toEqual([0, 2]);
    expect(domains['y']).toEqual([0, 3]);
  });

  it('rejects ragged or mis-sized grids and NaN', () => {
    expect(() => heatmapPlotSpec({ z: [[1, 2], [3]] })).toThrow(ShapeError);
    expect(() => heatmapPlotSpec({ z: [1, 2, 3], rows: 2, cols: 2 })).toThrow(ShapeError);
    expect(() => heatmapPlotSpec({ z: [1, 2, 3, 4] })).toThrow(ShapeError);
    expect(() => heatmapPlotSpec({ z: [[1, NaN]] })).toThrow(ValueError);
    expect(() => heatmapPlotSpec({ z: [[1, 0]], color: { log: true } })).toThrow(ValueError);
    expect(() => heatmapPlotSpec({ z: [[1, 2]], xEdges: [0, 1] })).toThrow(ShapeError);
  });
});
