import { FormatError } from '@astro/core';
import { parseText, readBytes } from '@astro/core/io';

/** One Gaia DR3 XP source as continuous BP and RP Hermite-basis coefficients (55 each). */
export interface XpCoefficients {
  /** Gaia DR3 source_id, kept as a string (64-bit integer). */
  sourceId: string;
  bp: Float64Array;
  bpErr: Float64Array;
  rp: Float64Array;
  rpErr: Float64Array;
}

/** One Gaia DR3 XP sampled spectrum (W m⁻² nm⁻¹ on the default 336–1020 nm, 2 nm grid). */
export interface XpSampled {
  sourceId: string;
  flux: Float64Array;
  fluxErr: Float64Array;
}

function tuple(s: string | undefined, what: string, expect?: number): Float64Array {
  const t = (s ?? '').trim();
  if (!t.startsWith('(') || !t.endsWith(')')) throw new FormatError('gaia-xp', `${what}: expected "(v1, v2, …)", got '${t.slice(0, 30)}'`);
  const parts = t.slice(1, -1).split(',');
  const out = new Float64Array(parts.length);
  parts.forEach((p, i) => {
    const v = p.trim() === '' || /^null$/i.test(p.trim()) ? NaN : Number(p);
    if (Number.isNaN(v) && !/nan|null|^\s*$/i.test(p)) throw new FormatError('gaia-xp', `${what}: value ${i} '${p}' is not a number`);
    out[i] = v;
  });
  if (expect !== undefined && out.length !== expect)
    throw new FormatError('gaia-xp', `${what}: expected ${expect} values, got ${out.length}`);
  return out;
}

function sourceIds(text: string): string[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.slice(0, l.indexOf(',')).trim());
}

function table(
  input: string | Uint8Array,
  need: string[],
): { text: string; cols: Record<string, Float64Array | BigInt64Array | string[]>; rows: number } {
  const text = typeof input === 'string' ? input : new TextDecoder().decode(input);
  const t = parseText(text, { delimiter: ',', header: true, comment: null });
  for (const c of need) if (!(c in t.columns)) throw new FormatError('gaia-xp', `missing column '${c}' (have ${t.names.join(', ')})`);
  return { text, cols: t.columns, rows: t.rows };
}

function str(col: Float64Array | BigInt64Array | string[] | undefined, i: number): string | undefined {
  return col === undefined ? undefined : String(col[i]);
}

/**
 * Parse Gaia archive `XP_CONTINUOUS` CSV rows into BP/RP coefficient vectors (55 + 55).
 * @throws {FormatError} for missing columns or coefficient tuples of the wrong length.
 */
export function parseXpContinuous(input: string | Uint8Array): XpCoefficients[] {
  const { text, cols, rows } = table(input, [
    'source_id',
    'bp_coefficients',
    'bp_coefficient_errors',
    'rp_coefficients',
    'rp_coefficient_errors',
  ]);
  const ids = sourceIds(text);
  const out: XpCoefficients[] = [];
  for (let i = 0; i < rows; i++) {
    out.push({
      sourceId: ids[i] ?? '',
      bp: tuple(str(cols['bp_coefficients'], i), `row ${i} bp_coefficients`, 55),
      bpErr: tuple(str(cols['bp_coefficient_errors'], i), `row ${i} bp_coefficient_errors`, 55),
      rp: tuple(str(cols['rp_coefficients'], i), `row ${i} rp_coefficients`, 55),
      rpErr: tuple(str(cols['rp_coefficient_errors'], i), `row ${i} rp_coefficient_errors`, 55),
    });
  }
  return out;
}

/**
 * Parse Gaia archive sampled XP CSV rows (`source_id, …, flux, flux_error`).
 * @throws {FormatError} for missing columns or flux/error tuples of different lengths.
 */
export function parseXpSampled(input: string | Uint8Array): XpSampled[] {
  const { text, cols, rows } = table(input, ['source_id', 'flux', 'flux_error']);
  const ids = sourceIds(text);
  const out: XpSampled[] = [];
  for (let i = 0; i < rows; i++) {
    const flux = tuple(str(cols['flux'], i), `row ${i} flux`);
    const fluxErr = tuple(str(cols['flux_error'], i), `row ${i} flux_error`, flux.length);
    out.push({ sourceId: ids[i] ?? '', flux, fluxErr });
  }
  return out;
}

/** Read {@link parseXpContinuous} from a file. */
export async function readXpContinuous(path: string): Promise<XpCoefficients[]> {
  return parseXpContinuous(await readBytes(path));
}

/** Read {@link parseXpSampled} from a file. */
export async function readXpSampled(path: string): Promise<XpSampled[]> {
  return parseXpSampled(await readBytes(path));
}

/**
 * The XP encoder's input: [bp(55), rp(55)] divided by the first RP coefficient (a flux scale
 * ∝ the integrated RP flux), as SpecCLIP/Zhang et al. (2023) normalise XP coefficients. → Float32Array(110).
 * @throws {FormatError} when rp[0] ≤ 0 or a coefficient is not finite.
 */
export function xpInput(xp: XpCoefficients): Float32Array {
  const scale = xp.rp[0]!;
  if (!(scale > 0)) throw new FormatError('gaia-xp', `source ${xp.sourceId}: first RP coefficient ${scale} must be > 0 to normalise`);
  const out = new Float32Array(110);
  for (let i = 0; i < 55; i++) {
    out[i] = xp.bp[i]! / scale;
    out[55 + i] = xp.rp[i]! / scale;
  }
  for (let i = 0; i < 110; i++)
    if (!Number.isFinite(out[i]!)) throw new FormatError('gaia-xp', `source ${xp.sourceId}: coefficient ${i} is not finite`);
  return out;
}
