// A native import() for notebooks. tslab compiles each cell to CommonJS and runs it in a vm
// script, where `import()` becomes `require()` and a hand-written `import()` has no loader. An ES
// module with top-level await (node-llama-cpp, behind @astro/llm-eval's LocalProvider) cannot be
// require()d, so notebooks load such packages' ES builds through this ordinary CommonJS file,
// whose import() Node resolves from notebooks/node_modules.
module.exports = (specifier) => import(specifier);
