import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError, ShapeError, ValueError } from '@astro/core/errors';
import {
  ResultsLog,
  accuracyWithCI,
  brierScore,
  computeMetrics,
  expectedCalibrationError,
  loadRun,
  pearson,
  readResults,
  runEval,
  type ItemResult,
  type McqItem,
  type Provider,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'llm-eval-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const row = (id: string, correct: boolean): ItemResult => ({
  id,
  answerIndex: 0,
  scoring: 'logprob',
  predicted: correct ? 0 : 1,
  correct,
  confidence: 0.9,
  optionProbs: [0.9, 0.1],
  usage: { promptTokens: 1, completionTokens: 0 },
  latencyMs: 1,
  attempts: 1,
  cached: false,
});
const lines = (rows: ItemResult[]): string[] => rows.map((r) => JSON.stringify(r));

describe('results.jsonl: only a torn final line may be dropped', () => {
  it('a corrupt middle line is a FormatError naming the file and line (it used to turn 20 % into 0 %)', () => {
    const path = join(dir, 'middle.jsonl');
    const ls = lines([row('1', true), row('2', false), row('3', false), row('4', false), row('5', false)]);
    ls[0] = ls[0]!.slice(0, 25) + '#' + ls[0]!.slice(26);
    writeFileSync(path, ls.join('\n') + '\n');
    expect(() => readResults(path)).toThrow(FormatError);
    expect(() => readResults(path)).toThrow(/middle\.jsonl.*line 1 is not valid JSON/);
    expect(() => ResultsLog.open(path)).toThrow(/line 1 is not valid JSON/);
  });
  it('a torn final line is dropped and reported', () => {
    const path = join(dir, 'torn.jsonl');
    writeFileSync(path, lines([row('1', true), row('2', false)]).join('\n') + '\n{"id":"3","answerIn');
    const torn: unknown[] = [];
    const rs = readResults(path, { onTorn: (t) => torn.push(t) });
    expect(rs.map((r) => r.id)).toEqual(['1', '2']);
    expect(torn).toEqual([{ line: 3, bytes: 19 }]);
  });
  it('random bytes, a JSON array line or a line without an id are errors, not n = 0', () => {
    const rnd = join(dir, 'random.jsonl');
    const bytes = new Uint8Array(4096);
    let s = 12345;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(rnd, bytes);
    expect(() => readResults(rnd)).toThrow(FormatError);
    const noNewline = join(dir, 'noline.jsonl');
    writeFileSync(noNewline, 'not json at all');
    expect(() => readResults(noNewline)).toThrow(/line 1 is not a JSON result/);
    const arr = join(dir, 'arr.jsonl');
    writeFileSync(arr, '[1,2]\n');
    expect(() => readResults(arr)).toThrow(/line 1 is not a result object/);
    const noid = join(dir, 'noid.jsonl');
    writeFileSync(noid, '{"x":1}\n');
    expect(() => readResults(noid)).toThrow(/string "id"/);
  });
  it('loadRun (astro-llm-eval report) refuses a corrupt log and reports a torn one', () => {
    const run = join(dir, 'run');
    mkdirSync(run);
    writeFileSync(join(run, 'manifest.json'), JSON.stringify({ schemaVersion: 1 }));
    writeFileSync(join(run, 'results.jsonl'), lines([row('1', true), row('2', false)]).join('\n') + '\n{"id":"3"');
    const r = loadRun(run);
    expect(r.results).toHaveLength(2);
    expect(r.torn).toEqual({ line: 3, bytes: 9 });
    appendFileSync(join(run, 'results.jsonl'), '\n' + JSON.stringify(row('4', true)) + '\n');
    expect(() => loadRun(run)).toThrow(/line 3 is not valid JSON/);
  });
});

/** A provider that answers every next-token request with "A". */
const fake: Provider = {
  name: 'fake',
  model: 'fake',
  cacheIdentity: async () => 'fake',
  describe: () => ({}),
  generate: async () => ({ text: 'A', usage: { promptTokens: 1, completionTokens: 1 } }),
  nextTokens: async () => ({ tokens: [{ text: 'A', logprob: 0 }], usage: { promptTokens: 1, completionTokens: 0 } }),
  close: async () => {},
} as unknown as Provider;
const items: McqItem[] = [{ id: 'q1', question: 'Which?', choices: ['a', 'b'], answerIndex: 0 }];

describe('runEval: meaningless settings fail before anything is written', () => {
  const base = {
    items,
    datasetPath: join(dir, 'ds.json'),
    provider: fake,
    scoring: 'logprob' as const,
    progress: { update: () => {}, finish: () => {} },
  };
  writeFileSync(base.datasetPath, '[]');
  const cases: [string, object, RegExp][] = [
    ['an empty dataset', { items: [] }, /no items to evaluate/],
    ['topLogprobs 0', { topLogprobs: 0 }, /topLogprobs must be an integer ≥ 1, got 0/],
    ['concurrency 0', { concurrency: 0 }, /concurrency/],
    ['requestsPerSecond -1', { requestsPerSecond: -1 }, /requestsPerSecond/],
    ['maxTokens 0', { sampling: { maxTokens: 0 } }, /maxTokens/],
    ['temperature NaN', { sampling: { temperature: NaN } }, /temperature/],
  ];
  for (const [name, extra, re] of cases) {
    it(name, async () => {
      const out = join(dir, `run-${name.replace(/\W+/g, '-')}`);
      await expect(runEval({ ...base, outDir: out, ...extra })).rejects.toThrow(ValueError);
      await expect(runEval({ ...base, outDir: out, ...extra })).rejects.toThrow(re);
    });
  }
  it('run into a folder whose results.jsonl is corrupt: FormatError naming the line, not a raw SyntaxError', async () => {
    const out = join(dir, 'corrupt-run');
    mkdirSync(out);
    writeFileSync(join(out, 'results.jsonl'), 'garbage\n' + JSON.stringify(row('q1', true)) + '\n');
    const err = await runEval({ ...base, outDir: out }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(FormatError);
    expect(String(err)).toMatch(/results\.jsonl.*line 1 is not valid JSON/);
    writeFileSync(join(out, 'manifest.json'), '{ not json');
    await expect(runEval({ ...base, outDir: out })).rejects.toThrow(/manifest\.json.*not valid JSON/);
  });
  it('a torn final line is redone and said', async () => {
    const out = join(dir, 'torn-run');
    const said: string[] = [];
    await runEval({ ...base, outDir: out, cacheDir: false });
    const path = join(out, 'results.jsonl');
    writeFileSync(path, '{"id":"q1","answ');
    const r = await runEval({ ...base, outDir: out, cacheDir: false, onTornLine: (t, p) => said.push(`${p}:${t.line}`) });
    expect(said).toEqual([`${path}:1`]);
    expect(r.evaluatedNow).toBe(1);
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});

describe('property: metrics get a typed error for wrong shapes, NaN, empty input — never a NaN result', () => {
  const typed = (f: () => unknown): boolean => {
    try {
      const r = f();
      return r === 'ok';
    } catch (e) {
      return e instanceof ValueError || e instanceof ShapeError || e instanceof FormatError;
    }
  };
  it('accuracyWithCI, expectedCalibrationError, brierScore, pearson, computeMetrics', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 12 }),
        fc.array(fc.oneof(fc.double({ min: -0.5, max: 1.5 }), fc.constant(NaN)), { maxLength: 12 }),
        fc.integer({ min: -3, max: 12 }),
        fc.integer({ min: -2, max: 100 }),
        (correct, conf, bins, resamples) =>
          typed(() => {
            const a = accuracyWithCI(correct, { resamples, seed: 1 });
            const e = expectedCalibrationError(conf, correct, { bins });
            const b = brierScore(
              conf.map((c) => [c, 1 - c]),
              correct.map((c) => (c ? 0 : 1)),
            );
            const r = pearson(conf, correct.map(Number));
            return [a.accuracy, a.lower, a.upper, e, b].every(Number.isFinite) &&
              (Number.isFinite(r) || conf.length < 2 || new Set(conf).size === 1 || new Set(correct).size === 1)
              ? 'ok'
              : 'NaN';
          }),
      ),
      { numRuns: 300 },
    );
    expect(() => computeMetrics([])).toThrow(/no results/);
  });
  it('readResults on random bytes: a FormatError or results with string ids', () => {
    const path = join(dir, 'prop.jsonl');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        writeFileSync(path, b);
        return typed(() => (readResults(path).every((r) => typeof r.id === 'string') ? 'ok' : 'bad'));
      }),
      { numRuns: 300 },
    );
  });
});
