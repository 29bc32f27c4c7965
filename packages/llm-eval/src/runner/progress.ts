/** Progress reporting: a redrawn bar on a TTY, nothing when `CI` is set or output is not a TTY. */
export interface Progress {
  update(done: number, total: number, note?: string): void;
  finish(): void;
}

/** A progress bar on `stream` (default stderr); silent when not a TTY or `CI` is set. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr, label = 'eval'): Progress {
  const enabled = stream.isTTY === true && !process.env['CI'];
  const start = performance.now();
  let lastDraw = 0;
  return {
    update(done, total, note) {
      if (!enabled) return;
      const now = performance.now();
      if (done < total && now - lastDraw < 100) return;
      lastDraw = now;
      const width = 30;
      const frac = total > 0 ? done / total : 1;
      const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
      const rate = done / Math.max(1e-3, (now - start) / 1000);
      stream.write(`\r${label} ${bar} ${done}/${total} ${rate.toFixed(1)} it/s${note ? ' ' + note : ''}   `);
    },
    finish() {
      if (enabled) stream.write('\n');
    },
  };
}
