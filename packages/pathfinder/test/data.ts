import { existsSync } from 'node:fs';
import { sharedDataDir } from '@astro/core/data';

/** Path of the real ADS records, or undefined (with the reason printed) when the shared data folder is absent. */
export function adsPath(): string | undefined {
  const dir = sharedDataDir();
  const p = dir ? `${dir}/literature/ads-abstracts.jsonl` : undefined;
  if (!p || !existsSync(p)) {
    console.warn('skipping real-data tests: shared/data/literature/ads-abstracts.jsonl not found (set ASTRO_DATA_DIR)');
    return undefined;
  }
  return p;
}
