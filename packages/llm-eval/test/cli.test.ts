import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataPath } from '@astro/core/data';
import { runCliCases, type CliCaseFiles } from '@astro/core/testing';
import { main } from '../src/cli/main.js';

const MODEL = `gguf:${dataPath('llm', 'stories260K.gguf')}`;
const DATASET = dataPath('llm', 'astro-qa-en.json');
let dir: string;
let out = '';
let err = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'llm-eval-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture(): void {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
}

describe('astro-llm-eval CLI', () => {
  it('run (logprob and loglik) writes results with option probabilities, metrics and reports; compare writes a comparison', async () => {
    const a = join(dir, 'logprob');
    const b = join(dir, 'loglik');
    const common = [
      '--dataset',
      DATASET,
      '--model',
      MODEL,
      '--template',
      'plain',
      '--limit',
      '6',
      '--skip-invalid',
      '--threads',
      '1',
      '--price-in',
      '0.1',
      '--price-out',
      '0.2',
    ];
    capture();
    const code = await main(['run', ...common, '--scoring', 'logprob', '--top-logprobs', '512', '--out', a]);
    expect(err).toBe('skipped: astro-qa-en.json: record 876: missing option D\n');
    expect(code).toBe(0);
    expect(out).toMatch(/gguf:stories260K\.gguf · logprob: accuracy \d+\.\d% \(95% CI/);
    const rows = readFileSync(join(a, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.optionProbs.length === 4)).toBe(true);
    const metrics = JSON.parse(readFileSync(join(a, 'metrics.json'), 'utf8'));
    expect(metrics.cost.usd).toBeCloseTo((metrics.cost.promptTokens * 0.1 + metrics.cost.completionTokens * 0.2) / 1e6, 12);
    const html = readFileSync(join(a, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(3); // cost vs accuracy, reliability, topics
    expect(html).not.toMatch(/<script|src="http/);
    expect(readFileSync(join(a, 'report.md'), 'utf8')).toContain('| gguf:stories260K.gguf | logprob | plain | 6 |');

    expect(await main(['run', ...common, '--scoring', 'loglik', '--out', b])).toBe(0);
    const cmp = join(dir, 'compare.html');
    expect(await main(['compare', a, b, '--out', cmp])).toBe(0);
    const c = readFileSync(cmp, 'utf8');
    expect(c).toContain('Paired differences');
    expect(c.match(/<svg/g)?.length).toBe(5);
    expect(await main(['compare', a, b, '--out', join(dir, 'compare.md')])).toBe(0);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toMatch(/\| gguf:stories260K\.gguf \(loglik\) \| 6 \|/);
    expect(await main(['report', a])).toBe(0);
    expect(out).toContain('report.html');
  });

  it('reports usage errors with exit code 2 and data errors with exit code 1 naming the record', async () => {
    capture();
    expect(await main(['run', '--dataset', DATASET, '--model', MODEL, '--scoring', 'vibes', '--out', join(dir, 'x')])).toBe(2);
    expect(err).toContain("astro-llm-eval: --scoring must be one of extract, logprob, loglik; got 'vibes'");
    expect(await main(['frobnicate'])).toBe(2);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSON.stringify({ id: 'q1', question: 'Q?', choices: ['a', 'b'], answer: 'C' }) + '\n');
    expect(await main(['run', '--dataset', bad, '--model', MODEL, '--scoring', 'logprob', '--out', join(dir, 'y')])).toBe(1);
    expect(err).toContain('astro-llm-eval: bad.jsonl: record q1: answer "C" is not among the options (A, B)');
    expect(
      await main([
        'run',
        '--dataset',
        DATASET,
        '--model',
        'gguf:/nope.gguf',
        '--scoring',
        'logprob',
        '--limit',
        '1',
        '--skip-invalid',
        '--out',
        join(dir, 'z'),
      ]),
    ).toBe(1);
    expect(err).toContain('astro-llm-eval: GGUF model not found: /nope.gguf');
    expect(existsSync(join(dir, 'z', 'results.jsonl'))).toBe(false);
  });
});

// Bad input at the command line: one line naming the file, exit 1 (2 with usage for usage errors), no output left.
const row = (id: string): string =>
  JSON.stringify({
    id,
    answerIndex: 0,
    scoring: 'logprob',
    predicted: 0,
    correct: true,
    confidence: 0.9,
    optionProbs: [0.9, 0.1],
    usage: { promptTokens: 1, completionTokens: 0 },
    latencyMs: 1,
    attempts: 1,
    cached: false,
  });
const runFolder = (f: CliCaseFiles, results: string): string => {
  const r = join(f.dir, `run-${Math.random().toString(36).slice(2)}`);
  mkdirSync(r);
  writeFileSync(
    join(r, 'manifest.json'),
    JSON.stringify({
      schemaVersion: 1,
      model: { name: 'm', model: 'm', identity: 'm', details: {} },
      scoring: 'logprob',
      template: { name: 'plain' },
      resumed: [],
    }),
  );
  writeFileSync(join(r, 'results.jsonl'), results);
  return r;
};
const ONE = JSON.stringify([{ question: 'Which planet is largest?', A: 'Mars', B: 'Jupiter', C: 'Venus', D: 'Earth', answer: 'B' }]);
const runArgs = (dataset: string, extra: string[] = [], out = join(tmpdir(), 'llm-eval-never-written')): string[] => [
  'run',
  '--dataset',
  dataset,
  '--model',
  MODEL,
  '--scoring',
  'logprob',
  '--out',
  out,
  '--limit',
  '1',
  '--threads',
  '1',
  ...extra,
];
const GGUF = dataPath('llm', 'stories260K.gguf');
runCliCases(
  main,
  [
    { name: 'missing dataset', argv: (f) => runArgs(f.missing('.json')), code: 1, message: /does-not-exist\.json: no such file/ },
    { name: 'empty dataset file', argv: (f) => runArgs(f.empty('.json')), code: 1, message: /empty\.json: is empty/ },
    { name: 'a directory as dataset', argv: (f) => runArgs(f.directory()), code: 1, message: /a-folder: is a directory/ },
    { name: 'random bytes as dataset', argv: (f) => runArgs(f.random('.json')), code: 1, message: /random\.json/ },
    { name: 'truncated JSON dataset', argv: (f) => runArgs(f.truncated(DATASET, 0.3)), code: 1, message: /truncated-astro-qa-en\.json/ },
    {
      name: 'JSONL with a broken line',
      argv: (f) => runArgs(f.text('bad.jsonl', '{"id":"a","question":"Q","choices":["x","y"],"answer":"A"}\n{"id":\n')),
      code: 1,
      message: /bad\.jsonl.*line 2/,
    },
    { name: 'CSV with a missing answer column', argv: (f) => runArgs(f.text('mmlu.csv', 'What?,a,b,c\n')), code: 1, message: /mmlu\.csv/ },
    {
      name: 'an empty dataset ([])',
      argv: (f) => runArgs(f.text('none.json', '[]')),
      code: 1,
      message: /none\.json: no items to evaluate/,
    },
    {
      name: 'missing GGUF model',
      argv: (f) => [
        'run',
        '--dataset',
        f.text('one.json', ONE),
        '--model',
        `gguf:${f.missing('.gguf')}`,
        '--scoring',
        'logprob',
        '--out',
        join(f.dir, 'o'),
      ],
      code: 1,
      message: /GGUF model not found: .*does-not-exist\.gguf/,
      noOutput: (f) => join(f.dir, 'o', 'results.jsonl'),
    },
    {
      name: 'random-bytes GGUF',
      argv: (f) => [
        'run',
        '--dataset',
        f.text('one.json', ONE),
        '--model',
        `gguf:${f.random('.gguf')}`,
        '--scoring',
        'logprob',
        '--out',
        join(f.dir, 'o'),
      ],
      code: 1,
      message: /cannot load GGUF model .*random\.gguf: Invalid GGUF magic/,
    },
    {
      name: 'truncated GGUF',
      argv: (f) => [
        'run',
        '--dataset',
        f.text('one.json', ONE),
        '--model',
        `gguf:${f.truncated(GGUF, 0.5)}`,
        '--scoring',
        'logprob',
        '--out',
        join(f.dir, 'o'),
      ],
      code: 1,
      message: /cannot load GGUF model .*truncated-stories260K\.gguf: Failed to load model/,
    },
    {
      name: 'missing template file',
      argv: (f) => runArgs(DATASET, ['--template', f.missing('.json')]),
      code: 1,
      message: /does-not-exist\.json: no such file/,
    },
    {
      name: 'template file that is not JSON',
      argv: (f) => runArgs(DATASET, ['--template', f.text('t.json', '{ name:')]),
      code: 1,
      message: /t\.json: template is not valid JSON/,
    },
    { name: '--out in a read-only folder', argv: (f) => runArgs(DATASET, [], f.inReadOnlyFolder('run')), code: 1, message: /not writable/ },
    { name: 'unknown flag', argv: ['run', '--frob'], code: 2, message: /unknown option --frob/ },
    { name: 'unknown command', argv: ['evaluate'], code: 2, message: /unknown command "evaluate"/ },
    {
      name: 'missing required flag',
      argv: ['run', '--dataset', 'd.json', '--model', 'gguf:x'],
      code: 2,
      message: /missing required option --scoring/,
    },
    { name: 'option without a value', argv: ['run', '--dataset'], code: 2, message: /--dataset needs a value/ },
    { name: '--limit -1', argv: runArgs('d.json', ['--limit', '-1']), code: 2, message: /--limit must be ≥ 1, got -1/ },
    { name: '--limit 0', argv: runArgs('d.json', ['--limit', '0']), code: 2, message: /--limit must be ≥ 1/ },
    { name: '--top-logprobs 0', argv: runArgs('d.json', ['--top-logprobs', '0']), code: 2, message: /--top-logprobs must be ≥ 1, got 0/ },
    { name: '--concurrency abc', argv: runArgs('d.json', ['--concurrency', 'abc']), code: 2, message: /--concurrency must be a number/ },
    { name: '--temperature NaN', argv: runArgs('d.json', ['--temperature', 'NaN']), code: 2, message: /--temperature must be a number/ },
    { name: '--price-in Infinity', argv: runArgs('d.json', ['--price-in', 'Infinity']), code: 2, message: /--price-in must be a number/ },
    { name: '--rps 0', argv: runArgs('d.json', ['--rps', '0']), code: 2, message: /--rps must be > 0/ },
    { name: 'report: missing folder', argv: (f) => ['report', f.missing('')], code: 1, message: /does-not-exist/ },
    {
      name: 'report: a corrupt middle line of results.jsonl',
      argv: (f) => ['report', runFolder(f, `${row('1')}\n{"id": garbage\n${row('3')}\n`)],
      code: 1,
      message: /results\.jsonl: line 2 is not valid JSON/,
    },
    {
      name: 'report: random bytes as results.jsonl',
      argv: (f) => ['report', runFolder(f, '\u0001\u00ff\u0000garbage\nmore')],
      code: 1,
      message: /results\.jsonl/,
    },
    { name: 'report: no results yet', argv: (f) => ['report', runFolder(f, '')], code: 1, message: /holds no results yet/ },
    { name: 'report: two folders', argv: ['report', 'a', 'b'], code: 2, message: /unexpected argument 'b'/ },
    { name: 'compare: one folder', argv: ['compare', 'a', '--out', 'x.html'], code: 2, message: /two or more run folders/ },
    {
      name: 'compare: --out in a missing folder',
      argv: (f) => ['compare', runFolder(f, `${row('1')}\n`), runFolder(f, `${row('1')}\n`), '--out', f.inMissingFolder('c.html')],
      code: 1,
      message: /no-such-folder/,
      noOutput: (f) => f.inMissingFolder('c.html'),
    },
    {
      name: 'compare: --out in a read-only folder',
      argv: (f) => ['compare', runFolder(f, `${row('1')}\n`), runFolder(f, `${row('1')}\n`), '--out', f.inReadOnlyFolder('c.html')],
      code: 1,
      message: /not writable/,
    },
    {
      name: 'compare: --prices that is random bytes',
      argv: (f) => [
        'compare',
        runFolder(f, `${row('1')}\n`),
        runFolder(f, `${row('1')}\n`),
        '--out',
        join(f.dir, 'c.html'),
        '--prices',
        f.random('.json'),
      ],
      code: 1,
      message: /random\.json/,
      noOutput: (f) => join(f.dir, 'c.html'),
    },
  ],
  { program: 'astro-llm-eval', usage: /usage: astro-llm-eval/ },
);
