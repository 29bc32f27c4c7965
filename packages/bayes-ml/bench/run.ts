// `pnpm bench` for @astro/bayes-ml: runs every bench/*.bench.ts in this folder (or only those named
// on the command line, e.g. `pnpm bench gp`) against the sources, and merges the results into the
// repository's bench/results/bayes-ml.json (rows of benchmarks not run this time are kept, each
// with its own date, commit and load).
//
// One ratio direction everywhere: `<what>_time_ratio_vs_<peer>` = our time ÷ the peer's time on
// the same work in the same invocation (median of the interleaved rounds); > 1 means slower than
// the peer, < 1 faster. A missing Python peer is reported (`peer_missing`) and the run goes on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, RatioResult } from './harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', '..', 'bench', 'results', 'bayes-ml.json');
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: here, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
const commit = git(['rev-parse', '--short=12', 'HEAD']);
const dirty = git(['status', '--porcelain', '--', '..']) !== '';
const date = new Date().toISOString();
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memory_gib: Math.round(totalmem() / 2 ** 30),
  os: `${process.platform} ${release()}`,
  node: process.version,
};

type Row = RatioResult & { date: string; commit: string; smoke: boolean };
const existing = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { results?: Row[]; metrics?: Record<string, unknown> }) : {};
const rows = new Map<string, Row>((existing.results ?? []).map((r) => [r.key, r]));
const metrics: Record<string, unknown> = { ...(existing.metrics ?? {}) };
const smoke = process.env['ASTRO_SMOKE'] === '1';
const loadBefore = loadavg().map((v) => Math.round(v * 100) / 100);

function resultFile(): Record<string, unknown> {
  return {
    package: '@astro/bayes-ml',
    ratio_direction: 'key_time_ratio_vs_peer = our median time ÷ the peer median time on the same work, same run; > 1 slower, < 1 faster',
    date,
    commit: dirty ? `${commit}+dirty` : commit,
    machine,
    load_avg_before: loadBefore,
    load_avg_after: loadavg().map((v) => Math.round(v * 100) / 100),
    command: `pnpm --filter @astro/bayes-ml bench${only.length ? ' ' + only.join(' ') : ''}`,
    results: [...rows.values()],
    metrics,
  };
}

function write(): void {
  if (smoke) return;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out + '.tmp', JSON.stringify(resultFile(), null, 2) + '\n');
  renameSync(out + '.tmp', out);
}

for (const f of files) {
  console.log(`\n▶ ${f} (load ${loadavg()[0]!.toFixed(2)})`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<BenchResult> };
  const r = await mod.default();
  for (const row of r.results) rows.set(row.key, { ...row, date, commit: dirty ? `${commit}+dirty` : commit, smoke });
  for (const [k, v] of Object.entries(r.metrics ?? {})) metrics[k] = { ...(v as object), date, commit, smoke };
  write(); // after every file, so an interrupted run keeps what finished
}

const result = resultFile() as { results: Row[] };
console.log(smoke ? '\nASTRO_SMOKE=1: results not written' : `\nwrote ${out}`);
console.log('\n| key | ours median [min, max] ms | peer median [min, max] ms | ratio (ours ÷ peer) | load |\n|---|---|---|---|---|');
for (const r of result.results) {
  const o = `${r.ours.median_ms} [${r.ours.min_ms}, ${r.ours.max_ms}]`;
  const p = r.peer ? `${r.peer.median_ms} [${r.peer.min_ms}, ${r.peer.max_ms}]` : `missing (${r.peer_missing})`;
  console.log(`| ${r.key} | ${o} | ${p} | ${r.ratio ?? '—'} | ${r.load_1min.join(', ')} |`);
}
