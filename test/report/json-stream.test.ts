/** The streamed JSON report is byte for byte the one JSON.stringify would write. */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { demoCluster } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { groupVersion, RESOURCES, type ResourceName } from '../../src/engine/resources.js';
import { runChecks } from '../../src/engine/run.js';
import { Snapshot } from '../../src/engine/snapshot.js';
import { buildReport } from '../../src/report/json.js';
import { jsonReportChunks } from '../../src/report/json-stream.js';

describe('jsonReportChunks', () => {
  it('writes exactly JSON.stringify(report, null, 2) + newline', () => {
    const lists: Partial<Record<ResourceName, K8sObject[]>> = {};
    for (const o of demoCluster()) {
      const info = RESOURCES.find((r) => r.kind === o.kind && groupVersion(r) === o.apiVersion);
      if (info) (lists[info.name] ??= []).push(o);
    }
    const { results, findings } = runChecks(new Snapshot({ lists }), CHECKS);
    const many = Array.from({ length: 3 }, () => findings).flat();
    for (const list of [many, findings.slice(0, 1), []]) {
      const report = buildReport({ version: '1.0.0', target: { namespaces: 'all', context: 'x "quoted"\n' }, startedAt: new Date(0), durationMs: 5, results, findings: list, notices: ['a\u0000findings\u0000 note'] });
      expect([...jsonReportChunks(report)].join('')).toBe(`${JSON.stringify(report, null, 2)}\n`);
    }
    expect(findings.length).toBeGreaterThan(0);
  });
});
