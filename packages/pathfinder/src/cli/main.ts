import { existsSync } from 'node:fs';
import { UsageError, ValueError, ready } from '@astro/core';
import { checkOutputPath, parseCli, readInputBytes, runMain, type CliIO } from '@astro/core/cli';
import { openProvider } from '@astro/llm-eval';
import { formatFromPath, parseCorpus } from '../corpus/read.js';
import type { DuplicateBibcodes, MissingAbstract } from '../corpus/record.js';
import { LlamaEmbeddings } from '../embed/llama.js';
import { OpenAIEmbeddings } from '../embed/openai.js';
import type { EmbeddingProvider } from '../embed/provider.js';
import { TransformersEmbeddings } from '../embed/transformers.js';
import { LocalEncoderProvider } from '../embed/encoder.js';
import { trainTextEncoder } from '../embed/train.js';
import { evaluateRetrieval } from '../eval/run.js';
import type { SearchMode } from '../index/literature-index.js';
import { ask } from '../rag/ask.js';
import { hydeDocuments, hydeVector } from '../rag/hyde.js';
import type { ReweightOptions } from '../scoring/reweight.js';
import { indexCorpus, openIndex, storedEncoder } from '../store/lance.js';

export const PROGRAM = 'astro-pathfinder';

export const USAGE = `usage: astro-pathfinder <command> [options]

commands:
  index CORPUS --out DIR     index ADS records (.jsonl, .json, .csv, .tsv, .arrow) into a LanceDB folder;
                             re-running adds only new or changed bibcodes and resumes a killed run
      --embedder SPEC        local (default: train the package's encoder on the corpus), none (BM25 only),
                             openai:URL#MODEL, gguf:PATH, onnx:DIR
      --epochs N             encoder training epochs (default 40)     --seed N (default 0)
      --missing-abstract M   title (default) | skip | error            --duplicates D  error (default) | last | first
      --batch-size N         records embedded and committed per batch (default 256)
  search DIR "query"         --k N (10)  --mode bm25|dense|hybrid  --fusion rrf|weighted
                             --reweight keywords,recency,citations  --method fusion|pathfinder
                             --hyde --model SPEC (HyDE needs an LLM)  --embedder SPEC  --json
  ask DIR "question"         --model gguf:PATH | openai:URL#MODEL (required)  --k N (6)  --hyde
                             --max-tokens N (256)  --embedder SPEC  --json
  evaluate DIR               title → own abstract and keywords → own abstract retrieval over the index's
                             records: recall@1, recall@10, MRR, nDCG@10 with 95 % bootstrap intervals
                             --resamples N (2000)  --json
common: --verbose (stack traces), --help`;

async function embedderFromSpec(spec: string): Promise<EmbeddingProvider | undefined> {
  if (spec === 'none') return undefined;
  if (spec.startsWith('openai:')) {
    const rest = spec.slice(7);
    const hash = rest.lastIndexOf('#');
    if (hash < 0) throw new UsageError(`--embedder ${spec}: openai embedders are openai:URL#MODEL`);
    return new OpenAIEmbeddings({ baseUrl: rest.slice(0, hash), model: rest.slice(hash + 1) });
  }
  if (spec.startsWith('gguf:')) return LlamaEmbeddings.load(spec.slice(5));
  if (spec.startsWith('onnx:')) return TransformersEmbeddings.load(spec.slice(5));
  throw new UsageError(`--embedder: unknown spec '${spec}' (local, none, openai:URL#MODEL, gguf:PATH, onnx:DIR)`);
}

function checkIndexDir(dir: string): void {
  if (!existsSync(dir)) throw new ValueError(`${dir}: no such index folder (build one with astro-pathfinder index CORPUS --out ${dir})`);
}

function reweightFrom(list: string | undefined, method: string | undefined): ReweightOptions | undefined {
  if (!list) return undefined;
  const r: ReweightOptions = { method: (method ?? 'fusion') as 'fusion' | 'pathfinder' };
  for (const w of list.split(',').map((s) => s.trim())) {
    if (w === 'keywords' || w === 'recency' || w === 'citations') r[w] = true;
    else throw new UsageError(`--reweight: unknown weight '${w}' (keywords, recency, citations)`);
  }
  return r;
}

/** The CLI, in-process: returns the exit status (0 ok, 1 bad input or failure, 2 usage error). */
export async function run(argv: string[], io: CliIO): Promise<number> {
  return runMain(
    async (args) => {
      const [command, ...rest] = args;
      if (command === '--help' || command === '-h') return (io.out(USAGE), 0);
      if (!command) throw new UsageError('no command given (index, search, ask, evaluate)');
      if (command === 'index') {
        const { values, args: pos } = parseCli(rest, {
          positionals: ['CORPUS'],
          options: {
            out: { type: 'string', required: true, description: 'index folder' },
            embedder: { type: 'string', default: 'local' },
            epochs: { type: 'integer', default: 40, min: 1 },
            seed: { type: 'integer', default: 0, min: 0 },
            'missing-abstract': { type: 'string', default: 'title', choices: ['title', 'skip', 'error'] },
            duplicates: { type: 'string', default: 'error', choices: ['error', 'last', 'first'] },
            'batch-size': { type: 'integer', default: 256, min: 1 },
          },
        });
        if (values.help) return (io.out(USAGE), 0);
        const path = pos['CORPUS']!;
        const format = formatFromPath(path);
        await checkOutputPath(values.out, { directory: true });
        const bytes = await readInputBytes(path);
        const { records, report } = parseCorpus(bytes, format, {
          source: path,
          missingAbstract: values['missing-abstract'] as MissingAbstract,
          duplicates: values.duplicates as DuplicateBibcodes,
        });
        await ready();
        let embedder: EmbeddingProvider | undefined;
        if (values.embedder === 'local') {
          embedder = existsSync(values.out) ? await storedEncoder(values.out) : undefined;
          if (!embedder) {
            io.err(`training the text encoder on ${records.length} records (${values.epochs} epochs)…`);
            embedder = new LocalEncoderProvider((await trainTextEncoder(records, { epochs: values.epochs, seed: values.seed })).encoder);
          }
        } else embedder = await embedderFromSpec(values.embedder);
        const { report: r } = await indexCorpus(values.out, records, {
          ...(embedder ? { embedder } : {}),
          batchSize: values['batch-size'],
        });
        io.out(
          `${values.out}: ${r.total} records (added ${r.added}, changed ${r.changed}, unchanged ${r.unchanged})` +
            (report.missingAbstract.length ? `; ${report.missingAbstract.length} without abstract (${values['missing-abstract']})` : '') +
            (report.duplicates.length ? `; ${report.duplicates.length} duplicate bibcodes (kept ${values.duplicates})` : ''),
        );
        return 0;
      }
      if (command === 'search' || command === 'ask') {
        const isAsk = command === 'ask';
        const { values, args: pos } = parseCli(rest, {
          positionals: ['DIR', isAsk ? 'QUESTION' : 'QUERY'],
          options: {
            k: { type: 'integer', default: isAsk ? 6 : 10, min: 1 },
            mode: { type: 'string', choices: ['bm25', 'dense', 'hybrid'] },
            fusion: { type: 'string', default: 'rrf', choices: ['rrf', 'weighted'] },
            reweight: { type: 'string' },
            method: { type: 'string', default: 'fusion', choices: ['fusion', 'pathfinder'] },
            hyde: { type: 'boolean' },
            model: { type: 'string', required: isAsk },
            embedder: { type: 'string' },
            'max-tokens': { type: 'integer', default: 256, min: 1 },
            json: { type: 'boolean' },
          },
        });
        if (values.help) return (io.out(USAGE), 0);
        const dir = pos['DIR']!;
        const text = (isAsk ? pos['QUESTION'] : pos['QUERY'])!;
        if (text.trim() === '') throw new UsageError(`the ${isAsk ? 'question' : 'query'} is empty`);
        if (values.hyde && !values.model) throw new UsageError('--hyde needs --model (the LLM that writes the hypothetical abstract)');
        if (values.model && !/^(gguf|openai|openai-completions):./.test(values.model)) {
          throw new UsageError(`--model: unknown model spec '${values.model}' (gguf:PATH, openai:URL#MODEL, openai-completions:URL#MODEL)`);
        }
        const reweight = reweightFrom(values.reweight, values.method);
        checkIndexDir(dir);
        await ready();
        const embedder = values.embedder ? await embedderFromSpec(values.embedder) : undefined;
        const index = await openIndex(dir, embedder ? { embedder } : {});
        const provider = values.model ? await openProvider(values.model) : undefined;
        try {
          if (isAsk) {
            const res = await ask(
              index,
              text,
              { provider: provider! },
              {
                k: values.k,
                hyde: values.hyde,
                maxTokens: values['max-tokens'],
                search: { ...(values.mode ? { mode: values.mode as SearchMode } : {}), ...(reweight ? { reweight } : {}) },
              },
            );
            if (values.json) io.out(JSON.stringify(res, null, 2));
            else {
              io.out(res.answer);
              io.out(`\nsources: ${res.citations.join(', ') || '(none cited)'}`);
              if (res.removedCitations.length) io.out(`removed citations naming no retrieved record: ${res.removedCitations.join(', ')}`);
            }
            return 0;
          }
          let queryVector: Float32Array | undefined;
          if (values.hyde) {
            if (!index.embedder) throw new ValueError(`${dir} has no embedder; HyDE needs dense retrieval`);
            queryVector = await hydeVector(text, await hydeDocuments(text, { provider: provider! }), index.embedder);
          }
          const hits = await index.search(text, {
            k: values.k,
            ...(values.mode ? { mode: values.mode as SearchMode } : queryVector ? { mode: 'dense' as const } : {}),
            fusion: values.fusion as 'rrf' | 'weighted',
            ...(reweight ? { reweight } : {}),
            ...(queryVector ? { queryVector } : {}),
          });
          if (values.json)
            io.out(
              JSON.stringify(
                hits.map((h) => ({
                  rank: h.rank,
                  score: h.score,
                  bibcode: h.record.bibcode,
                  title: h.record.title,
                  year: h.record.year,
                  citations: h.record.citationCount,
                })),
                null,
                2,
              ),
            );
          else
            for (const h of hits)
              io.out(`${String(h.rank).padStart(3)}  ${h.score.toFixed(4)}  ${h.record.bibcode}  ${h.record.title} (${h.record.year})`);
          return 0;
        } finally {
          await provider?.close();
        }
      }
      if (command === 'evaluate') {
        const { values, args: pos } = parseCli(rest, {
          positionals: ['DIR'],
          options: { resamples: { type: 'integer', default: 2000, min: 100 }, embedder: { type: 'string' }, json: { type: 'boolean' } },
        });
        if (values.help) return (io.out(USAGE), 0);
        const dir = pos['DIR']!;
        checkIndexDir(dir);
        await ready();
        const embedder = values.embedder ? await embedderFromSpec(values.embedder) : undefined;
        const index = await openIndex(dir, embedder ? { embedder } : {});
        const modes: SearchMode[] = index.embedder ? ['bm25', 'dense', 'hybrid'] : ['bm25'];
        const res = await evaluateRetrieval(index.records(), {
          ...(index.embedder ? { embedder: index.embedder } : {}),
          configs: modes.map((m) => ({ name: m, options: { mode: m } })),
          resamples: values.resamples,
        });
        if (values.json) {
          io.out(
            JSON.stringify(
              Object.fromEntries(
                Object.entries(res).map(([t, c]) => [t, Object.fromEntries(Object.entries(c).map(([n, v]) => [n, v.summary]))]),
              ),
              null,
              2,
            ),
          );
          return 0;
        }
        const f = (e: { mean: number; lo: number; hi: number }): string => `${e.mean.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
        io.out('in-sample: the encoder saw these records in training (see the package README for the cross-fitted numbers)');
        for (const [task, byConfig] of Object.entries(res)) {
          io.out(`\n${task} → own abstract`);
          io.out('mode     recall@1               recall@10              MRR                    nDCG@10');
          for (const [name, { summary: s }] of Object.entries(byConfig))
            io.out(`${name.padEnd(8)} ${f(s.recallAt1)}  ${f(s.recallAt10)}  ${f(s.mrr)}  ${f(s.ndcgAt10)}`);
        }
        return 0;
      }
      throw new UsageError(`unknown command '${command}' (index, search, ask, evaluate)`);
    },
    argv,
    { name: PROGRAM, usage: USAGE, io },
  );
}
