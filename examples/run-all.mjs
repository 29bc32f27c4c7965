// Runs every example script (examples/<package>/*.ts) in quick smoke mode (ASTRO_SMOKE=1).
import { readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = dirname(fileURLToPath(import.meta.url));
const scripts = [];
for (const dir of readdirSync(root).sort()) {
  const full = join(root, dir);
  // web/ is the Vite browser demo (tested by its own end-to-end test), not a script folder.
  if (['node_modules', 'out', 'web'].includes(dir) || !statSync(full).isDirectory()) continue;
  for (const f of readdirSync(full).sort()) if (f.endsWith('.ts')) scripts.push(join(dir, f));
}
let failed = 0;
for (const s of scripts) {
  const t0 = Date.now();
  const r = spawnSync('npx', ['tsx', s], {
    cwd: root,
    stdio: 'inherit',
    // Smoke runs use the CPU path unless told otherwise: in CI WebGPU is SwiftShader, which is
    // correct but far too slow for whole examples (the webgpu suites run in the tests instead).
    env: { ...process.env, ASTRO_SMOKE: '1', CI: process.env.CI ?? '1', ASTRO_BACKEND: process.env.ASTRO_BACKEND ?? 'wasm,cpu' },
  });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) failed++;
  console.log(`${r.status === 0 ? 'ok  ' : 'FAIL'} ${s} (${secs} s)`);
}
if (failed) {
  console.error(`${failed} of ${scripts.length} examples failed`);
  process.exit(1);
}
console.log(`all ${scripts.length} examples ran`);
