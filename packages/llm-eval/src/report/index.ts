/** Reports: Markdown, self-contained HTML with SVG charts, run loading and paired comparison. */
export { loadRun, type LoadedRun } from './load.js';
export { markdownReport } from './markdown.js';
export { htmlReport } from './html.js';
export { reliabilitySpec, topicSpec, costAccuracySpec } from './charts.js';
export { pairedDifference, type PairedDifference } from './compare.js';
