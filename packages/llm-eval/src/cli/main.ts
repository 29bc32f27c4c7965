import { join } from 'node:path';
import { FormatError, UsageError } from '@astro/core/errors';
import {
  checkInputFile,
  checkOutputPath,
  describeOptions,
  parseCli,
  processIO,
  runMain,
  writeOutputFile,
  type CliIO,
  type OptionsSpec,
} from '@astro/core/cli';
import { loadMcq } from '../datasets/load.js';
import type { DatasetError } from '../datasets/errors.js';
import type { Price } from '../metrics/cost.js';
import { openProvider } from '../providers/spec.js';
import { htmlReport } from '../report/html.js';
import { loadRun, type LoadedRun } from '../report/load.js';
import { markdownReport } from '../report/markdown.js';
import { pct, num } from '../report/format.js';
import { runEval } from '../runner/run.js';
import type { Scoring } from '../runner/types.js';
import { priceOpt, templateOpt } from './args.js';

const PRICES = {
  'price-in': { type: 'number', min: 0, description: 'US$ per million input tokens' },
  'price-out': { type: 'number', min: 0, description: 'US$ per million output tokens' },
  prices: { type: 'string', description: 'price table JSON { "<model>": { "inputPerMTok", "outputPerMTok" } }' },
} as const satisfies OptionsSpec;

const RUN = {
  dataset: { type: 'string', required: true, description: 'MCQ dataset (.json, .jsonl, .csv)' },
  model: { type: 'string', required: true, description: 'gguf:PATH | openai:URL#MODEL | openai-completions:URL#MODEL' },
  scoring: { type: 'string', required: true, choices: ['extract', 'logprob', 'loglik'], description: 'how answers are scored' },
  out: { type: 'string', required: true, description: 'run folder (created; rerunning resumes)' },
  template: { type: 'string', description: 'prompt template: astromlab1, mmlu, plain or FILE.json (default astromlab1)' },
  limit: { type: 'integer', min: 1, description: 'evaluate at most N items' },
  offset: { type: 'integer', min: 0, default: 0, description: 'skip the first N items' },
  'skip-invalid': { type: 'boolean', description: 'skip malformed records (reported) instead of stopping' },
  concurrency: { type: 'integer', min: 1, default: 4, description: 'requests in flight' },
  rps: { type: 'number', description: 'requests per second ceiling (> 0)' },
  'max-tokens': { type: 'integer', min: 1, default: 256, description: 'generation length (extract)' },
  temperature: { type: 'number', min: 0, description: 'sampling temperature (extract)' },
  seed: { type: 'integer', description: 'sampling seed (extract)' },
  'top-logprobs': { type: 'integer', min: 1, default: 20, description: 'next-token candidates (logprob)' },
  'timeout-ms': { type: 'integer', min: 1, default: 60_000, description: 'per-request timeout' },
  retries: { type: 'integer', min: 0, default: 5, description: 'retries per request' },
  'no-cache': { type: 'boolean', description: 'do not use the response cache (DIR/cache)' },
  threads: { type: 'integer', min: 1, description: 'local GGUF: CPU threads' },
  sequences: { type: 'integer', min: 1, description: 'local GGUF: parallel sequences' },
  'prefill-assistant': { type: 'boolean', description: 'chat API: send the answer prefix as an assistant message' },
  ...PRICES,
} as const satisfies OptionsSpec;

const COMPARE = {
  out: { type: 'string', required: true, description: 'FILE.html or FILE.md' },
  prices: PRICES.prices,
} as const satisfies OptionsSpec;

/** Usage text of `astro-llm-eval`. */
export const USAGE = `usage: astro-llm-eval <command> — astronomy LLM benchmarks

  astro-llm-eval run --dataset FILE --model SPEC --scoring extract|logprob|loglik --out DIR [options]
  astro-llm-eval report DIR [--price-in USD --price-out USD | --prices FILE]
  astro-llm-eval compare DIR DIR... --out FILE.html|FILE.md

Model SPEC: gguf:PATH | openai:URL#MODEL (chat) | openai-completions:URL#MODEL
run options:
${describeOptions(RUN)}
`;

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseCli(argv, { options: RUN });
  if (values.help) return help(io);
  const { dataset, model, out } = values;
  const scoring = values.scoring as Scoring;
  if (values.rps !== undefined && !(values.rps > 0)) throw new UsageError(`--rps must be > 0, got ${values.rps}`);
  await checkInputFile(dataset);
  await checkOutputPath(out, { directory: true, createParents: true });
  const template = await templateOpt(values.template);
  const skipped: DatasetError[] = [];
  const items = await loadMcq(dataset, {
    ...(values.limit !== undefined ? { limit: values.limit } : {}),
    offset: values.offset,
    ...(values['skip-invalid'] ? { onInvalid: (e: DatasetError) => skipped.push(e) } : {}),
  });
  for (const e of skipped) io.err(`skipped: ${e.message}`);
  if (items.length === 0) {
    throw new FormatError(
      dataset,
      `no items to evaluate${values.offset > 0 ? ` after --offset ${values.offset}` : ''}${skipped.length ? ` (${skipped.length} malformed records skipped)` : ''}`,
    );
  }
  const provider = await openProvider(model, {
    local: {
      ...(values.threads !== undefined ? { threads: values.threads } : {}),
      ...(values.sequences !== undefined ? { sequences: values.sequences } : {}),
    },
    ...(values['prefill-assistant'] ? { prefillAssistant: true } : {}),
  });
  try {
    const price = await priceOpt(values, provider.model);
    const r = await runEval({
      items,
      datasetPath: dataset,
      provider,
      outDir: out,
      scoring,
      template,
      sampling: {
        maxTokens: values['max-tokens'],
        ...(values.temperature !== undefined ? { temperature: values.temperature } : {}),
        ...(values.seed !== undefined ? { seed: values.seed } : {}),
      },
      topLogprobs: values['top-logprobs'],
      concurrency: values.concurrency,
      ...(values.rps !== undefined ? { requestsPerSecond: values.rps } : {}),
      retry: { timeoutMs: values['timeout-ms'], maxRetries: values.retries },
      ...(values['no-cache'] ? { cacheDir: false as const } : {}),
      ...(price ? { price } : {}),
      onTornLine: (t, path) =>
        io.err(`${path}: dropped a torn final line ${t.line} (${t.bytes} bytes) of an interrupted run; that item is redone`),
    });
    await writeReports(out, price ? { price } : {}, io);
    const m = r.metrics;
    io.out(
      `${provider.name} · ${scoring}: accuracy ${pct(m.accuracy.accuracy)} (95% CI ${pct(m.accuracy.lower)}–${pct(m.accuracy.upper)}, n=${m.n})` +
        (m.calibration ? `, ECE ${num(m.calibration.eceEqualWidth)}, Brier ${num(m.calibration.brier)}` : '') +
        `\nresults: ${join(out, 'results.jsonl')}  report: ${join(out, 'report.html')}`,
    );
  } finally {
    await provider.close();
  }
  return 0;
}

function help(io: CliIO): number {
  io.out(USAGE);
  return 0;
}

function load(dir: string, io: CliIO, price?: Price): LoadedRun {
  const r = loadRun(dir, price ? { price } : {});
  if (r.torn)
    io.err(
      `${join(dir, 'results.jsonl')}: dropped a torn final line ${r.torn.line} (${r.torn.bytes} bytes) of an interrupted run; rerun to redo that item`,
    );
  return r;
}

async function writeReports(dir: string, options: { price?: Price }, io: CliIO): Promise<void> {
  const run = load(dir, io, options.price);
  await writeOutputFile(join(dir, 'metrics.json'), JSON.stringify(run.metrics, null, 2) + '\n');
  await writeOutputFile(join(dir, 'report.md'), markdownReport([run]));
  await writeOutputFile(join(dir, 'report.html'), await htmlReport([run]));
}

async function report(argv: string[], io: CliIO): Promise<number> {
  const { values, args } = parseCli(argv, { options: PRICES, positionals: ['dir'] });
  if (values.help) return help(io);
  const dir = args['dir']!;
  await checkOutputPath(join(dir, 'report.html'));
  const probe = loadRun(dir);
  const price = await priceOpt(values, probe.manifest.model.model);
  await writeReports(dir, price ? { price } : {}, io);
  io.out(`wrote ${join(dir, 'report.md')}, ${join(dir, 'report.html')}, ${join(dir, 'metrics.json')}`);
  return 0;
}

async function compare(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCli(argv, { options: COMPARE, positionals: ['dir'], rest: true });
  if (values.help) return help(io);
  if (positionals.length < 2) throw new UsageError('compare needs two or more run folders');
  if (!/\.(html?|md)$/i.test(values.out)) throw new UsageError(`--out must end in .html or .md, got '${values.out}'`);
  await checkOutputPath(values.out);
  const runs: LoadedRun[] = [];
  for (const d of positionals) {
    const probe = load(d, io);
    const price = await priceOpt(values, probe.manifest.model.model);
    runs.push(price ? loadRun(d, { price }) : probe);
  }
  const text = values.out.toLowerCase().endsWith('.md') ? markdownReport(runs) : await htmlReport(runs);
  await writeOutputFile(values.out, text);
  io.out(`wrote ${values.out}`);
  return 0;
}

async function dispatch(argv: string[], io: CliIO): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'run') return run(rest, io);
  if (cmd === 'report') return report(rest, io);
  if (cmd === 'compare') return compare(rest, io);
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    io.out(USAGE);
    return cmd === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown command "${cmd}" (run, report or compare)`);
}

/**
 * Entry point of the `astro-llm-eval` command; returns the process exit status: 0, 1 on a data,
 * file or provider error, 2 on a usage error (usage printed). Each failure is one line on stderr
 * naming the file (stack traces with `--verbose` or `DEBUG`); outputs are written atomically.
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  return runMain(dispatch, argv, { name: 'astro-llm-eval', usage: USAGE, io });
}
