import { describe, expect, it } from 'vitest';
import { check, windowsPodReason } from '../../checks/container/root-group.js';
import type { K8sObject, PodSpec } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

describe('windowsPodReason (CHECKS.md §7 trap 5)', () => {
  const node: K8sObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'win-1' }, status: { nodeInfo: { operatingSystem: 'windows' } } };
  const { snapshot } = snapshotFromObjects([node]);
  it.each([
    [{ os: { name: 'windows' } }, 'spec.os.name=windows'],
    [{ nodeSelector: { 'kubernetes.io/os': 'windows' } }, 'nodeSelector kubernetes.io/os=windows'],
    [{ nodeName: 'win-1' }, 'runs on Windows node "win-1"'],
    [{ nodeName: 'linux-1' }, undefined],
    [{ os: { name: 'linux' } }, undefined],
    [{}, undefined],
  ] as [PodSpec, string | undefined][])('%j → %s', (spec, reason) => expect(windowsPodReason(snapshot, spec)).toBe(reason));
});

describe('container/root-group', () => {
  it('patches pod and container groups in one strategic-merge command and keeps non-zero supplementalGroups', () => {
    const deployment: K8sObject = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop', uid: 'd-1' },
      spec: {
        template: {
          spec: {
            securityContext: { fsGroup: 0, supplementalGroups: [0] },
            initContainers: [{ name: 'init', image: 'busybox:1.36', securityContext: { runAsGroup: 0 } }],
            containers: [{ name: 'api', image: 'ghcr.io/acme/api:1', securityContext: { runAsGroup: 0 } }],
          },
        },
      },
    };
    const { findings } = runCheck(check, snapshotFromObjects([deployment]).snapshot);
    expect(findings).toHaveLength(1);
    const json = /-p '(.*)'$/.exec(findings[0]?.remediation.command ?? '')?.[1] ?? '';
    expect(JSON.parse(json)).toEqual({
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'init', securityContext: { runAsGroup: 10001 } }],
            containers: [{ name: 'api', securityContext: { runAsGroup: 10001 } }],
            securityContext: { fsGroup: 10001, supplementalGroups: null },
          },
        },
      },
    });
  });
});
