#!/usr/bin/env node
/** The `astro-llm-eval` command. */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    // runMain reports every error itself; this is only reached if writing to stderr failed.
    process.stderr.write(`astro-llm-eval: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
