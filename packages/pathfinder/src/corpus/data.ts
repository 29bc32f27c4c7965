import { dataPath } from '@astro/core/data';

/** Path of the 300 real ADS records in the shared data folder (`ASTRO_DATA_DIR` overrides). */
export function adsAbstractsPath(): string {
  return dataPath('literature', 'ads-abstracts.jsonl');
}
