// Packs every package with `pnpm pack` (workspace:* becomes the real version), installs the
// tarballs into a scratch project with npm, and runs the first ```ts example of each package's
// README there with tsx — the way a user who ran `npm install` would. It also require()s each
// package from a CommonJS script, so the CJS builds are exercised from the tarball too.
import { readdirSync, readFileSync, writeFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(tmpdir(), `astro-pack-test-${process.pid}`);
const tarballs = join(work, 'tarballs');
const app = join(work, 'app');
mkdirSync(tarballs, { recursive: true });
mkdirSync(app, { recursive: true });
const run = (cmd, args, cwd, extraEnv = {}) =>
  execFileSync(cmd, args, { cwd, stdio: 'inherit', env: { ...process.env, ...extraEnv }, timeout: 600_000 });

const packages = [];
for (const dir of readdirSync(join(root, 'packages')).sort()) {
  const pkgDir = join(root, 'packages', dir);
  if (!existsSync(join(pkgDir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  run('pnpm', ['pack', '--pack-destination', tarballs], pkgDir);
  packages.push({ dir: pkgDir, name: pkg.name });
}
const files = readdirSync(tarballs)
  .filter((f) => f.endsWith('.tgz'))
  .map((f) => join(tarballs, f));
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }, null, 2));
// node-llama-cpp is an optional peer of llm-eval and pathfinder; their README examples run a GGUF model.
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files, 'tsx@4', 'node-llama-cpp@3.21.1'], app);

let failed = 0;
for (const { dir, name } of packages) {
  const readme = join(dir, 'README.md');
  const block = existsSync(readme) ? /```ts\n([\s\S]*?)```/.exec(readFileSync(readme, 'utf8')) : null;
  if (!block) {
    console.error(`✗ ${name}: README.md has no \`\`\`ts example`);
    failed++;
    continue;
  }
  const file = join(app, `${name.replace(/[@/]/g, '_')}-readme.ts`);
  writeFileSync(file, block[1]);
  try {
    run(join(app, 'node_modules', '.bin', 'tsx'), [file], app, { ASTRO_SMOKE: '1' });
    console.log(`✓ ${name}: README example ran from the packed tarball`);
  } catch {
    console.error(`✗ ${name}: README example failed`);
    failed++;
  }
}
for (const { name } of packages) {
  // every export of the CJS build must load (a lazy native import must not be needed at require time)
  const script = `const m = require(${JSON.stringify(name)}); const n = Object.keys(m).length; if (n === 0) throw new Error('no exports'); console.log('✓ ${name}: require() gives', n, 'exports');`;
  try {
    run('node', ['-e', script], app);
  } catch {
    console.error(`✗ ${name}: require() of the CommonJS build failed`);
    failed++;
  }
}
if (!process.env.KEEP) rmSync(work, { recursive: true, force: true });
if (failed) process.exit(1);
console.log(`packed, installed and ran ${packages.length} README examples and CommonJS require()s`);
