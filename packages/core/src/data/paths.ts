/**
 * Locate the project's shared real-data folder (`../shared/data` beside the checkout).
 * `ASTRO_DATA_DIR` overrides; otherwise the folder is searched for upwards from the
 * current directory. Node only. Returns `undefined` when it does not exist.
 */
export function sharedDataDir(): string | undefined {
  if (typeof process === 'undefined' || !process.versions?.node) return undefined;
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const env = process.env['ASTRO_DATA_DIR'];
  if (env) return fs.existsSync(env) ? path.resolve(env) : undefined;
  let dir = process.cwd();
  for (;;) {
    const candidate = path.join(dir, 'shared', 'data');
    if (fs.existsSync(path.join(candidate, 'README.md'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * Path of a file in the shared data folder, e.g. `dataPath('llm', 'stories260K.gguf')`.
 * Throws an Error naming `ASTRO_DATA_DIR` when the folder cannot be found.
 */
export function dataPath(...parts: string[]): string {
  const dir = sharedDataDir();
  if (!dir) {
    throw new Error('shared data folder not found: set ASTRO_DATA_DIR to the path of shared/data');
  }
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  return path.join(dir, ...parts);
}
