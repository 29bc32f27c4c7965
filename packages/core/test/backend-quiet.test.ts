// On a machine without a usable Vulkan driver, choosing a backend prints nothing: the reason
// webgpu was skipped is kept in backendInfo().tried (Dawn's own warnings go to stderr otherwise).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const tsx = join(here, '..', '..', '..', 'node_modules', '.bin', 'tsx');
const entry = join(here, '..', 'src', 'index.ts');

describe('ready() without Vulkan is quiet', () => {
  it('falls back to wasm, says why in tried, and writes nothing to stderr', () => {
    const code = `import { ready } from ${JSON.stringify(entry)}; const i = await ready(); console.log(JSON.stringify(i));`;
    const env: NodeJS.ProcessEnv = { ...process.env, VK_ICD_FILENAMES: '/nonexistent/icd.json' };
    delete env['ASTRO_BACKEND'];
    const r = spawnSync(tsx, ['--input-type=module', '-e', code], { env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const info = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { backend: string; tried: { backend: string; reason?: string }[] };
    expect(info.backend).toBe('wasm');
    expect(info.tried[0]!.backend).toBe('webgpu');
    expect(info.tried[0]!.reason).toMatch(/no Vulkan driver: \/nonexistent\/icd\.json does not exist/);
  });
});
