import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValueError } from '@astro/core';
import { linePlot, writeSvg } from '@astro/core/plot';
import { axisTitles, parseSvg } from './svg.js';

describe('writeSvg', () => {
  const dirP = mkdtemp(join(tmpdir(), 'astro-plot-'));
  afterAll(async () => rm(await dirP, { recursive: true, force: true }));

  it('writes an SVG string, creating folders, and the file reads back identical', async () => {
    const svg = await linePlot({ series: [{ name: 's', x: [1, 2, 3], y: [3, 1, 2] }], x: { title: 'time [d]' } });
    const path = await writeSvg(join(await dirP, 'a', 'b', 'curve.svg'), svg);
    expect(await readFile(path, 'utf8')).toBe(svg);
  });

  it('renders a Vega-Lite spec before writing', async () => {
    const path = await writeSvg(join(await dirP, 'spec.svg'), {
      data: {
        values: [
          { t: 0, f: 1 },
          { t: 1, f: 0.98 },
        ],
      },
      mark: 'line',
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'time [d]' },
        y: { field: 'f', type: 'quantitative', title: 'relative flux' },
      },
    });
    expect(axisTitles(parseSvg(await readFile(path, 'utf8')))).toEqual(['time [d]', 'relative flux']);
  });

  it('refuses content that is not SVG', async () => {
    await expect(writeSvg(join(await dirP, 'x.svg'), 'hello')).rejects.toThrow(ValueError);
  });
});
