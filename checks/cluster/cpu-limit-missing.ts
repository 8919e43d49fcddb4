import { WORKLOAD_OWNERS, findings } from '../../src/engine/helpers.js';
import { missingLimitFindings } from '../../src/engine/qos.js';
import { ref } from '../../src/engine/references.js';
import type { Check } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/cpu-limit-missing',
  layer: 'cluster',
  title: 'Containers without a CPU limit',
  severity: 'low',
  description:
    'Inspects resources.limits.cpu of every regular and init container of each workload (live pods, or the template with the namespace\'s ' +
    'LimitRange defaults applied when no pod runs; finished standalone Jobs and static pods are skipped). Fails (low) for each container without a CPU limit. Many operators omit CPU limits on ' +
    'purpose to avoid CFS throttling and rely on requests: disable this check if that is your policy.',
  remediation: 'Set resources.limits.cpu on every container, or disable this check if you rely on CPU requests alone.',
  references: [
    ref.kubescape('C-0050'), ref.kubescape('C-0270'), ref.trivy('KSV-0011'), ref.polaris('cpuLimitsMissing'),
    ref.doc('kubeaudit limits', 'https://github.com/Shopify/kubeaudit/blob/main/docs/auditors/limits.md'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'limitranges'],
  evaluate: (snapshot) => {
    const { drafts, coveredByLimitRange } = missingLimitFindings(snapshot, {
      resource: 'cpu',
      why: 'Without a CPU limit a busy or compromised container can take every idle CPU cycle of the node; requests still guarantee the others their share, so this is a noisy-neighbour risk rather than an outage.',
      placeholder: '<limit>',
    });
    return findings(drafts, coveredByLimitRange > 0 ? `${coveredByLimitRange} template container(s) get their CPU limit from a LimitRange default` : undefined);
  },
};
