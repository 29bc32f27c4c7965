import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureCli, runCliCases } from '@astro/core/testing';
import { run } from '../src/cli/main.js';
import { adsPath } from './data.js';

const good = '{"bibcode":"a","title":"T","abstract":"A","year":2000,"citation_count":1,"keywords":[]}\n';

runCliCases(
  run,
  [
    { name: 'no command', argv: [], code: 2, message: /no command given/ },
    { name: 'unknown command', argv: ['frobnicate'], code: 2, message: /unknown command 'frobnicate'/ },
    {
      name: 'missing corpus file',
      argv: (f) => ['index', f.missing('.jsonl'), '--out', join(f.dir, 'idx')],
      code: 1,
      mentions: (f) => f.dir,
    },
    {
      name: 'empty corpus file',
      argv: (f) => ['index', f.empty('.jsonl'), '--out', join(f.dir, 'idx')],
      code: 1,
      mentions: (f) => f.dir,
      noOutput: (f) => join(f.dir, 'idx'),
    },
    {
      name: 'corpus is a folder',
      argv: (f) => ['index', f.directory(), '--out', join(f.dir, 'idx')],
      code: 1,
      message: /cannot tell the corpus format/,
    },
    {
      name: 'random bytes',
      argv: (f) => ['index', f.random('.jsonl'), '--out', join(f.dir, 'idx')],
      code: 1,
      mentions: (f) => f.dir,
      noOutput: (f) => join(f.dir, 'idx'),
    },
    {
      name: 'blank lines only',
      argv: (f) => ['index', f.text('blank.jsonl', '\n\n\n'), '--out', join(f.dir, 'idx')],
      code: 1,
      message: /corpus is empty/,
      noOutput: (f) => join(f.dir, 'idx'),
    },
    {
      name: 'malformed JSON line',
      argv: (f) => ['index', f.text('bad.jsonl', good + '{oops\n'), '--out', join(f.dir, 'idx')],
      code: 1,
      message: /line 2/,
    },
    {
      name: 'duplicate bibcodes',
      argv: (f) => ['index', f.text('dup.jsonl', good + good), '--out', join(f.dir, 'idx')],
      code: 1,
      message: /bibcode a appears twice/,
    },
    {
      name: 'missing abstract with --missing-abstract error',
      argv: (f) => ['index', f.text('na.jsonl', good.replace('"A"', '""')), '--out', join(f.dir, 'idx'), '--missing-abstract', 'error'],
      code: 1,
      message: /has no abstract/,
    },
    {
      name: 'truncated Arrow file',
      argv: (f) => ['index', f.text('t.arrow', 'ARROW1\0\0garbage'), '--out', join(f.dir, 'idx')],
      code: 1,
      mentions: (f) => f.dir,
    },
    { name: 'missing --out', argv: (f) => ['index', f.text('ok.jsonl', good)], code: 2, message: /--out/ },
    {
      name: '--out in a missing folder',
      argv: (f) => ['index', f.text('ok.jsonl', good), '--out', f.inMissingFolder('idx')],
      code: 1,
      mentions: (f) => f.dir,
    },
    {
      name: 'bad --duplicates',
      argv: (f) => ['index', f.text('ok.jsonl', good), '--out', join(f.dir, 'i'), '--duplicates', 'newest'],
      code: 2,
      message: /duplicates/,
    },
    { name: 'unknown flag', argv: ['search', 'x', 'q', '--frob'], code: 2, message: /--frob/ },
    { name: 'search without a query', argv: ['search', 'x'], code: 2, message: /QUERY/ },
    { name: 'k = 0', argv: ['search', 'x', 'q', '--k', '0'], code: 2, message: /--k/ },
    { name: 'bad mode', argv: ['search', 'x', 'q', '--mode', 'fuzzy'], code: 2, message: /--mode/ },
    { name: 'bad reweight', argv: (f) => ['search', f.dir, 'q', '--reweight', 'fame'], code: 2, message: /unknown weight 'fame'/ },
    { name: 'index folder missing', argv: (f) => ['search', join(f.dir, 'none'), 'q'], code: 1, mentions: (f) => f.dir },
    { name: 'folder that is not an index', argv: (f) => ['search', f.directory(), 'galaxies'], code: 1, message: /not a Pathfinder index/ },
    { name: 'empty query', argv: (f) => ['search', f.dir, '   '], code: 2, message: /query is empty/ },
    { name: 'ask without --model', argv: ['ask', 'x', 'why?'], code: 2, message: /--model/ },
    { name: '--hyde without --model', argv: ['search', 'x', 'q', '--hyde'], code: 2, message: /--hyde needs --model/ },
    { name: 'bad model spec', argv: (f) => ['ask', f.dir, 'why?', '--model', 'magic:x'], code: 2, message: /unknown model spec 'magic:x'/ },
    {
      name: 'bad embedder spec',
      argv: (f) => ['index', f.text('ok.jsonl', good), '--out', join(f.dir, 'i'), '--embedder', 'magic'],
      code: 2,
      message: /unknown spec 'magic'/,
    },
    { name: 'evaluate a missing folder', argv: (f) => ['evaluate', join(f.dir, 'none')], code: 1, mentions: (f) => f.dir },
  ],
  { program: 'astro-pathfinder', usage: /usage: astro-pathfinder/ },
);

const path = adsPath();
describe.runIf(path)('astro-pathfinder on the real abstracts', () => {
  it('index → search → re-index (nothing new) → evaluate (BM25 only)', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'pf-cli-')), 'idx');
    const a = await captureCli(run, ['index', path!, '--out', dir, '--embedder', 'none']);
    expect(a.code, a.stderr.join('\n')).toBe(0);
    expect(a.stdout.join('')).toContain('300 records (added 300, changed 0, unchanged 0)');
    const s = await captureCli(run, [
      'search',
      dir,
      'Planck 2018 results. VI. Cosmological parameters',
      '--k',
      '3',
      '--mode',
      'bm25',
      '--json',
    ]);
    expect(s.code, s.stderr.join('\n')).toBe(0);
    const hits = JSON.parse(s.stdout.join('')) as { bibcode: string; rank: number }[];
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    expect(hits[0]!.bibcode).toBe('2020A&A...641A...6P');
    const h = await captureCli(run, ['search', dir, 'dark energy', '--reweight', 'citations,recency', '--method', 'pathfinder']);
    expect(h.code, h.stderr.join('\n')).toBe(0);
    expect(h.stdout).toHaveLength(10);
    const again = await captureCli(run, ['index', path!, '--out', dir, '--embedder', 'none']);
    expect(again.code, again.stderr.join('\n')).toBe(0);
    expect(again.stdout.join('')).toContain('(added 0, changed 0, unchanged 300)');
    const e = await captureCli(run, ['evaluate', dir, '--resamples', '200', '--json']);
    expect(e.code, e.stderr.join('\n')).toBe(0);
    const ev = JSON.parse(e.stdout.join(''));
    expect(ev.title.bm25.queries).toBe(300);
    expect(ev.title.bm25.recallAt10.mean).toBeGreaterThan(0.9);
  }, 300_000);

  it('index with the local encoder (trained on the corpus), then dense search', async () => {
    const root = await mkdtemp(join(tmpdir(), 'pf-cli-local-'));
    const lines = (await readFile(path!, 'utf8')).split('\n').slice(0, 40).join('\n');
    await writeFile(join(root, 'small.jsonl'), lines);
    const dir = join(root, 'idx');
    const a = await captureCli(run, ['index', join(root, 'small.jsonl'), '--out', dir, '--epochs', '1', '--batch-size', '16']);
    expect(a.code, a.stderr.join('\n')).toBe(0);
    expect(a.stdout.join('')).toContain('40 records (added 40');
    const s = await captureCli(run, ['search', dir, 'galaxy rotation curves', '--mode', 'dense', '--k', '4', '--json']);
    expect(s.code, s.stderr.join('\n')).toBe(0);
    expect(JSON.parse(s.stdout.join(''))).toHaveLength(4);
    // the stored encoder is reused, so re-indexing embeds nothing
    const again = await captureCli(run, ['index', join(root, 'small.jsonl'), '--out', dir]);
    expect(again.stdout.join('')).toContain('(added 0, changed 0, unchanged 40)');
  }, 300_000);
});
