// Prints how many tests each package skipped for each missing peer (written by
// tools/peer-skip-reporter.ts during `pnpm test`). `--reset` clears the counts before a run.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules', '.cache', 'astro-peer-skips');
if (process.argv.includes('--reset')) {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const totals = new Map();
const lines = [];
if (existsSync(dir)) {
  for (const f of readdirSync(dir).sort()) {
    const { package: pkg, skipped } = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    for (const [peer, n] of Object.entries(skipped)) {
      totals.set(peer, (totals.get(peer) ?? 0) + n);
      lines.push(`  ${pkg}: ${n} skipped (missing ${peer})`);
    }
  }
}
console.log('\n=== tests skipped because a peer is missing');
if (totals.size === 0) console.log('  none: every peer was present');
else {
  for (const l of lines) console.log(l);
  for (const [peer, n] of totals) console.log(`  total: ${n} test(s) need ${peer}`);
  console.log('  (see README "Optional system packages"; CI installs all of them and sets ASTRO_REQUIRE_PEERS=1)');
}
