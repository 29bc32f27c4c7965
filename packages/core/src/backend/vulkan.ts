/**
 * A quiet check, before Dawn starts, that Vulkan can work at all on Linux: the loader
 * (`libvulkan.so.1`) and at least one driver manifest (ICD) must exist. Dawn itself prints
 * "Couldn't load Vulkan" / "Found no drivers" warnings straight to stderr, which every CLI call
 * and the demo would show on a machine without a GPU even though wasm is what runs; this check
 * turns that into a reason kept in `backendInfo().tried` instead.
 */

const LIB_DIRS = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib/aarch64-linux-gnu',
  '/lib/x86_64-linux-gnu',
  '/lib/aarch64-linux-gnu',
  '/usr/lib64',
  '/usr/lib',
  '/lib64',
  '/lib',
  '/usr/local/lib',
];

const ICD_DIRS = ['/etc/vulkan/icd.d', '/usr/share/vulkan/icd.d', '/usr/local/share/vulkan/icd.d'];

/** Why Vulkan cannot work here (Linux only), or `undefined` when it may. */
export function vulkanUnavailableReason(): string | undefined {
  if (typeof process === 'undefined' || process.platform !== 'linux') return undefined;
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const libDirs = [...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean), ...LIB_DIRS];
  if (!libDirs.some((d) => fs.existsSync(path.join(d, 'libvulkan.so.1')))) {
    return 'no Vulkan loader (libvulkan.so.1 not found; apt-get install libvulkan1)';
  }
  const explicit = process.env['VK_DRIVER_FILES'] ?? process.env['VK_ICD_FILENAMES'];
  if (explicit) {
    const files = explicit.split(':').filter(Boolean);
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length === files.length) return `no Vulkan driver: ${missing.join(', ')} does not exist (VK_ICD_FILENAMES)`;
    return undefined;
  }
  const home = process.env['HOME'];
  const xdg = (process.env['XDG_DATA_DIRS'] ?? '')
    .split(':')
    .filter(Boolean)
    .map((d) => path.join(d, 'vulkan', 'icd.d'));
  const dirs = [...ICD_DIRS, ...xdg, ...(home ? [path.join(home, '.local', 'share', 'vulkan', 'icd.d')] : [])];
  const hasIcd = dirs.some((d) => {
    try {
      return fs.readdirSync(d).some((f) => f.endsWith('.json'));
    } catch {
      return false;
    }
  });
  if (!hasIcd) {
    return 'no Vulkan driver (ICD) installed; without a GPU, apt-get install chromium and set VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json XDG_RUNTIME_DIR=/tmp';
  }
  return undefined;
}
