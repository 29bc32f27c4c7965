// Shared vitest settings for every package.
// - When Debian's chromium is installed and the Vulkan loader is not configured, point Dawn at
//   chromium's SwiftShader ICD so the webgpu suites run on a machine without a GPU (as CI does).
// - `@astro/<pkg>` and `@astro/<pkg>/<subpath>` resolve to the workspace sources, so a test sees
//   the current code of the packages it depends on without rebuilding them.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env['VK_ICD_FILENAMES'] && existsSync(swiftshader)) env['VK_ICD_FILENAMES'] = swiftshader;
if (!process.env['XDG_RUNTIME_DIR']) env['XDG_RUNTIME_DIR'] = '/tmp';
if (!process.env['ASTRO_DATA_DIR']) env['ASTRO_DATA_DIR'] = join(root, '..', 'shared', 'data');

export const sharedTest: NonNullable<UserConfig['test']> = {
  include: ['test/**/*.test.ts'],
  testTimeout: 300_000,
  hookTimeout: 300_000,
  pool: 'forks',
  fileParallelism: false,
  env,
  reporters: ['default', join(root, 'tools', 'peer-skip-reporter.ts')],
};

export const sharedResolve: NonNullable<UserConfig['resolve']> = {
  alias: [
    { find: /^@astro\/([a-z-]+)\/([a-z-]+)$/, replacement: join(root, 'packages/$1/src/$2/index.ts') },
    { find: /^@astro\/([a-z-]+)$/, replacement: join(root, 'packages/$1/src/index.ts') },
  ],
};
