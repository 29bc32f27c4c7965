import { existsSync } from 'node:fs';
import { sharedDataDir } from '@astro/core/data';

/** Path of the real ADS records, or undefined (with the reason printed) when the shared data folder is absent. */
export function adsPath(): string | undefined {
  const dir = sharedDataDir();
  const p = dir ? `${dir}/literature/ads-abstracts.jsonl` : undefined;
  if (!p || !existsSync(p)) {
    // CI always has the shared data beside the checkout: a missing file there is a failure, not a skip.
    if (process.env['CI']) throw new Error(`CI: ${p ?? 'shared/data'} is missing (set ASTRO_DATA_DIR)`);
    console.warn('skipping real-data tests: shared/data/literature/ads-abstracts.jsonl not found (set ASTRO_DATA_DIR)');
    return undefined;
  }
  return p;
}
