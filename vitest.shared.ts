// Shared vitest settings for every package. When Debian's chromium is installed and the
// Vulkan loader is not configured, point Dawn at chromium's SwiftShader ICD so the
// webgpu suites run on a machine without a GPU (as CI does).
import { existsSync } from 'node:fs';
import type { UserConfig } from 'vitest/config';

const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
const env: Record<string, string> = {};
if (!process.env['VK_ICD_FILENAMES'] && existsSync(swiftshader)) env['VK_ICD_FILENAMES'] = swiftshader;
if (!process.env['XDG_RUNTIME_DIR']) env['XDG_RUNTIME_DIR'] = '/tmp';

export const sharedTest: NonNullable<UserConfig['test']> = {
  include: ['test/**/*.test.ts'],
  testTimeout: 300_000,
  hookTimeout: 300_000,
  pool: 'forks',
  fileParallelism: false,
  env,
};
