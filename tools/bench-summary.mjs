// Collects bench/results/<package>.json into bench/results/summary.md: one table of ratios vs peers.
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'bench', 'results');
if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
const rows = [];
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
  for (const c of r.comparisons ?? []) rows.push({ pkg: f.replace(/\.json$/, ''), ...c });
}
const lines = [
  '# Benchmark summary',
  '',
  `Generated ${new Date().toISOString()}. Ratio = ours / peer time (lower is better), or peer / ours for throughput.`,
  '',
  '| package | benchmark | ours | peer | peer value | ratio |',
  '|---|---|---|---|---|---|',
  ...rows.map((r) => `| ${r.pkg} | ${r.name} | ${r.ours} | ${r.peer} | ${r.peerValue} | ${r.ratio} |`),
];
writeFileSync(join(dir, 'summary.md'), lines.join('\n') + '\n');
console.log(lines.join('\n'));
