// Pathfinder search box: an in-memory BM25 index of the 300 real ADS abstracts, built in the page.
import { LiteratureIndex, parseJsonl, type SearchHit } from '@astro/pathfinder/browser';

/** Build the in-memory index from the JSONL text of the ADS records. */
export async function buildLiteratureIndex(jsonl: string): Promise<LiteratureIndex> {
  const { records } = parseJsonl(jsonl, { source: 'ads-abstracts.jsonl' });
  const index = new LiteratureIndex();
  await index.upsert(records);
  return index;
}

/** The top hits of a query as plain data (what the page shows and the test compares). */
export async function searchLiterature(
  index: LiteratureIndex,
  query: string,
  k = 5,
): Promise<{ bibcode: string; title: string; year: number; score: number }[]> {
  const hits: SearchHit[] = await index.search(query, { k, mode: 'bm25' });
  return hits.map((h) => ({ bibcode: h.record.bibcode, title: h.record.title, year: h.record.year, score: h.score }));
}

const $ = (id: string): HTMLElement => document.getElementById(id)!;

async function main(): Promise<void> {
  const r = await fetch('/literature/ads-abstracts.jsonl');
  if (!r.ok) throw new Error(`GET /literature/ads-abstracts.jsonl: ${r.status}`);
  const index = await buildLiteratureIndex(await r.text());
  const input = $('pf-query') as HTMLInputElement;
  const show = async (): Promise<void> => {
    const q = input.value.trim();
    if (!q) return;
    const hits = await searchLiterature(index, q);
    $('pf-results').innerHTML = hits
      .map(
        (h) =>
          `<li><code>${h.bibcode}</code> ${h.title.replace(/</g, '&lt;')} (${h.year}) <span class="muted">${h.score.toFixed(2)}</span></li>`,
      )
      .join('');
    (window as unknown as { __pathfinderLast: unknown }).__pathfinderLast = { query: q, hits };
  };
  ($('pf-form') as HTMLFormElement).addEventListener('submit', (e) => {
    e.preventDefault();
    void show();
  });
  $('pf-status').textContent = `${index.size} ADS abstracts indexed (BM25, in memory).`;
  (window as unknown as { __pathfinder: unknown }).__pathfinder = { records: index.size };
}

// in the page only (the end-to-end test imports the functions above in Node)
if (typeof document !== 'undefined') {
  main().catch((e: unknown) => {
    $('pf-status').textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
    (window as unknown as { __pathfinderError: string }).__pathfinderError = String(e);
  });
}
