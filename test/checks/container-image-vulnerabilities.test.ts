import { describe, expect, it } from 'vitest';
import { check, snapshotNow } from '../../checks/container/image-vulnerabilities.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import type { DataError } from '../../src/engine/snapshot.js';
import type { DataNeed } from '../../src/engine/types.js';

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

const summary = (name: string, severities: Record<string, { all?: number; relevant?: number }>, extra: { labels?: Record<string, string>; annotations?: Record<string, string>; created?: string } = {}): K8sObject => ({
  apiVersion: 'spdx.softwarecomposition.kubescape.io/v1beta1', kind: 'VulnerabilityManifestSummary',
  metadata: {
    name, namespace: 'shop', ...(extra.created ? { creationTimestamp: extra.created } : {}), ...(extra.annotations ? { annotations: extra.annotations } : {}),
    labels: extra.labels ?? { 'kubescape.io/workload-kind': 'Pod', 'kubescape.io/workload-name': 'web', 'kubescape.io/workload-namespace': 'shop', 'kubescape.io/workload-container-name': 'web' },
  },
  spec: { severities },
});
const notServed = (what: string): DataError => ({ code: 'not-served', status: 404, message: `not served by this cluster: ${what}` });

function runWith(objects: K8sObject[], errors: Partial<Record<DataNeed, DataError>>) {
  return runCheck(check, snapshotFromObjects(objects, { errors }).snapshot);
}

describe('container/image-vulnerabilities: Kubescape VulnerabilityManifestSummaries', () => {
  it('a Trivy report wins over a Kubescape summary for the same container; Kubescape fills containers Trivy has not scanned', () => {
    const twoContainers: K8sObject = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'shop', creationTimestamp: '2026-07-20T00:00:00Z' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'proxy', image: 'envoyproxy/envoy:v1.31.2' }] },
      status: { phase: 'Running' },
    };
    const { findings } = run([
      twoContainers,
      report('r', '2026-07-19T00:00:00Z', { criticalCount: 0, highCount: 0 }),
      summary('pod-web-web', { critical: { all: 9 } }),
      summary('pod-web-proxy', { critical: { all: 0 }, high: { all: 2 } }, { labels: { 'kubescape.io/workload-kind': 'Pod', 'kubescape.io/workload-name': 'web', 'kubescape.io/workload-container-name': 'proxy' } }),
    ]);
    expect(findings.map((f) => [f.subject.container, f.severity, f.message.includes('Kubescape VulnerabilityManifestSummary "pod-web-proxy"')])).toEqual([['proxy', 'high', true]]);
  });

  it('with Trivy not served, a summary whose image-id digest differs from the running image warns (low)', () => {
    const { result, findings } = runWith([
      pod('2026-07-20T00:00:00Z', A),
      summary('pod-web-web', { critical: { all: 0 }, high: { all: 0 } }, { annotations: { 'kubescape.io/image-id': `nginx@${B}` } }),
    ], { vulnerabilityreports: notServed('vulnerabilityreports.aquasecurity.github.io') });
    expect(result.status).toBe('warn');
    expect(findings[0]?.severity).toBe('low');
    expect(findings[0]?.message).toContain(`the summary scanned ${B}, but the container runs ${A}`);
  });

  it('prefers the summary of the running digest; reads the container name from the older annotation form', () => {
    const labels = { 'kubescape.io/workload-kind': 'pod', 'kubescape.io/workload-name': 'web' };
    const { findings } = run([
      pod('2026-07-20T00:00:00Z', A),
      summary('old', { critical: { all: 1 } }, { labels, created: '2026-07-10T00:00:00Z', annotations: { 'kubescape.io/workload-container-name': 'web', 'kubescape.io/image-id': `nginx@${A}` } }),
      summary('new', { critical: { all: 0 } }, { labels, created: '2026-07-19T00:00:00Z', annotations: { 'kubescape.io/workload-container-name': 'web', 'kubescape.io/image-id': `nginx@${B}` } }),
    ]);
    expect(findings.map((f) => [f.severity, f.message.includes('"old"')])).toEqual([['critical', true]]);
  });

  it('without relevancy data the runtime counts are not claimed; without a manifest ref the command shows the summary', () => {
    const { findings } = runWith([pod('2026-07-20T00:00:00Z'), summary('s', { critical: { all: 1, relevant: 0 } })], {});
    expect(findings[0]?.message).not.toContain('loaded at runtime');
    expect(findings[0]?.remediation.command).toBe("kubectl -n 'shop' get vulnerabilitymanifestsummaries.spdx.softwarecomposition.kubescape.io 's' -o yaml");
  });

  it('unable reasons: empty and not-served sources are both explained; any source with data is enough', () => {
    const trivyEmpty = runWith([pod('2026-07-20T00:00:00Z')], { vulnerabilitymanifestsummaries: notServed('vulnerabilitymanifestsummaries') });
    expect(trivyEmpty.result.status).toBe('unable');
    expect(trivyEmpty.result.reason).toMatch(/^Trivy Operator VulnerabilityReports are served but none exists yet.*; Kubescape VulnerabilityManifestSummaries \(vulnerabilitymanifestsummaries\.spdx\.softwarecomposition\.kubescape\.io\) are not served$/);
    const forbiddenKs = runWith([pod('2026-07-20T00:00:00Z'), report('r', '2026-07-19T00:00:00Z', { mediumCount: 1 })], {
      vulnerabilitymanifestsummaries: { code: 'forbidden', status: 403, message: 'missing permission: list vulnerabilitymanifestsummaries.spdx.softwarecomposition.kubescape.io' },
    });
    expect(forbiddenKs.result.status).toBe('pass');
    expect(forbiddenKs.result.reason).toContain('missing permission: list vulnerabilitymanifestsummaries');
  });
});
