import { findings } from '../../src/engine/helpers.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { activeNamespaces, livePodsByNamespace } from '../../src/engine/qos.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/namespace-resourcequota-missing',
  layer: 'cluster',
  title: 'Namespace without ResourceQuota',
  severity: 'low',
  description:
    'Inspects every non-system namespace that has live pods (phase not Succeeded/Failed) and counts its ResourceQuotas. Fails when there is none: ' +
    'nothing caps how much CPU, memory or how many pods the namespace can take from the cluster. System namespaces are skipped.',
  remediation: 'Create a ResourceQuota in each application namespace that caps requests, memory limits and pod count.',
  references: [
    ref.trivy('KSV-0040'), ref.nsa('Network separation (Resource policies)'),
    ref.doc('Resource quotas', 'https://kubernetes.io/docs/concepts/policy/resource-quotas/'),
  ],
  needs: ['namespaces', 'resourcequotas', 'pods'],
  evaluate: (snapshot) => {
    const pods = livePodsByNamespace(snapshot);
    const quotas = new Set(snapshot.list<K8sObject>('resourcequotas').map((q) => q.metadata?.namespace ?? ''));
    let skipped = 0;
    const out: FindingDraft[] = [];
    for (const ns of activeNamespaces(snapshot)) {
      const count = pods.get(ns) ?? 0;
      if (count === 0 || quotas.has(ns)) continue;
      if (snapshot.isSystemNamespace(ns)) {
        skipped++;
        continue;
      }
      out.push({
        subject: { kind: 'Namespace', name: ns },
        message: `Namespace "${ns}" runs ${count} ${count === 1 ? 'pod' : 'pods'} and has no ResourceQuota: nothing caps the CPU, memory or pod count it can claim`,
        evidence: [
          { path: `namespaces[name=${ns}].resourcequotas`, value: '0' },
          { path: `namespaces[name=${ns}].pods`, value: String(count) },
        ],
        remediation: {
          why: 'Without a quota one namespace (a runaway deployment, a compromised CI token) can claim the whole cluster\'s capacity and starve every other team.',
          fix: 'Create a quota sized from the namespace\'s current usage plus headroom (replace the <…> values), then watch `kubectl describe quota` for pressure.',
          command: command`kubectl -n ${ns} create quota compute ${'--hard=requests.cpu=<cpu>,requests.memory=<memory>,limits.memory=<memory-limit>,pods=<pods>'}`,
        },
      });
    }
    return findings(out, skipped > 0 ? `skipped ${skipped} system namespace(s) without ResourceQuota` : undefined);
  },
};
