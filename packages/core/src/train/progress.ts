/** One report of the training loop, passed to `onProgress`. */
export interface FitProgress {
  /** `'step'` after every optimiser step; `'epoch'` after each epoch (with validation loss). */
  phase: 'step' | 'epoch';
  /** 0-based epoch index. */
  epoch: number;
  /** Total number of epochs requested. */
  epochs: number;
  /** 1-based batch index within the epoch (for `'epoch'`: the number of batches in it). */
  batch: number;
  /** Batches per epoch, when known (array datasets); `undefined` for batch iterators. */
  batchesPerEpoch: number | undefined;
  /** Optimiser steps completed since the start of training (resumed runs included). */
  globalStep: number;
  /** `'step'`: this batch's loss; `'epoch'`: the sample-weighted mean training loss of the epoch. */
  loss: number;
  /** Validation loss (`'epoch'` phase, when a validation set is given). */
  valLoss?: number;
  /** Learning rate (before group multipliers) used by the last step. */
  lr: number;
  /** Global gradient norm before clipping, when the optimiser clips. */
  gradNorm?: number;
}

/** Whether a progress bar should be drawn: stdout is a TTY and `CI` is not set. */
export function shouldDrawBar(): boolean {
  if (typeof process === 'undefined' || !process.stdout) return false;
  const ci = process.env['CI'];
  if (ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false') return false;
  return process.stdout.isTTY === true;
}

const fmt = (v: number): string => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(4) : v.toExponential(2));

/**
 * Format one progress line, e.g.
 * `epoch 3/10 [########------------] 45/112 loss 0.0123 val 0.0150 lr 1.0e-3 210 it/s`.
 */
export function formatProgress(p: FitProgress, itPerSec: number, width = 20): string {
  const total = p.batchesPerEpoch;
  const frac = total ? Math.min(1, p.batch / total) : 0;
  const filled = Math.round(frac * width);
  const bar = total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.batch}/${total}` : `batch ${p.batch}`;
  const parts = [`epoch ${p.epoch + 1}/${p.epochs}`, bar, `loss ${fmt(p.loss)}`];
  if (p.valLoss !== undefined) parts.push(`val ${fmt(p.valLoss)}`);
  parts.push(`lr ${p.lr.toExponential(1)}`);
  if (itPerSec > 0 && Number.isFinite(itPerSec)) parts.push(`${itPerSec.toFixed(itPerSec < 10 ? 1 : 0)} it/s`);
  return parts.join(' ');
}

/** A single-line progress bar redrawn in place on a TTY (at most ~10 redraws per second). */
export class ProgressBar {
  private last = 0;
  private t0 = Date.now();
  private steps0 = 0;
  constructor(private readonly out: { write(s: string): unknown; columns?: number } = process.stdout) {}

  /** Redraw after a step or an epoch; an `'epoch'` report ends the line. */
  update(p: FitProgress): void {
    const now = Date.now();
    if (p.phase === 'step' && now - this.last < 100) return;
    this.last = now;
    const rate = ((p.globalStep - this.steps0) * 1000) / Math.max(1, now - this.t0);
    let line = formatProgress(p, rate);
    const cols = this.out.columns;
    if (cols && line.length >= cols) line = line.slice(0, cols - 1);
    this.out.write(`\r\x1b[2K${line}${p.phase === 'epoch' ? '\n' : ''}`);
    if (p.phase === 'epoch') {
      this.t0 = now;
      this.steps0 = p.globalStep;
    }
  }
}
