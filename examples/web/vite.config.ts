// Dev server for the browser demo. Serves the released emulator bundle from the shared data folder
// (never copied into the repo) at /bundle/, and tfjs's wasm binaries at /tfjs-wasm/.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = process.env['ASTRO_DATA_DIR'] ?? join(here, '..', '..', '..', 'shared', 'data');
const bundleDir = join(dataDir, 'spectra', 'emulator-reference-bundle');
const coreRequire = createRequire(join(here, '..', '..', 'packages', 'core', 'package.json'));
const wasmDir = join(dirname(coreRequire.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');

function serveFolder(prefix: string, dir: string, type: (f: string) => string): Plugin {
  return {
    name: `serve-${prefix}`,
    configureServer(server) {
      server.middlewares.use(prefix, (req, res, next) => {
        const rel = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^([/\\])+/, '');
        const file = join(dir, rel);
        if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', type(file));
        createReadStream(file).pipe(res);
      });
    },
  };
}

export default defineConfig({
  root: here,
  logLevel: 'warn',
  server: { host: '127.0.0.1' },
  plugins: [
    serveFolder('/bundle', bundleDir, (f) => (f.endsWith('.json') ? 'application/json' : 'application/octet-stream')),
    // the search box's 300 ADS records (@astro/pathfinder)
    serveFolder('/literature', join(dataDir, 'literature'), () => 'application/x-ndjson'),
    serveFolder('/tfjs-wasm', wasmDir, (f) => (f.endsWith('.wasm') ? 'application/wasm' : 'text/javascript')),
  ],
});
