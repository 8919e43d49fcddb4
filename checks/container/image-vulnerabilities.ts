import { containerPath, containersOf, describeWorkload, evidence, findings, unable, visitWorkloads, WORKLOAD_OWNERS, workloadSubject } from '../../src/engine/helpers.js';
import { runningDigest } from '../../src/engine/images.js';
import type { K8sObject, Pod, PodSpec } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import type { ResourceName } from '../../src/engine/resources.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft, Severity } from '../../src/engine/types.js';

/** A Trivy Operator VulnerabilityReport (aquasecurity.github.io/v1alpha1), the fields read. */
export interface VulnerabilityReport extends K8sObject {
  readonly report?: {
    readonly artifact?: { readonly repository?: string; readonly tag?: string; readonly digest?: string };
    readonly registry?: { readonly server?: string };
    readonly updateTimestamp?: string;
    readonly summary?: {
      readonly criticalCount?: number;
      readonly highCount?: number;
      readonly mediumCount?: number;
      readonly lowCount?: number;
    };
    readonly vulnerabilities?: readonly {
      readonly vulnerabilityID?: string;
      readonly severity?: string;
      readonly resource?: string;
      readonly installedVersion?: string;
      readonly fixedVersion?: string;
    }[];
  };
}

/** Reports older than this (relative to the snapshot's "now") are stale. */
export const STALE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

export const LABEL = {
  kind: 'trivy-operator.resource.kind',
  name: 'trivy-operator.resource.name',
  namespace: 'trivy-operator.resource.namespace',
  container: 'trivy-operator.container.name',
} as const;

const KIND_LIST: Readonly<Record<string, ResourceName>> = {
  Pod: 'pods', ReplicaSet: 'replicasets', Deployment: 'deployments', StatefulSet: 'statefulsets', DaemonSet: 'daemonsets',
  Job: 'jobs', CronJob: 'cronjobs', ReplicationController: 'replicationcontrollers',
};

/**
 * The snapshot's "now", so the check stays deterministic: the newest creationTimestamp of
 * the pods, controllers and reports read, pods' status.startTime and reports'
 * report.updateTimestamp. Undefined when none is present (then nothing is stale).
 */
export function snapshotNow(snapshot: Snapshot): number | undefined {
  let now: number | undefined;
  const see = (value: unknown) => {
    const t = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isFinite(t) && (now === undefined || t > now)) now = t;
  };
  for (const name of ['pods', 'vulnerabilityreports', ...WORKLOAD_OWNERS] as const) {
    for (const obj of snapshot.list(name as ResourceName)) {
      see(obj.metadata?.creationTimestamp);
      const status = obj['status'] as { startTime?: unknown } | undefined;
      see(status?.startTime);
      see((obj as VulnerabilityReport).report?.updateTimestamp);
    }
  }
  return now;
}

/** The top owner (kind/name) of the object a report names: a ReplicaSet's Deployment, a Job's CronJob. */
function topOf(snapshot: Snapshot, kind: string, namespace: string, name: string): { kind: string; name: string } {
  const list = KIND_LIST[kind];
  let obj = list ? snapshot.list(list).find((o) => o.metadata?.namespace === namespace && o.metadata.name === name) : undefined;
  if (!obj) return { kind, name };
  const seen = new Set<string>();
  for (;;) {
    const ctrl = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
    if (!ctrl || ctrl.kind === 'Node' || seen.has(ctrl.uid)) return { kind: obj.kind ?? kind, name: obj.metadata?.name ?? name };
    seen.add(ctrl.uid);
    const owner = snapshot.byUid(ctrl.uid);
    if (!owner) return { kind: ctrl.kind, name: ctrl.name };
    obj = owner;
  }
}

function reportTime(r: VulnerabilityReport): number {
  return Date.parse(r.report?.updateTimestamp ?? r.metadata?.creationTimestamp ?? '') || 0;
}

function severityOf(critical: number, high: number): Severity | undefined {
  if (critical > 0) return 'critical';
  if (high > 0) return 'high';
  return undefined;
}

const CRITICAL_IDS = '{range .report.vulnerabilities[?(@.severity=="CRITICAL")]}{.vulnerabilityID}{"\\t"}{.resource}{"\\t"}{.installedVersion}{" -> "}{.fixedVersion}{"\\n"}{end}';
const HIGH_IDS = CRITICAL_IDS.replace('CRITICAL', 'HIGH');

export const check: Check = {
  id: 'container/image-vulnerabilities',
  layer: 'container',
  title: 'Known vulnerabilities in running images',
  severity: 'high',
  description:
    'Reads Trivy Operator VulnerabilityReports (aquasecurity.github.io) and matches them to each workload container through the labels ' +
    'trivy-operator.resource.{kind,name,namespace} (resolved to the top owner, e.g. ReplicaSet → Deployment) and trivy-operator.container.name, preferring the report ' +
    'whose artifact digest equals the running imageID. Severity is dynamic: critical when report.summary.criticalCount > 0, high when highCount > 0. ' +
    `Warns (low) when the report is older than ${STALE_DAYS} days or its digest differs from the running image; "now" is the newest timestamp in the snapshot ` +
    '(pod/controller/report creationTimestamp, pod startTime, report updateTimestamp) so results are deterministic. Unable when the reports are not served.',
  remediation: 'Rebuild the image on a patched base image, bump the vulnerable packages and redeploy; gate builds on scan results.',
  references: [
    ref.fourC('Container Vulnerability Scanning and OS Dependency Security'), ref.kubescape('C-0083'), ref.kubescape('C-0084'), ref.kubescape('C-0085'),
    ref.nsa('Pod security (Building secure container images)'),
    ref.doc('Trivy Operator: VulnerabilityReport', 'https://aquasecurity.github.io/trivy-operator/latest/docs/crds/vulnerability-report/'),
  ],
  needs: ['pods'],
  optionalNeeds: ['vulnerabilityreports', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    if (!snapshot.has('vulnerabilityreports')) {
      const error = snapshot.error('vulnerabilityreports');
      const install = 'install Trivy Operator (helm install trivy-operator aqua/trivy-operator -n trivy-system --create-namespace) or enable Kubescape vulnerability scanning (kubescape-operator with capabilities.vulnerabilityScan=enable)';
      if (error?.code === 'forbidden' || error?.code === 'unauthorized') return unable(`${error.message}: grant list on vulnerabilityreports.aquasecurity.github.io`);
      if (error && error.code !== 'not-served') return unable(error.message);
      return unable(`Trivy Operator VulnerabilityReports (vulnerabilityreports.aquasecurity.github.io) are not served: ${install}`);
    }
    const reports = snapshot.list<VulnerabilityReport>('vulnerabilityreports');
    if (reports.length === 0) {
      return unable('VulnerabilityReports are served but none exists yet: Trivy Operator has not scanned (check kubectl -n trivy-system logs deploy/trivy-operator)');
    }

    // Reports by top owner and container.
    const index = new Map<string, VulnerabilityReport[]>();
    for (const r of reports) {
      const labels = r.metadata?.labels ?? {};
      const kind = labels[LABEL.kind];
      const name = labels[LABEL.name];
      const namespace = labels[LABEL.namespace] ?? r.metadata?.namespace ?? '';
      const container = labels[LABEL.container];
      if (!kind || !name || !container) continue;
      const top = topOf(snapshot, kind, namespace, name);
      const key = `${top.kind}/${namespace}/${top.name}/${container}`;
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }

    const now = snapshotNow(snapshot);
    const podBySpec = new Map<PodSpec, Pod>();
    for (const pod of snapshot.list<Pod>('pods')) if (pod.spec) podBySpec.set(pod.spec, pod);
    const unscanned = new Set<string>();

    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      const out: FindingDraft[] = [];
      for (const c of containersOf(spec)) {
        const candidates = index.get(`${workload.kind}/${workload.namespace}/${workload.name}/${c.container.name}`) ?? [];
        if (candidates.length === 0) {
          unscanned.add(`${workload.kind}/${workload.namespace}/${workload.name}:${c.container.name}`);
          continue;
        }
        const running = runningDigest(podBySpec.get(spec), c.container.name);
        const newest = [...candidates].sort((a, b) => reportTime(b) - reportTime(a));
        const report = newest.find((r) => running !== undefined && r.report?.artifact?.digest === running) ?? (newest[0] as VulnerabilityReport);
        const summary = report.report?.summary ?? {};
        const critical = summary.criticalCount ?? 0;
        const high = summary.highCount ?? 0;
        const vulns = report.report?.vulnerabilities ?? [];
        const fixable = (sev: string) => vulns.filter((v) => v.severity === sev && (v.fixedVersion ?? '') !== '').length;
        const ids = (sev: string) => vulns.filter((v) => v.severity === sev).map((v) => v.vulnerabilityID ?? '').filter(Boolean);

        const age = now !== undefined ? Math.floor((now - reportTime(report)) / DAY_MS) : 0;
        const stale = reportTime(report) > 0 && age > STALE_DAYS;
        const digest = report.report?.artifact?.digest;
        const mismatch = running !== undefined && digest !== undefined && digest !== '' && digest !== running;
        const severity = severityOf(critical, high);
        if (!severity && !stale && !mismatch) continue;

        const reportName = report.metadata?.name ?? '';
        const artifact = report.report?.artifact;
        const imageText = c.container.image ?? `${artifact?.repository ?? ''}${artifact?.tag ? `:${artifact.tag}` : ''}`;
        const notes: string[] = [];
        if (stale) notes.push(`the report is ${age} days old (updated ${report.report?.updateTimestamp ?? report.metadata?.creationTimestamp ?? '?'})`);
        if (mismatch) notes.push(`the report scanned ${digest}, but the container runs ${running}`);
        const counts = severity
          ? `${critical} critical${critical > 0 && fixable('CRITICAL') > 0 ? ` (${fixable('CRITICAL')} with a fixed version)` : ''} and ${high} high${high > 0 && fixable('HIGH') > 0 ? ` (${fixable('HIGH')} with a fixed version)` : ''} vulnerabilities`
          : '';
        const who = `container "${c.container.name}" of ${describeWorkload(workload)}`;
        const message = severity
          ? `${who} runs image "${imageText}" with ${counts} (VulnerabilityReport "${reportName}")${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`
          : `${who}: vulnerability data for image "${imageText}" may be outdated — ${notes.join('; ')} (VulnerabilityReport "${reportName}")`;

        const ev: Evidence[] = [
          evidence(`${containerPath(workload, c)}.image`, imageText),
          evidence(`vulnerabilityreports[${report.metadata?.namespace ?? ''}/${reportName}].report.summary`, { criticalCount: critical, highCount: high, mediumCount: summary.mediumCount ?? 0, lowCount: summary.lowCount ?? 0 }),
        ];
        const top = [...ids('CRITICAL'), ...ids('HIGH')].slice(0, 5);
        if (top.length > 0) ev.push(evidence(`vulnerabilityreports[${report.metadata?.namespace ?? ''}/${reportName}].report.vulnerabilities`, top.join(', ')));
        if (report.report?.updateTimestamp) ev.push(evidence(`vulnerabilityreports[${report.metadata?.namespace ?? ''}/${reportName}].report.updateTimestamp`, report.report.updateTimestamp));

        const ns = report.metadata?.namespace ?? workload.namespace;
        out.push({
          subject: workloadSubject(workload, c.container.name),
          ...(severity ? { severity } : { severity: 'low' as const, status: 'warn' as const }),
          message,
          evidence: ev,
          remediation: severity
            ? {
              why: 'Known critical and high vulnerabilities in a running image are the easiest way in: public exploits exist for many of them, and the 4C guidance is to scan images and patch regularly.',
              fix: 'Rebuild on a patched base image and bump the packages that have a fixed version, redeploy, and gate CI on the scan (see code/container-build-scan-absent). The command lists the findings with their fixed versions.',
              command: command`kubectl -n ${ns} get vulnerabilityreports.aquasecurity.github.io ${reportName} -o ${`jsonpath=${critical > 0 ? CRITICAL_IDS : HIGH_IDS}`}`,
            }
            : {
              why: 'Stale or mismatched scan data hides vulnerabilities published since the scan, or belongs to a different image than the one running.',
              fix: 'Let Trivy Operator rescan: delete the report (it is recreated) and check that the operator is running and its report TTL is shorter than a week.',
              command: command`kubectl -n ${ns} delete vulnerabilityreports.aquasecurity.github.io ${reportName}`,
            },
        });
      }
      return out;
    });
    return findings(drafts, unscanned.size > 0 ? `${unscanned.size} container(s) have no VulnerabilityReport yet` : undefined);
  },
};
