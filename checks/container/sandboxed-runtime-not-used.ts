import { describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { K8sObject, Namespace } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

interface RuntimeClass extends K8sObject {
  readonly handler?: string;
}

/** CHECKS.md row: a RuntimeClass is sandboxed when its handler or name matches this. */
export const SANDBOXED = /(runsc|gvisor|kata|firecracker|vm-isolation|hypervisor)/i;

export function isSandboxed(rc: RuntimeClass): boolean {
  return SANDBOXED.test(rc.handler ?? '') || SANDBOXED.test(rc.metadata?.name ?? '');
}

/**
 * Is `namespace` one of the configured untrusted namespaces? An entry is a name, a prefix
 * ending in `*`, or a label requirement `key=value` / `key` matched against the namespace's labels.
 */
export function isUntrusted(entries: readonly string[], namespace: string, labels: Readonly<Record<string, string>>): boolean {
  return entries.some((raw) => {
    const entry = raw.trim();
    if (entry === '') return false;
    if (entry.endsWith('*')) return namespace.startsWith(entry.slice(0, -1));
    const eq = entry.indexOf('=');
    if (eq > 0) return labels[entry.slice(0, eq).trim()] === entry.slice(eq + 1).trim().replace(/^=/, '');
    if (entry.includes('/') || entry.includes('.')) return entry in labels; // a label key alone: "exists"
    return entry === namespace;
  });
}

function labelsOf(snapshot: Snapshot): Map<string, Readonly<Record<string, string>>> {
  const out = new Map<string, Readonly<Record<string, string>>>();
  for (const ns of snapshot.list<Namespace>('namespaces')) {
    const name = ns.metadata?.name;
    if (name) out.set(name, { ...(ns.metadata?.labels ?? {}), 'kubernetes.io/metadata.name': name });
  }
  return out;
}

export const check: Check = {
  id: 'container/sandboxed-runtime-not-used',
  layer: 'container',
  title: 'Untrusted workloads not sandboxed',
  severity: 'low',
  description:
    'Reads RuntimeClasses (sandboxed when handler or name matches runsc, gvisor, kata, firecracker, vm-isolation or hypervisor) and spec.runtimeClassName of every workload. ' +
    'Fails (low) when the settings list untrustedNamespaces is configured (names, "prefix*" or label "key=value") and a workload there does not use a sandboxed RuntimeClass; ' +
    'fails (info) when a workload names a RuntimeClass that does not exist. Without untrustedNamespaces the check is not applicable and lists what is in use.',
  remediation: 'Run less-trusted workloads with a sandboxed RuntimeClass such as gVisor (runsc) or Kata Containers.',
  references: [
    ref.fourC('Use container runtime with stronger isolation'), ref.nsa('Pod security (Hardening container environments)'),
    ref.doc('Pod Security Standards FAQ: sandboxed Pods', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#what-about-sandboxed-pods'),
    ref.doc('Kubernetes RuntimeClass', 'https://kubernetes.io/docs/concepts/containers/runtime-class/'),
    ref.kubescape('C-0297'), ref.kubescape('C-0242'), ref.kubescape('C-0249'), ref.kubescape('C-0233'),
  ],
  needs: ['runtimeclasses', 'pods'],
  optionalNeeds: ['namespaces', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const classes = new Map<string, RuntimeClass>();
    for (const rc of snapshot.list<RuntimeClass>('runtimeclasses')) if (rc.metadata?.name) classes.set(rc.metadata.name, rc);
    const sandboxed = [...classes.values()].filter(isSandboxed).map((rc) => rc.metadata?.name ?? '').sort();
    const entries = snapshot.config.untrustedNamespaces.filter((e) => e.trim() !== '');
    const nsLabels = labelsOf(snapshot);
    const suggested = sandboxed[0];

    const usingSandbox = new Set<string>();
    const drafts = visitWorkloads(snapshot, (workload, { spec }) => {
      const name = spec.runtimeClassName;
      const rc = name !== undefined ? classes.get(name) : undefined;
      const path = `${workload.specPath}.runtimeClassName`;
      if (rc && isSandboxed(rc)) {
        usingSandbox.add(`${workload.kind}/${workload.namespace}/${workload.name}`);
        return [];
      }
      const out: FindingDraft[] = [];
      if (name !== undefined && !rc) {
        out.push({
          subject: workloadSubject(workload),
          severity: 'info',
          discriminator: 'missing',
          message: `${describeWorkload(workload)} sets ${path}="${name}", but no RuntimeClass "${name}" exists: its pods are rejected at admission or cannot start`,
          evidence: [evidence(path, name)],
          remediation: {
            why: 'A pod whose RuntimeClass does not exist is rejected or stays Pending; if the class was meant to sandbox it, the isolation is missing too.',
            fix: `Create RuntimeClass "${name}" (manifest below) with the handler the nodes' container runtime provides (e.g. runsc for gVisor, kata for Kata Containers), or correct runtimeClassName to one of the existing classes (command).`,
            command: 'kubectl get runtimeclasses.node.k8s.io',
            patch: ['apiVersion: node.k8s.io/v1', 'kind: RuntimeClass', 'metadata:', `  name: ${JSON.stringify(name)}`, 'handler: <handler configured in the node runtime, e.g. runsc or kata>', ''].join('\n'),
          },
        });
      }
      const labels = nsLabels.get(workload.namespace) ?? { 'kubernetes.io/metadata.name': workload.namespace };
      if (entries.length > 0 && isUntrusted(entries, workload.namespace, labels)) {
        const current = name === undefined ? 'does not set runtimeClassName (the node\'s default runtime)' : `uses RuntimeClass "${name}"${rc ? ` (handler "${rc.handler ?? ''}", not sandboxed)` : ''}`;
        out.push({
          subject: workloadSubject(workload),
          discriminator: 'untrusted',
          message: `${describeWorkload(workload)} runs in untrusted namespace "${workload.namespace}" and ${current}`,
          evidence: [evidence(path, name ?? '<unset>')],
          remediation: {
            why: 'Containers share the node kernel: one kernel exploit from a less-trusted workload compromises the node. Sandboxed runtimes (gVisor, Kata) put a user-space kernel or a VM between the workload and the host.',
            fix: suggested
              ? `Set runtimeClassName to the sandboxed RuntimeClass "${suggested}" (check that its handler is installed on the nodes the pods can schedule to).`
              : 'No sandboxed RuntimeClass exists: install gVisor or Kata Containers on a node pool, create a RuntimeClass (handler: runsc or kata, with scheduling.nodeSelector for that pool), then set runtimeClassName; replace <runtime-class> in the command.',
            command: workloadPatchCommand(workload, { runtimeClassName: suggested ?? '<runtime-class>' }),
          },
        });
      }
      return out;
    });

    const inventory = `${sandboxed.length} sandboxed RuntimeClass(es)${sandboxed.length > 0 ? ` (${sandboxed.join(', ')})` : ''}; ${usingSandbox.size} workload(s) use them`;
    if (entries.length === 0) {
      return {
        findings: drafts,
        status: 'not-applicable',
        reason: `no untrusted namespaces configured (settings untrustedNamespaces: names, "prefix*" or "label=value"); ${inventory}`,
      };
    }
    return findings(drafts, inventory);
  },
};
