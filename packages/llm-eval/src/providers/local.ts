import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Llama, LlamaGrammar, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { ValueError } from '@astro/core/errors';
import { promptToText, type RenderedPrompt } from '../templates/types.js';
import type { TokenLogprob } from '../scoring/letters.js';
import { ProviderError } from './errors.js';
import { Pool } from './sequence-pool.js';
import { loadLlamaCpp, type LlamaCpp } from './llama-module.js';
import type { CallOptions, GenerateResult, LoglikelihoodResult, NextTokensResult, Provider, Sampling } from './types.js';

/** Options of {@link LocalProvider.load}. */
export interface LocalProviderOptions {
  /** Context window in tokens (default: min(2048, the model's training context)). */
  contextSize?: number;
  /**
   * Parallel sequences, i.e. requests evaluated together in one batch (default 1). With more
   * than one, llama.cpp's numbers depend slightly (~1e-4 relative) on which requests share a
   * batch; use 1 when results must be bit-reproducible.
   */
  sequences?: number;
  /** CPU threads (default: node-llama-cpp's choice). */
  threads?: number;
  /** Use the GPU when node-llama-cpp finds one (default false: CPU). */
  gpu?: boolean;
}

/** SHA-256 of a file's size, first and last MiB: a fast content identity for large GGUF files. */
export async function fileFingerprint(path: string): Promise<string> {
  const { size } = await stat(path);
  const fh = await open(path, 'r');
  try {
    const h = createHash('sha256').update(String(size));
    const chunk = Math.min(size, 1 << 20);
    const a = Buffer.alloc(chunk);
    await fh.read(a, 0, chunk, 0);
    h.update(a);
    if (size > chunk) {
      const b = Buffer.alloc(chunk);
      await fh.read(b, 0, chunk, size - chunk);
      h.update(b);
    }
    return h.digest('hex').slice(0, 16);
  } finally {
    await fh.close();
  }
}

/**
 * In-process GGUF model through node-llama-cpp (llama.cpp): greedy or sampled generation,
 * full next-token distributions (every vocabulary entry, so no letter falls outside a top-k)
 * and exact continuation log-likelihoods. Prompts are plain text (system, user, prefill
 * joined by newlines) with the model's BOS token.
 */
export class LocalProvider implements Provider {
  readonly name: string;
  readonly model: string;
  private fingerprint: string | undefined;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private constructor(
    private readonly path: string,
    private readonly cpp: LlamaCpp,
    private readonly llama: Llama,
    private readonly llm: LlamaModel,
    private readonly context: LlamaContext,
    private readonly pool: Pool<LlamaContextSequence>,
    /** Tokens one request may use (prompt + generated). */
    readonly contextSize: number,
  ) {
    this.model = basename(path).replace(/\.gguf$/i, '');
    this.name = `gguf:${basename(path)}`;
  }

  /** Load a GGUF file. Throws {@link ProviderError} (not retryable) when it cannot be loaded. */
  static async load(modelPath: string, options: LocalProviderOptions = {}): Promise<LocalProvider> {
    const sequences = options.sequences ?? 1;
    if (!(Number.isInteger(sequences) && sequences >= 1)) throw new ValueError(`sequences must be a positive integer, got ${sequences}`);
    try {
      await stat(modelPath);
    } catch (e) {
      throw new ProviderError(`GGUF model not found: ${modelPath}`, { retryable: false, cause: e });
    }
    let cpp: LlamaCpp;
    try {
      cpp = await loadLlamaCpp();
    } catch (e) {
      throw new ProviderError(`cannot load node-llama-cpp: ${(e as Error).message}`, { retryable: false, cause: e });
    }
    // llama.cpp's errors while loading become part of the one-line ProviderError; later ones go to stderr.
    let loading: string[] | null = [];
    const logger = (_level: unknown, message: string): void => {
      if (loading) loading.push(message.trim());
      else process.stderr.write(`${message.trimEnd()}\n`);
    };
    const llama = await cpp.getLlama({ gpu: options.gpu ? 'auto' : false, logLevel: 'error' as never, logger: logger as never });
    let llm: LlamaModel;
    try {
      llm = await llama.loadModel({ modelPath });
    } catch (e) {
      // llama.cpp's log lines arrive just after the rejection: wait for them (at most 250 ms)
      for (let t = 0; t < 25 && !loading.some((m) => /failed to load/i.test(m)); t++) await new Promise((r) => setTimeout(r, 10));
      await llama.dispose();
      // node-llama-cpp quotes the file's first bytes ("got ..."): keep the message one printable line
      const native = loading.find((m) => /error/i.test(m))?.replace(/^llama_model_load: error loading model: /, '');
      const why = `${String((e as Error).message).split('\n')[0]}${native ? ` (${native})` : ''}`.replace(/[^\x20-\x7e]/g, '?');
      throw new ProviderError(`cannot load GGUF model ${modelPath}: ${why}`, { retryable: false, cause: e });
    } finally {
      loading = null;
    }
    const contextSize = options.contextSize ?? Math.min(2048, llm.trainContextSize);
    const context = await llm.createContext({
      contextSize: contextSize * sequences,
      sequences,
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
    const seqs = Array.from({ length: sequences }, () => context.getSequence());
    return new LocalProvider(modelPath, cpp, llama, llm, context, new Pool(seqs), contextSize);
  }

  async cacheIdentity(): Promise<string> {
    this.fingerprint ??= await fileFingerprint(this.path);
    return `gguf:${basename(this.path)}:${this.fingerprint}`;
  }

  describe(): Record<string, string> {
    return {
      provider: 'node-llama-cpp',
      modelFile: this.path,
      architecture: String(this.llm.fileInfo.metadata?.general?.architecture ?? 'unknown'),
      vocabulary: this.llm.vocabularyType,
    };
  }

  /** Tokenize a prompt; the BOS token is added as the model's metadata asks. */
  tokenize(text: string): Token[] {
    const tokens = this.llm.tokenize(text, false);
    const bos = this.llm.tokens.bos;
    return bos !== null && this.llm.tokens.shouldPrependBosToken ? [bos, ...tokens] : tokens;
  }

  /** Text of `token` when it follows `previous` (keeps the leading space SentencePiece strips at string start). */
  private tokenText(token: Token, previous: Token | undefined): string {
    return this.llm.detokenize([token], false, previous === undefined ? [] : [previous]);
  }

  /**
   * Evaluate `tokens` from an empty sequence, asking for the next-token distribution at every
   * position ≥ `wantProbsFrom`. Always starting fresh makes the numbers independent of what the
   * sequence held before (reusing a cached prefix changes batch shapes and the last float bits).
   */
  private async evaluate(seq: LlamaContextSequence, tokens: Token[], wantProbsFrom: number): Promise<(Map<Token, number> | undefined)[]> {
    if (tokens.length === 0) throw new ValueError('empty prompt');
    if (tokens.length >= this.contextSize) {
      throw new ValueError(`prompt of ${tokens.length} tokens does not fit the ${this.contextSize}-token context`);
    }
    if (seq.nextTokenIndex > 0) await seq.clearHistory();
    const input = tokens.map((t, j) =>
      j >= wantProbsFrom ? ([t, { generateNext: { probabilities: true } }] as [Token, { generateNext: { probabilities: true } }]) : t,
    );
    const out = await seq.controlledEvaluate(input);
    return out.map((o) => o?.next.probabilities);
  }

  async nextTokens(prompt: RenderedPrompt, topK: number, options: CallOptions = {}): Promise<NextTokensResult> {
    options.signal?.throwIfAborted();
    const tokens = this.tokenize(promptToText(prompt));
    return this.pool.use(async (seq) => {
      const probs = await this.evaluate(seq, tokens, tokens.length - 1);
      const dist = probs[tokens.length - 1];
      if (!dist) throw new ProviderError('llama.cpp returned no probabilities', { retryable: false });
      const last = tokens[tokens.length - 1];
      const out: TokenLogprob[] = [];
      for (const [t, p] of dist) {
        if (out.length >= topK) break;
        if (p <= 0) continue;
        out.push({ text: this.tokenText(t, last), logprob: Math.log(p) });
      }
      return { tokens: out, usage: { promptTokens: tokens.length, completionTokens: 0 } };
    });
  }

  async loglikelihood(prompt: RenderedPrompt, continuation: string, options: CallOptions = {}): Promise<LoglikelihoodResult> {
    options.signal?.throwIfAborted();
    const text = promptToText(prompt);
    const ctx = this.tokenize(text);
    const whole = this.tokenize(text + continuation);
    const cont = whole.slice(ctx.length);
    if (cont.length === 0) throw new ValueError(`continuation ${JSON.stringify(continuation)} adds no tokens`);
    const tokens = [...ctx, ...cont];
    return this.pool.use(async (seq) => {
      const probs = await this.evaluate(seq, tokens.slice(0, -1), ctx.length - 1);
      let logprob = 0;
      for (let j = 0; j < cont.length; j++) {
        const dist = probs[ctx.length - 1 + j];
        const p = dist?.get(cont[j]!) ?? 0;
        logprob += Math.log(p);
      }
      return { logprob, tokens: cont.length, usage: { promptTokens: tokens.length, completionTokens: 0 } };
    });
  }

  /**
   * Per-token log-probabilities of a whole text (the `echo` of OpenAI's completions API):
   * for each token its text, character offset in `text` and ln p(token | previous tokens);
   * the first token (BOS) has `logprob: null`.
   */
  async tokenLogprobs(text: string): Promise<{ text: string; offset: number; logprob: number | null }[]> {
    const tokens = this.tokenize(text);
    return this.pool.use(async (seq) => {
      const probs = await this.evaluate(seq, tokens, 0);
      const out: { text: string; offset: number; logprob: number | null }[] = [];
      // detokenizing from the start may add a leading space that `text` does not have
      const shift = this.llm.detokenize(tokens, false).length - text.length;
      let prevLen = 0;
      tokens.forEach((t, i) => {
        const upto = this.llm.detokenize(tokens.slice(0, i + 1), false).length;
        const lp = i === 0 ? null : Math.log(probs[i - 1]?.get(t) ?? 0);
        out.push({ text: this.tokenText(t, tokens[i - 1]), offset: Math.max(0, Math.min(prevLen - shift, text.length)), logprob: lp });
        prevLen = upto;
      });
      return out;
    });
  }

  async generate(prompt: RenderedPrompt, sampling: Sampling, options: CallOptions = {}): Promise<GenerateResult> {
    const tokens = this.tokenize(promptToText(prompt));
    return this.pool.use(async (seq) => {
      options.signal?.throwIfAborted();
      if (tokens.length + sampling.maxTokens >= this.contextSize) {
        throw new ValueError(
          `prompt (${tokens.length} tokens) + maxTokens (${sampling.maxTokens}) exceed the ${this.contextSize}-token context`,
        );
      }
      if (seq.nextTokenIndex > 0) await seq.clearHistory();
      const generated: Token[] = [];
      let text = '';
      const grammar = sampling.jsonSchema ? await this.grammarFor(sampling.jsonSchema) : undefined;
      const it = seq.evaluate(tokens, {
        ...(grammar ? { grammarEvaluationState: new this.cpp.LlamaGrammarEvaluationState({ model: this.llm, grammar }) } : {}),
        temperature: sampling.temperature,
        ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
      });
      for await (const t of it) {
        if (this.llm.isEogToken(t)) break;
        generated.push(t);
        text = this.llm.detokenize(generated, false, tokens.slice(-1));
        if (generated.length >= sampling.maxTokens || options.signal?.aborted) break;
        if (sampling.stop?.some((s) => text.includes(s))) break;
      }
      options.signal?.throwIfAborted();
      if (sampling.stop) {
        const cut = Math.min(...sampling.stop.map((s) => (text.includes(s) ? text.indexOf(s) : Infinity)));
        if (Number.isFinite(cut)) text = text.slice(0, cut);
      }
      return { text, usage: { promptTokens: tokens.length, completionTokens: generated.length } };
    });
  }

  /** A llama.cpp grammar for a JSON Schema (cached per schema). */
  private grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let g = this.grammars.get(key);
    if (!g) {
      g = this.llama.createGrammarForJsonSchema(schema as never).catch((e: unknown) => {
        this.grammars.delete(key);
        throw new ValueError(`JSON schema not supported by llama.cpp grammars: ${(e as Error).message}`);
      }) as Promise<LlamaGrammar>;
      this.grammars.set(key, g);
    }
    return g;
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.llm.dispose();
    await this.llama.dispose();
  }
}
