import { evidence, findings } from '../../src/engine/helpers.js';
import type { K8sObject, SecretMeta } from '../../src/engine/k8s.js';
import { RbacIndex } from '../../src/engine/rbac.js';
import { describeGrant, describeRisk, grantRisks, rulePath, serviceAccountGrants } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft, Severity } from '../../src/engine/types.js';

const TOKEN_TYPE = 'kubernetes.io/service-account-token';
const SA_ANNOTATION = 'kubernetes.io/service-account.name';
const INVALID_SINCE = 'kubernetes.io/legacy-token-invalid-since';
const LAST_USED = 'kubernetes.io/legacy-token-last-used';

const WHY = 'A service-account token Secret holds a bearer token that never expires and is readable by anyone who can read Secrets in its namespace; it stays valid until the Secret is deleted.';

export const check: Check = {
  id: 'cluster/legacy-sa-token-secrets',
  layer: 'cluster',
  title: 'Long-lived service-account token Secrets',
  severity: 'medium',
  description:
    'Inspects Secrets of type kubernetes.io/service-account-token (metadata only: name, type, the kubernetes.io/service-account.name annotation ' +
    'and the legacy-token labels; values are never read) and the RBAC grants of the service account each one belongs to. Each is a non-expiring ' +
    'bearer token: high when the account holds a permission the cluster/rbac-* rows flag (cluster-admin equivalent, wildcards, reading Secrets, ' +
    'creating pods, exec, escalate/bind/impersonate, nodes/proxy, admission webhook writes, minting tokens, approving CSRs, creating ' +
    'PersistentVolumes), medium when it holds any other grant beyond default discovery, low otherwise; info when the legacy token cleaner ' +
    'already invalidated it (label kubernetes.io/legacy-token-invalid-since) or its service account no longer exists.',
  remediation: 'Use short-lived tokens (TokenRequest or projected volumes) and delete the token Secret.',
  references: [ref.cis('3.1.2'), ref.cis('5.1.13'), ref.nsa('Protecting Pod service account tokens'),
    ref.doc('Kubernetes: legacy service account token cleaner', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner')],
  needs: ['secrets', 'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['serviceaccounts', 'version'],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const accounts = snapshot.has('serviceaccounts')
      ? new Set(snapshot.list<K8sObject>('serviceaccounts').map((s) => `${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`))
      : undefined;
    const out: FindingDraft[] = [];
    for (const secret of snapshot.list<SecretMeta>('secrets')) {
      if (secret.type !== TOKEN_TYPE) continue;
      const ns = secret.metadata?.namespace ?? '';
      const name = secret.metadata?.name ?? '';
      const labels = secret.metadata?.labels ?? {};
      const sa = secret.metadata?.annotations?.[SA_ANNOTATION] ?? '';
      const invalidSince = labels[INVALID_SINCE];
      const lastUsed = labels[LAST_USED];
      const ev: Evidence[] = [
        evidence('type', TOKEN_TYPE),
        evidence(`metadata.annotations["${SA_ANNOTATION}"]`, sa || '(unset)'),
        ...(lastUsed ? [evidence(`metadata.labels["${LAST_USED}"]`, lastUsed)] : []),
        ...(invalidSince ? [evidence(`metadata.labels["${INVALID_SINCE}"]`, invalidSince)] : []),
      ];
      const account = sa ? `ServiceAccount "${ns}/${sa}"` : 'no service account';
      const used = lastUsed ? `; last used ${lastUsed}` : '';
      const deleteCmd = command`kubectl -n ${ns} delete secret ${name}`;
      const base = { subject: { kind: 'Secret', namespace: ns, name }, evidence: ev };

      const missing = sa !== '' && accounts !== undefined && !accounts.has(`${ns}/${sa}`);
      if (invalidSince !== undefined || missing || sa === '') {
        const why = invalidSince !== undefined
          ? `was invalidated by the legacy token cleaner on ${invalidSince} (it is deleted after the clean-up period)`
          : missing ? `belongs to ${account}, which no longer exists (the token is rejected while --service-account-lookup is on)` : 'names no service account';
        out.push({
          ...base,
          severity: 'info',
          status: 'warn',
          message: `service-account token Secret "${ns}/${name}" ${why}${used}: delete it`,
          remediation: { why: WHY, fix: 'Delete the Secret; nothing can authenticate with it any more.', command: deleteCmd },
        });
        continue;
      }

      const grants = serviceAccountGrants(index, ns, sa);
      const risks = grantRisks(grants, { version: snapshot.version }).filter((r) => r.severity !== 'low' && r.severity !== 'info');
      let severity: Severity;
      let what: string;
      if (risks.length > 0) {
        severity = 'high';
        what = `which can ${risks.slice(0, 3).map(describeRisk).join('; ')}${risks.length > 3 ? `; and ${risks.length - 3} more` : ''}`;
        ev.push(...risks.slice(0, 6).map((r) => evidence(rulePath(r.grant), r.what)));
      } else if (grants.length > 0) {
        severity = 'medium';
        what = `which has RBAC permissions: ${grants.slice(0, 3).map(describeGrant).join('; ')}${grants.length > 3 ? `; and ${grants.length - 3} more` : ''}`;
        ev.push(...grants.slice(0, 6).map((g) => evidence(rulePath(g), g.rule)));
      } else {
        severity = 'low';
        what = 'which has no RBAC permissions beyond default discovery';
      }
      out.push({
        ...base,
        severity,
        message: `Secret "${ns}/${name}" holds a non-expiring token of ${account}, ${what}${used}`,
        remediation: {
          why: WHY,
          fix: 'Move its consumers to short-lived tokens (kubectl create token, the TokenRequest API or a projected serviceAccountToken volume), then delete the Secret.',
          command: [
            '# a short-lived token for a consumer outside the cluster',
            command`kubectl -n ${ns} create token ${sa} --duration=1h`,
            '# then delete the long-lived one',
            deleteCmd,
          ].join('\n'),
        },
      });
    }
    return findings(out, 'no service-account token Secrets');
  },
};
