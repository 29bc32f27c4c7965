import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { equalWidthEdges, histogramCounts, histogramPlotSpec, renderChart } from '@astro/core/plot';
import { axisTitles, markItems, parseSvg, type SvgNode } from './svg.js';
import { readSdss } from './sdss.js';

/** Heights in px of the bars (vega draws rect marks as paths "M x,y h w v h h -w Z"). */
function barHeights(rects: SvgNode[]): number[] {
  return rects.map((p) => {
    const m = /v(-?[\d.e+-]+)/.exec(p.attrs['d'] ?? '');
    if (!m) throw new Error(`unexpected rect path ${p.attrs['d']}`);
    return Math.abs(Number(m[1]));
  });
}

describe('histogramCounts', () => {
  it('follows NumPy: half-open bins, last bin closed, nothing dropped silently', () => {
    const counts = histogramCounts([0, 0.5, 1, 1.5, 2, 2, 3], [0, 1, 2, 3]);
    expect(Array.from(counts)).toEqual([2, 2, 3]);
    expect(() => histogramCounts([0, 3.5], [0, 1, 2, 3])).toThrow(/1 of 2 values fall outside/);
    expect(() => histogramCounts([0], [0, 0, 1])).toThrow(ValueError);
    expect(() => histogramCounts([0], [0])).toThrow(ShapeError);
    expect(() => histogramCounts([NaN], [0, 1])).toThrow(ValueError);
  });

  it('uneven edges: every value lands in the bin that contains it', () => {
    const edges = [0.002, 0.03, 0.05, 0.1, 0.2, 0.4, 0.7];
    const { z } = readSdss(2000);
    const counts = histogramCounts(z, edges);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(z.length);
    for (let b = 0; b < counts.length; b++) {
      const lo = edges[b]!;
      const hi = edges[b + 1]!;
      const last = b === counts.length - 1;
      const brute = Array.from(z).filter((v) => v >= lo && (last ? v <= hi : v < hi)).length;
      expect(counts[b]).toBe(brute);
    }
  });
});

describe('histogramPlot', () => {
  it('bins the real SDSS redshifts: one bar per bin, heights proportional to counts', async () => {
    const { z } = readSdss();
    const edges = equalWidthEdges(z, 16);
    const counts = histogramCounts(z, edges);
    const { svg, domains } = await renderChart(
      histogramPlotSpec({ values: z, edges, x: { title: 'spectroscopic redshift z' }, y: { title: 'galaxies' }, height: 200 }),
    );
    const root = parseSvg(svg);
    const bars = markItems(root, 'rect');
    expect(bars).toHaveLength(16);
    expect(axisTitles(root)).toEqual(['spectroscopic redshift z', 'galaxies']);
    expect(domains['x']).toEqual([edges[0], edges[16]]);
    const [y0, y1] = domains['y'] as [number, number];
    expect(y0).toBe(0);
    const heights = barHeights(bars);
    heights.forEach((h, i) => expect(h).toBeCloseTo((200 * counts[i]!) / y1, 6));
  });

  it('draws a PIT histogram from counts with the uniform expectation line', async () => {
    // PIT values of a calibrated model are uniform: expected count per bin = N / B.
    const edges = Float64Array.from({ length: 11 }, (_, i) => i / 10);
    const counts = [98, 103, 110, 95, 101, 99, 97, 104, 92, 101];
    const { svg, domains } = await renderChart(
      histogramPlotSpec({ edges, counts, expected: 100, x: { title: 'PIT' }, y: { title: 'count' } }),
    );
    const root = parseSvg(svg);
    expect(markItems(root, 'rect')).toHaveLength(10);
    expect(markItems(root, 'rule')).toHaveLength(1);
    expect(domains['x']).toEqual([0, 1]);
    expect((domains['y'] as number[])[1]).toBeGreaterThanOrEqual(110);
  });

  it('density: bar areas sum to one', async () => {
    const edges = [0, 1, 3, 7];
    const counts = [4, 4, 8];
    const spec = histogramPlotSpec({ edges, counts, density: true, width: 700, height: 100 });
    const rows = (spec as { data: { values: { lo: number; hi: number; h: number }[] } }).data.values;
    const area = rows.reduce((a, r) => a + r.h * (r.hi - r.lo), 0);
    expect(area).toBeCloseTo(1, 12);
    const { svg } = await renderChart(spec);
    expect(markItems(parseSvg(svg), 'rect')).toHaveLength(3);
  });

  it('log y axis: empty bins are left out (log 0 is undefined), the rest drawn', async () => {
    const { svg, warnings } = await renderChart(
      histogramPlotSpec({ edges: [0, 1, 2, 3], counts: [10, 0, 1000], y: { log: true, title: 'count' } }),
    );
    expect(warnings).toEqual([]);
    expect(markItems(parseSvg(svg), 'rect')).toHaveLength(2);
  });

  it('rejects inconsistent input', () => {
    expect(() => histogramPlotSpec({ edges: [0, 1, 2], counts: [1] })).toThrow(ShapeError);
    expect(() => histogramPlotSpec({ edges: [0, 1], counts: [-1] })).toThrow(ValueError);
    expect(() => histogramPlotSpec({ counts: [1] })).toThrow(ShapeError);
    expect(() => histogramPlotSpec({})).toThrow(ShapeError);
    expect(() => histogramPlotSpec({ values: [1, 2], bins: 0 })).toThrow(ValueError);
  });
});
