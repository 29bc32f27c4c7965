// The lint gate (run by `pnpm lint` and .ci/run). Type-aware where it matters most for async
// tfjs code: a floating promise (an un-awaited dataAsync(), save() or fit()) is an error, as is an
// import cycle and a file name that is not kebab-case.
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const kebab = /^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+)*$/;

/** One filename case: kebab-case (`wasm-batch-matmul.ts`, `cross-decoder.test.ts`). */
const filenameCase = {
  meta: { type: 'suggestion', schema: [], messages: { bad: "file name '{{name}}' is not kebab-case" } },
  create(context) {
    const name = context.filename.split(/[\\/]/).pop() ?? '';
    return {
      Program(node) {
        if (!kebab.test(name)) context.report({ node, messageId: 'bad', data: { name } });
      },
    };
  },
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'docs/api/**',
      'examples/web/out/**',
      'examples/out/**',
      '**/*.d.ts',
      '**/*.cjs',
      'notebooks/*.ipynb',
      '.astro-cache/**',
    ],
  },
  {
    files: ['packages/*/{src,test,bench}/**/*.ts', 'examples/**/*.ts', 'notebooks/src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX, astro: { rules: { 'filename-case': filenameCase } } },
    settings: {
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['packages/*/tsconfig.json', 'examples/tsconfig.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      // A lazy import() inside a method (a model's save/load reaching its persistence module) is
      // not a load-time cycle; static cycles are errors.
      'import-x/no-cycle': ['error', { ignoreExternal: true, allowUnsafeDynamicCyclicDependency: true }],
      'astro/filename-case': 'error',
    },
  },
  {
    files: ['tools/**/*.{mjs,ts}', 'eslint.config.mjs'],
    languageOptions: { parser: tseslint.parser },
    plugins: { astro: { rules: { 'filename-case': filenameCase } } },
    rules: { 'astro/filename-case': 'error' },
  },
);
