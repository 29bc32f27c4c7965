// Fills the publishing fields every package needs (keywords, repository, engines, per-condition
// export types, typesVersions) without touching anything else.
// Usage: node tools/package-metadata.mjs packages/<name> [keyword ...]
import { readFileSync, writeFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import { execFileSync } from 'node:child_process';

const [dir, ...keywords] = process.argv.slice(2);
const file = join(dir, 'package.json');
const pkg = JSON.parse(readFileSync(file, 'utf8'));
const base = ['astronomy', 'machine-learning', 'typescript'];
pkg.keywords = [...new Set([...(pkg.keywords ?? []), ...base, ...keywords])];
pkg.repository ??= { type: 'git', url: 'git+https://github.com/astro-ml/astro-ml.git', directory: `packages/${basename(dir)}` };
pkg.license ??= 'MIT';
writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
execFileSync('node', [join(import.meta.dirname, 'normalize-exports.mjs'), file], { stdio: 'inherit' });
