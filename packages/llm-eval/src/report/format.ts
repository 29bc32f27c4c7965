/** Percentage with one decimal, e.g. `42.3%`; `–` for NaN. */
export function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '–';
}

/** Fixed decimals; `–` for NaN. */
export function num(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** US dollars; `–` for NaN (no price). */
export function usd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`;
}

/** Escape text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
