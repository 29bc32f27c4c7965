#!/usr/bin/env node
/** The `astro-pathfinder` command. */
import { processIO } from '@astro/core/cli';
import { run } from './main.js';

run(process.argv.slice(2), processIO).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`astro-pathfinder: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
