import { findings } from '../../src/engine/helpers.js';
import type { Node } from '../../src/engine/k8s.js';
import {
  PROVIDER_SUPPORT, VERSION_TABLE_COMPILED, isSupportProvider, minorSupport, parseKubeVersion, providerSupport, scanTime, serverVersion, supportedMinors,
  type MinorSupport, type ParsedVersion,
} from '../../src/engine/k8s-versions.js';
import { detectProvider, type ProviderInfo } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft, FindingStatus, Severity } from '../../src/engine/types.js';

const WHY = 'Kubernetes minors outside the support window get no security patches: CVEs in the API server, kubelet and their Go runtime stay open.';

interface Verdict {
  readonly status: FindingStatus;
  readonly severity: Severity;
  /** `reached end of life on …; Amazon EKS supports it until …`. */
  readonly text: string;
}

/** FAIL for an upstream-EOL minor, WARN while a hosted provider still supports it (standard or extended). */
function verdict(version: ParsedVersion, support: MinorSupport, provider: ProviderInfo, now: Date): Verdict {
  const eol = support.release ? `reached upstream end of life on ${support.release.endOfLife}` : 'is older than every minor Kubernetes still supports';
  if (provider.hosted && isSupportProvider(provider.id)) {
    const p = providerSupport(provider.id, version.minor, now);
    const info = PROVIDER_SUPPORT[provider.id];
    if (p?.inSupport) {
      return {
        status: 'warn',
        severity: 'medium',
        text: `${eol}; ${info.name} supports it until ${p.approximate ? 'about ' : ''}${p.date} (possibly only under ${info.program}, which may cost extra) — ${info.note}`,
      };
    }
    if (p) return { status: 'fail', severity: 'high', text: `${eol}, and ${info.name}'s support ended ${p.approximate ? 'about ' : ''}${p.date} (the provider will force an upgrade)` };
  }
  return { status: 'fail', severity: 'high', text: eol };
}

function location(provider: ProviderInfo): string {
  const c = provider.cluster;
  if (provider.id === 'aws') return c.region ? command` --region ${c.region}` : '';
  if (provider.id === 'gcp') return c.location ? command` --location ${c.location}` + (c.project ? command` --project ${c.project}` : '') : '';
  return '';
}

function controlPlaneCommand(provider: ProviderInfo, target: string): string {
  const name = provider.cluster.name ?? '<cluster>';
  if (provider.hosted && provider.id === 'aws') return command`aws eks update-cluster-version --name ${name} --kubernetes-version ${target}` + location(provider);
  if (provider.hosted && provider.id === 'gcp') return command`gcloud container clusters upgrade ${name} --master --cluster-version ${target}` + location(provider);
  if (provider.hosted && provider.id === 'azure') return command`az aks upgrade -g ${'<resource-group>'} -n ${name} --kubernetes-version ${target} --control-plane-only`;
  return [
    'kubectl version',
    '# kubeadm, on the first control-plane node: kubeadm upgrade plan',
    `# then: kubeadm upgrade apply v${target}.<patch> (one minor at a time), kubeadm upgrade node on the other control-plane nodes, then upgrade the kubelets`,
  ].join('\n');
}

function nodeCommand(provider: ProviderInfo, node: Node, target: string, controlPlaneFirst: boolean): string {
  const labels = node.metadata?.labels ?? {};
  const name = provider.cluster.name ?? '<cluster>';
  const nodeName = node.metadata?.name ?? '';
  const eksGroup = labels['eks.amazonaws.com/nodegroup'];
  const gkePool = labels['cloud.google.com/gke-nodepool'];
  const aksPool = labels['kubernetes.azure.com/agentpool'] ?? labels['agentpool'];
  if (provider.hosted && provider.id === 'aws' && eksGroup) return command`aws eks update-nodegroup-version --cluster-name ${name} --nodegroup-name ${eksGroup}` + location(provider);
  if (provider.hosted && provider.id === 'gcp' && gkePool) return command`gcloud container clusters upgrade ${name} --node-pool ${gkePool} --cluster-version ${target}` + location(provider);
  if (provider.hosted && provider.id === 'azure' && aksPool) return command`az aks nodepool upgrade -g ${'<resource-group>'} --cluster-name ${name} -n ${aksPool} --kubernetes-version ${target}`;
  return [
    command`kubectl drain ${nodeName} --ignore-daemonsets --delete-emptydir-data`,
    `# ${controlPlaneFirst ? `once the control plane runs ${target}, ` : ''}on the node: upgrade the kubelet to v${target} (kubeadm: kubeadm upgrade node, then the kubelet package) and restart it, or replace the node`,
    command`kubectl uncordon ${nodeName}`,
  ].join('\n');
}

export const check: Check = {
  id: 'cluster/outdated-kubernetes-version',
  layer: 'cluster',
  title: 'Kubernetes version out of support',
  severity: 'high',
  description:
    'Compares the API server minor (GET /version) and every node\'s status.nodeInfo.kubeletVersion with the upstream support window computed ' +
    `from a dated release table (compiled ${VERSION_TABLE_COMPILED} from kubernetes.io/releases) at the scan time. Fails (high) for a control plane ` +
    'whose minor is past its end-of-life date, and separately for each node running an unsupported kubelet. On EKS, GKE and AKS a minor that the ' +
    'provider still supports (standard or extended/long-term support) is a warning (medium) instead. Minors newer than the table are assumed supported.',
  remediation: 'Upgrade the control plane one minor at a time to a supported Kubernetes minor, then upgrade every node.',
  references: [
    ref.kubescape('C-0273'), ref.nsa('Upgrading and application security practices'),
    ref.doc('Kubernetes releases and end-of-life dates', 'https://kubernetes.io/releases/'),
    ref.doc('Kubernetes version skew policy', 'https://kubernetes.io/releases/version-skew-policy/'),
  ],
  needs: ['version'],
  optionalNeeds: ['nodes', 'pods'],
  evaluate: (snapshot) => {
    const now = scanTime(snapshot);
    const provider = detectProvider(snapshot);
    const supported = supportedMinors(now);
    const window = supported.length > 0 ? `supported at ${now.toISOString().slice(0, 10)}: ${supported.map((m) => `1.${m}`).join(', ')}` : 'no minor of the version table is still supported — the table is out of date';
    const oldestSupported = supported[supported.length - 1];
    const out: FindingDraft[] = [];
    const cluster = snapshot.kubeconfig?.cluster || 'cluster';
    const notes: string[] = [];

    const server = serverVersion(snapshot.version);
    const git = snapshot.version?.gitVersion ?? '';
    if (!server) {
      notes.push(`the API server version "${git}" could not be parsed`);
    } else {
      const support = minorSupport(server.major, server.minor, now);
      if (support.state === 'end-of-life') {
        const v = verdict(server, support, provider, now);
        const target = `${server.major}.${server.minor + 1}`;
        out.push({
          subject: { kind: 'Cluster', name: cluster },
          scope: 'workload',
          status: v.status,
          severity: v.severity,
          message: `the control plane runs Kubernetes ${git || `v${server.major}.${server.minor}`}: 1.${server.minor} ${v.text}; ${window} (table compiled ${VERSION_TABLE_COMPILED})`,
          evidence: [
            { path: 'version.gitVersion', value: git },
            { path: 'version.minor', value: snapshot.version?.minor ?? '' },
            ...(support.release ? [{ path: `kubernetes 1.${server.minor} end of life`, value: support.release.endOfLife }] : []),
          ],
          remediation: {
            why: WHY,
            fix: `Upgrade the control plane one minor at a time (next: ${target}) until it reaches ${oldestSupported !== undefined ? `1.${oldestSupported} or later` : 'a supported minor'}, checking deprecated APIs before each step, then upgrade the nodes.`,
            command: controlPlaneCommand(provider, target),
          },
        });
      } else {
        notes.push(`control plane ${git} is ${support.state === 'newer-than-table' ? 'newer than the version table (assumed supported)' : `supported until ${support.release?.endOfLife ?? '?'}`}`);
      }
    }

    if (!snapshot.has('nodes')) {
      notes.push(`node kubelet versions were not checked (${snapshot.error('nodes')?.message ?? 'nodes not collected'})`);
    } else {
      const cpMinor = server && minorSupport(server.major, server.minor, now).state !== 'end-of-life' ? server.minor : undefined;
      for (const node of snapshot.list<Node>('nodes')) {
        const kubelet = node.status?.nodeInfo?.kubeletVersion;
        const v = parseKubeVersion(kubelet);
        if (!v) continue;
        const support = minorSupport(v.major, v.minor, now);
        if (support.state !== 'end-of-life') continue;
        const verdictNode = verdict(v, support, provider, now);
        const name = node.metadata?.name ?? '';
        const target = `${v.major}.${cpMinor ?? v.minor + 1}`;
        out.push({
          subject: { kind: 'Node', name },
          scope: 'workload',
          status: verdictNode.status,
          severity: verdictNode.severity,
          message: `node "${name}" runs kubelet ${kubelet}: 1.${v.minor} ${verdictNode.text}`,
          evidence: [{ path: `nodes[name=${name}].status.nodeInfo.kubeletVersion`, value: kubelet ?? '' }],
          remediation: {
            why: WHY,
            fix: cpMinor !== undefined
              ? `Upgrade the node to the control plane's minor (${target}) — drain it first, or replace it with a node from an upgraded pool.`
              : 'Upgrade the control plane first (a kubelet may not be newer than the API server), then upgrade or replace this node.',
            command: nodeCommand(provider, node, target, cpMinor === undefined),
          },
        });
      }
    }
    return findings(out, [window, ...notes].join('; '));
  },
};
