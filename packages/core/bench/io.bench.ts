// I/O benchmark: our parsers vs NumPy on the same real files, timed in the same run.
//   npx tsx bench/io.bench.ts            (from packages/core; BENCH_QUICK=1 for a smoke run)
// Prints a table and writes <repo>/bench/results/core-io.json (ratio = ours / numpy time; lower is better).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataPath } from '../src/data/index.js';
import { parseFits, parseNpy, parseNpz, parseText, encodeNpy } from '../src/io/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const quick = process.env['BENCH_QUICK'] === '1';
const repeats = quick ? 3 : 15;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown): number {
  fn(); // warm-up (JIT)
  const t: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return median(t);
}

interface Case {
  name: string;
  file: string;
  ours: (bytes: Uint8Array) => unknown;
  /** Python expression over `raw` (the file's bytes) that NumPy evaluates as the peer. */
  numpy: string;
}

const tmpDir = mkdtempSync(join(tmpdir(), 'astro-io-bench-'));
const tmp = join(tmpDir, 'payne.npz');
const cases: Case[] = [
  {
    name: 'npy: Korg irregular flux (1000×500 float32, 2 MB)',
    file: dataPath('spectra', 'korg-irregular-flux', 'normalized_flux.npy'),
    ours: parseNpy,
    numpy: 'np.load(io.BytesIO(raw))',
  },
  {
    name: 'npy: MIST isochrones (34229×9 float32)',
    file: dataPath('spectra', 'mist-isochrones', 'mist_isochrones_dev.npy'),
    ours: parseNpy,
    numpy: 'np.load(io.BytesIO(raw))',
  },
  {
    name: 'npz deflated: Payne APOGEE network (4 arrays, 7214 px)',
    file: tmp,
    ours: parseNpz,
    numpy: 'dict(np.load(io.BytesIO(raw)))',
  },
  {
    name: 'text: SDSS ugriz train (5000×11, whitespace)',
    file: dataPath('photoz', 'sdss-ugriz', 'train.txt'),
    ours: (b) => parseText(b),
    numpy: 'np.loadtxt(io.BytesIO(raw))',
  },
  {
    name: 'text: Kepler KIC 2309595 light curve (41949×2)',
    file: dataPath('lightcurves', 'kepler-pysyd', '2309595_LC.txt'),
    ours: (b) => parseText(b),
    numpy: 'np.loadtxt(io.BytesIO(raw))',
  },
  {
    name: 'fits.gz: LAMOST MRS spectrum (21 HDUs, gunzip + all tables)',
    file: dataPath('spectra', 'lamost-kic8098300', 'med-58268-HIP95119KP01_sp12-076.fits.gz'),
    ours: (b) => parseFits(b).hdus.map((h) => (h.type === 'bintable' ? h.table() : undefined)),
    // NumPy peer: gunzip, then view every table HDU as a big-endian record array (no header parsing).
    numpy: 'fits_tables(gzip.decompress(raw))',
  },
];

// Build the deflated .npz from the real Payne network with NumPy itself.
execFileSync('/usr/bin/python3', [
  '-c',
  `import numpy as np, sys; d = sys.argv[1]; np.savez_compressed(sys.argv[2], **{k: np.load(d + '/' + k + '.npy') for k in ['w_array_0', 'w_array_1', 'b_array_0', 'b_array_1']})`,
  dataPath('spectra', 'payne-apogee-nn'),
  tmp,
]);

const peerScript = `
import gzip, io, json, sys, timeit
import numpy as np

def fits_tables(raw):
    out, p = [], 0
    while p < len(raw):
        cards = {}
        while True:
            blk = raw[p:p + 2880].decode('latin1'); p += 2880
            end = False
            for i in range(36):
                c = blk[i * 80:(i + 1) * 80]
                if c.startswith('END     '): end = True; break
                if c[8:10] == '= ': cards[c[:8].strip()] = c[10:].split('/')[0].strip().strip("'").strip()
            if end: break
        n = int(cards.get('NAXIS', 0))
        size = 0 if n == 0 else abs(int(cards['BITPIX'])) // 8 * int(np.prod([int(cards['NAXIS%d' % k]) for k in range(1, n + 1)]))
        if cards.get('XTENSION') == 'BINTABLE':
            fields = []
            for k in range(1, int(cards['TFIELDS']) + 1):
                t = cards['TFORM%d' % k]
                fields.append((cards['TTYPE%d' % k], {'E': '>f4', 'I': '>i2', 'J': '>i4', 'D': '>f8'}[t[-1]]))
            out.append(np.frombuffer(raw, dtype=np.dtype(fields), count=int(cards['NAXIS2']), offset=p).copy())
        p += (size + 2879) // 2880 * 2880
    return out

spec = json.load(sys.stdin)
res = []
for c in spec['cases']:
    raw = open(c['file'], 'rb').read()
    f = eval('lambda: ' + c['numpy'])
    f()
    t = timeit.repeat(f, number=1, repeat=spec['repeats'])
    res.append(sorted(t)[len(t) // 2] * 1e3)
print(json.dumps(res))
`;

const peer = JSON.parse(
  execFileSync('/usr/bin/python3', ['-c', peerScript], {
    input: JSON.stringify({ repeats, cases: cases.map((c) => ({ file: c.file, numpy: c.numpy })) }),
    encoding: 'utf8',
  }),
) as number[];

const comparisons = cases.map((c, i) => {
  const bytes = new Uint8Array(readFileSync(c.file));
  const ours = time(() => c.ours(bytes));
  const p = peer[i]!;
  const row = {
    name: c.name,
    ours: Number(ours.toFixed(3)),
    peer: 'numpy ' + c.numpy,
    peerValue: Number(p.toFixed(3)),
    ratio: Number((ours / p).toFixed(2)),
    unit: 'ms',
  };
  console.log(`${c.name.padEnd(62)} ours ${ours.toFixed(2).padStart(8)} ms  numpy ${p.toFixed(2).padStart(8)} ms  ratio ${row.ratio}`);
  return row;
});
// A write benchmark has no NumPy-in-the-same-process peer worth timing; report ours only.
const big = Float32Array.from({ length: 1000 * 500 }, (_, i) => i);
console.log(`npy write 1000×500 float32: ${time(() => encodeNpy({ shape: [1000, 500], data: big })).toFixed(2)} ms`);

rmSync(tmpDir, { recursive: true, force: true });
const outDir = join(repo, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'core-io.json'), JSON.stringify({ generated: new Date().toISOString(), repeats, comparisons }, null, 2) + '\n');
console.log(`wrote ${join(outDir, 'core-io.json')}`);
