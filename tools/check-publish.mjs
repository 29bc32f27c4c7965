// Publish-readiness checks for every package under packages/: required package.json fields,
// publint (exports/files correctness) and @arethetypeswrong/cli (types resolve for ESM and CJS
// consumers under node16 and bundler resolution). Run after `pnpm build`.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const required = ['name', 'version', 'description', 'keywords', 'license', 'repository', 'exports', 'files', 'sideEffects'];
let failed = 0;
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  const pj = join(pkgDir, 'package.json');
  if (!existsSync(pj)) continue;
  const pkg = JSON.parse(readFileSync(pj, 'utf8'));
  const missing = required.filter((k) => pkg[k] === undefined);
  if (missing.length) {
    console.error(`✗ ${pkg.name}: package.json lacks ${missing.join(', ')}`);
    failed++;
  }
  for (const [label, cmd, args] of [
    ['publint', bin('publint'), ['--strict', pkgDir]],
    ['attw', bin('attw'), ['--pack', pkgDir, '--profile', 'node16', '--format', 'table-flipped', '--ignore-rules', 'cjs-resolves-to-esm']],
  ]) {
    try {
      const out = execFileSync(cmd, args, { cwd: pkgDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      console.log(`✓ ${pkg.name}: ${label}`);
      if (process.env.VERBOSE) console.log(out);
    } catch (e) {
      console.error(`✗ ${pkg.name}: ${label}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
      failed++;
    }
  }
}
if (failed) {
  console.error(`${failed} publish check(s) failed`);
  process.exit(1);
}
console.log('all packages are publish-ready');
