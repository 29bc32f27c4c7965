import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { renderChart, scatterPlotSpec } from '@astro/core/plot';
import { axisTitles, findAll, hasClass, markItems, parseSvg } from './svg.js';
import { readSdss } from './sdss.js';

describe('scatterPlot on real SDSS galaxies', () => {
  const n = 200;
  const sdss = readSdss(n);
  const g = sdss.mag[1]!;
  const r = sdss.mag[2]!;
  const gr = g.map((v, i) => v - r[i]!);
  const grErr = sdss.magErr[1]!.map((e, i) => Math.hypot(e, sdss.magErr[2]![i]!));

  it('draws one point per galaxy, coloured by redshift, with vertical error bars', async () => {
    const spec = scatterPlotSpec({
      x: r,
      y: gr,
      yErr: grErr,
      color: { values: sdss.z, title: 'spectroscopic redshift z' },
      xAxis: { title: 'r [mag]', reverse: true },
      yAxis: { title: 'g − r [mag]' },
    });
    const { svg, domains, warnings } = await renderChart(spec);
    expect(warnings).toEqual([]);
    const root = parseSvg(svg);
    expect(markItems(root, 'symbol')).toHaveLength(n);
    expect(markItems(root, 'rule')).toHaveLength(n);
    expect(axisTitles(root)).toEqual(['r [mag]', 'g − r [mag]']);
    // Continuous colour bar titled with the field, spanning the redshift range.
    const legendTitle = findAll(root, (t) => hasClass(t, 'role-legend-title')).flatMap((t) => t.children.map((c) => c.text));
    expect(legendTitle).toEqual(['spectroscopic redshift z']);
    expect(domains['color']).toEqual([Math.min(...sdss.z), Math.max(...sdss.z)]);
    // x domain: the magnitudes (vega may "nice" it outward, never inward).
    const [x0, x1] = domains['x'] as [number, number];
    expect(x0).toBeLessThanOrEqual(Math.min(...r));
    expect(x1).toBeGreaterThanOrEqual(Math.max(...r));
    expect(x1 - x0).toBeLessThan(Math.max(...r) - Math.min(...r) + 2);
    // y domain covers the error bars, not just the points.
    const [y0, y1] = domains['y'] as [number, number];
    expect(y0).toBeLessThanOrEqual(Math.min(...gr.map((v, i) => v - grErr[i]!)));
    expect(y1).toBeGreaterThanOrEqual(Math.max(...gr.map((v, i) => v + grErr[i]!)));
  });

  it('supports categorical colours, horizontal error bars and an identity line', async () => {
    const cls = Array.from(sdss.z, (z) => (z < 0.1 ? 'z < 0.1' : 'z ≥ 0.1'));
    const { svg, domains } = await renderChart(
      scatterPlotSpec({
        x: sdss.z,
        y: sdss.z.map((z, i) => z + 0.01 * Math.sin(i)),
        xErr: new Float64Array(n).fill(0.005),
        color: { categories: cls, title: 'sample' },
        identity: true,
        xAxis: { title: 'z_spec' },
        yAxis: { title: 'z_phot' },
      }),
    );
    const root = parseSvg(svg);
    expect(markItems(root, 'symbol')).toHaveLength(n);
    expect(markItems(root, 'rule')).toHaveLength(n);
    expect(markItems(root, 'line')).toHaveLength(1);
    expect(domains['color']).toEqual(['z < 0.1', 'z ≥ 0.1']);
  });

  it('rejects mismatched lengths, NaN and negative errors', () => {
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1] })).toThrow(ShapeError);
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1, Infinity] })).toThrow(ValueError);
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1, 2], yErr: [0.1, -0.1] })).toThrow(ValueError);
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1, 2], yErr: [0.1] })).toThrow(ShapeError);
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1, 2], color: { categories: ['a'] } })).toThrow(ShapeError);
    // An error bar reaching below zero on a log axis cannot be drawn.
    expect(() => scatterPlotSpec({ x: [1, 2], y: [1, 2], yErr: [2, 0.1], yAxis: { log: true } })).toThrow(/log axis/);
  });
});
