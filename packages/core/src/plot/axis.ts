import { ShapeError, ValueError } from '../errors/index.js';

/** One axis of a plot. Put units in the title, e.g. `'wavelength [Å]'`, `'flux [erg s⁻¹ cm⁻² Å⁻¹]'`. */
export interface AxisOptions {
  /** Axis title, with units. */
  title?: string;
  /** Logarithmic (base-10) scale; every value on this axis must then be > 0. */
  log?: boolean;
  /** Fixed `[min, max]` domain instead of one fitted to the data. */
  domain?: [number, number];
  /** Include zero in a linear domain (Vega-Lite's default for bars); default false. */
  zero?: boolean;
  /** Reverse the axis direction (e.g. magnitudes, where brighter is up). */
  reverse?: boolean;
  /**
   * Round the domain outward to readable tick values (Vega's `nice`). Default true, except
   * on the x axis of a line plot, which spans exactly the data (e.g. a wavelength range).
   */
  nice?: boolean;
}

/** Layout shared by every plot helper. */
export interface FrameOptions {
  /** Chart title. */
  title?: string;
  /** Width of the data rectangle in pixels (default 480). */
  width?: number;
  /** Height of the data rectangle in pixels (default 300). */
  height?: number;
}

/** Numbers a plot helper accepts for one coordinate. */
export type NumericArray = ArrayLike<number>;

/** The Vega-Lite `scale` object of an axis (linear or log, optional domain / zero / reverse). */
export function scaleOf(axis: AxisOptions | undefined, defaults: { nice?: boolean } = {}): Record<string, unknown> {
  const scale: Record<string, unknown> = { type: axis?.log ? 'log' : 'linear' };
  const nice = axis?.nice ?? defaults.nice;
  if (nice !== undefined) scale['nice'] = nice;
  if (!axis?.log) scale['zero'] = axis?.zero ?? false;
  if (axis?.domain) scale['domain'] = [...axis.domain];
  if (axis?.reverse) scale['reverse'] = true;
  return scale;
}

/** Vega-Lite top-level width/height/title from {@link FrameOptions}. */
export function frameOf(frame: FrameOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { width: frame.width ?? 480, height: frame.height ?? 300 };
  if (frame.title !== undefined) out['title'] = frame.title;
  return out;
}

/**
 * Check that a coordinate array is finite, has the expected length, and is positive on a
 * log axis. `what` names it in the error (e.g. `'linePlot: series "train" y'`).
 */
export function checkValues(values: NumericArray, what: string, opts: { length?: number; log?: boolean } = {}): void {
  if (opts.length !== undefined && values.length !== opts.length) {
    throw new ShapeError(`${what} has length ${values.length}, expected ${opts.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new ValueError(`${what} contains ${v} at index ${i}`);
    if (opts.log && v <= 0) {
      throw new ValueError(`${what}[${i}] = ${v} cannot be drawn on a log axis (values must be > 0)`);
    }
  }
}
