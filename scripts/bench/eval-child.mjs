// Measured child: time to first findings as the TUI sees them (evaluate with onResult, the
// interactive path), then the catalog's evaluation time over a freshly built snapshot, per check.
// Usage: node eval-child.mjs <kubeconfig>
import { CHECKS } from '../../dist/checks/index.js';
import { collect } from '../../dist/src/cluster/collect.js';
import { loadKubeconfig } from '../../dist/src/cluster/kubeconfig.js';
import { Snapshot } from '../../dist/src/engine/snapshot.js';
import { runChecks } from '../../dist/src/engine/run.js';
import { evaluate, needsOf } from '../../dist/src/scan.js';

const kubeconfig = process.argv[2];
const started = performance.now();
const config = await loadKubeconfig({ path: kubeconfig });
let firstFindingsMs;
let findings = 0;
await evaluate({ config, demo: false, close: async () => undefined }, CHECKS, {
  timeoutSeconds: 120, interactive: true,
  onResult: (result) => {
    if (firstFindingsMs === undefined && result.findings > 0) firstFindingsMs = performance.now() - started;
    findings += result.findings;
  },
});
const scanMs = performance.now() - started;

const needs = new Set([...needsOf(CHECKS)].filter((n) => n !== 'files'));
const input = await collect(config, { needs, timeoutMs: 120_000 });
const snapshot = new Snapshot(input);
const evalStarted = performance.now();
const { results } = runChecks(snapshot, CHECKS);
const evalMs = performance.now() - evalStarted;
const slowest = [...results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 5).map((r) => ({ id: r.id, ms: Math.round(r.durationMs * 10) / 10 }));
process.stdout.write(JSON.stringify({ firstFindingsMs, scanMs, evalMs, findings, checks: results.length, slowest }) + '\n');
process.exit(0);
