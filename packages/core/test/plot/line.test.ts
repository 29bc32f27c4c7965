import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '@astro/core';
import { linePlot, linePlotSpec, renderChart } from '@astro/core/plot';
import { axisLabels, axisTitles, findAll, hasClass, markItems, parseSvg } from './svg.js';

// Loss curves of a (made-up-free) closed form: L(t) = a t^−α, the shape of a scaling law.
const epochs = Float64Array.from({ length: 30 }, (_, i) => i + 1);
const train = epochs.map((t) => 2 * t ** -0.7);
const valid = epochs.map((t) => 2.4 * t ** -0.5);

describe('linePlot', () => {
  it('draws one line per series with a legend, log axes and titled axes', async () => {
    const spec = linePlotSpec({
      series: [
        { name: 'train', x: epochs, y: train },
        { name: 'valid', x: epochs, y: valid },
      ],
      x: { title: 'epoch', log: true },
      y: { title: 'loss [normalised flux²]', log: true },
      points: true,
    });
    const { svg, domains, warnings } = await renderChart(spec);
    expect(warnings).toEqual([]);
    const root = parseSvg(svg);
    // One line path per series, and one point symbol per datum.
    expect(markItems(root, 'line')).toHaveLength(2);
    expect(markItems(root, 'symbol')).toHaveLength(60);
    expect(axisTitles(root)).toEqual(['epoch', 'loss [normalised flux²]']);
    const labels = axisLabels(root);
    expect(labels[0]).toMatch(/for a log scale/);
    expect(labels[1]).toMatch(/for a log scale/);
    // The x domain is exactly the data range; the y domain is rounded outward to whole decades.
    expect(domains['x']).toEqual([1, 30]);
    const all = [...train, ...valid];
    const lo = 10 ** Math.floor(Math.log10(Math.min(...all)));
    const hi = 10 ** Math.ceil(Math.log10(Math.max(...all)));
    expect(domains['y']).toEqual([lo, hi]);
    expect(domains['color']).toEqual(['train', 'valid']);
    const legend = findAll(root, (n) => hasClass(n, 'role-legend-label')).flatMap((g) => g.children.map((t) => t.text));
    expect(legend).toEqual(['train', 'valid']);
  });

  it('keeps the order of the points as given (no sorting by x)', async () => {
    // A closed curve (unit circle): sorting by x would scramble the path.
    const t = Float64Array.from({ length: 9 }, (_, i) => (2 * Math.PI * i) / 8);
    const svg = await linePlot({
      series: [{ name: 'circle', x: t.map(Math.cos), y: t.map(Math.sin) }],
      width: 100,
      height: 100,
      x: { domain: [-1, 1] },
      y: { domain: [-1, 1] },
    });
    const path = markItems(parseSvg(svg), 'line')[0]!.attrs['d']!;
    const pts = path
      .replace(/^M/, '')
      .split('L')
      .map((p) => p.split(',').map(Number) as [number, number]);
    expect(pts).toHaveLength(9);
    // x = 50(1 + cos t), y = 50(1 − sin t) in pixels.
    pts.forEach(([px, py], i) => {
      // vega writes path coordinates to 3 decimals.
      expect(Math.abs(px - 50 * (1 + Math.cos(t[i]!)))).toBeLessThan(6e-4);
      expect(Math.abs(py - 50 * (1 - Math.sin(t[i]!)))).toBeLessThan(6e-4);
    });
    // A single series gets no legend.
    expect(findAll(parseSvg(svg), (n) => hasClass(n, 'role-legend'))).toHaveLength(0);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => linePlotSpec({ series: [] })).toThrow(ShapeError);
    expect(() => linePlotSpec({ series: [{ name: 'a', x: [1, 2], y: [1] }] })).toThrow(ShapeError);
    expect(() => linePlotSpec({ series: [{ name: 'a', x: [1, 2], y: [1, NaN] }] })).toThrow(ValueError);
    expect(() => linePlotSpec({ series: [{ name: 'a', x: [0, 1], y: [1, 2] }], x: { log: true } })).toThrow(/log axis/);
    expect(() =>
      linePlotSpec({
        series: [
          { name: 'a', x: [1], y: [1] },
          { name: 'a', x: [1], y: [2] },
        ],
      }),
    ).toThrow(/duplicate/);
  });
});
