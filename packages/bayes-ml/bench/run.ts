// `pnpm bench` for @astro/bayes-ml: runs every bench/*.bench.ts in this folder (or only those named
// on the command line, e.g. `tsx bench/run.ts cluster`). Each file default-exports an async
// function returning { comparisons, metrics }; results are merged into the repository's
// bench/results/bayes-ml.json (keys written by other benchmark files are kept).
// Every peer runs in the same invocation; speedup ratio = peer time ÷ our time.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult, Comparison } from './types.js';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', '..', 'bench', 'results', 'bayes-ml.json');
const only = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();

const existing = existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>) : {};
const comparisons = new Map<string, Comparison>(
  ((existing['comparisons'] as Comparison[] | undefined) ?? []).map((c) => [c.name, c]),
);
const metrics: Record<string, unknown> = { ...existing };
delete metrics['comparisons'];

for (const f of files) {
  console.log(`\n▶ ${f}`);
  const mod = (await import(pathToFileURL(join(here, f)).href)) as { default: () => Promise<BenchResult> };
  const r = await mod.default();
  for (const c of r.comparisons) comparisons.set(c.name, c);
  Object.assign(metrics, r.metrics);
}

const result = { ...metrics, generated: new Date().toISOString(), comparisons: [...comparisons.values()] };
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log('\n| benchmark | ours | peer | peer value | ratio |\n|---|---|---|---|---|');
for (const c of result.comparisons) console.log(`| ${c.name} | ${c.ours} | ${c.peer} | ${c.peerValue} | ${c.ratio} |`);
console.log(`\nwrote ${out}`);
