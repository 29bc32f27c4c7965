// Executes every notebook in this folder headlessly with the tslab kernel and fails on any cell
// error (jupyter nbconvert --execute exits non-zero then). Requires Debian's jupyter-nbconvert and
// python3-ipykernel, and the tslab kernel registered (`pnpm --filter @astro/notebooks kernel`).
import { readdirSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(tmpdir(), 'astro-notebooks-out');
mkdirSync(out, { recursive: true });
let failed = 0;
const notebooks = readdirSync(here)
  .filter((f) => f.endsWith('.ipynb'))
  .sort();
for (const nb of notebooks) {
  const t0 = Date.now();
  const r = spawnSync(
    'jupyter',
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--output-dir',
      out,
      '--ExecutePreprocessor.kernel_name=tslab',
      '--ExecutePreprocessor.timeout=900',
      join(here, nb),
    ],
    {
      cwd: here,
      stdio: 'inherit',
      // the tslab kernelspec runs `tslab` from PATH: use this package's own copy
      env: {
        ...process.env,
        PATH: `${join(here, 'node_modules', '.bin')}:${process.env.PATH}`,
        ASTRO_SMOKE: process.env.ASTRO_SMOKE ?? '1',
        // CPU path unless told otherwise: in CI WebGPU is SwiftShader, correct but far too slow here.
        ASTRO_BACKEND: process.env.ASTRO_BACKEND ?? 'wasm,cpu',
      },
    },
  );
  const ok = r.status === 0;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${nb} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
if (failed) process.exit(1);
console.log(`executed ${notebooks.length} notebooks (outputs in ${out})`);
