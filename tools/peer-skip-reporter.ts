// A vitest reporter (added by vitest.shared.ts) that counts the tests skipped because a peer is
// missing: suites named `… — skipped: needs <peer> (…)` (core's `describePeer`) and
// `… [webgpu] — unavailable: …` (core's `describeBackends`). Each package's run writes its counts to
// node_modules/.cache/astro-peer-skips/<package>.json; `tools/test-summary.mjs` prints the total.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface TaskLike {
  type: string;
  name: string;
  mode?: string;
  tasks?: TaskLike[];
  result?: { state?: string };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function peerOf(name: string): string | undefined {
  const m = /— skipped: needs (\S+) \(([^;)]*)/.exec(name);
  if (m) return `${m[1]} (${m[2]})`;
  if (/\[webgpu\] — unavailable/.test(name)) return 'webgpu (apt-get install chromium: SwiftShader Vulkan)';
  return undefined;
}

function walk(task: TaskLike, peer: string | undefined, counts: Map<string, number>): void {
  const p = peerOf(task.name) ?? peer;
  if (task.type === 'test') {
    const skipped = task.mode === 'skip' || task.result?.state === 'skip';
    if (p && skipped) counts.set(p, (counts.get(p) ?? 0) + 1);
    return;
  }
  for (const t of task.tasks ?? []) walk(t, p, counts);
}

export default class PeerSkipReporter {
  onFinished(files: TaskLike[] = []): void {
    const counts = new Map<string, number>();
    for (const f of files) walk(f, undefined, counts);
    const dir = join(root, 'node_modules', '.cache', 'astro-peer-skips');
    mkdirSync(dir, { recursive: true });
    const name = basename(process.cwd());
    writeFileSync(join(dir, `${name}.json`), JSON.stringify({ package: name, skipped: Object.fromEntries(counts) }));
    if (counts.size > 0) {
      for (const [peer, n] of counts) console.log(`  ${n} test(s) skipped: missing ${peer}`);
    }
  }
}
