import { ValueError } from '../errors/index.js';
import { renderVegaLite, type RenderOptions, type VegaLiteSpec } from './render.js';

/**
 * Write an SVG to `path` (Node only), creating parent folders. Accepts an SVG string from a
 * plot helper or a Vega-Lite spec to render first. Resolves to the absolute path written.
 *
 * ```ts
 * await writeSvg('out/loss.svg', await linePlot({ series, x: { title: 'epoch' }, y: { title: 'loss', log: true } }));
 * ```
 * @throws {ValueError} if the string is not an SVG document, or the spec does not render.
 */
export async function writeSvg(path: string, svgOrSpec: string | VegaLiteSpec, render: RenderOptions = {}): Promise<string> {
  const svg = typeof svgOrSpec === 'string' ? svgOrSpec : await renderVegaLite(svgOrSpec, render);
  if (!/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(svg)) {
    throw new ValueError(`writeSvg: the content for '${path}' is not an SVG document (starts with ${JSON.stringify(svg.slice(0, 20))})`);
  }
  // Imported lazily so that browser bundles of @astro/core/plot never see node: modules.
  const fs = await import('node:fs/promises');
  const nodePath = await import('node:path');
  const abs = nodePath.resolve(path);
  await fs.mkdir(nodePath.dirname(abs), { recursive: true });
  await fs.writeFile(abs, svg, 'utf8');
  return abs;
}
