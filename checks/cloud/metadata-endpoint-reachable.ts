import { AWS_IMDS_NOTE, awsImdsCommand, awsInstanceId, metadataAddresses, metadataPlatform, sample } from '../../src/engine/cloud.js';
import { detectCni } from '../../src/engine/cni.js';
import { describeWorkload, evidence, findings, notApplicable, WORKLOAD_OWNERS } from '../../src/engine/helpers.js';
import type { Node } from '../../src/engine/k8s.js';
import { CLUSTER_CNI_POLICIES, egressAllowed, METADATA_TARGETS, NAMESPACED_CNI_POLICIES, otherPoliciesCovering } from '../../src/engine/netpol.js';
import { detectProvider, type ProviderInfo } from '../../src/engine/provider.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Workload } from '../../src/engine/snapshot.js';
import type { Check, Evidence, FindingDraft, Remediation } from '../../src/engine/types.js';

const GKE_METADATA = 'iam.gke.io/gke-metadata-server-enabled';
const POD_IDENTITY = '169.254.170.23';

/** R-NP-IMDS (CHECKS.md Appendix A) for one namespace, metadata hosts of the provider. */
export function denyMetadataPolicy(namespace: string, addresses: readonly string[]): string {
  const v4 = addresses.filter((a) => !a.includes(':')).map((a) => `${a}/32`);
  const v6 = addresses.filter((a) => a.includes(':')).map((a) => `${a}/128`);
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    '  name: deny-cloud-metadata',
    `  namespace: ${JSON.stringify(namespace)}`,
    'spec:',
    '  podSelector: {}',
    '  policyTypes: ["Egress"]',
    '  egress:',
    '  - to:',
    '    - ipBlock:',
    '        cidr: 0.0.0.0/0',
    `        except: ${JSON.stringify(v4)}`,
    ...(v6.length > 0 ? ['    - ipBlock:', '        cidr: ::/0', `        except: ${JSON.stringify(v6)}`] : []),
  ].join('\n');
}

/** The names of the policies in `allowedBy` (`NetworkPolicy "x"`). */
function policyNames(allowedBy: readonly string[]): string[] {
  return allowedBy.map((a) => /"(.*)"$/.exec(a)?.[1] ?? a);
}

function remediation(namespace: string, provider: ProviderInfo, addresses: readonly string[], allowedBy: readonly string[], isolatedOnly: boolean, instances: readonly string[]): Remediation {
  const c = provider.cluster;
  const v4 = addresses.filter((a) => !a.includes(':')).map((a) => `${a}/32`);
  const lines: string[] = [];
  let fix: string;
  let patch: string;
  if (isolatedOnly) {
    // Egress is already restricted: applying the allow-all-but-metadata policy would open it up. Narrow the rules that allow the metadata address instead.
    lines.push('# edit each policy below: give the egress rule that allows the metadata address an ipBlock that excludes it (see patch)');
    for (const name of policyNames(allowedBy)) lines.push(command`kubectl -n ${namespace} edit networkpolicy ${name}`);
    fix = `Egress is already restricted in this namespace, but ${sample(allowedBy, 3)} allow the metadata address (a rule with no "to", or a CIDR that contains it): restrict those rules' destinations with an ipBlock whose except lists the metadata address. Do not add an allow-all egress policy here. Use workload identity so pods never need the node's credentials (cloud/workload-identity-not-used).`;
    patch = ['# the rule\'s "to" (keep its ports):', '  - to:', '    - ipBlock:', '        cidr: 0.0.0.0/0', `        except: ${JSON.stringify(v4)}`].join('\n');
  } else {
    lines.push('# save the patch as deny-cloud-metadata.yaml, then:', command`kubectl -n ${namespace} apply -f deny-cloud-metadata.yaml`);
    const additive = allowedBy.length > 0
      ? ` Policies are additive: also add the metadata address to the except list of ${sample(allowedBy, 3)}, which allow it today, and scope the new policy's podSelector to the listed workloads (pods whose egress is already restricted would otherwise gain general egress).`
      : '';
    fix = `Apply an egress policy that keeps general egress but excludes the metadata address (R-NP-IMDS; keep ${POD_IDENTITY}/32 reachable if EKS Pod Identity is used, and DNS).${additive} Use workload identity so pods never need the node's credentials (cloud/workload-identity-not-used).`;
    patch = denyMetadataPolicy(namespace, addresses);
  }
  if (provider.id === 'aws') {
    lines.push('# check the IMDS options of the nodes (HttpTokens=required, HttpPutResponseHopLimit=1 block containers):', awsImdsCommand(instances, c.region));
    lines.push('# and on every node (or in the launch template MetadataOptions):',
      command`aws ec2 modify-instance-metadata-options --instance-id ${'<instance-id>'} --http-tokens required --http-put-response-hop-limit 1` + (c.region ? command` --region ${c.region}` : ''));
  } else if (provider.id === 'gcp') {
    lines.push(command`gcloud container node-pools update ${'<pool>'} --cluster ${c.name ?? '<cluster>'} --location ${c.location ?? '<location>'}` + (c.project ? command` --project ${c.project}` : '') + ' --workload-metadata=GKE_METADATA');
  }
  return {
    why: 'The metadata service hands the node\'s cloud credentials and bootstrap data to any pod that asks; the Kubernetes documentation says to block it with network policies.',
    fix,
    command: lines.join('\n'),
    patch,
  };
}

export const check: Check = {
  id: 'cloud/metadata-endpoint-reachable',
  layer: 'cloud',
  title: 'Pods can reach the cloud metadata service',
  severity: 'high',
  description:
    'For every running non-hostNetwork workload (resolved to its top owner), evaluates the NetworkPolicies that select its pods for Egress against ' +
    'the instance metadata addresses on TCP 80: 169.254.169.254, fd00:ec2::254 (AWS), 100.100.100.200 (Alibaba). Fails when a workload can ' +
    'reach one (reported per namespace), regardless of policies when the CNI does not enforce NetworkPolicy. Warns instead when CNI-specific or ' +
    'admin policies exist (not evaluated) or the platform is not identified. GKE pods on nodes with the GKE metadata server pass with a note. ' +
    'Not applicable on kind, minikube and vSphere.',
  remediation: 'Block egress to the metadata address with a NetworkPolicy in every namespace and use workload identity.',
  references: [
    ref.fourC('Kubernetes access to Cloud Provider API'),
    ref.doc('Kubernetes: Securing a Cluster (Restricting cloud metadata API access)', 'https://kubernetes.io/docs/tasks/administer-cluster/securing-a-cluster/#restricting-cloud-metadata-api-access'),
    ref.nsa('Network separation (Protecting sensitive cloud infrastructure)'), ref.kubescape('C-0052'),
  ],
  needs: ['pods', 'networkpolicies'],
  optionalNeeds: [...WORKLOAD_OWNERS, 'nodes', 'daemonsets', 'system-configmaps', 'version', 'kubeconfig', ...NAMESPACED_CNI_POLICIES, ...CLUSTER_CNI_POLICIES],
  evaluate: (snapshot) => {
    const provider = detectProvider(snapshot);
    const platform = metadataPlatform(provider);
    if (platform === 'none') return notApplicable(`${provider.name} has no cloud instance metadata service`);
    const addresses = metadataAddresses(provider);
    const targets = METADATA_TARGETS.filter((t) => addresses.includes(t.ip));
    const cni = snapshot.has('daemonsets') ? detectCni(snapshot) : undefined;
    const notEnforced = cni?.enforces === false;

    // GKE Workload Identity: the GKE metadata server filters the node identity on labelled nodes.
    const nodes = snapshot.list<Node>('nodes');
    const instances = nodes.map(awsInstanceId).filter((i): i is string => i !== undefined);
    const gkeProtected = new Set(provider.id === 'gcp' ? nodes.filter((n) => n.metadata?.labels?.[GKE_METADATA] === 'true').map((n) => n.metadata?.name ?? '') : []);
    const allGkeProtected = gkeProtected.size > 0 && gkeProtected.size === nodes.length;
    const onProtectedNodes = (w: Workload): boolean => allGkeProtected
      || (gkeProtected.size > 0 && w.revisions.every((r) => r.spec.nodeName !== undefined && gkeProtected.has(r.spec.nodeName)));

    interface Hit { workload: Workload; how: string; allowedBy?: string; ev: Evidence }
    const byNamespace = new Map<string, Hit[]>();
    let gkeSkipped = 0;
    let evaluated = 0;
    for (const w of snapshot.workloads()) {
      if (w.isStatic || w.source !== 'pods' || w.replicas === 0) continue;
      if (w.revisions.every((r) => r.spec.hostNetwork === true)) continue; // cloud/host-network-metadata-access
      evaluated++;
      if (onProtectedNodes(w)) {
        gkeSkipped++;
        continue;
      }
      let hit: Hit | undefined;
      if (notEnforced) {
        hit = { workload: w, how: 'NetworkPolicy is not enforced by the CNI', ev: evidence('cni', cni?.summary ?? '') };
      } else {
        for (const t of targets) {
          const verdict = egressAllowed(snapshot, w, t);
          if (!verdict.allowed) continue;
          if (!verdict.isolated) {
            hit = { workload: w, how: `no NetworkPolicy selects it for Egress (${t.ip})`, ev: evidence(`networkpolicies[namespace=${w.namespace}]`, 'none selects the pods for Egress') };
          } else {
            const np = verdict.allowedBy?.policy;
            const name = `NetworkPolicy "${np?.metadata?.name ?? ''}"`;
            hit = {
              workload: w, how: `${name} egress[${verdict.allowedBy?.rule ?? 0}] allows ${t.ip}:80`, allowedBy: name,
              ev: evidence(`networkpolicies[namespace=${w.namespace},name=${np?.metadata?.name ?? ''}].spec.egress[${verdict.allowedBy?.rule ?? 0}]`, `allows ${t.ip} TCP 80`),
            };
          }
          break;
        }
      }
      if (hit) byNamespace.set(w.namespace, [...(byNamespace.get(w.namespace) ?? []), hit]);
    }

    const out: FindingDraft[] = [];
    for (const [ns, hits] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
      const other = notEnforced ? [] : otherPoliciesCovering(snapshot, ns);
      const warn = other.length > 0 || platform !== 'cloud';
      const allowedBy = [...new Set(hits.map((h) => h.allowedBy).filter((a): a is string => a !== undefined))];
      const reasons = [...new Set(hits.map((h) => h.how.replace(/ \(.*\)$/, '')))];
      const notes = [
        ...(other.length > 0 ? [`${sample(other, 3)} may also apply (CNI-specific policies are not evaluated)`] : []),
        ...(platform !== 'cloud' ? ['platform not identified; a metadata service may not exist'] : []),
        ...(provider.id === 'aws' ? [AWS_IMDS_NOTE] : []),
      ];
      out.push({
        subject: { kind: 'Namespace', name: ns },
        scope: snapshot.isSystemNamespace(ns) ? 'system' : 'workload',
        ...(warn ? { status: 'warn' as const } : {}),
        message: `${hits.length} ${hits.length === 1 ? 'workload' : 'workloads'} in namespace "${ns}" can reach the metadata service ${addresses.join(', ')} (${reasons.join('; ')}): ${sample(hits.map((h) => describeWorkload(h.workload)), 4)}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
        evidence: [...new Map(hits.map((h) => [`${h.ev.path}=${h.ev.value}`, h.ev])).values()].slice(0, 10),
        remediation: remediation(ns, provider, addresses, allowedBy, !notEnforced && hits.every((h) => h.allowedBy !== undefined), instances),
      });
    }
    const cniNote = cni === undefined ? `; CNI enforcement not checked (${snapshot.error('daemonsets')?.message ?? 'DaemonSets not read'})` : cni.enforces === 'unknown' ? `; CNI enforcement unknown (${cni.summary})` : '';
    const gkeNote = gkeSkipped > 0 ? `; ${gkeSkipped} workload(s) on nodes with the GKE metadata server (Workload Identity filters the node identity)` : '';
    return findings(out, `no workload can reach ${addresses.join(', ')} (${evaluated} evaluated)${gkeNote}${cniNote}`);
  },
};
