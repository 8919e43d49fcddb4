import { controlPlaneFix, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding, type FlagChange } from '../../src/engine/control-plane.js';
import { ref } from '../../src/engine/references.js';
import type { Check, Evidence } from '../../src/engine/types.js';

const POLICY_DIR = '/etc/kubernetes/audit';
const LOG_DIR = '/var/log/kubernetes/audit';
const POLICY = [
  'apiVersion: audit.k8s.io/v1',
  'kind: Policy',
  'omitStages: ["RequestReceived"]',
  'rules:',
  '# never log Secret, ConfigMap or TokenReview bodies: Metadata only',
  '- level: Metadata',
].join('\n');

/** CIS 1.2.17–1.2.19 minimums for file logging; absent (0) means no rotation limit, not a shortfall. */
const RETENTION: readonly (readonly [flag: string, min: number, unit: string])[] = [
  ['audit-log-maxage', 30, 'days'], ['audit-log-maxbackup', 10, 'files'], ['audit-log-maxsize', 100, 'MB'],
];

export const check: Check = {
  id: 'cluster/audit-logging',
  layer: 'cluster',
  title: 'API audit logging not configured',
  severity: 'medium',
  description:
    'Reads the audit flags of every kube-apiserver static pod (D-CP), one finding per control-plane node. Fails (medium) without --audit-policy-file ' +
    '(nothing is logged without a policy) or without both --audit-log-path and --audit-webhook-config-file. Warns (low) when logging to a file ' +
    'with --audit-log-maxage < 30, --audit-log-maxbackup < 10 or --audit-log-maxsize < 100 set explicitly (unset means no rotation limit). The ' +
    'policy content is not visible (CIS 3.2.2). Managed control planes are unable with the provider command (EKS control-plane logging type audit, ' +
    'GKE Cloud Audit Logs, AKS diagnostic settings kube-audit/kube-audit-admin).',
  remediation: 'Give the API server an audit policy and a log path or webhook, with enough retention to investigate incidents.',
  references: [
    ref.cis('1.2.16'), ref.cis('1.2.17'), ref.cis('1.2.18'), ref.cis('1.2.19'), ref.cis('3.2.1'), ref.cis('3.2.2'),
    ref.kubescape('C-0067'), ref.kubescape('C-0130'), ref.kubescape('C-0131'), ref.kubescape('C-0132'), ref.kubescape('C-0133'),
    ref.kubescape('C-0160'), ref.kubescape('C-0161'), ref.kubescape('C-0254'),
    ref.trivy('KCV-0019'), ref.trivy('KCV-0020'), ref.trivy('KCV-0021'), ref.trivy('KCV-0022'), ref.nsa('Audit logging (Logging)'),
  ],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => evaluateControlPlane(snapshot, ['kube-apiserver'], (instance) => {
    const f = instance.flags;
    const policy = (f.get('audit-policy-file') ?? '').trim();
    const logPath = (f.get('audit-log-path') ?? '').trim();
    const webhook = (f.get('audit-webhook-config-file') ?? '').trim();
    const problems: string[] = [];
    const ev: Evidence[] = [];
    const changes: FlagChange[] = [];
    if (!policy) {
      problems.push('no --audit-policy-file (nothing is audited without a policy)');
      ev.push(flagEvidence(instance, 'audit-policy-file'));
      changes.push({ flag: 'audit-policy-file', value: `${POLICY_DIR}/policy.yaml` });
    }
    if (!logPath && !webhook) {
      problems.push('neither --audit-log-path nor --audit-webhook-config-file (no audit backend)');
      ev.push(flagEvidence(instance, 'audit-log-path'), flagEvidence(instance, 'audit-webhook-config-file'));
      changes.push({ flag: 'audit-log-path', value: `${LOG_DIR}/audit.log` });
      for (const [flag, min] of RETENTION) if (!f.has(flag)) changes.push({ flag, value: String(min) });
    }
    if (problems.length > 0) {
      return {
        findings: [instanceFinding(instance, {
          message: `${describeInstance(instance)} does not write an API audit log: ${problems.join('; ')}`,
          evidence: ev,
          remediation: {
            why: 'Without audit logs nobody can tell who read a Secret, created a privileged pod or changed a binding: misuse of the API can be neither detected nor investigated.',
            fix: 'Create a minimal policy that logs everything at Metadata level (never Request/RequestResponse for Secrets, ConfigMaps or TokenReviews, which would copy secret values into the log), mount the policy and log directories, and set the flags on every control-plane node; ship the log off the node.',
            ...controlPlaneFix(snapshot, instance, changes, {
              files: policy ? [] : [{ path: `${POLICY_DIR}/policy.yaml`, content: POLICY }],
              mounts: [
                ...(policy ? [] : [{ name: 'audit-policy', hostPath: POLICY_DIR, mountPath: POLICY_DIR, readOnly: true }]),
                ...(!logPath && !webhook ? [{ name: 'audit-log', hostPath: LOG_DIR, mountPath: LOG_DIR, readOnly: false }] : []),
              ],
            }),
          },
        })],
      };
    }
    const backends = [logPath ? `--audit-log-path=${logPath}` : '', webhook ? `--audit-webhook-config-file=${webhook}` : ''].filter(Boolean).join(', ');
    const note = `policy ${policy} is not visible (verify it logs at least Metadata for all resources and never Request bodies of Secrets); backend ${backends}`;
    if (!logPath || logPath === '-') return { note };
    const short = RETENTION.filter(([flag, min]) => {
      const n = f.number(flag);
      return n !== undefined && n > 0 && n < min;
    });
    if (short.length === 0) return { note };
    return {
      note,
      findings: [instanceFinding(instance, {
        message: `${describeInstance(instance)} keeps little audit history: ${short.map(([flag, min, unit]) => `--${flag}=${f.get(flag) ?? ''} (< ${min} ${unit})`).join(', ')}`,
        severity: 'low',
        status: 'warn',
        evidence: short.map(([flag]) => flagEvidence(instance, flag)),
        remediation: {
          why: 'Incidents are often found weeks later; rotated-away audit files cannot be investigated unless they were shipped elsewhere.',
          fix: 'Raise the retention flags to at least the CIS minimums (or confirm the log is shipped to central storage before rotation).',
          ...controlPlaneFix(snapshot, instance, short.map(([flag, min]) => ({ flag, value: String(min) }))),
        },
      })],
    };
  }, {
    topic: 'audit',
    unavailableNote: (p) => (p.id === 'gcp' ? 'GKE always writes Admin Activity audit logs to Cloud Logging; Data Access logs must be enabled separately' : undefined),
  }),
};
