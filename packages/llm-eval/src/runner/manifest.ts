import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Sampling } from '../providers/types.js';
import type { PromptTemplate } from '../templates/types.js';
import { VERSION } from '../version.js';
import type { Scoring } from './types.js';

/** What a run was: written to `manifest.json` before the first item and checked on resume. */
export interface RunManifest {
  /** Format version of this file. */
  schemaVersion: 1;
  /** Model spec / provider name and its cache identity (file fingerprint or URL + model). */
  model: { name: string; model: string; identity: string; details: Record<string, string> };
  /** Dataset path, SHA-256 of the file and number of items in the run. */
  dataset: { path: string; sha256: string; items: number };
  /** The prompt template, verbatim. */
  template: PromptTemplate;
  scoring: Scoring;
  sampling: Sampling;
  /** Next-token candidates requested per call for `logprob` scoring. */
  topLogprobs: number;
  /** Versions of the harness, node-llama-cpp and Node. */
  versions: Record<string, string>;
  /** ISO time of the first start and of each resume. */
  started: string;
  resumed: string[];
}

/** Fields that must match for a resumed run to continue the same experiment. */
export function manifestFingerprint(m: RunManifest): string {
  const { model, dataset, template, scoring, sampling, topLogprobs } = m;
  return JSON.stringify({ identity: model.identity, sha: dataset.sha256, template, scoring, sampling, topLogprobs });
}

const shaCache = new Map<string, string>();

/** SHA-256 of a file's bytes (remembered per path, size and modification time within a process). */
export function sha256File(path: string): string {
  const st = statSync(path);
  const key = `${path}\0${st.size}\0${st.mtimeMs}`;
  let h = shaCache.get(key);
  if (h === undefined) {
    h = createHash('sha256').update(readFileSync(path)).digest('hex');
    shaCache.set(key, h);
  }
  return h;
}

/** Versions recorded in every manifest. */
export function versions(): Record<string, string> {
  const out: Record<string, string> = { '@astro/llm-eval': VERSION, node: process.version };
  try {
    const req = createRequire(import.meta.url);
    let dir = dirname(req.resolve('node-llama-cpp'));
    for (let i = 0; i < 4; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'node-llama-cpp' && pkg.version) {
          out['node-llama-cpp'] = pkg.version;
          break;
        }
      } catch {
        /* keep walking up */
      }
      dir = dirname(dir);
    }
  } catch {
    out['node-llama-cpp'] = 'not installed';
  }
  return out;
}
