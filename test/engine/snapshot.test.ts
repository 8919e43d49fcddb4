/** Workload resolution (CHECKS.md §1.4): report once, at the top controller. */
import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

const owner = (kind: string, name: string, uid: string) => ({ ownerReferences: [{ apiVersion: 'v1', kind, name, uid, controller: true }] });
const spec = (image = 'app:1') => ({ containers: [{ name: 'main', image }] });
const pod = (name: string, ns: string, meta: object, opts: { phase?: string; image?: string; labels?: Record<string, string>; created?: string } = {}): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod',
  metadata: { name, namespace: ns, uid: `pod-${name}`, labels: opts.labels, creationTimestamp: opts.created, ...meta },
  spec: spec(opts.image), status: { phase: opts.phase ?? 'Running' },
});
const controller = (apiVersion: string, kind: string, name: string, ns: string, uid: string, extra: object = {}): K8sObject => ({
  apiVersion, kind, metadata: { name, namespace: ns, uid, ...extra },
  spec: kind === 'CronJob' ? { jobTemplate: { spec: { template: { spec: spec() } } } } : { template: { spec: spec() } },
});

function workloads(objects: K8sObject[]) {
  return snapshotFromObjects(objects).snapshot.workloads().map((w) => ({
    id: `${w.kind}/${w.namespace}/${w.name}`, source: w.source, replicas: w.replicas, revisions: w.revisions.length, isStatic: w.isStatic, specPath: w.specPath,
    images: w.revisions.map((r) => r.spec.containers?.[0]?.image),
  }));
}

describe('workload resolution', () => {
  it('resolves Pod → ReplicaSet → Deployment once, counting replicas, newest revision first', () => {
    const rsNew = controller('apps/v1', 'ReplicaSet', 'api-new', 'shop', 'rs-2', { annotations: { 'deployment.kubernetes.io/revision': '2' }, ...owner('Deployment', 'api', 'd-1') });
    const rsOld = controller('apps/v1', 'ReplicaSet', 'api-old', 'shop', 'rs-1', { annotations: { 'deployment.kubernetes.io/revision': '1' }, ...owner('Deployment', 'api', 'd-1') });
    const result = workloads([
      controller('apps/v1', 'Deployment', 'api', 'shop', 'd-1'), rsNew, rsOld,
      pod('a', 'shop', owner('ReplicaSet', 'api-old', 'rs-1'), { image: 'app:1' }),
      pod('b', 'shop', owner('ReplicaSet', 'api-new', 'rs-2'), { image: 'app:2' }),
      pod('c', 'shop', owner('ReplicaSet', 'api-new', 'rs-2'), { image: 'app:2' }),
    ]);
    expect(result).toEqual([{ id: 'Deployment/shop/api', source: 'pods', replicas: 3, revisions: 2, isStatic: false, specPath: 'spec.template.spec', images: ['app:2', 'app:1'] }]);
  });

  it('resolves Pod → Job → CronJob, and StatefulSet, DaemonSet and bare pods to themselves', () => {
    const result = workloads([
      controller('batch/v1', 'CronJob', 'backup', 'ops', 'cj-1'),
      controller('batch/v1', 'Job', 'backup-1', 'ops', 'job-1', owner('CronJob', 'backup', 'cj-1')),
      pod('backup-1-x', 'ops', owner('Job', 'backup-1', 'job-1')),
      controller('apps/v1', 'StatefulSet', 'db', 'data', 'sts-1'),
      pod('db-0', 'data', owner('StatefulSet', 'db', 'sts-1'), { labels: { 'controller-revision-hash': 'db-1' } }),
      pod('db-1', 'data', owner('StatefulSet', 'db', 'sts-1'), { labels: { 'controller-revision-hash': 'db-1' } }),
      controller('apps/v1', 'DaemonSet', 'agent', 'mon', 'ds-1'),
      pod('agent-a', 'mon', owner('DaemonSet', 'agent', 'ds-1')),
      pod('agent-b', 'mon', owner('DaemonSet', 'agent', 'ds-1')),
      pod('debug', 'ops', {}),
    ]);
    expect(result.map((w) => [w.id, w.replicas, w.revisions])).toEqual([
      ['StatefulSet/data/db', 2, 1],
      ['DaemonSet/mon/agent', 2, 1],
      ['CronJob/ops/backup', 1, 1],
      ['Pod/ops/debug', 1, 1],
    ]);
    expect(result.find((w) => w.id === 'CronJob/ops/backup')?.specPath).toBe('spec.jobTemplate.spec.template.spec');
  });

  it('uses templates for controllers with no live pods; completed pods are not live', () => {
    const result = workloads([
      controller('apps/v1', 'Deployment', 'idle', 'shop', 'd-9'),
      controller('batch/v1', 'CronJob', 'nightly', 'ops', 'cj-2'),
      controller('batch/v1', 'Job', 'nightly-1', 'ops', 'job-2', owner('CronJob', 'nightly', 'cj-2')),
      pod('nightly-1-x', 'ops', owner('Job', 'nightly-1', 'job-2'), { phase: 'Succeeded' }),
    ]);
    expect(result.map((w) => [w.id, w.source, w.replicas])).toEqual([
      ['CronJob/ops/nightly', 'template', 0],
      ['Deployment/shop/idle', 'template', 0],
    ]);
  });

  it('stops at an unreadable owner and names it from the owner reference; static pods are marked', () => {
    const result = workloads([
      pod('web-abc', 'shop', owner('ReplicaSet', 'web-5f6', 'rs-x')),
      pod('kube-apiserver-cp1', 'kube-system', { annotations: { 'kubernetes.io/config.mirror': 'h' }, ...owner('Node', 'cp1', 'node-1') }),
    ]);
    expect(result.map((w) => [w.id, w.isStatic])).toEqual([
      ['Pod/kube-system/kube-apiserver-cp1', true],
      ['ReplicaSet/shop/web-5f6', false],
    ]);
  });

  it('classifies system namespaces, prefixes included', () => {
    const { snapshot } = snapshotFromObjects([]);
    expect(snapshot.isSystemNamespace('kube-system')).toBe(true);
    expect(snapshot.isSystemNamespace('gke-managed-cim')).toBe(true);
    expect(snapshot.isSystemNamespace('shop')).toBe(false);
    expect(snapshot.isSystemNamespace(undefined)).toBe(false);
  });
});
