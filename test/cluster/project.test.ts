/**
 * The slim projection (src/cluster/project.ts) keeps every field a check reads: the whole
 * catalog over the demo cluster, collected through the embedded API server once with whole
 * objects and once projected, gives exactly the same results and findings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { collect, type CollectResult } from '../../src/cluster/collect.js';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { projectItem } from '../../src/cluster/project.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { runChecks } from '../../src/engine/run.js';
import { Snapshot } from '../../src/engine/snapshot.js';
import { needsOf } from '../../src/scan.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';

/** What a real API server adds to every object: server-side apply bookkeeping. */
function withManagedFields(o: K8sObject): K8sObject {
  const managedFields = [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: o.apiVersion, time: '2026-09-01T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } } }];
  return { ...o, metadata: { ...o.metadata, managedFields } } as K8sObject;
}

let server: ApiServer;
let full: CollectResult;
let slim: CollectResult;

beforeAll(async () => {
  server = await startApiServer({ objects: demoCluster().map(withManagedFields), tls: true, token: 'project-test-token', version: DEMO_VERSION });
  const path = join(mkdtempSync(join(tmpdir(), '4c-project-')), 'kubeconfig');
  await server.writeKubeconfig(path);
  const config = await loadKubeconfig({ path, env: {} });
  const needs = new Set([...needsOf(CHECKS)].filter((n) => n !== 'files'));
  full = await collect(config, { needs, timeoutMs: 30_000, fullObjects: true });
  slim = await collect(config, { needs, timeoutMs: 30_000 });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

function evaluate(input: CollectResult) {
  const snapshot = new Snapshot({ ...input, collectedAt: '2026-10-01T00:00:00Z', config: { trustedRegistries: ['registry.example.com'], untrustedNamespaces: [], configMapContents: true } });
  const { results, findings } = runChecks(snapshot, CHECKS);
  return { results: results.map(({ durationMs: _, ...r }) => r), findings };
}

describe('slim projection', () => {
  it('drops managedFields and pod status noise', () => {
    const pods = slim.lists?.pods ?? [];
    expect(pods.length).toBeGreaterThan(10);
    expect(pods.every((p) => (p.metadata as Record<string, unknown>).managedFields === undefined)).toBe(true);
    expect((full.lists?.pods ?? []).every((p) => (p.metadata as Record<string, unknown>).managedFields !== undefined)).toBe(true);
    expect(JSON.stringify(slim.lists).length).toBeLessThan(JSON.stringify(full.lists).length * 0.9);
  });

  it('gives the same results and findings over the whole catalog as whole objects', () => {
    const a = evaluate(full);
    const b = evaluate(slim);
    expect(a.findings.length).toBeGreaterThan(50);
    expect(b.results).toEqual(a.results);
    expect(b.findings).toEqual(a.findings);
  });

  it('keeps what image checks read from a pod status', () => {
    const pod = projectItem('pods', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', managedFields: [] },
      spec: { containers: [{ name: 'c', image: 'app:1' }] },
      status: { phase: 'Running', podIP: '10.0.0.1', qosClass: 'BestEffort', startTime: '2026-01-01T00:00:00Z', conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [{ name: 'c', image: 'app:1', imageID: 'docker.io/app@sha256:0', ready: true, restartCount: 3, state: { running: {} } }] },
    } as unknown as K8sObject);
    expect(pod).toEqual({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' },
      spec: { containers: [{ name: 'c', image: 'app:1' }] },
      status: { phase: 'Running', qosClass: 'BestEffort', startTime: '2026-01-01T00:00:00Z', containerStatuses: [{ name: 'c', image: 'app:1', imageID: 'docker.io/app@sha256:0' }] },
    });
  });
});
