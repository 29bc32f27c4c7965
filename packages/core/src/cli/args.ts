/**
 * Strict command-line parsing shared by every `astro-*` CLI. Unknown options, options without
 * a value, values of the wrong type or out of range, and missing arguments are
 * {@link UsageError}s (exit status 2, usage printed), never silently ignored.
 */
import { UsageError } from '../errors/index.js';

/** One option of a command. */
export type OptionSpec =
  | { type: 'boolean'; short?: string; description?: string }
  | { type: 'string'; short?: string; description?: string; default?: string; required?: boolean; choices?: readonly string[] }
  | {
      type: 'number' | 'integer';
      short?: string;
      description?: string;
      default?: number;
      required?: boolean;
      /** Smallest allowed value (inclusive). */
      min?: number;
      /** Largest allowed value (inclusive). */
      max?: number;
    }
  | { type: 'strings'; short?: string; description?: string };

/** The options of a command, by long name (without `--`). */
export type OptionsSpec = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' }
  ? boolean
  : S extends { type: 'strings' }
    ? string[]
    : S extends { type: 'number' | 'integer'; default: number }
      ? number
      : S extends { type: 'number' | 'integer'; required: true }
        ? number
        : S extends { type: 'number' | 'integer' }
          ? number | undefined
          : S extends { type: 'string'; default: string }
            ? string
            : S extends { type: 'string'; required: true }
              ? string
              : string | undefined;

/** Parsed option values, typed from the spec. `verbose` and `help` are always present. */
export type ParsedOptions<S extends OptionsSpec> = { [K in keyof S]: ValueOf<S[K]> } & { verbose: boolean; help: boolean };

/** A command's arguments: its options and its positional arguments. */
export interface CommandSpec<S extends OptionsSpec> {
  options: S;
  /** Names of the positional arguments, in order; all required unless listed in `optional`. */
  positionals?: readonly string[];
  /** Positional names (from `positionals`) that may be left out. */
  optional?: readonly string[];
  /** Accept any number of extra positional arguments after the named ones (default false). */
  rest?: boolean;
}

/** What {@link parseCli} returns. */
export interface ParsedCli<S extends OptionsSpec> {
  values: ParsedOptions<S>;
  /** Positional arguments by name (only those given). */
  args: Record<string, string>;
  /** All positional arguments, in order. */
  positionals: string[];
}

const BUILTIN: OptionsSpec = {
  verbose: { type: 'boolean', description: 'print stack traces and progress details' },
  help: { type: 'boolean', short: 'h', description: 'print this help' },
};

/**
 * Parse `argv` (without the node and script paths) against `spec`. Accepts `--name value`,
 * `--name=value`, `-x value`, booleans as `--name` / `--no-name`, and `--` to end options.
 * `--verbose` and `--help` are always accepted. With `--help`, required options and arguments
 * are not checked (the caller prints help).
 */
export function parseCli<S extends OptionsSpec>(argv: readonly string[], spec: CommandSpec<S>): ParsedCli<S> {
  const opts: OptionsSpec = { ...BUILTIN, ...spec.options };
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(opts)) if (o.short) byShort.set(o.short, name);
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  let i = 0;
  let optionsDone = false;
  while (i < argv.length) {
    const a = argv[i]!;
    i++;
    if (optionsDone || a === '-' || !a.startsWith('-') || /^-\d/.test(a)) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      optionsDone = true;
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    } else {
      const long = byShort.get(a.slice(1));
      if (!long) throw new UsageError(`unknown option ${a}`);
      name = long;
    }
    let o = opts[name];
    if (!o && name.startsWith('no-') && opts[name.slice(3)]?.type === 'boolean' && inline === undefined) {
      values[name.slice(3)] = false;
      continue;
    }
    if (!o) throw new UsageError(`unknown option --${name}${suggest(name, Object.keys(opts))}`);
    if (o.type === 'boolean') {
      if (inline !== undefined) {
        if (inline !== 'true' && inline !== 'false') throw new UsageError(`--${name} takes no value (or =true/=false), got '${inline}'`);
        values[name] = inline === 'true';
      } else values[name] = true;
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      const next = argv[i];
      if (next === undefined || (next.startsWith('--') && next.length > 2) || (next.startsWith('-') && byShort.has(next.slice(1)))) {
        throw new UsageError(`option --${name} needs a value`);
      }
      raw = next;
      i++;
    }
    values[name] = convert(name, o, raw, values[name]);
    o = undefined;
  }
  const help = values['help'] === true;
  for (const [name, o] of Object.entries(opts)) {
    if (values[name] !== undefined) continue;
    if (o.type === 'boolean') values[name] = false;
    else if (o.type === 'strings') values[name] = [];
    else if (o.default !== undefined) values[name] = o.default;
    else if (o.required && !help) throw new UsageError(`missing required option --${name}`);
  }
  const names = spec.positionals ?? [];
  const optional = new Set(spec.optional ?? []);
  const args: Record<string, string> = {};
  for (let k = 0; k < names.length; k++) {
    const v = positionals[k];
    if (v === undefined) {
      if (!optional.has(names[k]!) && !help) throw new UsageError(`missing argument ${names[k]!.toUpperCase()}`);
      continue;
    }
    args[names[k]!] = v;
  }
  if (!spec.rest && positionals.length > names.length && !help) {
    throw new UsageError(`unexpected argument '${positionals[names.length]}'`);
  }
  return { values: values as ParsedOptions<S>, args, positionals };
}

function convert(name: string, o: OptionSpec, raw: string, prev: unknown): unknown {
  switch (o.type) {
    case 'string':
      if (o.choices && !o.choices.includes(raw)) throw new UsageError(`--${name} must be one of ${o.choices.join(', ')}; got '${raw}'`);
      return raw;
    case 'strings':
      return [...((prev as string[] | undefined) ?? []), raw];
    case 'number':
    case 'integer': {
      const v = raw.trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(v)) throw new UsageError(`--${name} must be a number, got '${raw}'`);
      if (o.type === 'integer' && !Number.isInteger(v)) throw new UsageError(`--${name} must be an integer, got '${raw}'`);
      if (o.min !== undefined && v < o.min) throw new UsageError(`--${name} must be ≥ ${o.min}, got ${raw}`);
      if (o.max !== undefined && v > o.max) throw new UsageError(`--${name} must be ≤ ${o.max}, got ${raw}`);
      return v;
    }
    default:
      return raw;
  }
}

function suggest(name: string, known: string[]): string {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return best ? ` (did you mean --${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const t = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = t;
    }
  }
  return prev[b.length]!;
}

/** Help text for a command's options, one line per option (for usage messages). */
export function describeOptions(options: OptionsSpec): string {
  const rows = Object.entries({ ...options, ...BUILTIN }).map(([name, o]) => {
    const value =
      o.type === 'boolean'
        ? ''
        : o.type === 'string' && o.choices
          ? ` ${o.choices.join('|')}`
          : ` ${o.type === 'strings' ? 'VALUE…' : o.type.toUpperCase()}`;
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${value}`;
    const def = 'default' in o && o.default !== undefined ? ` (default ${String(o.default)})` : '';
    return [flag, `${o.description ?? ''}${def}`] as const;
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([f, d]) => `  ${f.padEnd(w)}  ${d}`.trimEnd()).join('\n');
}
