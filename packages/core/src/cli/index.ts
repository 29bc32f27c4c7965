/**
 * `@astro/core/cli`: the shared kit of the `astro-*` command-line tools: strict argument parsing
 * ({@link parseCli}), one-line errors and exit statuses ({@link runMain}), input checks and
 * atomic output writes. Node only.
 */
export { parseCli, describeOptions } from './args.js';
export type { OptionSpec, OptionsSpec, CommandSpec, ParsedCli, ParsedOptions } from './args.js';
export { runMain, describeError, exitCodeFor, wantsVerbose, fileErrorFrom, processIO } from './run.js';
export type { CliIO, RunMainOptions } from './run.js';
export { checkInputFile, readInputBytes, readInputText, decodeUtf8, checkOutputPath, writeOutputFile } from './files.js';
export { UsageError, FileError } from '../errors/index.js';
