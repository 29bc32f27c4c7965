// The Pathfinder search box end to end: Vite serves the page, headless Chromium types a query, and
// the hits shown equal Node's for the same in-memory BM25 index.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { dataPath } from '@astro/core/data';
import { chromiumPath, describePeer } from '@astro/core/testing';
import { buildLiteratureIndex, searchLiterature } from '../src/pathfinder.js';

const here = dirname(fileURLToPath(import.meta.url));

describePeer('chromium', 'Pathfinder search box in headless Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await createServer({ configFile: join(here, '..', 'vite.config.ts'), server: { port: 0 } });
    await server.listen();
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-background-networking'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('indexes the 300 abstracts in the page and shows the same BM25 hits as Node', async () => {
    const tab = await browser.newPage();
    const logs: string[] = [];
    tab.on('pageerror', (e) => logs.push(String(e)));
    await tab.goto(server.resolvedUrls!.local[0]!);
    await tab.waitForFunction(
      () => {
        const w = window as unknown as { __pathfinder?: unknown; __pathfinderError?: unknown };
        return w.__pathfinder !== undefined || w.__pathfinderError !== undefined;
      },
      undefined,
      { timeout: 120_000 },
    );
    const error = await tab.evaluate(() => (window as unknown as { __pathfinderError?: string }).__pathfinderError);
    if (error) throw new Error(`page failed: ${error}\n${logs.join('\n')}`);
    const query = 'Planck cosmological parameters';
    await tab.fill('#pf-query', query);
    await tab.click('#pf-go');
    await tab.waitForFunction(() => (window as unknown as { __pathfinderLast?: unknown }).__pathfinderLast !== undefined, undefined, {
      timeout: 30_000,
    });
    const page = (await tab.evaluate(() => (window as unknown as { __pathfinderLast: unknown }).__pathfinderLast)) as {
      hits: { bibcode: string; score: number }[];
    };
    const shown = await tab.$$eval('#pf-results li code', (els) => els.map((e) => e.textContent));
    await tab.close();
    const index = await buildLiteratureIndex(readFileSync(dataPath('literature', 'ads-abstracts.jsonl'), 'utf8'));
    const node = await searchLiterature(index, query);
    expect(page.hits.map((h) => h.bibcode)).toEqual(node.map((h) => h.bibcode));
    expect(shown).toEqual(node.map((h) => h.bibcode));
    page.hits.forEach((h, i) => expect(h.score).toBeCloseTo(node[i]!.score, 10));
    expect(node).toHaveLength(5);
  }, 240_000);
});
