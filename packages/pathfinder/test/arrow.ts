import { createRequire } from 'node:module';

/**
 * Arrow IPC file bytes for tests with the apache-arrow that @astro/core depends on (the
 * package itself never imports apache-arrow: it reads Arrow IPC through core).
 */
export function arrowIpcFromArrays(cols: Record<string, unknown[]>): Uint8Array {
  const req = createRequire(createRequire(import.meta.url).resolve('@astro/core/package.json'));
  const arrow = req('apache-arrow') as any;
  const vectors: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(cols)) {
    if (Array.isArray(values[0])) {
      vectors[name] = arrow.vectorFromArray(values, new arrow.List(new arrow.Field('item', new arrow.Utf8(), true)));
    } else vectors[name] = arrow.vectorFromArray(values as never);
  }
  return arrow.tableToIPC(new arrow.Table(vectors as never), 'file');
}
