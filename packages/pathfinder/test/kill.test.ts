// A real kill: a child process indexing into LanceDB is SIGKILLed after its first commits; the
// next run resumes, embeds only what was not committed, and the index holds every record once.
import { spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ready } from '@astro/core';
import { indexCorpus, openIndex, readCorpus } from '../src/index.js';
import { adsPath } from './data.js';
import { killTestEmbedder } from './fixtures/kill-embedder.js';

const here = dirname(fileURLToPath(import.meta.url));
const path = adsPath();

describe.runIf(path)('a SIGKILLed indexing run', () => {
  it('resumes and loses nothing', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'pf-kill-')), 'idx');
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', 'index-child.ts'), dir, path!], {
      cwd: join(here, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const killedAt = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = [...out.matchAll(/committed (\d+)/g)];
        if (m.length >= 2 && !child.killed) {
          child.kill('SIGKILL');
          resolve(Number(m.at(-1)![1]));
        }
      });
      child.on('exit', () => (out.includes('finished') ? reject(new Error('the child finished before it was killed')) : undefined));
      child.on('error', reject);
    });
    await new Promise((r) => child.once('exit', r));
    expect(out).not.toContain('finished');
    await ready({ backend: 'wasm' });
    const { records } = await readCorpus(path!);
    const embedder = killTestEmbedder(records);
    let embedded = 0;
    const counting = {
      id: embedder.id,
      dim: embedder.dim,
      embed: async (t: readonly string[]) => ((embedded += t.length), embedder.embed(t)),
    };
    const { report } = await indexCorpus(dir, records.slice(0, 160), { embedder: counting, batchSize: 16 });
    // the child may have committed a batch or two after the line we reacted to, never lost one
    expect(report.unchanged).toBeGreaterThanOrEqual(killedAt);
    expect(report.added + report.unchanged).toBe(160);
    expect(embedded).toBe(report.added);
    expect(report.total).toBe(160);
    const index = await openIndex(dir, { embedder });
    expect(index.size).toBe(160);
    expect(new Set(index.records().map((r) => r.bibcode)).size).toBe(160);
  }, 240_000);
});
