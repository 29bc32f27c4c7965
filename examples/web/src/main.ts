// Browser entry: pick a backend (WebGPU, else wasm), run the demo, show the numbers and a plot.
import { ready } from '@astro/core';
import { linePlot } from '@astro/core/plot';
import { runDemo } from './demo.js';

const $ = (id: string) => document.getElementById(id)!;

async function main(): Promise<void> {
  // ?backend=wasm forces a backend (the end-to-end test checks the fallback path this way).
  const forced = new URLSearchParams(location.search).get('backend');
  const info = await ready({
    wasmPaths: '/tfjs-wasm/',
    ...(forced === 'webgpu' || forced === 'wasm' || forced === 'cpu' ? { backend: forced, strict: true } : {}),
  });
  $('backend').textContent =
    `Backend: ${info.backend}${info.adapter ? ` (${info.adapter})` : ''}. ` +
    info.tried.map((t) => `${t.backend}: ${t.ok ? 'ok' : t.reason}`).join(' · ');
  const read = async (name: string) => {
    const r = await fetch(`/bundle/${name}`);
    if (!r.ok) throw new Error(`GET /bundle/${name}: ${r.status}`);
    return new Uint8Array(await r.arrayBuffer());
  };
  const t0 = performance.now();
  const result = await runDemo(read);
  const ms = performance.now() - t0;
  $('fingerprint').textContent = `Max |Δflux| against the bundle's released fingerprint: ${result.fingerprintMaxAbsErr.toExponential(2)}`;
  $('plot').innerHTML = await linePlot({
    series: [{ name: 'emulated flux', x: result.wavelengthAngstrom, y: result.flux }],
    x: { title: 'wavelength (Å)' },
    y: { title: 'normalised flux' },
    title: 'Fingerprint spectrum (Teff, log g, [Fe/H] at the domain midpoint)',
    width: 640,
    height: 220,
  });
  const [t, lg, fe] = result.queryLabels;
  $('query').textContent = `Query: Teff ${t!.toFixed(0)} K, log g ${lg!.toFixed(2)}, [Fe/H] ${fe!.toFixed(2)}`;
  $('neighbours').querySelector('tbody')!.innerHTML = result.neighbours
    .map(
      (n, i) =>
        `<tr><td>${i + 1}</td><td>${n.labels[0]!.toFixed(0)}</td><td>${n.labels[1]!.toFixed(2)}</td>` +
        `<td>${n.labels[2]!.toFixed(2)}</td><td>${n.cosine.toFixed(5)}</td></tr>`,
    )
    .join('');
  $('status').textContent = `Done on ${info.backend} in ${ms.toFixed(0)} ms.`;
  (window as unknown as { __astro: unknown }).__astro = { backend: info.backend, tried: info.tried, ...result };
}

main().catch((e: unknown) => {
  $('status').textContent = `Error: ${e instanceof Error ? e.message : String(e)}`;
  (window as unknown as { __astroError: string }).__astroError = String(e);
});
