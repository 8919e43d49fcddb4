/**
 * Property tests over the whole catalog (issue 9): for arbitrary well-typed clusters — pods,
 * controllers, RBAC, network policies, services, ingresses, namespaces, hostile strings
 * included — no check errors, every finding names an object that exists in the snapshot, and
 * two runs over the same objects give the same results.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { RESOURCES } from '../../src/engine/resources.js';
import { runChecks } from '../../src/engine/run.js';
import { clusterObjects } from './arbitraries.js';

const KINDS = new Set<string>(RESOURCES.map((r) => r.kind));
const FIXED = { version: { major: '1', minor: '33', gitVersion: 'v1.33.4' }, clusterInfo: null } as const;

function run(objects: readonly K8sObject[]) {
  const { snapshot } = snapshotFromObjects(structuredClone(objects) as K8sObject[], FIXED);
  return runChecks(snapshot, CHECKS);
}

describe('every check over arbitrary clusters', () => {
  it('never errors, names only existing objects and is deterministic', () => {
    fc.assert(
      fc.property(clusterObjects, (objects) => {
        const first = run(objects);
        const errors = first.results.filter((r) => r.status === 'error');
        expect(errors.map((r) => `${r.id}: ${r.reason}`)).toEqual([]);

        const present = new Set(objects.map((o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
        const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter(Boolean));
        for (const f of first.findings) {
          const s = f.subject;
          if (!KINDS.has(s.kind)) continue; // cluster-wide pseudo subjects (Cluster, KubeletConfiguration…)
          if (s.kind === 'Namespace' && namespaces.has(s.name)) continue; // a namespace that holds objects
          if (s.kind === 'ServiceAccount' && s.name === 'default') continue; // every namespace has one, listed or not
          expect(present.has(`${s.kind}/${s.namespace ?? ''}/${s.name}`), `${f.checkId} names ${s.kind}/${s.namespace ?? ''}/${s.name}`).toBe(true);
        }

        const second = run(objects);
        const strip = (r: typeof first) => JSON.stringify({ results: r.results.map(({ durationMs: _d, ...rest }) => rest), findings: r.findings });
        expect(strip(second)).toBe(strip(first));
      }),
      { numRuns: 200, seed: 20261128 },
    );
  });
});
