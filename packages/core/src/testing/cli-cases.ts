/**
 * Table-driven bad-input tests for CLIs. Each package's CLI test file lists its cases (missing
 * file, empty file, a directory, random bytes, truncated files, bad CSV columns, NaN values,
 * unknown or missing flags, `--out` in a missing or read-only folder) and `runCliCases` checks
 * every one the same way: the exit status (2 for usage errors), one line on stderr that starts
 * with the program name and names the file, no stack trace, the usage text after usage errors,
 * and no output file left behind.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../cli/run.js';

/** Files and folders a case can point a CLI at; each is made on first use in a fresh temp folder. */
export interface CliCaseFiles {
  /** The case's scratch folder. */
  dir: string;
  /** A path that does not exist. */
  missing(ext?: string): string;
  /** An empty file. */
  empty(ext?: string): string;
  /** A folder (where a file is expected). */
  directory(): string;
  /** `n` random bytes (seeded by the name, so reruns see the same bytes). */
  random(ext?: string, n?: number): string;
  /** The first `fraction` of an existing file's bytes. */
  truncated(source: string, fraction?: number, ext?: string): string;
  /** A text file with `content`. */
  text(name: string, content: string): string;
  /** A path inside a folder that does not exist. */
  inMissingFolder(name?: string): string;
  /** A path inside a folder that cannot be written (even by root). */
  inReadOnlyFolder(name?: string): string;
}

/** One bad-input case. */
export interface CliCase {
  /** What is wrong, e.g. 'missing file'. */
  name: string;
  /** The command line (may use the case's files). */
  argv: string[] | ((f: CliCaseFiles) => string[]);
  /** Expected exit status: 2 for usage errors, 1 for bad files/values. */
  code: number;
  /** The stderr message must match this (after the program name). */
  message?: RegExp;
  /** Text the message must contain (typically the offending path); default: none. */
  mentions?: string | ((f: CliCaseFiles) => string);
  /** An output path that must not exist after the run. */
  noOutput?: string | ((f: CliCaseFiles) => string);
}

/** Options of {@link runCliCases}. */
export interface CliCasesOptions {
  /** The program name every message starts with (`astro-lc`). */
  program: string;
  /** Matches the usage text printed after usage errors. */
  usage: RegExp;
}

/** Run a CLI in-process on `argv`, capturing what it writes. */
export async function captureCli(
  run: (argv: string[], io: CliIO) => Promise<number>,
  argv: string[],
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await run(argv, { out: (t) => stdout.push(t), err: (t) => stderr.push(t) });
  return { code, stdout, stderr };
}

function makeFiles(root: string): CliCaseFiles {
  let n = 0;
  const fresh = (base: string): string => join(root, `${n++}-${base}`);
  return {
    dir: root,
    missing: (ext = '.txt') => fresh(`does-not-exist${ext}`),
    empty: (ext = '.txt') => {
      const p = fresh(`empty${ext}`);
      writeFileSync(p, '');
      return p;
    },
    directory: () => {
      const p = fresh('a-folder');
      mkdirSync(p);
      return p;
    },
    random: (ext = '.bin', size = 4096) => {
      const p = fresh(`random${ext}`);
      writeFileSync(p, randomBytes(size));
      return p;
    },
    truncated: (source, fraction = 0.5, ext) => {
      const bytes = readFileSync(source);
      const p = fresh(`truncated-${ext ? basename(source).replace(/\.[^.]*$/, '') + ext : basename(source)}`);
      writeFileSync(p, bytes.subarray(0, Math.max(1, Math.floor(bytes.length * fraction))));
      return p;
    },
    text: (name, content) => {
      const p = fresh(name);
      writeFileSync(p, content);
      return p;
    },
    inMissingFolder: (name = 'out.json') => join(root, `${n++}-no-such-folder`, name),
    inReadOnlyFolder: (name = 'out.json') => {
      // /sys refuses new files even to root; elsewhere a chmod 555 folder does.
      if (process.platform === 'linux' && existsSync('/sys/kernel')) return join('/sys', `astro-${n++}-${name}`);
      const d = fresh('read-only');
      mkdirSync(d, { mode: 0o555 });
      return join(d, name);
    },
  };
}

/**
 * Register one vitest test per case (call at the top level of a test file or in a `describe`).
 *
 * ```ts
 * runCliCases(run, [
 *   { name: 'missing file', argv: (f) => ['numax', f.missing()], code: 1, mentions: (f) => f.dir },
 *   { name: 'unknown flag', argv: ['numax', 'x.txt', '--frob'], code: 2, message: /unknown option --frob/ },
 * ], { program: 'astro-lc', usage: /usage: astro-lc/ });
 * ```
 */
export function runCliCases(run: (argv: string[], io: CliIO) => Promise<number>, cases: readonly CliCase[], opts: CliCasesOptions): void {
  describe(`${opts.program}: bad input`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const root = mkdtempSync(join(tmpdir(), 'astro-cli-case-'));
        const files = makeFiles(root);
        const argv = typeof c.argv === 'function' ? c.argv(files) : c.argv;
        const noOutput = typeof c.noOutput === 'function' ? c.noOutput(files) : c.noOutput;
        const before = new Set(readdirSync(root));
        const r = await captureCli(run, argv);
        const err = r.stderr.join('\n');
        expect(r.code, `exit status for ${argv.join(' ')}; stderr: ${err}`).toBe(c.code);
        const lines = err.split('\n').filter((l) => l.trim() !== '');
        expect(lines.length, 'stderr is empty').toBeGreaterThan(0);
        const first = lines[0]!;
        expect(first.startsWith(`${opts.program}: `), `first stderr line starts with '${opts.program}: ': ${first}`).toBe(true);
        expect(err, 'no stack trace without --verbose').not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
        if (c.message) expect(first).toMatch(c.message);
        const mention = typeof c.mentions === 'function' ? c.mentions(files) : c.mentions;
        if (mention !== undefined) expect(first).toContain(mention);
        if (c.code === 2) expect(err, 'usage text after a usage error').toMatch(opts.usage);
        else expect(lines.length, `one line on stderr, got:\n${err}`).toBe(1);
        if (noOutput !== undefined) expect(existsSync(noOutput), `${noOutput} must not be written`).toBe(false);
        const left = readdirSync(root).filter((f) => !before.has(f) && /\.tmp/.test(f));
        expect(left, 'no temporary files left behind').toEqual([]);
      });
    }
  });
}
