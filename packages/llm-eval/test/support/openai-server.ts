/**
 * A small OpenAI-compatible server for tests and benchmarks: `/v1/completions` (with
 * `logprobs`, `echo`) and `/v1/chat/completions` (with `logprobs`/`top_logprobs` and an
 * assistant prefill), served by a real GGUF model through node-llama-cpp on 127.0.0.1, with
 * fault injection (429, 500, slow responses, malformed JSON, dropped connections).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalProvider, type RenderedPrompt, type Sampling } from '../../src/index.js';

/** A fault to inject into one request. */
export type Fault =
  { kind: '429'; retryAfterS?: number } | { kind: '500' } | { kind: 'slow'; ms: number } | { kind: 'malformed' } | { kind: 'drop' };

/** Counters the tests assert on. */
export interface ServerStats {
  /** Requests received. */
  requests: number;
  /** Requests answered with a model result (HTTP 200, well-formed). */
  served: number;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
  /** Served responses per SHA-256 of the request body's prompt/messages (first 12 hex). */
  servedByPrompt: Map<string, number>;
}

/** A running server. */
export interface TestServer {
  /** Base URL including `/v1`. */
  url: string;
  stats: ServerStats;
  /** Replace the fault schedule: called with the 0-based request number. */
  setFaults(f: ((n: number) => Fault | undefined) | undefined): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Key of a request's prompt, for counting how often each prompt was served. */
export function promptKey(body: { prompt?: unknown; messages?: unknown }): string {
  return createHash('sha256')
    .update(JSON.stringify(body.prompt ?? body.messages))
    .digest('hex')
    .slice(0, 12);
}

/** Start a server on 127.0.0.1 (random port) backed by `provider`. */
export async function startServer(
  provider: LocalProvider,
  options: { faults?: (n: number) => Fault | undefined; maxTopLogprobs?: number } = {},
): Promise<TestServer> {
  const stats: ServerStats = { requests: 0, served: 0, faults: {}, servedByPrompt: new Map() };
  let faults = options.faults;
  const maxTop = options.maxTopLogprobs ?? 1000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const n = stats.requests++;
    const raw = await readBody(req);
    const fault = faults?.(n);
    if (fault) stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === '429')
      return send(res, 429, { error: { message: 'rate limited', type: 'rate_limit' } }, { 'retry-after': String(fault.retryAfterS ?? 0) });
    if (fault?.kind === '500') return send(res, 500, { error: { message: 'internal error', type: 'server_error' } });
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "cmpl-1", "choices": [{"text": "A", "logprobs": {"top_logp');
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(res, 400, { error: { message: 'request body is not JSON' } });
    }
    const result =
      req.url === '/v1/completions' ? await completions(body) : req.url === '/v1/chat/completions' ? await chat(body) : undefined;
    if (!result) return send(res, 404, { error: { message: `no route ${req.url}` } });
    if ('error' in result) return send(res, 400, result);
    if (res.destroyed || req.socket.destroyed) return; // client gave up (timeout)
    stats.served++;
    const key = promptKey(body);
    stats.servedByPrompt.set(key, (stats.servedByPrompt.get(key) ?? 0) + 1);
    send(res, 200, result);
  }

  const usage = (p: number, c: number): Record<string, number> => ({ prompt_tokens: p, completion_tokens: c, total_tokens: p + c });

  async function completions(b: Record<string, unknown>): Promise<Record<string, unknown>> {
    const prompt = b['prompt'];
    if (typeof prompt !== 'string') return { error: { message: 'prompt must be a string' } };
    const k = typeof b['logprobs'] === 'number' ? Math.min(maxTop, b['logprobs']) : undefined;
    const maxTokens = typeof b['max_tokens'] === 'number' ? b['max_tokens'] : 16;
    const p: RenderedPrompt = { user: prompt };
    if (b['echo'] === true && maxTokens === 0) {
      const toks = await provider.tokenLogprobs(prompt);
      return {
        object: 'text_completion',
        choices: [
          {
            index: 0,
            text: prompt,
            finish_reason: 'length',
            logprobs: {
              tokens: toks.map((t) => t.text),
              token_logprobs: toks.map((t) => t.logprob),
              text_offset: toks.map((t) => t.offset),
              top_logprobs: null,
            },
          },
        ],
        usage: usage(toks.length, 0),
      };
    }
    if (k !== undefined && maxTokens === 1) {
      const r = await provider.nextTokens(p, Math.max(1, k));
      const top: Record<string, number> = {};
      for (const t of r.tokens) if (!(t.text in top)) top[t.text] = t.logprob; // a dict keeps one entry per text, like vLLM
      const best = r.tokens[0]!;
      return {
        object: 'text_completion',
        choices: [
          {
            index: 0,
            text: best.text,
            finish_reason: 'length',
            logprobs: { tokens: [best.text], token_logprobs: [best.logprob], text_offset: [prompt.length], top_logprobs: [top] },
          },
        ],
        usage: usage(r.usage.promptTokens, 1),
      };
    }
    const g = await provider.generate(p, sampling(b, maxTokens));
    return {
      object: 'text_completion',
      choices: [{ index: 0, text: g.text, finish_reason: 'stop', logprobs: null }],
      usage: usage(g.usage.promptTokens, g.usage.completionTokens),
    };
  }

  async function chat(b: Record<string, unknown>): Promise<Record<string, unknown>> {
    const messages = b['messages'];
    if (!Array.isArray(messages) || messages.length === 0) return { error: { message: 'messages must be a non-empty array' } };
    const p: RenderedPrompt = { user: '' };
    for (const m of messages as { role: string; content: string }[]) {
      if (m.role === 'system') p.system = m.content;
      else if (m.role === 'user') p.user = m.content;
      else if (m.role === 'assistant') p.prefill = m.content;
    }
    const maxTokens = typeof b['max_tokens'] === 'number' ? b['max_tokens'] : 16;
    if (b['logprobs'] === true && typeof b['top_logprobs'] === 'number') {
      const r = await provider.nextTokens(p, Math.max(1, Math.min(maxTop, b['top_logprobs'])));
      const best = r.tokens[0]!;
      return {
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            finish_reason: 'length',
            message: { role: 'assistant', content: best.text },
            logprobs: {
              content: [
                { token: best.text, logprob: best.logprob, top_logprobs: r.tokens.map((t) => ({ token: t.text, logprob: t.logprob })) },
              ],
            },
          },
        ],
        usage: usage(r.usage.promptTokens, 1),
      };
    }
    const g = await provider.generate(p, sampling(b, maxTokens));
    return {
      object: 'chat.completion',
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: g.text } }],
      usage: usage(g.usage.promptTokens, g.usage.completionTokens),
    };
  }

  function sampling(b: Record<string, unknown>, maxTokens: number): Sampling {
    const rf = b['response_format'] as { type?: string; json_schema?: { schema?: Record<string, unknown> } } | undefined;
    return {
      ...(rf?.type === 'json_schema' && rf.json_schema?.schema ? { jsonSchema: rf.json_schema.schema } : {}),
      maxTokens,
      temperature: typeof b['temperature'] === 'number' ? b['temperature'] : 1,
      ...(typeof b['seed'] === 'number' ? { seed: b['seed'] } : {}),
      ...(Array.isArray(b['stop']) ? { stop: b['stop'] as string[] } : {}),
    };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, { error: { message: String(e) } });
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    stats,
    setFaults(f) {
      faults = f;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
