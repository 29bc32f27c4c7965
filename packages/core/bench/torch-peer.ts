// Client of tools/bench/torch_peer.py: a long-lived PyTorch process the bench asks for timings
// between its own, so that both sides of a ratio are measured under the same machine load.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { join } from 'node:path';

/** Median, min and max of a list of timings (ms). */
export interface Stats {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** Wall-clock and process-CPU timings (ms) of repeated runs. */
export interface Timings {
  ms: number[];
  cpu: number[];
}

/** CPU time (user + system) of this process in ms. */
export const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

/** Median (mean of the middle two for an even count), min and max. */
export function stats(xs: readonly number[]): Stats {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
  return { median, min: s[0]!, max: s[s.length - 1]!, n: s.length };
}

/** A PyTorch peer process, or the reason it is missing. */
export class TorchPeer {
  private proc: ChildProcessWithoutNullStreams | undefined;
  private lines: Interface | undefined;
  private queue: ((line: string) => void)[] = [];
  /** Why the peer is unavailable (python or torch missing), else undefined. */
  missing: string | undefined;
  /** `{ torch, threads, device }` from the peer's hello. */
  info: Record<string, unknown> = {};

  private constructor() {}

  /** Start `torch_peer.py THREADS [device]`; never throws: a missing peer sets {@link missing}. */
  static async start(repo: string, threads: number, device: 'cpu' | 'cuda' = 'cpu'): Promise<TorchPeer> {
    const peer = new TorchPeer();
    try {
      const proc = spawn('/usr/bin/python3', [join(repo, 'tools/bench/torch_peer.py'), String(threads), device], {
        stdio: ['pipe', 'pipe', 'pipe'],
        env: { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) },
      });
      let stderr = '';
      proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const spawnError = new Promise<string>((resolve) => proc.on('error', (e) => resolve(e.message)));
      const exited = new Promise<string>((resolve) =>
        proc.on('exit', (code) => resolve(`exited with ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`)),
      );
      peer.proc = proc;
      peer.lines = createInterface({ input: proc.stdout });
      peer.lines.on('line', (l) => peer.queue.shift()?.(l));
      const hello = await Promise.race([
        peer.ask({ op: 'hello' }),
        spawnError.then((m) => ({ error: m })),
        exited.then((m) => ({ error: m })),
      ]);
      if ('error' in hello) {
        peer.missing = `PyTorch peer missing: ${String(hello['error'])}`;
        peer.close();
      } else peer.info = hello;
    } catch (e) {
      peer.missing = `PyTorch peer missing: ${(e as Error).message}`;
    }
    return peer;
  }

  /** Send one command and wait for its answer. */
  ask(cmd: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (!this.proc || this.missing) return Promise.resolve({ error: this.missing ?? 'closed' });
    return new Promise((resolve) => {
      this.queue.push((line) => {
        try {
          resolve(JSON.parse(line) as Record<string, unknown>);
        } catch {
          resolve({ error: `bad answer: ${line}` });
        }
      });
      this.proc!.stdin.write(JSON.stringify(cmd) + '\n');
    });
  }

  /** Wall and CPU timings (ms) of one command, or undefined when the peer is missing or failed. */
  async times(cmd: Record<string, unknown>): Promise<Timings | undefined> {
    if (this.missing) return undefined;
    const a = await this.ask(cmd);
    if (a['error']) {
      console.warn(`torch peer: ${String(a['error'])}`);
      return undefined;
    }
    return { ms: a['ms'] as number[], cpu: a['cpu_ms'] as number[] };
  }

  /** Stop the process. */
  close(): void {
    if (this.proc && this.proc.exitCode === null) {
      this.proc.stdin.end(JSON.stringify({ op: 'quit' }) + '\n');
    }
    this.lines?.close();
    this.proc = undefined;
  }
}
