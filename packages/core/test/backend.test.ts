import { describe, it, expect } from 'vitest';
import { ready, backendInfo, BackendError, tf } from '../src/index.js';

describe('ready()', () => {
  it('picks a backend and records what it tried', async () => {
    const info = await ready();
    expect(['webgpu', 'wasm', 'cpu']).toContain(info.backend);
    expect(info.tried.at(-1)).toMatchObject({ backend: info.backend, ok: true });
    for (const t of info.tried.slice(0, -1)) {
      expect(t.ok).toBe(false);
      expect(typeof t.reason).toBe('string');
    }
    expect(backendInfo()).toBe(info);
    expect(tf.getBackend()).toBe(info.backend);
  });

  it('uses exactly the requested backend in strict mode', async () => {
    const info = await ready({ backend: 'cpu', strict: true });
    expect(info.backend).toBe('cpu');
    expect(info.source).toBe('option');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('reports SIMD support for wasm', async () => {
    const info = await ready({ backend: 'wasm', strict: true });
    expect(info.backend).toBe('wasm');
    expect(info.wasm?.simd).toBe(true);
  });

  it('honours the ASTRO_BACKEND environment override', async () => {
    process.env['ASTRO_BACKEND'] = 'cpu';
    try {
      const info = await ready();
      expect(info.backend).toBe('cpu');
      expect(info.source).toBe('env');
    } finally {
      delete process.env['ASTRO_BACKEND'];
    }
  });

  it('rejects an unknown backend name with a typed error', async () => {
    process.env['ASTRO_BACKEND'] = 'cuda';
    try {
      await expect(ready()).rejects.toThrow(BackendError);
      await expect(ready()).rejects.toThrow(/unknown backend 'cuda'/);
    } finally {
      delete process.env['ASTRO_BACKEND'];
    }
    // @ts-expect-error invalid on purpose
    await expect(ready({ backend: 'tpu' })).rejects.toThrow(BackendError);
  });

  it('finds a webgpu adapter (SwiftShader in CI) and names it, or says why not', async () => {
    const info = await ready({ backend: ['webgpu', 'cpu'] });
    const gpu = info.tried.find((t) => t.backend === 'webgpu');
    expect(gpu).toBeDefined();
    if (process.env['ASTRO_REQUIRE_WEBGPU'] === '1') {
      expect(gpu!.ok, gpu!.reason).toBe(true);
      expect(info.backend).toBe('webgpu');
      expect(info.adapter).toBeTruthy();
    } else if (gpu!.ok) {
      expect(info.adapter).toBeTruthy();
    } else {
      // Without a GPU and without SwiftShader, the fallback must say why.
      expect(info.backend).toBe('cpu');
      expect(gpu!.reason).toMatch(/adapter|webgpu|Vulkan/);
    }
  });
});
