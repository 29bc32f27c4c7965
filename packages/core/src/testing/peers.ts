/**
 * Optional test peers: Python libraries (fixtures and cross-checks), Debian's Chromium (browser
 * tests) and WebGPU. One rule for all of them, the one `describeBackends` uses for webgpu:
 *
 * - peer present → the suite runs;
 * - peer missing → the suite is skipped, and its name says which peer and how to install it;
 * - peer missing and `ASTRO_REQUIRE_PEERS=1` (CI) → the suite fails with the same message.
 *
 * Skipped suites are named `<name> — skipped: needs <peer> (<install hint>)`, which the shared
 * vitest reporter counts so `pnpm test` ends with the number of tests skipped per missing peer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** A Python peer: its import name and the Debian package that provides it. */
const PYTHON_PEERS = {
  numpy: { module: 'numpy', deb: 'python3-numpy' },
  scipy: { module: 'scipy', deb: 'python3-scipy' },
  sklearn: { module: 'sklearn', deb: 'python3-sklearn' },
  torch: { module: 'torch', deb: 'python3-torch' },
  emcee: { module: 'emcee', deb: 'python3-emcee' },
  astroML: { module: 'astroML', deb: 'python3-astroml' },
} as const;

/** Peers a test can need. */
export type PeerName = keyof typeof PYTHON_PEERS | 'chromium';

/** Whether one peer is usable here, and if not, why and how to get it. */
export interface PeerProbe {
  peer: PeerName;
  ok: boolean;
  /** Why it is missing (absent when `ok`). */
  reason?: string;
  /** The command that installs it on Debian. */
  install: string;
}

/** The Python interpreter that has the peers: `ASTRO_PYTHON`, else Debian's `/usr/bin/python3`. */
export function pythonPath(): string {
  return env('ASTRO_PYTHON') ?? '/usr/bin/python3';
}

/** Debian's Chromium: `ASTRO_CHROMIUM`, else `/usr/bin/chromium`. */
export function chromiumPath(): string {
  return env('ASTRO_CHROMIUM') ?? '/usr/bin/chromium';
}

/** True when CI asks for every peer (`ASTRO_REQUIRE_PEERS=1`): a missing one is then a failure. */
export function peersRequired(): boolean {
  return env('ASTRO_REQUIRE_PEERS') === '1';
}

function env(name: string): string | undefined {
  const v = typeof process !== 'undefined' ? process.env[name] : undefined;
  return v === undefined || v === '' ? undefined : v;
}

const cache = new Map<PeerName, PeerProbe>();

/** Probe one peer (cached per process). Python peers are imported by {@link pythonPath}. */
export function probePeer(peer: PeerName): PeerProbe {
  const hit = cache.get(peer);
  if (hit) return hit;
  let probe: PeerProbe;
  if (peer === 'chromium') {
    const path = chromiumPath();
    const install = 'apt-get install chromium';
    probe = existsSync(path) ? { peer, ok: true, install } : { peer, ok: false, reason: `${path} not found`, install };
  } else {
    const { module, deb } = PYTHON_PEERS[peer];
    const install = `apt-get install ${deb}`;
    const py = pythonPath();
    const r = spawnSync(py, ['-c', `import ${module}`], { encoding: 'utf8', timeout: 120_000 });
    if (r.error) {
      const code = (r.error as NodeJS.ErrnoException).code;
      probe = { peer, ok: false, reason: `${py} cannot run (${code ?? r.error.message})`, install };
    } else if (r.status !== 0) {
      const last = r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`;
      probe = { peer, ok: false, reason: `${py} cannot import ${module} (${last})`, install };
    } else {
      probe = { peer, ok: true, install };
    }
  }
  cache.set(peer, probe);
  return probe;
}

/** The first missing peer among `peers`, or undefined when all are present. */
export function missingPeer(peers: PeerName | readonly PeerName[]): PeerProbe | undefined {
  const list: readonly PeerName[] = typeof peers === 'string' ? [peers] : peers;
  for (const p of list) {
    const probe = probePeer(p);
    if (!probe.ok) return probe;
  }
  return undefined;
}

/** The suite-name suffix of a skipped suite (parsed by the shared reporter). */
export function peerSkipLabel(probe: PeerProbe): string {
  return `skipped: needs ${probe.peer} (${probe.install}; ${probe.reason ?? 'missing'})`;
}

/**
 * `describe` that runs only when every peer in `peers` is present. Missing: skipped with one line
 * naming the peer and its install command, or, under `ASTRO_REQUIRE_PEERS=1`, a failing test.
 *
 * ```ts
 * describePeer('torch', 'safetensors read back by PyTorch', () => { it(...) });
 * ```
 */
export function describePeer(peers: PeerName | readonly PeerName[], name: string, fn: () => void): void {
  const missing = missingPeer(peers);
  if (!missing) {
    describe(name, fn);
    return;
  }
  if (peersRequired()) {
    describe(name, () => {
      it(`requires ${missing.peer}`, () => {
        throw new Error(`ASTRO_REQUIRE_PEERS=1 but ${missing.peer} is missing: ${missing.reason}; ${missing.install}`);
      });
    });
    return;
  }
  describe.skip(`${name} — ${peerSkipLabel(missing)}`, fn);
}

/**
 * Throw unless every peer is present (for code outside a suite, e.g. a fixture generator);
 * the message names the peer and how to install it.
 */
export function requirePeer(peers: PeerName | readonly PeerName[]): void {
  const missing = missingPeer(peers);
  if (missing) throw new Error(`needs ${missing.peer}: ${missing.reason}; ${missing.install}`);
}

/** Run a Python script with the peers' interpreter; returns its status and output (never throws on exit ≠ 0). */
export function runPython(
  script: string,
  args: readonly string[] = [],
  opts: { input?: string; timeoutMs?: number } = {},
): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(pythonPath(), [script, ...args], {
    encoding: 'utf8',
    input: opts.input,
    timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.error) throw new Error(`cannot run ${pythonPath()} ${script}: ${r.error.message}`);
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
