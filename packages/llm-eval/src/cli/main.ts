import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AstroError } from '@astro/core/errors';
import { loadMcq } from '../datasets/load.js';
import type { DatasetError } from '../datasets/errors.js';
import { openProvider } from '../providers/spec.js';
import { htmlReport } from '../report/html.js';
import { loadRun } from '../report/load.js';
import { markdownReport } from '../report/markdown.js';
import { pct, num } from '../report/format.js';
import { runEval } from '../runner/run.js';
import type { Scoring } from '../runner/types.js';
import { intOpt, numOpt, priceOpt, templateOpt } from './args.js';

const USAGE = `astro-llm-eval — astronomy LLM benchmarks

  astro-llm-eval run --dataset FILE --model SPEC --scoring extract|logprob|loglik --out DIR [options]
  astro-llm-eval report DIR [--price-in USD --price-out USD | --prices FILE]
  astro-llm-eval compare DIR DIR... --out FILE.html|FILE.md

Model SPEC: gguf:PATH | openai:URL#MODEL (chat) | openai-completions:URL#MODEL
run options:
  --template NAME|FILE.json   prompt template (astromlab1, mmlu, plain; default astromlab1)
  --limit N --offset N        evaluate a slice of the dataset
  --skip-invalid              skip malformed records (reported) instead of stopping
  --concurrency N             requests in flight (default 4)   --rps N   requests per second
  --max-tokens N --temperature T --seed N   generation settings (extract)
  --top-logprobs K            next-token candidates (logprob; default 20)
  --timeout-ms N --retries N  per-request timeout and retries (defaults 60000, 5)
  --no-cache                  do not use the response cache (DIR/cache)
  --threads N --sequences N   local GGUF: CPU threads and parallel sequences
  --prefill-assistant         chat API: send the answer prefix as an assistant message
  --price-in USD --price-out USD | --prices FILE.json   price per million tokens
`;

async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      dataset: { type: 'string' }, model: { type: 'string' }, scoring: { type: 'string' }, out: { type: 'string' },
      template: { type: 'string' }, limit: { type: 'string' }, offset: { type: 'string' }, 'skip-invalid': { type: 'boolean' },
      concurrency: { type: 'string' }, rps: { type: 'string' }, 'max-tokens': { type: 'string' }, temperature: { type: 'string' },
      seed: { type: 'string' }, 'top-logprobs': { type: 'string' }, 'timeout-ms': { type: 'string' }, retries: { type: 'string' },
      'no-cache': { type: 'boolean' }, threads: { type: 'string' }, sequences: { type: 'string' }, 'prefill-assistant': { type: 'boolean' },
      'price-in': { type: 'string' }, 'price-out': { type: 'string' }, prices: { type: 'string' },
    },
  });
  const { dataset, model, out } = values;
  const scoring = values.scoring as Scoring | undefined;
  if (!dataset || !model || !out || !scoring) throw new UsageError('run needs --dataset, --model, --scoring and --out');
  if (!['extract', 'logprob', 'loglik'].includes(scoring)) throw new UsageError(`--scoring must be extract, logprob or loglik, got "${scoring}"`);
  const skipped: DatasetError[] = [];
  const items = await loadMcq(dataset, {
    ...(values.limit ? { limit: intOpt(values.limit, 'limit', 0) } : {}),
    offset: intOpt(values.offset, 'offset', 0),
    ...(values['skip-invalid'] ? { onInvalid: (e: DatasetError) => skipped.push(e) } : {}),
  });
  for (const e of skipped) process.stderr.write(`skipped: ${e.message}\n`);
  const seed = numOpt(values.seed, 'seed');
  const temperature = numOpt(values.temperature, 'temperature');
  const rps = numOpt(values.rps, 'rps');
  const provider = await openProvider(model, {
    local: {
      ...(values.threads ? { threads: intOpt(values.threads, 'threads', 1) } : {}),
      ...(values.sequences ? { sequences: intOpt(values.sequences, 'sequences', 1) } : {}),
    },
    ...(values['prefill-assistant'] ? { prefillAssistant: true } : {}),
  });
  const price = priceOpt(values, provider.model);
  try {
    const r = await runEval({
      items,
      datasetPath: dataset,
      provider,
      outDir: out,
      scoring,
      template: templateOpt(values.template),
      sampling: {
        maxTokens: intOpt(values['max-tokens'], 'max-tokens', 256),
        ...(temperature !== undefined ? { temperature } : {}),
        ...(seed !== undefined ? { seed } : {}),
      },
      topLogprobs: intOpt(values['top-logprobs'], 'top-logprobs', 20),
      concurrency: intOpt(values.concurrency, 'concurrency', 4),
      ...(rps !== undefined ? { requestsPerSecond: rps } : {}),
      retry: { timeoutMs: intOpt(values['timeout-ms'], 'timeout-ms', 60_000), maxRetries: intOpt(values.retries, 'retries', 5) },
      ...(values['no-cache'] ? { cacheDir: false as const } : {}),
      ...(price ? { price } : {}),
    });
    await writeReports(out, price ? { price } : {});
    const m = r.metrics;
    process.stdout.write(
      `${provider.name} · ${scoring}: accuracy ${pct(m.accuracy.accuracy)} (95% CI ${pct(m.accuracy.lower)}–${pct(m.accuracy.upper)}, n=${m.n})` +
        (m.calibration ? `, ECE ${num(m.calibration.eceEqualWidth)}, Brier ${num(m.calibration.brier)}` : '') +
        `\nresults: ${join(out, 'results.jsonl')}  report: ${join(out, 'report.html')}\n`,
    );
  } finally {
    await provider.close();
  }
}

async function writeReports(dir: string, options: { price?: import('../metrics/cost.js').Price }): Promise<void> {
  const run = loadRun(dir, options);
  writeFileSync(join(dir, 'metrics.json'), JSON.stringify(run.metrics, null, 2) + '\n');
  writeFileSync(join(dir, 'report.md'), markdownReport([run]));
  writeFileSync(join(dir, 'report.html'), await htmlReport([run]));
}

async function report(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'price-in': { type: 'string' }, 'price-out': { type: 'string' }, prices: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('report needs one run folder');
  const dir = positionals[0]!;
  const probe = loadRun(dir);
  const price = priceOpt(values, probe.manifest.model.model);
  await writeReports(dir, price ? { price } : {});
  process.stdout.write(`wrote ${join(dir, 'report.md')}, ${join(dir, 'report.html')}, ${join(dir, 'metrics.json')}\n`);
}

async function compare(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, prices: { type: 'string' } } });
  if (positionals.length < 2 || !values.out) throw new UsageError('compare needs two or more run folders and --out FILE.html|FILE.md');
  const runs = positionals.map((d) => {
    const probe = loadRun(d);
    const price = priceOpt(values, probe.manifest.model.model);
    return price ? loadRun(d, { price }) : probe;
  });
  const text = values.out.endsWith('.md') ? markdownReport(runs) : await htmlReport(runs);
  mkdirSync(join(values.out, '..'), { recursive: true });
  writeFileSync(values.out, text);
  process.stdout.write(`wrote ${values.out}\n`);
}

class UsageError extends Error {}

/** Entry point of the `astro-llm-eval` command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    if (cmd === 'run') await run(rest);
    else if (cmd === 'report') await report(rest);
    else if (cmd === 'compare') await compare(rest);
    else if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
      process.stdout.write(USAGE);
      return cmd === undefined ? 2 : 0;
    } else throw new UsageError(`unknown command "${cmd}"`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      process.stderr.write(`astro-llm-eval: ${(e as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof AstroError) {
      process.stderr.write(`astro-llm-eval: ${e.name}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
