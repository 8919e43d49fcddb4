import { findings } from '../../src/engine/helpers.js';
import type { Node, Pod } from '../../src/engine/k8s.js';
import { parseKubeVersion, serverVersion, type ParsedVersion } from '../../src/engine/k8s-versions.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Snapshot } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

/** The oldest API server: GET /version, and the image tags of visible kube-apiserver mirror pods (HA upgrades in flight). */
function oldestApiServer(snapshot: Snapshot): { version: ParsedVersion; source: string } | undefined {
  const candidates: { version: ParsedVersion; source: string }[] = [];
  const fromApi = serverVersion(snapshot.version);
  if (fromApi) candidates.push({ version: fromApi, source: `version ${snapshot.version?.gitVersion ?? ''}` });
  for (const pod of snapshot.list<Pod>('pods')) {
    const meta = pod.metadata;
    if (meta?.namespace !== 'kube-system' || meta.labels?.['component'] !== 'kube-apiserver') continue;
    if (meta.annotations?.['kubernetes.io/config.mirror'] === undefined && !meta.ownerReferences?.some((r) => r.kind === 'Node')) continue;
    const image = (pod.spec?.containers ?? []).find((c) => c.name === 'kube-apiserver')?.image ?? '';
    const tag = /:(v?\d+\.\d+[^@]*)(?:@|$)/.exec(image)?.[1];
    const v = parseKubeVersion(tag);
    if (v) candidates.push({ version: v, source: `pod kube-system/${meta.name ?? ''} image ${image}` });
  }
  return candidates.sort((a, b) => a.version.major - b.version.major || a.version.minor - b.version.minor)[0];
}

export const check: Check = {
  id: 'cluster/node-version-skew',
  layer: 'cluster',
  title: 'Kubelet version skew beyond policy',
  severity: 'low',
  description:
    'Compares each node\'s status.nodeInfo.kubeletVersion with the oldest API server (GET /version, and kube-apiserver static pod images when visible). ' +
    'Fails when a kubelet\'s minor is newer than the API server\'s, or more than 3 minors older (2 before Kubernetes 1.28), as the version-skew policy forbids. ' +
    'Patch-level differences are allowed.',
  remediation: 'Upgrade (or replace) the skewed nodes so every kubelet is within the supported skew of the API server, and never run a kubelet newer than it.',
  references: [ref.doc('Kubernetes version skew policy', 'https://kubernetes.io/releases/version-skew-policy/'), ref.nsa('Upgrading and application security practices')],
  needs: ['version', 'nodes'],
  optionalNeeds: ['pods'],
  evaluate: (snapshot) => {
    const api = oldestApiServer(snapshot);
    if (!api) return findings([], `the API server version "${snapshot.version?.gitVersion ?? ''}" could not be parsed`);
    const maxOlder = api.version.major === 1 && api.version.minor < 28 ? 2 : 3;
    const out: FindingDraft[] = [];
    let unparsable = 0;
    for (const node of snapshot.list<Node>('nodes')) {
      const kubelet = node.status?.nodeInfo?.kubeletVersion;
      const v = parseKubeVersion(kubelet);
      const name = node.metadata?.name ?? '';
      if (!v) {
        unparsable++;
        continue;
      }
      const diff = (api.version.major - v.major) * 100 + (api.version.minor - v.minor);
      if (diff >= 0 && diff <= maxOlder) continue;
      const newer = diff < 0;
      const ev: Evidence[] = [
        { path: `nodes[name=${name}].status.nodeInfo.kubeletVersion`, value: kubelet ?? '' },
        { path: 'oldest kube-apiserver', value: api.source },
      ];
      out.push({
        subject: { kind: 'Node', name },
        scope: 'workload',
        message: newer
          ? `node "${name}" runs kubelet ${kubelet}, newer than the API server (${api.version.major}.${api.version.minor}): a kubelet must not be newer than kube-apiserver`
          : `node "${name}" runs kubelet ${kubelet}, ${diff} minors older than the API server (${api.version.major}.${api.version.minor}); the skew policy allows ${maxOlder}`,
        evidence: ev,
        remediation: {
          why: 'Outside the skew policy the kubelet and API server are not tested together: API calls can fail in subtle ways and security fixes that need both sides are missing.',
          fix: newer
            ? 'Upgrade the control plane to at least the kubelet\'s minor, or replace the node with one matching the control plane.'
            : `Upgrade the node one minor at a time towards ${api.version.major}.${api.version.minor} (drain it first), or replace it with a node from an up-to-date pool.`,
          command: [
            command`kubectl drain ${name} --ignore-daemonsets --delete-emptydir-data`,
            `# on the node: install the kubelet matching the control plane (kubeadm: kubeadm upgrade node, then the kubelet package), restart it, or replace the node`,
            command`kubectl uncordon ${name}`,
          ].join('\n'),
        },
      });
    }
    return findings(out, `every kubelet is within the skew policy of kube-apiserver ${api.version.major}.${api.version.minor}${unparsable > 0 ? ` (${unparsable} node(s) report no parsable kubeletVersion)` : ''}`);
  },
};
