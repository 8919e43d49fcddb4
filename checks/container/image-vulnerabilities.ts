import { containerPath, containersOf, describeWorkload, evidence, findings, unable, visitWorkloads, WORKLOAD_OWNERS, workloadSubject, type ContainerRef } from '../../src/engine/helpers.js';
import { runningDigest } from '../../src/engine/images.js';
import type { K8sObject, Pod, PodSpec } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import type { ResourceName } from '../../src/engine/resources.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot, Workload } from '../../src/engine/snapshot.js';
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

/**
 * A Kubescape VulnerabilityManifestSummary (spdx.softwarecomposition.kubescape.io/v1beta1, served by the
 * Kubescape storage aggregated API), the fields read. `relevant` counts only packages loaded at runtime
 * (relevancy); it stays 0 when relevancy is off.
 */
export interface VulnerabilityManifestSummary extends K8sObject {
  readonly spec?: {
    readonly severities?: Partial<Record<'critical' | 'high' | 'medium' | 'low' | 'negligible' | 'unknown', { readonly all?: number; readonly relevant?: number }>>;
    readonly vulnerabilitiesRef?: Partial<Record<'all' | 'relevant', { readonly kind?: string; readonly name?: string; readonly namespace?: string }>>;
  };
}

/**
 * Labels Kubescape sets on a summary to name its workload container. Checked against kubescape's own
 * sources (node-agent's getLabels test and the Kubescape 3.0 announcement's sample object): the kind is the
 * top-level workload kind as in its wlid, e.g. `Deployment` (some versions/tests write it lower-case, so it
 * is compared case-insensitively), the namespace label may be missing (the summary lives in the workload's
 * namespace), and older releases put the container name in an annotation of the same key.
 */
export const KUBESCAPE_LABEL = {
  kind: 'kubescape.io/workload-kind',
  name: 'kubescape.io/workload-name',
  namespace: 'kubescape.io/workload-namespace',
  container: 'kubescape.io/workload-container-name',
  /** Annotation `repo@sha256:…` (the label of the same name is a truncated, sanitised form). */
  imageID: 'kubescape.io/image-id',
} as const;

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

const KIND_CANONICAL = new Map(Object.keys(KIND_LIST).map((k) => [k.toLowerCase(), k]));

/** `kubescape.io/image-id` annotation → `sha256:…`, when it holds a full digest. */
function summaryDigest(s: VulnerabilityManifestSummary): string | undefined {
  return /sha256:[a-f0-9]{64}/.exec(s.metadata?.annotations?.[KUBESCAPE_LABEL.imageID] ?? '')?.[0];
}

/** One scanner's data source, as the collector left it. */
interface Source {
  readonly need: ResourceName;
  readonly what: string;
  readonly resource: string;
  /** Hint when the API is served but holds nothing yet. */
  readonly empty: string;
}

const TRIVY: Source = {
  need: 'vulnerabilityreports', what: 'Trivy Operator VulnerabilityReports', resource: 'vulnerabilityreports.aquasecurity.github.io',
  empty: 'Trivy Operator has not scanned (check kubectl -n trivy-system logs deploy/trivy-operator)',
};
const KUBESCAPE: Source = {
  need: 'vulnerabilitymanifestsummaries', what: 'Kubescape VulnerabilityManifestSummaries', resource: 'vulnerabilitymanifestsummaries.spdx.softwarecomposition.kubescape.io',
  empty: 'Kubescape has not scanned (check kubectl -n kubescape logs deploy/kubevuln)',
};
const INSTALL = 'install Trivy Operator (helm install trivy-operator aqua/trivy-operator -n trivy-system --create-namespace) or enable Kubescape vulnerability scanning (kubescape-operator with capabilities.vulnerabilityScan=enable)';

/** Why a source gave no data: `undefined` when it has data. */
function sourceProblem(snapshot: Snapshot, source: Source): { kind: 'empty' | 'unreadable' | 'not-served'; text: string } | undefined {
  if (snapshot.has(source.need)) {
    return snapshot.list(source.need).length > 0 ? undefined : { kind: 'empty', text: `${source.what} are served but none exists yet: ${source.empty}` };
  }
  const error = snapshot.error(source.need);
  if (error?.code === 'forbidden' || error?.code === 'unauthorized') return { kind: 'unreadable', text: `${error.message}: grant list on ${source.resource}` };
  if (error && error.code !== 'not-served') return { kind: 'unreadable', text: error.message };
  return { kind: 'not-served', text: `${source.what} (${source.resource}) are not served` };
}

function reportTime(r: VulnerabilityReport): number {
  return Date.parse(r.report?.updateTimestamp ?? r.metadata?.creationTimestamp ?? '') || 0;
}

function severityOf(critical: number, high: number): Severity | undefined {
  if (critical > 0) return 'critical';
  if (high > 0) return 'high';
  return undefined;
}

/** Grype matches in the VulnerabilityManifest a summary points to (spec.payload is Grype's JSON document). */
const GRYPE_CRITICAL = '{range .spec.payload.matches[?(@.vulnerability.severity=="Critical")]}{.vulnerability.id}{"\\t"}{.artifact.name}{"\\t"}{.artifact.version}{" -> "}{.vulnerability.fix.versions}{"\\n"}{end}';
const GRYPE_HIGH = GRYPE_CRITICAL.replace('Critical', 'High');

const CRITICAL_IDS = '{range .report.vulnerabilities[?(@.severity=="CRITICAL")]}{.vulnerabilityID}{"\\t"}{.resource}{"\\t"}{.installedVersion}{" -> "}{.fixedVersion}{"\\n"}{end}';
const HIGH_IDS = CRITICAL_IDS.replace('CRITICAL', 'HIGH');

/** The finding for a container judged by Kubescape's summary (no Trivy report), or undefined when clean. */
function kubescapeFinding(workload: Workload, c: ContainerRef, candidates: readonly VulnerabilityManifestSummary[], running: string | undefined): FindingDraft | undefined {
  const created = (s: VulnerabilityManifestSummary) => Date.parse(s.metadata?.creationTimestamp ?? '') || 0;
  const newest = [...candidates].sort((a, b) => created(b) - created(a));
  const summary = newest.find((s) => running !== undefined && summaryDigest(s) === running) ?? (newest[0] as VulnerabilityManifestSummary);
  const sev = summary.spec?.severities ?? {};
  const critical = sev.critical?.all ?? 0;
  const high = sev.high?.all ?? 0;
  const relevantCritical = sev.critical?.relevant ?? 0;
  const relevantHigh = sev.high?.relevant ?? 0;
  const relevancy = (summary.spec?.vulnerabilitiesRef?.relevant?.name ?? '') !== '' || relevantCritical > 0 || relevantHigh > 0;
  const digest = summaryDigest(summary);
  const mismatch = running !== undefined && digest !== undefined && digest !== running;
  const severity = severityOf(critical, high);
  if (!severity && !mismatch) return undefined;

  const name = summary.metadata?.name ?? '';
  const ns = summary.metadata?.namespace ?? workload.namespace;
  const imageText = c.container.image ?? summary.metadata?.labels?.['kubescape.io/image-name'] ?? '';
  const who = `container "${c.container.name}" of ${describeWorkload(workload)}`;
  const source = `Kubescape VulnerabilityManifestSummary "${name}"`;
  const mismatchNote = mismatch ? `the summary scanned ${digest}, but the container runs ${running}` : '';
  const relevant = relevancy ? ` (${relevantCritical} critical and ${relevantHigh} high in packages loaded at runtime)` : '';
  const message = severity
    ? `${who} runs image "${imageText}" with ${critical} critical and ${high} high vulnerabilities${relevant} (${source})${mismatch ? `; ${mismatchNote}` : ''}`
    : `${who}: vulnerability data for image "${imageText}" may be outdated — ${mismatchNote} (${source})`;
  const ev: Evidence[] = [
    evidence(`${containerPath(workload, c)}.image`, imageText),
    evidence(`vulnerabilitymanifestsummaries[${ns}/${name}].spec.severities`, {
      critical: { all: critical, relevant: relevantCritical }, high: { all: high, relevant: relevantHigh },
      medium: { all: sev.medium?.all ?? 0 }, low: { all: sev.low?.all ?? 0 },
    }),
  ];
  if (digest) ev.push(evidence(`vulnerabilitymanifestsummaries[${ns}/${name}].metadata.annotations["${KUBESCAPE_LABEL.imageID}"]`, summary.metadata?.annotations?.[KUBESCAPE_LABEL.imageID] ?? ''));
  const ref = summary.spec?.vulnerabilitiesRef?.all;
  const details = ref?.name
    ? command`kubectl -n ${ref.namespace || ns} get vulnerabilitymanifests.spdx.softwarecomposition.kubescape.io ${ref.name} -o ${`jsonpath=${critical > 0 ? GRYPE_CRITICAL : GRYPE_HIGH}`}`
    : command`kubectl -n ${ns} get vulnerabilitymanifestsummaries.spdx.softwarecomposition.kubescape.io ${name} -o yaml`;
  return {
    subject: workloadSubject(workload, c.container.name),
    ...(severity ? { severity } : { severity: 'low' as const, status: 'warn' as const }),
    message,
    evidence: ev,
    remediation: severity
      ? {
        why: 'Known critical and high vulnerabilities in a running image are the easiest way in: public exploits exist for many of them, and the 4C guidance is to scan images and patch regularly.',
        fix: 'Rebuild on a patched base image and bump the packages that have a fixed version (those loaded at runtime first), redeploy, and gate CI on the scan (see code/container-build-scan-absent). The command lists the findings with their fixed versions.',
        command: details,
      }
      : {
        why: 'Scan data for a different image than the one running hides the vulnerabilities of the running one.',
        fix: 'Let Kubescape rescan the running image: check that kubevuln runs and that continuous scanning is enabled (capabilities.vulnerabilityScan=enable).',
        command: command`kubectl -n ${ns} get vulnerabilitymanifestsummaries.spdx.softwarecomposition.kubescape.io ${name} -o yaml`,
      },
  };
}

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
    '(pod/controller/report creationTimestamp, pod startTime, report updateTimestamp) so results are deterministic. For a container without a Trivy report ' +
    'it reads Kubescape VulnerabilityManifestSummaries (spdx.softwarecomposition.kubescape.io), matched through the labels kubescape.io/workload-{kind,name,namespace,container-name}: ' +
    'critical when spec.severities.critical.all > 0, high when spec.severities.high.all > 0 (the relevant counts — packages loaded at runtime — are reported alongside), ' +
    'warning when the summary\'s kubescape.io/image-id digest differs from the running image. Unable when neither source has data (not served, not readable, or empty).',
  remediation: 'Rebuild the image on a patched base image, bump the vulnerable packages and redeploy; gate builds on scan results.',
  references: [
    ref.fourC('Container Vulnerability Scanning and OS Dependency Security'), ref.kubescape('C-0083'), ref.kubescape('C-0084'), ref.kubescape('C-0085'),
    ref.nsa('Pod security (Building secure container images)'),
    ref.doc('Trivy Operator: VulnerabilityReport', 'https://aquasecurity.github.io/trivy-operator/latest/docs/crds/vulnerability-report/'),
    ref.doc('Kubescape vulnerability scanning', 'https://kubescape.io/docs/operator/vulnerabilities/'),
  ],
  needs: ['pods'],
  optionalNeeds: ['vulnerabilityreports', 'vulnerabilitymanifestsummaries', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const trivyProblem = sourceProblem(snapshot, TRIVY);
    const kubescapeProblem = sourceProblem(snapshot, KUBESCAPE);
    if (trivyProblem && kubescapeProblem) {
      if (trivyProblem.kind === 'not-served' && kubescapeProblem.kind === 'not-served') {
        return unable(`neither ${TRIVY.what} (${TRIVY.resource}) nor ${KUBESCAPE.what} (${KUBESCAPE.resource}) are served: ${INSTALL}`);
      }
      // Lead with what can be acted on (served but empty, not readable) before "not served".
      const order = { unreadable: 0, empty: 1, 'not-served': 2 } as const;
      return unable([trivyProblem, kubescapeProblem].sort((a, b) => order[a.kind] - order[b.kind]).map((p) => p.text).join('; '));
    }
    const reports = snapshot.list<VulnerabilityReport>('vulnerabilityreports');
    const summaries = snapshot.list<VulnerabilityManifestSummary>('vulnerabilitymanifestsummaries');

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

    // Kubescape summaries by top owner and container (used only where Trivy has no report).
    const ksIndex = new Map<string, VulnerabilityManifestSummary[]>();
    for (const s of summaries) {
      const labels = s.metadata?.labels ?? {};
      const rawKind = labels[KUBESCAPE_LABEL.kind];
      const name = labels[KUBESCAPE_LABEL.name];
      const namespace = labels[KUBESCAPE_LABEL.namespace] ?? s.metadata?.namespace ?? '';
      const container = labels[KUBESCAPE_LABEL.container] ?? s.metadata?.annotations?.[KUBESCAPE_LABEL.container];
      if (!rawKind || !name || !container) continue;
      const top = topOf(snapshot, KIND_CANONICAL.get(rawKind.toLowerCase()) ?? rawKind, namespace, name);
      const key = `${top.kind}/${namespace}/${top.name}/${container}`;
      const list = ksIndex.get(key);
      if (list) list.push(s);
      else ksIndex.set(key, [s]);
    }

    const now = snapshotNow(snapshot);
    const podBySpec = new Map<PodSpec, Pod>();
    for (const pod of snapshot.list<Pod>('pods')) if (pod.spec) podBySpec.set(pod.spec, pod);
    const unscanned = new Set<string>();

    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      const out: FindingDraft[] = [];
      for (const c of containersOf(spec)) {
        const key = `${workload.kind}/${workload.namespace}/${workload.name}/${c.container.name}`;
        const candidates = index.get(key) ?? [];
        const running = runningDigest(podBySpec.get(spec), c.container.name);
        if (candidates.length === 0) {
          const ks = ksIndex.get(key) ?? [];
          if (ks.length === 0) unscanned.add(`${workload.kind}/${workload.namespace}/${workload.name}:${c.container.name}`);
          else {
            const draft = kubescapeFinding(workload, c, ks, running);
            if (draft) out.push(draft);
          }
          continue;
        }
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
    const notes: string[] = [];
    if (unscanned.size > 0) notes.push(`${unscanned.size} container(s) have no VulnerabilityReport or VulnerabilityManifestSummary yet`);
    for (const p of [trivyProblem, kubescapeProblem]) if (p?.kind === 'unreadable') notes.push(p.text);
    return findings(drafts, notes.length > 0 ? notes.join('; ') : undefined);
  },
};
