/**
 * Streaming evaluation (src/engine/stream.ts through evaluate()): over the demo cluster behind
 * the embedded API server, results arrive before the collection ends, and the outcome is
 * exactly one run of the whole catalog over the final snapshot, in catalog order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { runChecks } from '../../src/engine/run.js';
import { StreamingRun } from '../../src/engine/stream.js';
import { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, CheckResult } from '../../src/engine/types.js';
import { evaluate, openTarget, type Evaluation, type Target } from '../../src/scan.js';

let target: Target;
let evaluation: Evaluation;
const order: string[] = [];
let settledAtFirstResult = -1;
let settledTotal = 0;

beforeAll(async () => {
  target = await openTarget({ demo: true });
  let settled = 0;
  evaluation = await evaluate(target, CHECKS, {
    timeoutSeconds: 30, interactive: true,
    onProgress: (p) => { settled = p.done; settledTotal = p.total; },
    onResult: (r) => {
      if (settledAtFirstResult < 0) settledAtFirstResult = settled;
      order.push(r.id);
    },
  });
}, 120_000);

afterAll(async () => {
  await target?.close();
});

const withoutTime = (results: readonly CheckResult[]) => results.map(({ durationMs: _, ...r }) => r);

describe('streaming evaluation', () => {
  it('reports results before every data source has arrived', () => {
    expect(settledTotal).toBeGreaterThan(5);
    expect(settledAtFirstResult).toBeGreaterThanOrEqual(0);
    expect(settledAtFirstResult).toBeLessThan(settledTotal);
    expect(order).not.toEqual(CHECKS.map((c) => c.id)); // not simply catalog order
  });

  it('equals one run of the catalog over the final snapshot, in catalog order', () => {
    const snapshot = evaluation.snapshot as Snapshot;
    const batch = runChecks(snapshot, CHECKS);
    expect(evaluation.results.map((r) => r.id)).toEqual(CHECKS.map((c) => c.id));
    expect(withoutTime(evaluation.results)).toEqual(withoutTime(batch.results));
    expect(evaluation.findings).toEqual(batch.findings);
  });

  it('runs a check once all it reads has settled; workload readers wait for every workload kind', async () => {
    const check = (id: string, needs: Check['needs'], optionalNeeds: Check['optionalNeeds'] = []): Check => ({
      id, layer: 'cluster', title: id, severity: 'low', description: '', remediation: '', references: [], needs, optionalNeeds,
      evaluate: () => ({ findings: [] }),
    });
    const ran: string[] = [];
    const stream = new StreamingRun(
      [check('x/ns', ['namespaces']), check('x/ns-opt', ['namespaces'], ['nodes']), check('x/pods', ['pods']), check('x/files', ['files'])],
      ['namespaces', 'nodes', 'pods', 'replicasets'],
      { onResult: (r) => ran.push(r.id) },
    );
    stream.settle('namespaces', { lists: { namespaces: [] } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['x/ns']);
    stream.settle('pods', { lists: { namespaces: [], pods: [] } });
    stream.settle('nodes', { lists: { namespaces: [], pods: [], nodes: [] } });
    await new Promise((resolve) => setImmediate(resolve));
    expect(ran).toEqual(['x/ns', 'x/ns-opt']);
    stream.settle('replicasets', { lists: { namespaces: [], pods: [], nodes: [], replicasets: [] } });
    const out = await stream.finish(new Snapshot({ lists: { namespaces: [], pods: [], nodes: [], replicasets: [] } }));
    expect(ran).toEqual(['x/ns', 'x/ns-opt', 'x/pods', 'x/files']);
    expect(out.results.map((r) => r.id)).toEqual(['x/ns', 'x/ns-opt', 'x/pods', 'x/files']);
  });
});
