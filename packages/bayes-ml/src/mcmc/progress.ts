/** Progress of a running sampler, passed to `onProgress` callbacks. */
export interface SamplerProgress {
  /** Steps completed in this run. */
  step: number;
  /** Steps requested in this run. */
  total: number;
  /** Mean acceptance fraction so far (over all walkers/steps of this sampler). */
  acceptance: number;
}

/** `true`: a progress bar on stderr when it is a TTY and `CI` is unset; a function: called every step. */
export type ProgressOption = boolean | ((p: SamplerProgress) => void);

/** Build the per-step progress reporter for an option (no-op when off or not a TTY). */
export function progressReporter(opt: ProgressOption | undefined, label: string): (p: SamplerProgress) => void {
  if (typeof opt === 'function') return opt;
  const tty = typeof process !== 'undefined' && process.stderr?.isTTY && !process.env['CI'];
  if (!opt || !tty) return () => {};
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.step !== p.total && now - last < 100) return;
    last = now;
    const width = 30;
    const done = Math.round((p.step / p.total) * width);
    process.stderr.write(`\r${label} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${p.step}/${p.total} acc ${p.acceptance.toFixed(3)}`);
    if (p.step === p.total) process.stderr.write('\n');
  };
}

/** Yield to the event loop (lets AbortSignals and timers fire during long runs). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
