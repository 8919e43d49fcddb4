import { WORKLOAD_OWNERS, findings } from '../../src/engine/helpers.js';
import { missingLimitFindings } from '../../src/engine/qos.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/memory-limit-missing',
  layer: 'cluster',
  title: 'Containers without a memory limit',
  severity: 'medium',
  description:
    'Inspects resources.limits.memory of every regular and init container of each workload (live pods, which already carry LimitRange ' +
    'defaults, or the template when no pod runs — then the namespace\'s LimitRange defaults are applied first). Fails for each container ' +
    'without a memory limit. Static control-plane pods and finished standalone Jobs are skipped; findings in system namespaces are scoped as system.',
  remediation: 'Set resources.limits.memory on every container, or give the namespace a LimitRange with a default memory limit.',
  references: [
    ref.fourC('Quality of Service'), ref.kubescape('C-0004'), ref.kubescape('C-0009'), ref.kubescape('C-0271'), ref.trivy('KSV-0018'),
    ref.polaris('memoryLimitsMissing'), ref.doc('kubeaudit limits', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/limits.md'),
    ref.nsa('Network separation (Resource policies)'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'limitranges'],
  evaluate: (snapshot) => {
    const { drafts, coveredByLimitRange } = missingLimitFindings(snapshot, {
      resource: 'memory',
      why: 'Without a memory limit one leaking or attacked container can use all of the node\'s memory: the kernel then OOM-kills or the kubelet evicts other workloads (the 4C page\'s Service A / Service B example).',
      placeholder: '<limit>',
    });
    return findings(drafts, coveredByLimitRange > 0 ? `${coveredByLimitRange} template container(s) get their memory limit from a LimitRange default` : undefined);
  },
};
