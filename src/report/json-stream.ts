/**
 * The JSON report in pieces (DESIGN.md §8): exactly `JSON.stringify(report, null, 2)` plus a
 * newline, but the findings are serialised a batch at a time, so a 100,000-finding report
 * (about 300 MB of text) is never one string in memory.
 */
import type { ScanReport } from './json.js';

const PLACEHOLDER = '\u0000findings\u0000';
/** How the findings key appears at the top level of the pretty-printed report with the placeholder. */
const MARKER = `\n  "findings": ${JSON.stringify(PLACEHOLDER)}`;
const BATCH = 500;

export function* jsonReportChunks(report: ScanReport): Generator<string> {
  const findings = report.findings;
  const text = JSON.stringify({ ...report, findings: PLACEHOLDER }, null, 2);
  const at = text.indexOf(MARKER);
  if (findings.length === 0 || at < 0) {
    yield `${JSON.stringify(report, null, 2)}\n`;
    return;
  }
  yield `${text.slice(0, at)}\n  "findings": [\n`;
  for (let i = 0; i < findings.length; i += BATCH) {
    const batch = findings.slice(i, i + BATCH).map((f) => `    ${JSON.stringify(f, null, 2).replaceAll('\n', '\n    ')}`);
    yield batch.join(',\n') + (i + BATCH < findings.length ? ',\n' : '\n');
  }
  yield `  ]${text.slice(at + MARKER.length)}\n`;
}
