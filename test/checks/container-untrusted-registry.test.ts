import { describe, expect, it } from 'vitest';
import { check, legacyReplacement } from '../../checks/container/untrusted-registry.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import { DEFAULT_CHECK_CONFIG } from '../../src/engine/snapshot.js';

const pod = (name: string, images: string[]): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop' },
  spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) }, status: { phase: 'Running' },
});

function run(objects: K8sObject[], trustedRegistries: string[] = []) {
  const { snapshot } = snapshotFromObjects(objects, { config: { ...DEFAULT_CHECK_CONFIG, trustedRegistries } });
  return runCheck(check, snapshot);
}

describe('container/untrusted-registry', () => {
  it('without an allowlist is not applicable and inventories registries, most used first, with how to configure', () => {
    const { result, findings } = run([pod('a', ['nginx:1.27', 'redis:7.4', 'ghcr.io/acme/api:1']), pod('b', ['quay.io/prometheus/node-exporter:v1.8.2'])]);
    expect(findings).toHaveLength(0);
    expect(result.status).toBe('not-applicable');
    expect(result.reason).toContain('trustedRegistries');
    expect(result.reason).toContain('registries in use: docker.io (2 containers), ghcr.io (1 container), quay.io (1 container)');
  });

  it('an allowlist of blank entries counts as none', () => {
    expect(run([pod('a', ['nginx:1.27'])], ['  ', '']).result.status).toBe('not-applicable');
  });

  it('counts each workload once, not per replica', () => {
    const rs = (n: string): K8sObject => ({ ...pod(n, ['nginx:1.27']), metadata: { name: n, namespace: 'shop', ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true }] } });
    const { findings } = run([rs('web-1-a'), rs('web-1-b'), rs('web-1-c')], ['quay.io']);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.subject).toMatchObject({ kind: 'ReplicaSet', name: 'web-1' });
  });

  it('k8s.gcr.io suggests the same path on registry.k8s.io', () => {
    expect(legacyReplacement('k8s.gcr.io/pause:3.2')).toBe('registry.k8s.io/pause:3.2');
    expect(legacyReplacement('k8s.gcr.io/metrics-server/metrics-server:v0.6.1')).toBe('registry.k8s.io/metrics-server/metrics-server:v0.6.1');
    const { findings } = run([pod('a', ['k8s.gcr.io/pause:3.2'])]);
    expect(findings[0]?.status).toBe('warn');
    expect(findings[0]?.remediation.command).toBe(`kubectl -n 'shop' set image 'pod/a' 'c0=registry.k8s.io/pause:3.2'`);
  });

  it('ephemeral containers are reported without a command (they cannot be changed)', () => {
    const p: K8sObject = { ...pod('a', ['quay.io/x:1']), spec: { containers: [{ name: 'app', image: 'quay.io/x:1' }], ephemeralContainers: [{ name: 'dbg', image: 'busybox:1.36' }] } };
    const { findings } = run([p], ['quay.io']);
    expect(findings.map((f) => f.subject.container)).toEqual(['dbg']);
    expect(findings[0]?.remediation.command).toBeUndefined();
  });
});
