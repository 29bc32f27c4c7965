import { describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { renderChart, renderVegaLite, type VegaLiteSpec } from '@astro/core/plot';
import { axisLabels, axisTitles, markItems, parseSvg } from './svg.js';

describe('renderVegaLite', () => {
  it('renders a bar chart to well-formed SVG with one rect per datum and the axis titles', async () => {
    const spec: VegaLiteSpec = {
      data: {
        values: [
          { band: 'u', n: 3 },
          { band: 'g', n: 7 },
          { band: 'r', n: 5 },
        ],
      },
      mark: 'bar',
      encoding: {
        x: { field: 'band', type: 'nominal', title: 'SDSS band', sort: null },
        y: { field: 'n', type: 'quantitative', title: 'galaxies [count]' },
      },
    };
    const { svg, domains } = await renderChart(spec);
    const root = parseSvg(svg);
    expect(root.attrs['xmlns']).toBe('http://www.w3.org/2000/svg');
    expect(markItems(root, 'rect')).toHaveLength(3);
    expect(axisTitles(root)).toEqual(['SDSS band', 'galaxies [count]']);
    expect(domains['x']).toEqual(['u', 'g', 'r']);
    expect(domains['y']).toEqual([0, 7]);
    expect(await renderVegaLite(spec)).toBe(svg); // deterministic
  });

  it('escapes text so that titles with markup characters stay well-formed', async () => {
    const title = 'S/N < 5 & "faint" <b>';
    const svg = await renderVegaLite({
      data: { values: [{ a: 1, b: 2 }] },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative', title }, y: { field: 'b', type: 'quantitative' } },
    });
    const root = parseSvg(svg);
    expect(axisTitles(root)[0]).toBe(title);
    expect(axisLabels(root)[0]).toContain('S/N < 5');
  });

  it('refuses to fetch external data unless allowed, with a typed error', async () => {
    const spec: VegaLiteSpec = {
      data: { url: 'https://example.invalid/data.csv' },
      mark: 'point',
      encoding: { x: { field: 'a', type: 'quantitative' } },
    };
    await expect(renderVegaLite(spec)).rejects.toThrow(ValueError);
    await expect(renderVegaLite(spec)).rejects.toThrow(/external data is disabled/);
  });

  it('wraps Vega-Lite compile failures in a ValueError', async () => {
    const bad = { data: { values: [] }, mark: 'no-such-mark' } as unknown as VegaLiteSpec;
    await expect(renderVegaLite(bad)).rejects.toThrow(ValueError);
  });
});
