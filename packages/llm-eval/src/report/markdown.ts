import { num, pct, usd } from './format.js';
import { pairedDifference } from './compare.js';
import type { LoadedRun } from './load.js';

/** Markdown summary of one or more runs: a comparison table, then details per run. */
export function markdownReport(runs: readonly LoadedRun[]): string {
  const out: string[] = ['# LLM evaluation report', ''];
  out.push('| model | scoring | template | n | accuracy | 95% CI | ECE (width / mass) | Brier | tokens | cost | $/point |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    const m = r.metrics;
    const c = m.calibration;
    out.push(
      `| ${r.manifest.model.name} | ${r.manifest.scoring} | ${r.manifest.template.name} | ${m.n} | ${pct(m.accuracy.accuracy)} | ${pct(m.accuracy.lower)}–${pct(m.accuracy.upper)} | ${c ? `${num(c.eceEqualWidth)} / ${num(c.eceEqualMass)}` : '–'} | ${c ? num(c.brier) : '–'} | ${m.cost.promptTokens + m.cost.completionTokens} | ${usd(m.cost.usd)} | ${usd(m.cost.usdPerAccuracyPoint)} |`,
    );
  }
  if (runs.length >= 2) {
    out.push(
      '',
      '## Paired differences (vs the first run)',
      '',
      '| run | common items | Δ accuracy | 95% CI | only first right | only this right |',
      '|---|---|---|---|---|---|',
    );
    for (const r of runs.slice(1)) {
      const d = pairedDifference(runs[0]!, r);
      out.push(`| ${d.b} | ${d.n} | ${pct(d.difference)} | ${pct(d.lower)}–${pct(d.upper)} | ${d.onlyA} | ${d.onlyB} |`);
    }
  }
  for (const r of runs) {
    const m = r.metrics;
    out.push('', `## ${r.manifest.model.name} · ${r.manifest.scoring}`, '');
    out.push(
      `- dataset: \`${r.manifest.dataset.path}\` (sha256 ${r.manifest.dataset.sha256.slice(0, 12)}…, ${r.manifest.dataset.items} items; ${m.n} done, ${m.unanswered} unanswered)`,
    );
    out.push(`- template: ${r.manifest.template.name} — ${r.manifest.template.description}`);
    const settings =
      r.manifest.scoring === 'extract'
        ? `sampling: max ${r.manifest.sampling.maxTokens} tokens, temperature ${r.manifest.sampling.temperature}`
        : r.manifest.scoring === 'logprob'
          ? `next-token candidates: ${r.manifest.topLogprobs}, answer prefix ${JSON.stringify(r.manifest.template.answerPrefix)}`
          : `option log-likelihood after ${JSON.stringify(r.manifest.template.answerPrefix)}`;
    out.push(
      `- ${settings}; versions: ${Object.entries(r.manifest.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    out.push(
      `- latency: p50 ${num(m.latency.p50Ms, 0)} ms, p90 ${num(m.latency.p90Ms, 0)} ms, p99 ${num(m.latency.p99Ms, 0)} ms; retries ${m.retries}; cache hits ${m.cached}`,
    );
    if (m.accuracyNorm) out.push(`- acc_norm: ${pct(m.accuracyNorm.accuracy)} (${pct(m.accuracyNorm.lower)}–${pct(m.accuracyNorm.upper)})`);
    if (m.calibration) {
      const c = m.calibration;
      out.push(
        `- calibration (${c.n} items): ECE ${num(c.eceEqualWidth)} (equal width), ${num(c.eceEqualMass)} (equal mass); Brier ${num(c.brier)}; confidence–correctness r = ${num(c.confidenceCorrectnessCorrelation)} per item, ${num(c.binnedCorrelation)} over bins; mean letter mass ${num(c.meanLetterMass)}`,
      );
    }
    if (m.extraction)
      out.push(
        `- extraction: ${Object.entries(m.extraction)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`,
      );
    if (m.perTopic.length > 1) {
      out.push('', '| topic | n | accuracy | 95% CI |', '|---|---|---|---|');
      for (const t of m.perTopic)
        out.push(`| ${t.topic} | ${t.accuracy.n} | ${pct(t.accuracy.accuracy)} | ${pct(t.accuracy.lower)}–${pct(t.accuracy.upper)} |`);
    }
  }
  return out.join('\n') + '\n';
}
