import { describe, expect, it } from 'vitest';
import { check, snapshotNow } from '../../checks/container/image-vulnerabilities.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;

const pod = (created: string, imageID?: string): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', creationTimestamp: created },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
  status: { phase: 'Running', ...(imageID ? { containerStatuses: [{ name: 'web', imageID: `docker-pullable://nginx@${imageID}` }] } : {}) },
});

const report = (name: string, updated: string, summary: Record<string, number>, digest?: string): K8sObject => ({
  apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'VulnerabilityReport',
  metadata: {
    name, namespace: 'shop',
    labels: { 'trivy-operator.resource.kind': 'Pod', 'trivy-operator.resource.name': 'web', 'trivy-operator.resource.namespace': 'shop', 'trivy-operator.container.name': 'web' },
  },
  report: { updateTimestamp: updated, summary, ...(digest ? { artifact: { repository: 'library/nginx', tag: '1.27', digest } } : {}) },
});

function run(objects: K8sObject[]) {
  const { snapshot } = snapshotFromObjects(objects);
  return { snapshot, ...runCheck(check, snapshot) };
}

describe('container/image-vulnerabilities', () => {
  it('"now" is the newest timestamp in the snapshot, so results do not depend on the wall clock', () => {
    const { snapshot } = run([pod('2026-07-20T00:00:00Z'), report('r', '2026-07-21T12:00:00Z', {})]);
    expect(snapshotNow(snapshot)).toBe(Date.parse('2026-07-21T12:00:00Z'));
    expect(snapshotNow(snapshotFromObjects([]).snapshot)).toBeUndefined();
  });

  it('prefers the report of the running digest over a newer report of another digest', () => {
    const { findings } = run([
      pod('2026-07-20T00:00:00Z', A),
      report('old-build', '2026-07-19T00:00:00Z', { criticalCount: 2, highCount: 0 }, A),
      report('new-build', '2026-07-20T00:00:00Z', { criticalCount: 0, highCount: 0 }, B),
    ]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.message).toContain('"old-build"');
  });

  it('without a digest match, the newest report wins', () => {
    const { findings } = run([
      pod('2026-07-20T00:00:00Z'),
      report('older', '2026-07-18T00:00:00Z', { criticalCount: 5 }),
      report('newer', '2026-07-19T00:00:00Z', { highCount: 1 }),
    ]);
    expect(findings.map((f) => [f.severity, f.message.includes('"newer"')])).toEqual([['high', true]]);
  });

  it('critical findings keep their severity and add the staleness note', () => {
    const { findings } = run([pod('2026-07-20T00:00:00Z'), report('r', '2026-07-01T00:00:00Z', { criticalCount: 1 })]);
    expect(findings[0]?.severity).toBe('critical');
    expect(findings[0]?.status).toBe('fail');
    expect(findings[0]?.message).toContain('the report is 19 days old');
  });

  it('exactly 7 days is not stale; 8 days is', () => {
    expect(run([pod('2026-07-20T00:00:00Z'), report('r', '2026-07-13T00:00:00Z', { mediumCount: 3 })]).result.status).toBe('pass');
    expect(run([pod('2026-07-21T00:00:00Z'), report('r', '2026-07-13T00:00:00Z', { mediumCount: 3 })]).result.status).toBe('warn');
  });

  it('a report for a Job resolves to its CronJob', () => {
    const cronjob: K8sObject = {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'backup', namespace: 'ops', uid: 'cj-1' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'alpine:3.18' }] } } } } },
    };
    const job: K8sObject = {
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'backup-1', namespace: 'ops', uid: 'j-1', ownerReferences: [{ kind: 'CronJob', name: 'backup', uid: 'cj-1', controller: true }] },
    };
    const r: K8sObject = {
      apiVersion: 'aquasecurity.github.io/v1alpha1', kind: 'VulnerabilityReport',
      metadata: { name: 'job-backup-1-b', namespace: 'ops', labels: { 'trivy-operator.resource.kind': 'Job', 'trivy-operator.resource.name': 'backup-1', 'trivy-operator.resource.namespace': 'ops', 'trivy-operator.container.name': 'b' } },
      report: { summary: { criticalCount: 1 } },
    };
    const { findings } = run([cronjob, job, r]);
    expect(findings.map((f) => `${f.subject.kind}/${f.subject.name}:${f.subject.container}`)).toEqual(['CronJob/backup:b']);
  });
});
