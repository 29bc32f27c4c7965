import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutputPath, describeError, parseCli, readInputText, runMain, writeOutputFile, type CliIO } from '../../src/cli/index.js';
import { FileError, FormatError, UsageError, ValueError } from '../../src/errors/index.js';
import { captureCli, runCliCases } from '../../src/testing/index.js';

const spec = {
  options: {
    steps: { type: 'integer', min: 1, default: 10 },
    lr: { type: 'number' },
    mode: { type: 'string', choices: ['bm25', 'dense'] as const, default: 'bm25' },
    out: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  },
  positionals: ['file'],
} as const;

describe('parseCli', () => {
  it('parses values, defaults, = forms, booleans, negatives and --', () => {
    const r = parseCli(['a.txt', '--steps=5', '--lr', '-0.5', '-q', '--mode', 'dense'], spec);
    expect(r.args).toEqual({ file: 'a.txt' });
    expect(r.values.steps).toBe(5);
    expect(r.values.lr).toBe(-0.5);
    expect(r.values.quiet).toBe(true);
    expect(r.values.mode).toBe('dense');
    expect(r.values.verbose).toBe(false);
    const d = parseCli(['--', '--odd-name.txt'], spec);
    expect(d.args.file).toBe('--odd-name.txt');
    expect(d.values.steps).toBe(10);
    expect(d.values.out).toBeUndefined();
  });
  it.each([
    [['a', '--frob'], /unknown option --frob/],
    [['a', '--step', '3'], /did you mean --steps/],
    [['a', '--steps', 'abc'], /--steps must be a number, got 'abc'/],
    [['a', '--steps', '2.5'], /must be an integer/],
    [['a', '--steps', '0'], /--steps must be ≥ 1/],
    [['a', '--lr'], /option --lr needs a value/],
    [['a', '--lr', '--steps', '3'], /option --lr needs a value/],
    [['a', '--mode', 'x'], /must be one of bm25, dense/],
    [[], /missing argument FILE/],
    [['a', 'b'], /unexpected argument 'b'/],
    [['a', '--quiet=maybe'], /takes no value/],
  ])('%j is a UsageError', (argv, re) => {
    expect(() => parseCli(argv, spec)).toThrow(UsageError);
    expect(() => parseCli(argv, spec)).toThrow(re);
  });
});

describe('runMain and file checks', () => {
  const usage = 'usage: demo FILE [--steps N] [--out FILE]';
  const demo = async (argv: string[], io: CliIO): Promise<number> => {
    const { args, values } = parseCli(argv, spec);
    if (values.out) await checkOutputPath(values.out);
    const text = await readInputText(args['file']!);
    const xs = text.trim().split(/\s+/).map(Number);
    if (xs.some((x) => !Number.isFinite(x))) throw new ValueError(`${args['file']}: values must be finite numbers`);
    const result = JSON.stringify({ sum: xs.reduce((a, b) => a + b, 0) });
    if (values.out) await writeOutputFile(values.out, result);
    else io.out(result);
    return 0;
  };
  const run = (argv: string[], io: CliIO): Promise<number> => runMain(demo, argv, { name: 'demo', usage, io });

  it('runs and writes its result atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'astro-cli-'));
    writeFileSync(join(dir, 'x.txt'), '1 2 3.5\n');
    const r = await captureCli(run, [join(dir, 'x.txt'), '--out', join(dir, 'o.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'o.json'), 'utf8'))).toEqual({ sum: 6.5 });
  });

  it('prints a stack only with --verbose', async () => {
    const r = await captureCli(run, ['/nonexistent/x.txt', '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr[0]).toBe('demo: /nonexistent/x.txt: no such file or directory');
    expect(r.stderr.join('\n')).toMatch(/at .+:\d+:\d+/);
  });

  it('describes errno errors with the path and AstroErrors by their message', () => {
    const e = Object.assign(new Error('x'), { code: 'EISDIR', path: '/tmp', syscall: 'read' });
    expect(describeError(e)).toBe('/tmp: cannot read: is a directory, expected a file');
    expect(describeError(new FileError('a.txt', 'is empty'))).toBe('a.txt: is empty');
    expect(describeError(new TypeError('boom\nsecond line'))).toBe('TypeError: boom');
  });

  it('rejects binary input as text, naming the file and offset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'astro-cli-'));
    const f = join(dir, 'b.txt');
    writeFileSync(f, Buffer.from([0x31, 0x20, 0xff, 0xfe]));
    await expect(readInputText(f)).rejects.toThrow(FormatError);
    await expect(readInputText(f)).rejects.toThrow(/b\.txt: not UTF-8 text \(invalid byte 0xff at offset 2\)/);
  });

  runCliCases(
    run,
    [
      { name: 'missing file', argv: (f) => [f.missing()], code: 1, message: /no such file or directory/, mentions: (f) => f.dir },
      { name: 'empty file', argv: (f) => [f.empty()], code: 1, message: /is empty/ },
      { name: 'a directory', argv: (f) => [f.directory()], code: 1, message: /is a directory/ },
      { name: 'random bytes', argv: (f) => [f.random('.txt')], code: 1, message: /not UTF-8 text|must be finite/ },
      { name: 'NaN values', argv: (f) => [f.text('nan.txt', '1 NaN 3')], code: 1, message: /finite/ },
      { name: 'unknown flag', argv: ['x.txt', '--frob'], code: 2, message: /unknown option --frob/ },
      { name: 'missing argument', argv: [], code: 2, message: /missing argument FILE/ },
      { name: 'bad number', argv: ['x.txt', '--steps', 'abc'], code: 2, message: /--steps must be a number/ },
      {
        name: '--out in a missing folder',
        argv: (f) => [f.text('ok.txt', '1 2'), '--out', f.inMissingFolder()],
        code: 1,
        message: /does not exist/,
        noOutput: (f) => f.inMissingFolder(),
      },
      {
        name: '--out in a read-only folder',
        argv: (f) => [f.text('ok.txt', '1 2'), '--out', f.inReadOnlyFolder()],
        code: 1,
        message: /not writable/,
      },
    ],
    { program: 'demo', usage: /usage: demo FILE/ },
  );
});
