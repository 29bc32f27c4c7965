import { SchemaError, ValueError } from '@astro/core';
import type { Corpus, CorpusOptions, LiteratureRecord } from './record.js';

/** A raw row as a reader found it (field names as in ADS exports or camelCase). */
export type RawRecord = Record<string, unknown>;

function pick(row: RawRecord, ...names: string[]): unknown {
  for (const n of names) if (row[n] !== undefined && row[n] !== null) return row[n];
  return undefined;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(asText).join(' ');
  return String(v).trim();
}

function asKeywords(v: unknown): string[] {
  if (v === undefined || v === null || v === '') return [];
  if (Array.isArray(v)) return v.map((k) => asText(k)).filter((k) => k !== '');
  if (typeof v === 'object' && typeof (v as { toArray?: unknown }).toArray === 'function') {
    return asKeywords(Array.from((v as { toArray(): ArrayLike<unknown> }).toArray()));
  }
  if (typeof v === 'object' && Symbol.iterator in (v as object)) return asKeywords(Array.from(v as Iterable<unknown>));
  return String(v)
    .split(';')
    .map((k) => k.trim())
    .filter((k) => k !== '');
}

function asNumber(v: unknown): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/**
 * Turn raw rows into checked {@link LiteratureRecord}s: required fields present, years and
 * citation counts finite, abstracts and duplicates handled as `opts` says.
 * `where(i)` names row i in errors (e.g. `line 12`).
 * @throws {ValueError} for an empty corpus.
 * @throws {SchemaError} for a row without bibcode or title, a bad year or citation count,
 *   a missing abstract with `missingAbstract: 'error'`, or a duplicate with `duplicates: 'error'`.
 */
export function normalizeRecords(
  rows: readonly RawRecord[],
  opts: CorpusOptions = {},
  where: (i: number) => string = (i) => `row ${i + 1}`,
): Corpus {
  const source = opts.source ?? 'corpus';
  const missingMode = opts.missingAbstract ?? 'title';
  const dupMode = opts.duplicates ?? 'error';
  if (!['title', 'skip', 'error'].includes(missingMode))
    throw new ValueError(`missingAbstract must be 'title', 'skip' or 'error', got '${String(missingMode)}'`);
  if (!['error', 'last', 'first'].includes(dupMode))
    throw new ValueError(`duplicates must be 'error', 'last' or 'first', got '${String(dupMode)}'`);
  if (rows.length === 0) throw new ValueError(`${source}: the corpus is empty (no records)`);
  const missingAbstract: string[] = [];
  const duplicates: string[] = [];
  const byBibcode = new Map<string, { record: LiteratureRecord; at: number }>();
  rows.forEach((row, i) => {
    const bibcode = asText(pick(row, 'bibcode', 'id'));
    if (!bibcode) throw new SchemaError(`${source}, ${where(i)}: record has no bibcode`);
    const title = asText(pick(row, 'title'));
    if (!title) throw new SchemaError(`${source}, ${where(i)}: record ${bibcode} has no title`);
    const abstract = asText(pick(row, 'abstract'));
    const yearRaw = pick(row, 'year', 'pubyear');
    const year = yearRaw === undefined ? NaN : asNumber(yearRaw);
    if (!Number.isFinite(year))
      throw new SchemaError(`${source}, ${where(i)}: record ${bibcode} has no valid year (got ${JSON.stringify(yearRaw)})`);
    const citRaw = pick(row, 'citation_count', 'citationCount', 'citations');
    const citationCount = citRaw === undefined || citRaw === '' ? 0 : asNumber(citRaw);
    if (!Number.isFinite(citationCount) || citationCount < 0) {
      throw new SchemaError(`${source}, ${where(i)}: record ${bibcode} has an invalid citation count ${JSON.stringify(citRaw)}`);
    }
    const domain = asText(pick(row, 'domain_category', 'domain'));
    const record: LiteratureRecord = {
      bibcode,
      title,
      abstract,
      year,
      citationCount,
      keywords: asKeywords(pick(row, 'keywords', 'keyword')),
      ...(domain ? { domain } : {}),
    };
    if (!abstract) {
      if (missingMode === 'error')
        throw new SchemaError(`${source}, ${where(i)}: record ${bibcode} has no abstract (missingAbstract: 'error')`);
      missingAbstract.push(bibcode);
      if (missingMode === 'skip') return;
    }
    const prev = byBibcode.get(bibcode);
    if (prev) {
      if (dupMode === 'error') {
        throw new SchemaError(
          `${source}: bibcode ${bibcode} appears twice (${where(prev.at)} and ${where(i)}); pass duplicates: 'last' or 'first' to keep one`,
        );
      }
      duplicates.push(bibcode);
      if (dupMode === 'last') {
        byBibcode.delete(bibcode);
        byBibcode.set(bibcode, { record, at: i });
      }
      return;
    }
    byBibcode.set(bibcode, { record, at: i });
  });
  const records = [...byBibcode.values()].map((v) => v.record);
  if (records.length === 0) throw new ValueError(`${source}: no records left after skipping ${missingAbstract.length} without an abstract`);
  return { records, report: { missingAbstract, duplicates, rowsRead: rows.length } };
}
