import type * as Vega from 'vega';
import type { TopLevelSpec } from 'vega-lite';
import { ValueError } from '../errors/index.js';

type VegaModule = typeof Vega;
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | undefined;

/**
 * Node's native `import()`, out of reach of the bundler. The CommonJS build turns a literal
 * `import('vega')` into `require('vega')`, which Node refuses for vega (ESM with top-level await:
 * ERR_REQUIRE_ASYNC_MODULE); only that case falls back to this.
 */
const nativeImport = (specifier: string): Promise<unknown> =>
  (new Function('s', 'return import(s)') as (s: string) => Promise<unknown>)(specifier);

function needsNativeImport(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code;
  return code === 'ERR_REQUIRE_ASYNC_MODULE' || code === 'ERR_REQUIRE_ESM';
}

/**
 * vega and vega-lite are loaded on first render (so importing `@astro/core/plot` does no work):
 * a literal dynamic `import()` that bundlers see, with a native-import fallback for the
 * CommonJS build in Node.
 */
function loadVega(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  modules ??= Promise.all([import('vega'), import('vega-lite')])
    .catch(async (e: unknown) => {
      if (!needsNativeImport(e)) throw e;
      return Promise.all([nativeImport('vega'), nativeImport('vega-lite')]) as Promise<[VegaModule, VegaLiteModule]>;
    })
    .then(([vega, vl]) => ({ vega, vl }));
  modules.catch(() => {
    modules = undefined; // let a later call retry
  });
  return modules;
}

/** A Vega-Lite specification (any top-level view: single, layered, concatenated, faceted). */
export type VegaLiteSpec = TopLevelSpec;

/** Options of {@link renderVegaLite} and {@link renderChart}. */
export interface RenderOptions {
  /**
   * Allow the spec to load data from URLs or files (`data: { url }`). Off by default: the
   * helpers embed their data inline and rendering never touches the network or the disk.
   */
  allowExternalData?: boolean;
  /** Multiply every pixel dimension of the SVG's `width`/`height` by this factor (default 1). */
  scaleFactor?: number;
}

/** An SVG rendered from a Vega-Lite spec, with the resolved domains of its named scales. */
export interface RenderedChart {
  /** Standalone SVG document (UTF-8 text). */
  svg: string;
  /**
   * Resolved domain of every top-level scale the chart defines, keyed by scale name
   * (`x`, `y`, `color`, ...): `[min, max]` for continuous scales, the category list for
   * discrete ones. Useful to check that an axis covers the data (e.g. in tests).
   */
  domains: Record<string, unknown[]>;
  /** Warnings Vega logged while rendering (e.g. an infinite extent); empty for a clean chart. */
  warnings: string[];
}

/** A vega loader that refuses every external load, with a message that says how to fix it. */
function offlineLoader(vega: VegaModule): Vega.Loader {
  const refuse = (uri: string): Promise<never> =>
    Promise.reject(
      new ValueError(
        `plot: the spec asks to load '${uri}', but external data is disabled; ` +
          'embed the data inline (data: { values }) or pass { allowExternalData: true }',
      ),
    );
  const base = vega.loader();
  return { ...base, load: refuse, sanitize: (uri: string) => refuse(uri), http: refuse, file: refuse } as Vega.Loader;
}

/** Names of the scales a compiled Vega spec declares at its top level. */
function scaleNames(spec: Vega.Spec): string[] {
  return (spec.scales ?? []).map((s) => s.name);
}

/**
 * Render a Vega-Lite spec to SVG and report its scale domains. Runs headless in Node and in
 * the browser (vega's `renderer: 'none'` + `view.toSVG()`; no canvas, no DOM needed).
 *
 * @throws {ValueError} when Vega-Lite cannot compile the spec or the spec needs external data
 *   that was not allowed.
 */
export async function renderChart(spec: VegaLiteSpec, opts: RenderOptions = {}): Promise<RenderedChart> {
  const { vega, vl } = await loadVega();
  let compiled: Vega.Spec;
  try {
    compiled = vl.compile(spec).spec as Vega.Spec;
  } catch (e) {
    throw new ValueError(`plot: Vega-Lite could not compile the spec: ${e instanceof Error ? e.message : String(e)}`);
  }
  let runtime: Vega.Runtime;
  try {
    runtime = vega.parse(compiled);
  } catch (e) {
    throw new ValueError(`plot: Vega could not parse the compiled spec: ${e instanceof Error ? e.message : String(e)}`);
  }
  // Vega reports dataflow failures (a refused load, a bad expression) through its logger and
  // carries on with empty data; collect them so a broken chart fails loudly instead.
  const errors: string[] = [];
  const warnings: string[] = [];
  const text = (args: unknown[]): string => args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  let level = vega.Warn;
  const logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error: (...args: unknown[]) => (errors.push(text(args)), logger),
    // A failed or refused data load is only a warning to Vega; here it is an error.
    warn: (...args: unknown[]) => {
      const t = text(args);
      (t.startsWith('Loading failed') ? errors : warnings).push(t);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  } as unknown as Vega.LoggerInterface;
  const view = new vega.View(runtime, {
    renderer: 'none',
    logger,
    ...(opts.allowExternalData ? {} : { loader: offlineLoader(vega) }),
  });
  try {
    await view.runAsync();
    if (errors.length > 0) throw new ValueError(`plot: rendering failed: ${errors.join('; ')}`);
    const svg = await view.toSVG(opts.scaleFactor ?? 1);
    const domains: Record<string, unknown[]> = {};
    for (const name of scaleNames(compiled)) {
      const scale = view.scale(name) as { domain?: () => unknown[] } | undefined;
      if (scale?.domain) domains[name] = [...scale.domain()];
    }
    return { svg, domains, warnings };
  } finally {
    view.finalize();
  }
}

/**
 * Render any Vega-Lite spec to a standalone SVG string: the escape hatch behind every plot helper.
 *
 * ```ts
 * const svg = await renderVegaLite({ data: { values }, mark: 'point', encoding: { ... } });
 * ```
 * @throws {ValueError} when the spec does not compile or needs external data that was not allowed.
 */
export async function renderVegaLite(spec: VegaLiteSpec, opts: RenderOptions = {}): Promise<string> {
  return (await renderChart(spec, opts)).svg;
}
