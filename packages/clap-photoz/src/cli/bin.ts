import { runCli } from './run.js';

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
  process.exitCode = e instanceof Error && e.name === 'UsageError' ? 2 : 1;
}
