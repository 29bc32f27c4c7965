// Rewrites a package.json `exports` map from { types, import, require } to per-condition types
// ({ import: { types: .d.ts, default: .js }, require: { types: .d.cts, default: .cjs } }), which is
// what publint and @arethetypeswrong require for dual ESM/CJS packages.
// Usage: node tools/normalize-exports.mjs packages/<name>/package.json ...
import { readFileSync, writeFileSync } from 'node:fs';

for (const file of process.argv.slice(2)) {
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(pkg.exports ?? {})) {
    if (typeof value !== 'object' || !value.types || typeof value.import !== 'string') continue;
    pkg.exports[key] = {
      import: { types: value.types, default: value.import },
      require: { types: value.types.replace(/\.d\.ts$/, '.d.cts'), default: value.require },
    };
  }
  // TypeScript's node10 resolution (tslab, older toolchains) ignores `exports`: map subpaths for it.
  const subpaths = Object.keys(pkg.exports ?? {}).filter((k) => k.startsWith('./') && k !== './package.json');
  if (subpaths.length) {
    pkg.typesVersions = {
      '*': Object.fromEntries(subpaths.map((k) => [k.slice(2), [pkg.exports[k].import.types]])),
    };
  }
  pkg.engines ??= { node: '>=20' };
  writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
  console.log(`normalised ${file}`);
}
