// Builds the tslab notebooks from their typed sources: notebooks/src/<name>.ts in percent format
// (`// %% [markdown]` cells whose lines are `// ` comments, and `// %%` code cells) become
// notebooks/<name>.ipynb. The sources are type-checked with the examples (`pnpm typecheck`);
// `node notebooks/build.mjs --check` fails when a committed .ipynb differs from its source (CI).
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const check = process.argv.includes('--check');

/** Split a percent-format source into cells. */
export function parseCells(text) {
  const cells = [];
  let cur;
  for (const line of text.split('\n')) {
    const m = /^\/\/ %%( \[markdown\])?\s*$/.exec(line);
    if (m) {
      cur = { kind: m[1] ? 'markdown' : 'code', lines: [] };
      cells.push(cur);
    } else if (cur) cur.lines.push(line);
    else if (line.trim() !== '') throw new Error(`text before the first '// %%' cell marker: ${line}`);
  }
  return cells.map((c) => {
    if (c.kind === 'code') return { kind: 'code', source: c.lines.join('\n').trim() };
    const md = c.lines.map((l) => {
      if (l.trim() === '') return '';
      if (l === '//') return '';
      if (!l.startsWith('// ')) throw new Error(`markdown cell line is not a '// ' comment: ${l}`);
      return l.slice(3);
    });
    return { kind: 'markdown', source: md.join('\n').trim() };
  });
}

/** The notebook JSON for `name` (stable cell ids keep regenerated notebooks diff-free). */
export function notebook(name, cells) {
  return {
    cells: cells.map((c, i) =>
      c.kind === 'markdown'
        ? { id: `${name}-${i}`, cell_type: 'markdown', metadata: {}, source: c.source + '\n' }
        : { id: `${name}-${i}`, cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: c.source + '\n' },
    ),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** JSON with non-ASCII characters escaped (as Jupyter and Python's json module write it). */
function asciiJson(value) {
  return JSON.stringify(value, null, 1).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const srcDir = join(here, 'src');
let drift = 0;
const names = readdirSync(srcDir)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
for (const name of names) {
  const text = readFileSync(join(srcDir, `${name}.ts`), 'utf8');
  const json = asciiJson(notebook(name, parseCells(text))) + '\n';
  const path = join(here, `${name}.ipynb`);
  if (check) {
    if (!existsSync(path) || readFileSync(path, 'utf8') !== json) {
      console.error(`drift: notebooks/${name}.ipynb differs from notebooks/src/${name}.ts (run: node notebooks/build.mjs)`);
      drift++;
    }
  } else {
    writeFileSync(path, json);
    console.log(`wrote notebooks/${name}.ipynb`);
  }
}
for (const f of readdirSync(here).filter((f) => f.endsWith('.ipynb'))) {
  if (!names.includes(f.slice(0, -6))) {
    console.error(`notebooks/${f} has no source in notebooks/src/`);
    drift++;
  }
}
if (check) {
  if (drift) process.exit(1);
  console.log(`${names.length} notebooks match their sources`);
}
