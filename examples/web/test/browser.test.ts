// End to end: serve the page with Vite, drive Debian's Chromium headless through playwright-core,
// and check the page's numbers equal Node's (same computation on the cpu backend) to tolerance.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { ready } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { chromiumPath, describePeer } from '@astro/core/testing';
import { runDemo, type DemoResult } from '../src/demo.js';

const here = dirname(fileURLToPath(import.meta.url));

interface PageResult extends DemoResult {
  backend: string;
  tried: { backend: string; ok: boolean; reason?: string }[];
}

describePeer('chromium', 'browser demo in headless Chromium', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let page: PageResult;
  let wasmPage: PageResult;
  let node: DemoResult;

  beforeAll(async () => {
    server = await createServer({ configFile: join(here, '..', 'vite.config.ts'), server: { port: 0 } });
    await server.listen();
    const url = server.resolvedUrls!.local[0]!;
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-background-networking',
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--use-vulkan=swiftshader',
        '--use-webgpu-adapter=swiftshader',
        '--disable-vulkan-surface',
      ],
    });
    const out = join(here, '..', 'out');
    mkdirSync(out, { recursive: true });
    const visit = async (query: string, shot: string): Promise<PageResult> => {
      const tab = await browser.newPage();
      const logs: string[] = [];
      tab.on('console', (m) => logs.push(m.text()));
      tab.on('pageerror', (e) => logs.push(String(e)));
      await tab.goto(url + query);
      await tab.waitForFunction(
        () => {
          const w = window as unknown as { __astro?: unknown; __astroError?: unknown };
          return w.__astro !== undefined || w.__astroError !== undefined;
        },
        undefined,
        { timeout: 240_000 },
      );
      const error = await tab.evaluate(() => (window as unknown as { __astroError?: string }).__astroError);
      if (error) throw new Error(`page failed: ${error}\n${logs.join('\n')}`);
      await tab.screenshot({ path: join(out, shot), fullPage: true });
      const result = (await tab.evaluate(() => (window as unknown as { __astro: unknown }).__astro)) as PageResult;
      await tab.close();
      return result;
    };
    page = await visit('', 'screenshot.png');
    wasmPage = await visit('?backend=wasm', 'screenshot-wasm.png');

    await ready({ backend: 'cpu', strict: true });
    node = await runDemo(async (name) => new Uint8Array(readFileSync(dataPath('spectra', 'emulator-reference-bundle', name))));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('says which backend it used and why', () => {
    expect(['webgpu', 'wasm']).toContain(page.backend);
    expect(page.tried.at(-1)).toMatchObject({ backend: page.backend, ok: true });
    console.log(`browser backend: ${page.backend}; tried ${JSON.stringify(page.tried)}`);
  });

  it('runs the wasm path when asked and gets the same numbers', () => {
    expect(wasmPage.backend).toBe('wasm');
    expect(wasmPage.fingerprintMaxAbsErr).toBeLessThan(1e-5);
    const worst = wasmPage.flux.reduce((m, v, i) => Math.max(m, Math.abs(v - node.flux[i]!)), 0);
    expect(worst).toBeLessThan(1e-5);
    expect(wasmPage.neighbours.map((n) => n.index)).toEqual(node.neighbours.map((n) => n.index));
  });

  it('reproduces the released fingerprint in the browser and in Node', () => {
    expect(node.fingerprintMaxAbsErr).toBeLessThan(1e-5);
    expect(page.fingerprintMaxAbsErr).toBeLessThan(page.backend === 'webgpu' ? 2e-4 : 1e-5);
  });

  it("page's spectrum equals Node's", () => {
    expect(page.flux).toHaveLength(node.flux.length);
    const worst = page.flux.reduce((m, v, i) => Math.max(m, Math.abs(v - node.flux[i]!)), 0);
    expect(worst).toBeLessThan(page.backend === 'webgpu' ? 2e-4 : 1e-5);
  });

  it("page's similarity search equals Node's", () => {
    expect(page.neighbours.map((n) => n.index)).toEqual(node.neighbours.map((n) => n.index));
    for (let i = 0; i < node.neighbours.length; i++) {
      expect(Math.abs(page.neighbours[i]!.cosine - node.neighbours[i]!.cosine)).toBeLessThan(1e-4);
    }
    // The best match lies within two grid steps of the query in every label (one step is 1/7 of
    // each range; Teff and [Fe/H] are partly degenerate in this 10 Å window at S/N 50).
    const [t, g, f] = node.neighbours[0]!.labels;
    const [qt, qg, qf] = node.queryLabels;
    expect(Math.abs(t! - qt!)).toBeLessThan((2 * 2500) / 7);
    expect(Math.abs(g! - qg!)).toBeLessThan((2 * 2.5) / 7);
    expect(Math.abs(f! - qf!)).toBeLessThan((2 * 0.6) / 7);
  });
});
