import { describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { RbacIndex, type Grant } from '../../src/engine/rbac.js';
import { describeGrant, isDirectGrant, podServiceAccount, rulePath, serviceAccountGrants } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence } from '../../src/engine/types.js';

interface ServiceAccount extends K8sObject {
  readonly automountServiceAccountToken?: boolean;
}

const WHY = 'A mounted service-account token is the first thing an attacker uses after code execution in a pod: it authenticates to the API server as the workload.';

export const check: Check = {
  id: 'cluster/sa-token-automount',
  layer: 'cluster',
  title: 'API token mounted where not needed',
  severity: 'low',
  description:
    'Inspects each workload\'s effective token automount (pod spec automountServiceAccountToken if set, else the ServiceAccount\'s field, else true; ' +
    'the kube-api-access projected volume of live pods when the ServiceAccount cannot be read) and the RBAC grants of its service account. ' +
    'Fails (low) when a token is mounted but the account has no grants of its own beyond default discovery, so the token is unused; warns (low) ' +
    'with the account\'s permissions listed when it has some, to confirm the workload calls the API. Accounts that only hold default component ' +
    'bindings (kubeadm, rbac-defaults) are known API users and are not reported.',
  remediation: 'Set automountServiceAccountToken: false in the pod template (or on the service account) of workloads that do not call the API.',
  references: [
    ref.cis('5.1.6'), ref.kubescape('C-0034'), ref.kubescape('C-0190'), ref.kubescape('C-0261'), ref.trivy('KSV-0036'), ref.polaris('automountServiceAccountToken'),
    ref.doc('kubeaudit asat', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/asat.md'), ref.nsa('Protecting Pod service account tokens'),
  ],
  needs: ['pods', 'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['serviceaccounts', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const accounts = snapshot.has('serviceaccounts')
      ? new Map(snapshot.list<ServiceAccount>('serviceaccounts').map((s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`, s]))
      : undefined;
    // Many workloads share an account: look its grants up once.
    const grantsOf = new Map<string, readonly Grant[]>();
    const drafts = visitWorkloads(snapshot, (w, rev) => {
      const spec = rev.spec;
      const ns = w.namespace;
      const sa = podServiceAccount(spec);
      const account = accounts?.get(`${ns}/${sa}`);
      const volume = (spec.volumes ?? []).find((v) => v.name.startsWith('kube-api-access-') && v['projected'] !== undefined)?.name;
      const ev: Evidence[] = [evidence(`${w.specPath}.serviceAccountName`, spec.serviceAccountName ?? '(unset: default)')];
      let mounted: boolean;
      let source: string;
      if (spec.automountServiceAccountToken !== undefined) {
        mounted = spec.automountServiceAccountToken;
        source = `pod spec automountServiceAccountToken=${String(mounted)}`;
        ev.push(evidence(`${w.specPath}.automountServiceAccountToken`, String(mounted)));
      } else if (account?.automountServiceAccountToken !== undefined) {
        mounted = account.automountServiceAccountToken;
        source = `ServiceAccount automountServiceAccountToken=${String(mounted)}`;
        ev.push(evidence(`serviceaccounts[namespace=${ns},name=${sa}].automountServiceAccountToken`, String(mounted)));
      } else if (accounts) {
        // Known account without the field (or an account that does not exist: the pod would not be admitted).
        mounted = true;
        source = 'unset on the pod and the ServiceAccount, which counts as true';
        ev.push(evidence(`${w.specPath}.automountServiceAccountToken`, '(unset)'));
      } else if (w.source === 'pods') {
        mounted = volume !== undefined;
        source = mounted ? 'the pod has the kube-api-access projected volume' : 'no kube-api-access volume';
      } else {
        mounted = true;
        source = 'unset on the pod; the ServiceAccount could not be read, so the default (true) is assumed';
      }
      if (!mounted) return [];
      if (volume) ev.push(evidence(`spec.volumes[name=${volume}] (live pod)`, 'projected service-account token'));

      const key = `${ns}/${sa}`;
      let grants = grantsOf.get(key);
      if (!grants) {
        grants = serviceAccountGrants(index, ns, sa);
        grantsOf.set(key, grants);
      }
      const direct = grants.filter((g) => isDirectGrant(g, ns, sa));
      // Default component bindings (kubeadm's coredns and kube-proxy, rbac-defaults): a known API user.
      if (direct.length > 0 && direct.every((g) => g.exempt)) return [];
      const patch = workloadPatchCommand(w, { automountServiceAccountToken: false });
      const subject = workloadSubject(w);
      if (direct.length === 0) {
        const broad = grants.length > 0 ? ' (grants to every identity or service account are reported by cluster/authenticated-group-overprivileged)' : '';
        return [{
          subject,
          message: `${describeWorkload(w)} mounts an API token of ServiceAccount "${ns ? `${ns}/` : ''}${sa}" (${source}) although the account has no RBAC permissions of its own beyond default discovery${broad}: the token is unused unless the workload presents it elsewhere (e.g. Vault Kubernetes auth)`,
          evidence: ev,
          remediation: {
            why: WHY,
            fix: 'Stop mounting the token in this workload, or on the service account if no pod using it calls the API.',
            command: [
              patch,
              `# or, for every pod using the service account (pods that set the field themselves keep their choice)`,
              command`kubectl -n ${ns} patch serviceaccount ${sa} -p ${'{"automountServiceAccountToken":false}'}`,
            ].join('\n'),
          },
        }];
      }
      const unique = [...new Map(direct.map((g) => [`${rulePath(g)}|${g.namespace ?? ''}`, g])).values()];
      ev.push(...unique.slice(0, 8).map((g) => evidence(rulePath(g), describeGrant(g))));
      return [{
        subject,
        status: 'warn' as const,
        message: `${describeWorkload(w)} mounts an API token of ServiceAccount "${ns ? `${ns}/` : ''}${sa}" (${source}), which has RBAC permissions: ${unique.slice(0, 2).map(describeGrant).join('; ')}${unique.length > 2 ? `; and ${unique.length - 2} more rule(s)` : ''} — confirm the workload calls the API`,
        evidence: ev,
        remediation: {
          why: WHY,
          fix: 'If the workload does not call the Kubernetes API, stop mounting the token; if it does, keep it and make sure the account holds only what it needs.',
          command: [
            '# what the token allows',
            command`kubectl auth can-i --list ${`--as=system:serviceaccount:${ns}:${sa}`} -n ${ns}`,
            '# if the workload does not call the API',
            patch,
          ].join('\n'),
        },
      }];
    });
    return findings(drafts, 'no workload mounts a service-account token it does not need');
  },
};
