import { describe, expect, it } from 'vitest';
import { FormatError, SchemaError, ValueError } from '@astro/core';
import { arrowIpcFromArrays } from './arrow.js';
import { parseCsv, parseJsonl, parseArrowCorpus, readCorpus, formatFromPath } from '../src/index.js';
import { adsPath } from './data.js';

const rec = (bibcode: string, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ bibcode, title: `T ${bibcode}`, abstract: `A ${bibcode}`, year: 2001, citation_count: 5, keywords: ['x'], ...extra });

describe('corpus readers', () => {
  const path = adsPath();
  it.runIf(path)('reads the 300 real ADS records', async () => {
    const { records, report } = await readCorpus(path!);
    expect(records).toHaveLength(300);
    expect(report.duplicates).toEqual([]);
    expect(report.missingAbstract).toEqual([]);
    expect(records[0]!.bibcode).toBe('2020A&A...641A...6P');
    expect(records[0]!.title).toBe('Planck 2018 results. VI. Cosmological parameters');
    expect(records.every((r) => r.abstract.length > 50 && Number.isInteger(r.year) && r.citationCount >= 1391)).toBe(true);
    expect(new Set(records.map((r) => r.bibcode)).size).toBe(300);
  });

  it('rejects an empty corpus with a ValueError', () => {
    expect(() => parseJsonl('\n\n')).toThrow(ValueError);
    expect(() => parseJsonl('')).toThrow(/empty/);
  });

  it('names the line of malformed JSON', () => {
    expect(() => parseJsonl(`${rec('a')}\n{oops\n`)).toThrow(FormatError);
    expect(() => parseJsonl(`${rec('a')}\n{oops\n`)).toThrow(/line 2/);
    expect(() => parseJsonl(`${rec('a')}\n[1]\n`)).toThrow(/line 2: expected a JSON object/);
  });

  it('handles records without an abstract as documented', () => {
    const text = `${rec('a')}\n${rec('b', { abstract: '' })}\n${rec('c', { abstract: null })}`;
    const kept = parseJsonl(text);
    expect(kept.records.map((r) => r.bibcode)).toEqual(['a', 'b', 'c']);
    expect(kept.records[1]!.abstract).toBe('');
    expect(kept.report.missingAbstract).toEqual(['b', 'c']);
    const skipped = parseJsonl(text, { missingAbstract: 'skip' });
    expect(skipped.records.map((r) => r.bibcode)).toEqual(['a']);
    expect(() => parseJsonl(text, { missingAbstract: 'error' })).toThrow(SchemaError);
    expect(() => parseJsonl(text, { missingAbstract: 'error' })).toThrow(/line 2: record b has no abstract/);
    expect(() => parseJsonl(rec('b', { abstract: '' }), { missingAbstract: 'skip' })).toThrow(/no records left/);
  });

  it('rejects duplicate bibcodes by default and keeps one when asked', () => {
    const text = `${rec('a', { title: 'first' })}\n${rec('b')}\n${rec('a', { title: 'second' })}`;
    expect(() => parseJsonl(text)).toThrow(SchemaError);
    expect(() => parseJsonl(text)).toThrow(/bibcode a appears twice \(line 1 and line 3\)/);
    const last = parseJsonl(text, { duplicates: 'last' });
    expect(last.records.map((r) => [r.bibcode, r.title])).toEqual([
      ['b', 'T b'],
      ['a', 'second'],
    ]);
    expect(last.report.duplicates).toEqual(['a']);
    const first = parseJsonl(text, { duplicates: 'first' });
    expect(first.records.map((r) => r.title)).toEqual(['first', 'T b']);
  });

  it('rejects records without bibcode, title or a valid year', () => {
    expect(() => parseJsonl(rec('', {}))).toThrow(/line 1: record has no bibcode/);
    expect(() => parseJsonl(rec('a', { title: ' ' }))).toThrow(/record a has no title/);
    expect(() => parseJsonl(rec('a', { year: 'soon' }))).toThrow(/no valid year/);
    expect(() => parseJsonl(rec('a', { citation_count: -3 }))).toThrow(/invalid citation count/);
    expect(() => parseJsonl(rec('a'), { duplicates: 'newest' as never })).toThrow(ValueError);
  });

  it('reads CSV with quoted fields and ;-separated keywords', () => {
    const csv =
      'bibcode,title,abstract,year,citation_count,keywords\n' +
      '2001X,"A title, with comma","Abstract ""quoted""",2001,12,"galaxies; dark matter"\n' +
      '2002Y,Another,Text,2002,,\n';
    const { records } = parseCsv(csv);
    expect(records[0]).toEqual({
      bibcode: '2001X',
      title: 'A title, with comma',
      abstract: 'Abstract "quoted"',
      year: 2001,
      citationCount: 12,
      keywords: ['galaxies', 'dark matter'],
    });
    expect(records[1]!.citationCount).toBe(0);
    expect(records[1]!.keywords).toEqual([]);
  });

  it('reads Arrow IPC with a list<utf8> keyword column', () => {
    const bytes = arrowIpcFromArrays({
      bibcode: ['a', 'b'],
      title: ['TA', 'TB'],
      abstract: ['AA', 'AB'],
      year: [2000, 2010],
      citation_count: [3, 4],
      keywords: [['k1', 'k2'], []],
    });
    const { records } = parseArrowCorpus(bytes);
    expect(records.map((r) => [r.bibcode, r.year, r.citationCount, r.keywords])).toEqual([
      ['a', 2000, 3, ['k1', 'k2']],
      ['b', 2010, 4, []],
    ]);
    expect(() => parseArrowCorpus(bytes.subarray(0, bytes.length - 10))).toThrow(FormatError);
  });

  it('tells the format from the extension', () => {
    expect(formatFromPath('x.JSONL')).toBe('jsonl');
    expect(formatFromPath('x.feather')).toBe('arrow');
    expect(() => formatFromPath('x.parquet')).toThrow(/Parquet: convert/);
  });
});
