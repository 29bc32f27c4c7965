import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataPath } from '@astro/core/data';
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
    const common = ['--dataset', DATASET, '--model', MODEL, '--template', 'plain', '--limit', '6', '--skip-invalid', '--threads', '1', '--price-in', '0.1', '--price-out', '0.2'];
    capture();
    const code = await main(['run', ...common, '--scoring', 'logprob', '--top-logprobs', '512', '--out', a]);
    expect(err).toBe('skipped: astro-qa-en.json: record 876: missing option D\n');
    expect(code).toBe(0);
    expect(out).toMatch(/gguf:stories260K\.gguf · logprob: accuracy \d+\.\d% \(95% CI/);
    const rows = readFileSync(join(a, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
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
    expect(err).toContain('--scoring must be extract, logprob or loglik, got "vibes"');
    expect(await main(['frobnicate'])).toBe(2);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, JSON.stringify({ id: 'q1', question: 'Q?', choices: ['a', 'b'], answer: 'C' }) + '\n');
    expect(await main(['run', '--dataset', bad, '--model', MODEL, '--scoring', 'logprob', '--out', join(dir, 'y')])).toBe(1);
    expect(err).toContain('DatasetError: bad.jsonl: record q1: answer "C" is not among the options (A, B)');
    expect(await main(['run', '--dataset', DATASET, '--model', 'gguf:/nope.gguf', '--scoring', 'logprob', '--limit', '1', '--skip-invalid', '--out', join(dir, 'z')])).toBe(1);
    expect(err).toContain('ProviderError: GGUF model not found: /nope.gguf');
    expect(existsSync(join(dir, 'z', 'results.jsonl'))).toBe(false);
  });
});
