import { readFileChecked, writeFileAtomic } from '@astro/core/train';

/** `dir/name` (forward slashes work on every platform Node runs on). */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** Write named files into a directory (created if needed), each atomically through core's `writeFileAtomic`. */
export async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, bytes] of Object.entries(files)) await writeFileAtomic(joinPath(dir, name), bytes);
}

/** Read a file of a saved-model directory through core's `readFileChecked`: a missing file is a `FileError` naming it. */
export async function readFileIn(dir: string, name: string, as: 'utf8'): Promise<string>;
export async function readFileIn(dir: string, name: string): Promise<Uint8Array>;
export async function readFileIn(dir: string, name: string, as?: 'utf8'): Promise<string | Uint8Array> {
  const b = await readFileChecked(joinPath(dir, name), 'file');
  return as ? new TextDecoder().decode(b) : b;
}

/** Whether `dir/name` exists as a file. */
export async function fileExists(dir: string, name: string): Promise<boolean> {
  return readFileChecked(joinPath(dir, name), 'file').then(
    () => true,
    () => false,
  );
}

/**
 * The config.json text with a legacy `kind` (before kinds were `@astro/clap-photoz/<Model>`) replaced by the
 * current one, so models saved by earlier versions still load; anything else is returned unchanged.
 */
export function upgradeKind(configText: string, legacy: string, current: string): string {
  try {
    const c = JSON.parse(configText) as { kind?: unknown };
    if (c && typeof c === 'object' && c.kind === legacy) return JSON.stringify({ ...c, kind: current });
  } catch {
    // not JSON: the decoder reports it
  }
  return configText;
}
