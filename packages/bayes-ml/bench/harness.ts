// Shared pieces of the bayes-ml benchmarks: timing summaries (median, min, max), the Python peer
// runner (a missing peer is reported, never fatal) and the machine's load.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

/** Median, min and max of repeated timings (ms). */
export interface Timing {
  median_ms: number;
  min_ms: number;
  max_ms: number;
  runs: number;
}

/** One result row: our time vs a peer's on the same work. */
export interface RatioResult {
  /** e.g. `gp_n2000_time_ratio_vs_sklearn`: ours ÷ peer time, > 1 means slower than the peer. */
  key: string;
  what: string;
  ours: Timing;
  /** Peer library, version and configuration. */
  peer_name: string;
  peer?: Timing;
  /** median(ours) ÷ median(peer); absent when the peer is missing. */
  ratio?: number;
  /** Why the peer did not run. */
  peer_missing?: string;
  /** 1-minute load average sampled before each round (ours and peer run back to back). */
  load_1min: number[];
  /** Anything else worth keeping (iterations, likelihoods, acceptance…). */
  extra?: Record<string, unknown>;
}

/** What each `*.bench.ts` default export resolves to. */
export interface BenchResult {
  results: RatioResult[];
  /** Stand-alone measurements without a peer (key → value with unit in the key). */
  metrics?: Record<string, unknown>;
}

/** Median / min / max of `xs` (ms), rounded to 0.1 ms. */
export function summarize(xs: number[]): Timing {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  const r = (v: number): number => Math.round(v * 10) / 10;
  return { median_ms: r(mid), min_ms: r(s[0]!), max_ms: r(s.at(-1)!), runs: s.length };
}

/** median(ours) ÷ median(peer), 3 significant digits. */
export function ratio(ours: Timing, peer: Timing): number {
  return Number((ours.median_ms / peer.median_ms).toPrecision(3));
}

/** The current 1-minute load average, 2 decimals. */
export function load1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}

/** The Python interpreter with the peers: `ASTRO_PYTHON`, else Debian's `/usr/bin/python3`. */
export function pythonPath(): string {
  const v = process.env['ASTRO_PYTHON'];
  return v === undefined || v === '' ? '/usr/bin/python3' : v;
}

const probes = new Map<string, string | undefined>();

/** Undefined when `import <modules>` works in {@link pythonPath}, else why not (one line). */
export function missingPython(modules: string[]): string | undefined {
  const key = modules.join(',');
  if (probes.has(key)) return probes.get(key);
  const py = pythonPath();
  const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8', timeout: 120_000 });
  let why: string | undefined;
  if (r.error) why = `${py} cannot run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  else if (r.status !== 0) why = `${py}: ${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`}`;
  probes.set(key, why);
  return why;
}

/**
 * Run a Python peer (`-c code` or a script path) and parse the JSON line it prints last.
 * Returns `{ error }` instead of throwing, so the benchmark goes on without that peer.
 */
export function runPython<T>(
  codeOrScript: { code: string } | { script: string },
  args: string[],
  env: Record<string, string> = {},
): T | { error: string } {
  const py = pythonPath();
  const argv = 'code' in codeOrScript ? ['-c', codeOrScript.code, ...args] : [codeOrScript.script, ...args];
  const r = spawnSync(py, argv, { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, ...env } });
  if (r.error) return { error: `${py} cannot run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})` };
  if (r.status !== 0) return { error: `${py} exited ${r.status}: ${r.stderr.trim().split('\n').at(-1) ?? ''}` };
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    return { error: `peer printed no JSON: ${line.slice(0, 200)}` };
  }
}

/** True when a peer call returned an error instead of a result. */
export function isPeerError(x: unknown): x is { error: string } {
  return typeof x === 'object' && x !== null && 'error' in x;
}

/**
 * Interleave ours and the peer for `reps` rounds after one warm-up each (so load drifts on a shared
 * machine hit both alike): per round, the load is sampled, then ours runs, then the peer.
 * `ours()` and `peer()` return the time of one run in ms (peer: undefined when it is missing).
 */
export async function interleave(
  reps: number,
  ours: () => Promise<number> | number,
  peer: (() => number | undefined) | undefined,
): Promise<{ ours: number[]; peer: number[]; load: number[] }> {
  const o: number[] = [];
  const p: number[] = [];
  const load: number[] = [];
  for (let r = 0; r < reps; r++) {
    load.push(load1());
    o.push(await ours());
    const t = peer?.();
    if (t !== undefined) p.push(t);
  }
  return { ours: o, peer: p, load };
}
