import { WORKLOAD_OWNERS, describeWorkload, findings, visitWorkloads, workloadSubject } from '../../src/engine/helpers.js';
import { containerDefaults, effectiveRequest, isFinishedJob, isSidecar, podLevel, qosClassOf, resourceContainers, setResourcesCommand, type ContainerDefaults } from '../../src/engine/qos.js';
import { ref } from '../../src/engine/references.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cluster/besteffort-pods',
  layer: 'cluster',
  title: 'Pods with BestEffort QoS or missing requests',
  severity: 'medium',
  description:
    'Computes each workload\'s QoS class from its pod spec as the API does (requests default to limits; templates get the namespace\'s LimitRange ' +
    'defaults first). Fails (medium) when no container sets any CPU or memory request or limit (BestEffort: first to be evicted, no scheduling ' +
    'guarantee); fails (low) for each regular or sidecar container of a Burstable pod without an effective requests.cpu or requests.memory. ' +
    'Static control-plane pods and finished standalone Jobs are skipped.',
  remediation: 'Set CPU and memory requests on every container (from observed usage), or give the namespace a LimitRange with defaultRequest.',
  references: [
    ref.fourC('Quality of Service'), ref.kubescape('C-0268'), ref.kubescape('C-0269'), ref.trivy('KSV-0015'), ref.trivy('KSV-0016'),
    ref.polaris('cpuRequestsMissing'), ref.polaris('memoryRequestsMissing'),
    ref.doc('Pod Quality of Service classes', 'https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/'),
  ],
  needs: ['pods'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'limitranges'],
  evaluate: (snapshot) => {
    const defaultsByNs = new Map<string, ContainerDefaults>();
    const drafts = visitWorkloads(snapshot, (workload, revision) => {
      if (isFinishedJob(snapshot, workload)) return [];
      let nsDefaults = defaultsByNs.get(workload.namespace);
      if (!nsDefaults) defaultsByNs.set(workload.namespace, (nsDefaults = containerDefaults(snapshot, workload.namespace)));
      // Live pods carry what admission did; templates still get the LimitRange defaults.
      const defaults = workload.source === 'template' ? nsDefaults : undefined;
      const spec = revision.spec;
      const out: FindingDraft[] = [];
      if (qosClassOf(spec, defaults) === 'BestEffort') {
        const names = resourceContainers(spec).map((r) => r.container.name);
        out.push({
          subject: workloadSubject(workload),
          discriminator: 'besteffort',
          severity: 'medium',
          message: `${describeWorkload(workload)} runs with QoS class BestEffort: none of its containers (${names.join(', ')}) requests or limits CPU or memory, so it is evicted first under node pressure and scheduled without guarantees`,
          evidence: [
            { path: `${workload.specPath}.containers[*].resources`, value: 'unset' },
            ...(workload.source === 'pods' ? [{ path: 'status.qosClass', value: 'BestEffort' }] : []),
          ],
          remediation: {
            why: 'BestEffort pods are the first to be evicted when a node runs short and the scheduler places them without reserving anything, so they are both fragile and able to crowd out others.',
            fix: 'Set CPU and memory requests (and a memory limit) on every container from observed usage, or add a LimitRange with defaultRequest to the namespace (R-LR).',
            command: setResourcesCommand(workload, undefined, { requests: { cpu: '<cpu>', memory: '<memory>' } }),
          },
        });
        return out;
      }
      const podCovers = (r: 'cpu' | 'memory') => podLevel(spec, 'requests', r) !== undefined || podLevel(spec, 'limits', r) !== undefined;
      for (const c of resourceContainers(spec)) {
        if (c.list === 'initContainers' && !isSidecar(c)) continue;
        const missing = (['cpu', 'memory'] as const).filter((r) => !podCovers(r) && effectiveRequest(c.container, r, defaults).value === undefined);
        if (missing.length === 0) continue;
        const name = c.container.name;
        out.push({
          subject: workloadSubject(workload, name),
          severity: 'low',
          message: `${isSidecar(c) ? 'sidecar container' : 'container'} "${name}" of ${describeWorkload(workload)} (QoS Burstable) has no ${missing.map((r) => `${r} request`).join(' and ')}: the scheduler reserves nothing for it`,
          evidence: missing.map((r) => ({ path: `${workload.specPath}.${c.list}[name=${name}].resources.requests.${r}`, value: 'unset' })),
          remediation: {
            why: 'A container without a request is scheduled as if it used nothing, so nodes get overcommitted and it is among the first to be squeezed or evicted.',
            fix: `Set ${missing.join(' and ')} requests from observed usage.`,
            command: setResourcesCommand(workload, c, { requests: Object.fromEntries(missing.map((r) => [r, `<${r}>`])) }),
          },
        });
      }
      return out;
    });
    return findings(drafts);
  },
};
