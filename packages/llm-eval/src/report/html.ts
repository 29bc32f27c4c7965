import { costAccuracySpec, reliabilitySpec, svg, topicSpec } from './charts.js';
import { escapeHtml } from './format.js';
import type { LoadedRun } from './load.js';
import { markdownReport } from './markdown.js';

function mdTableToHtml(md: string): string {
  // Render the Markdown report's tables, headings and bullets as plain HTML (no dependency).
  const lines = md.split('\n');
  const html: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const l = lines[i]!;
    if (l.startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.startsWith('|')) {
        const cells = lines[i]!.slice(1, -1)
          .split('|')
          .map((c) => c.trim());
        if (!cells.every((c) => /^-+$/.test(c))) rows.push(cells);
        i++;
      }
      const [head, ...body] = rows;
      html.push('<table><thead><tr>' + head!.map((c) => `<th>${escapeHtml(c)}</th>`).join('') + '</tr></thead><tbody>');
      for (const r of body) html.push('<tr>' + r.map((c) => `<td>${escapeHtml(c)}</td>`).join('') + '</tr>');
      html.push('</tbody></table>');
      continue;
    }
    if (l.startsWith('## ')) html.push(`<h2>${escapeHtml(l.slice(3))}</h2>`);
    else if (l.startsWith('# ')) html.push(`<h1>${escapeHtml(l.slice(2))}</h1>`);
    else if (l.startsWith('- ')) html.push(`<li>${escapeHtml(l.slice(2)).replace(/`([^`]+)`/g, '<code>$1</code>')}</li>`);
    i++;
  }
  return html.join('\n');
}

/**
 * Self-contained HTML report (no scripts, no external assets): the Markdown tables as HTML,
 * and inline SVG charts — a reliability diagram and per-topic accuracy for each run with
 * probabilities, and cost (or tokens) vs accuracy across runs.
 */
export async function htmlReport(runs: readonly LoadedRun[]): Promise<string> {
  const charts: string[] = [];
  if (runs.length > 0) charts.push(`<figure>${await svg(costAccuracySpec(runs))}</figure>`);
  for (const r of runs) {
    const label = `${r.manifest.model.model} · ${r.manifest.scoring}`;
    if (r.metrics.calibration) charts.push(`<figure>${await svg(reliabilitySpec(r.metrics, `Reliability: ${label}`))}</figure>`);
    charts.push(`<figure>${await svg(topicSpec(r.metrics, `Accuracy by topic: ${label}`))}</figure>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LLM evaluation report</title>
<style>
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}
th{background:#f3f3f3}figure{display:inline-block;margin:.5rem}code{background:#f3f3f3;padding:0 .2rem}
</style></head><body>
${mdTableToHtml(markdownReport(runs))}
<h2>Charts</h2>
${charts.join('\n')}
</body></html>
`;
}
