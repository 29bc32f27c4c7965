import { FormatError } from '@astro/core';
import { dataPath } from '@astro/core/data';
import { parseText, readBytes } from '@astro/core/io';
import { BANDS } from '../catalogue/photometry.js';

/** A spectral energy distribution: f_λ (erg s⁻¹ cm⁻² Å⁻¹, any normalisation) at rest-frame wavelengths (Å, increasing). */
export interface Sed {
  name: string;
  wavelengthAngstrom: Float64Array;
  fLambda: Float64Array;
}

/** A filter's photon-counting response R(λ) (dimensionless, ≥ 0) at wavelengths (Å, increasing). */
export interface Filter {
  name: string;
  wavelengthAngstrom: Float64Array;
  response: Float64Array;
}

/** SED template names of `../shared/data/photoz/sed-templates/` in BPZ's order, red to blue (CWW + Kinney). */
export const TEMPLATE_NAMES = ['El_B2004a', 'Sbc_B2004a', 'Scd_B2004a', 'Im_B2004a', 'SB3_B2004a', 'SB2_B2004a'] as const;

function twoColumns(text: string | Uint8Array, what: string): [Float64Array, Float64Array] {
  const t = parseText(text, { delimiter: 'whitespace', comment: '#', header: 'auto' });
  if (t.names.length !== 2) throw new FormatError(what, `expected 2 columns (wavelength in Å, value), got ${t.names.length}`);
  const [a, b] = t.names.map((n) => t.columns[n]);
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array)) throw new FormatError(what, 'columns must be numeric');
  if (t.rows < 2) throw new FormatError(what, `needs at least 2 rows, got ${t.rows}`);
  for (let i = 0; i < t.rows; i++) {
    if (!Number.isFinite(a[i]!) || !Number.isFinite(b[i]!) || b[i]! < 0)
      throw new FormatError(what, `row ${i + 1}: values must be finite and ≥ 0, got ${a[i]}, ${b[i]}`);
    if (i > 0 && !(a[i]! > a[i - 1]!)) throw new FormatError(what, `row ${i + 1}: wavelengths must increase (${a[i - 1]} then ${a[i]})`);
  }
  return [a, b];
}

/** Parse a BPZ-style `.sed` template: two whitespace columns, wavelength (Å) and f_λ. @throws {FormatError} on bad rows. */
export function parseSed(name: string, text: string | Uint8Array): Sed {
  const [w, f] = twoColumns(text, `SED ${name}`);
  return { name, wavelengthAngstrom: w, fLambda: f };
}

/** Parse a speclite ECSV filter curve (YAML header in `#` lines, then `wavelength response`). @throws {FormatError} on bad rows. */
export function parseFilter(name: string, text: string | Uint8Array): Filter {
  const [w, r] = twoColumns(text, `filter ${name}`);
  return { name, wavelengthAngstrom: w, response: r };
}

/** The SDSS u g r i z responses (Doi et al. 2010, airmass 1.3) from `dir` (default the shared data's `photoz/filters`). Node only. */
export async function loadSdssFilters(dir = dataPath('photoz', 'filters')): Promise<Filter[]> {
  return Promise.all(BANDS.map(async (b) => parseFilter(b, await readBytes(`${dir}/sdss2010-${b}.ecsv`))));
}

/** The six galaxy templates of {@link TEMPLATE_NAMES} from `dir` (default the shared data's `photoz/sed-templates`). Node only. */
export async function loadSedTemplates(dir = dataPath('photoz', 'sed-templates')): Promise<Sed[]> {
  return Promise.all(TEMPLATE_NAMES.map(async (n) => parseSed(n, await readBytes(`${dir}/${n}.sed`))));
}
