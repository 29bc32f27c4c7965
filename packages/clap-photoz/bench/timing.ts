// Shared timing and reporting helpers of the clap-photoz benchmarks: median of ≥ 3 runs after one warm-up
// (min and max kept), a peer's result or the reason it is missing, and where and when the run happened.
import { spawnSync } from 'node:child_process';
import { cpus, hostname } from 'node:os';

/** Median, min and max seconds of `runs` timed calls after one untimed warm-up call. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Time `f`: one warm-up call, then `runs` (≥ 3) timed calls. */
export async function timeIt(f: () => Promise<unknown> | unknown, runs = 5): Promise<Timing> {
  await f();
  const t: number[] = [];
  for (let r = 0; r < Math.max(3, runs); r++) {
    const t0 = performance.now();
    await f();
    t.push((performance.now() - t0) / 1000);
  }
  t.sort((a, b) => a - b);
  const m = t.length >> 1;
  return { median: t.length % 2 ? t[m]! : (t[m - 1]! + t[m]!) / 2, min: t[0]!, max: t[t.length - 1]!, runs: t.length };
}

/** Run a Python peer script with /usr/bin/python3 (or ASTRO_PYTHON); its JSON output, or `{ missing }` saying why not. */
export function pythonPeer<T>(script: string, args: string[], env: Record<string, string> = {}): T | { missing: string } {
  const python = process.env['ASTRO_PYTHON'] ?? '/usr/bin/python3';
  const r = spawnSync(python, [script, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 600_000 });
  if (r.error) return { missing: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { missing: (r.stderr || `exit ${r.status}`).trim().split('\n').slice(-1)[0]!.slice(0, 300) };
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    return { missing: `unreadable output: ${r.stdout.slice(0, 200)}` };
  }
}

/** Whether a peer result is the `{ missing }` marker. */
export function isMissing(v: unknown): v is { missing: string } {
  return typeof v === 'object' && v !== null && 'missing' in v;
}

/** Machine, date and commit of this run, for bench/results/<package>.json. */
export function runInfo(): { date: string; commit: string | null; machine: { host: string; cpu: string; cores: number; node: string } } {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString(),
    commit: git.status === 0 ? git.stdout.trim() : null,
    machine: { host: hostname(), cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version },
  };
}

/** One row of the cross-package summary (tools/bench-summary.mjs): ratio = ours / peer time, > 1 means we are slower. */
export interface Comparison {
  name: string;
  ours: string;
  peer: string;
  peerValue: string;
  ratio: string;
}

/** A {@link Comparison} from two median times in seconds (or a missing peer). */
export function compare(name: string, oursS: number, peer: string, peerS: number | null): Comparison {
  return {
    name,
    ours: oursS.toFixed(4),
    peer,
    peerValue: peerS === null ? 'missing' : peerS.toFixed(4),
    ratio: peerS === null ? 'n/a' : (oursS / peerS).toFixed(2),
  };
}
