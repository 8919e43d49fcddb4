/**
 * CNI detection from DaemonSets (CHECKS.md Appendix C.2): which network plugin runs, and
 * whether it enforces NetworkPolicy. Reads DaemonSet names, container names, images and
 * arguments in every namespace, plus the EKS `kube-system/amazon-vpc-cni` ConfigMap when
 * D-CM-SYS was collected. Pure; used by cluster/cni-networkpolicy-unsupported and by
 * cloud/metadata-endpoint-reachable ("FAIL regardless of policies when the CNI does not enforce").
 */
import type { Container, Workloadish } from './k8s.js';
import type { Snapshot } from './snapshot.js';
import type { Evidence } from './types.js';

export type Enforcement = true | false | 'unknown';

/** One plugin or policy engine found in the cluster. */
export interface CniComponent {
  /** Display name, e.g. `Calico`, `AWS VPC CNI`. */
  readonly cni: string;
  /** Whether this component, on its own, enforces NetworkPolicy. */
  readonly enforces: Enforcement;
  /** The DaemonSet it was found in. */
  readonly namespace: string;
  readonly name: string;
  /** Why it enforces or not, one clause, e.g. `aws-eks-nodeagent runs with --enable-network-policy=true`. */
  readonly detail: string;
  readonly evidence: readonly Evidence[];
}

export interface CniDetection {
  /** Display name of the plugin(s), `unknown` when none was recognised. */
  readonly cni: string;
  readonly enforces: Enforcement;
  /** Evidence paths of the decisive component(s). */
  readonly evidence: readonly Evidence[];
  /** One line explaining the verdict. */
  readonly summary: string;
  /** Every recognised component. */
  readonly components: readonly CniComponent[];
}

interface DsView {
  readonly namespace: string;
  readonly name: string;
  readonly containers: readonly Container[];
}

function dsPath(ds: DsView): string {
  return `daemonsets[namespace=${ds.namespace},name=${ds.name}]`;
}

/** Image repository without registry host, tag or digest: `docker.io/calico/node:v3.28` → `calico/node`. */
export function imageRepository(image: string | undefined): string {
  let s = (image ?? '').trim().toLowerCase();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  if (colon > slash) s = s.slice(0, colon);
  const parts = s.split('/');
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0] ?? '')) parts.shift();
  return parts.join('/');
}

function argsOf(c: Container): readonly string[] {
  return [...(c.command ?? []), ...(c.args ?? [])];
}

/** Value of `--flag=value` / `--flag value` / bare `--flag` (true) in a container's command and args; last wins. */
export function flagValue(c: Container, flag: string): string | undefined {
  const tokens = argsOf(c);
  let value: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] ?? '';
    if (t === flag) {
      const next = tokens[i + 1];
      value = next !== undefined && !next.startsWith('-') ? next : 'true';
    } else if (t.startsWith(`${flag}=`)) {
      value = t.slice(flag.length + 1);
    }
  }
  return value;
}

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|t)$/i.test(value.trim());
}

function hasImage(ds: DsView, pattern: RegExp): Container | undefined {
  return ds.containers.find((c) => pattern.test(imageRepository(c.image)));
}

function component(ds: DsView, cni: string, enforces: Enforcement, detail: string, evidence: Evidence[] = []): CniComponent {
  return { cni, enforces, namespace: ds.namespace, name: ds.name, detail, evidence: [{ path: dsPath(ds), value: detail }, ...evidence] };
}

function containerEvidence(ds: DsView, c: Container): Evidence {
  return { path: `${dsPath(ds)}.spec.template.spec.containers[name=${c.name}].image`, value: c.image ?? '' };
}

/** What one DaemonSet is, if it is a known CNI or policy engine. */
function classify(ds: DsView, snapshot: Snapshot): CniComponent | undefined {
  const name = ds.name.toLowerCase();
  const byName = (n: string) => name === n || name === `rke2-${n}` || name.endsWith(`-${n}`);

  const calico = hasImage(ds, /(^|\/)calico\/node$|(^|\/)tigera\/.*node$/);
  const flannel = hasImage(ds, /(^|\/)flannel(-io)?\/flannel$|(^|\/)flannelcni\/flannel$|(^|\/)rancher\/(hardened|mirrored)-flannel/);
  if (byName('canal') || (calico && flannel)) return component(ds, 'Canal (flannel + Calico policy)', true, 'Calico enforces NetworkPolicy on top of flannel');
  if (byName('calico-node') || calico) return component(ds, 'Calico', true, 'Calico enforces NetworkPolicy', calico ? [containerEvidence(ds, calico)] : []);

  const cilium = hasImage(ds, /(^|\/)cilium\/cilium$|(^|\/)cilium\/cilium-[a-z]+$|(^|\/)rancher\/mirrored-cilium-cilium$/);
  if (name === 'cilium' || byName('cilium') || cilium) {
    const agent = cilium ?? ds.containers.find((c) => c.name === 'cilium-agent');
    const mode = agent ? flagValue(agent, '--enable-policy') : undefined;
    if (mode?.toLowerCase() === 'never') return component(ds, 'Cilium', false, 'cilium-agent runs with --enable-policy=never');
    return component(ds, 'Cilium', true, 'Cilium enforces NetworkPolicy', agent ? [containerEvidence(ds, agent)] : []);
  }
  if (name === 'anetd') return component(ds, 'GKE Dataplane V2 (Cilium)', true, 'GKE Dataplane V2 (anetd) enforces NetworkPolicy');
  if (byName('antrea-agent') || hasImage(ds, /antrea\/antrea-(agent|ubuntu)/)) return component(ds, 'Antrea', true, 'Antrea enforces NetworkPolicy');
  if (byName('kube-router') || hasImage(ds, /cloudnativelabs\/kube-router$/)) {
    const c = ds.containers.find((x) => /kube-router/.test(imageRepository(x.image))) ?? ds.containers[0];
    const firewall = c ? flagValue(c, '--run-firewall') : undefined;
    if (firewall !== undefined && !isTrue(firewall)) return component(ds, 'kube-router', false, `kube-router runs with --run-firewall=${firewall} (network policy controller off)`);
    return component(ds, 'kube-router', true, 'kube-router runs its network policy controller');
  }
  if (byName('ovnkube-node') || name === 'ovnkube-node') return component(ds, 'OVN-Kubernetes', true, 'OVN-Kubernetes enforces NetworkPolicy');
  if (name === 'sdn' && ds.namespace === 'openshift-sdn') return component(ds, 'OpenShift SDN', true, 'OpenShift SDN enforces NetworkPolicy');
  if (byName('weave-net') || hasImage(ds, /weaveworks\/weave-kube$/)) {
    const npc = ds.containers.find((c) => c.name === 'weave-npc' || /weave-npc$/.test(imageRepository(c.image)));
    return npc
      ? component(ds, 'Weave Net (archived project)', true, 'the weave-npc container enforces NetworkPolicy')
      : component(ds, 'Weave Net (archived project)', false, 'no weave-npc container: NetworkPolicy is not enforced');
  }
  if (byName('azure-npm') || hasImage(ds, /azure-npm$/)) return component(ds, 'Azure Network Policy Manager', true, 'Azure NPM enforces NetworkPolicy');

  if (byName('aws-node') || hasImage(ds, /amazon-k8s-cni$/)) {
    const agent = ds.containers.find((c) => c.name === 'aws-eks-nodeagent' || /aws-network-policy-agent$/.test(imageRepository(c.image)));
    const cm = snapshot.systemConfigMap('kube-system', 'amazon-vpc-cni');
    const controller = cm?.data?.['enable-network-policy-controller'];
    const cmEvidence: Evidence[] = controller !== undefined ? [{ path: 'configmaps[namespace=kube-system,name=amazon-vpc-cni].data["enable-network-policy-controller"]', value: controller }] : [];
    if (!agent) return component(ds, 'AWS VPC CNI', false, 'aws-node has no aws-eks-nodeagent container (network policy agent not installed)', cmEvidence);
    const flag = flagValue(agent, '--enable-network-policy');
    const agentEv: Evidence = { path: `${dsPath(ds)}.spec.template.spec.containers[name=${agent.name}].args`, value: `--enable-network-policy=${flag ?? '(unset, default false)'}` };
    if (!isTrue(flag)) return component(ds, 'AWS VPC CNI', false, `aws-eks-nodeagent runs with --enable-network-policy=${flag ?? 'false (default)'}`, [agentEv, ...cmEvidence]);
    if (controller !== undefined && !isTrue(controller)) {
      return component(ds, 'AWS VPC CNI', false, `the node agent is enabled but kube-system/amazon-vpc-cni sets enable-network-policy-controller: "${controller}"`, [agentEv, ...cmEvidence]);
    }
    return component(ds, 'AWS VPC CNI', true, 'aws-eks-nodeagent runs with --enable-network-policy=true', [agentEv, ...cmEvidence]);
  }
  if (byName('azure-cns') || hasImage(ds, /azure-cns$/)) return component(ds, 'Azure CNI', false, 'Azure CNI alone does not enforce NetworkPolicy (needs Azure NPM or Cilium)');
  if (name === 'netd' || hasImage(ds, /(^|\/)netd$/)) return component(ds, 'GKE netd', false, 'GKE without Calico or Dataplane V2 does not enforce NetworkPolicy');
  if (/^kube-flannel(-ds)?(-[a-z0-9]+)?$/.test(name) || byName('flannel') || flannel) {
    return component(ds, 'flannel', false, 'flannel does not enforce NetworkPolicy', flannel ? [containerEvidence(ds, flannel)] : []);
  }
  if (name === 'kindnet' || hasImage(ds, /kindnetd$/)) return component(ds, 'kindnet', 'unknown', 'kindnet enforces NetworkPolicy only in recent releases (depends on the version)');
  return undefined;
}

function dsViews(snapshot: Snapshot): DsView[] {
  return snapshot.list<Workloadish>('daemonsets').map((ds) => ({
    namespace: ds.metadata?.namespace ?? '',
    name: ds.metadata?.name ?? '',
    containers: [...(ds.spec?.template?.spec?.initContainers ?? []), ...(ds.spec?.template?.spec?.containers ?? [])],
  }));
}

/**
 * Detect the CNI and whether NetworkPolicy is enforced. Any enforcing component wins (Calico
 * next to flannel or aws-node, Cilium chained on Azure CNI, …); otherwise a non-enforcing one
 * gives `false`; otherwise `unknown` (kindnet, nothing recognised, k3s's embedded flannel).
 */
export function detectCni(snapshot: Snapshot): CniDetection {
  const components = dsViews(snapshot).map((ds) => classify(ds, snapshot)).filter((c): c is CniComponent => c !== undefined);
  const names = (list: readonly CniComponent[]) => [...new Set(list.map((c) => c.cni))].join(' + ');
  const where = (c: CniComponent) => `DaemonSet ${c.namespace}/${c.name}`;
  const enforcing = components.filter((c) => c.enforces === true);
  if (enforcing.length > 0) {
    const others = components.filter((c) => c.enforces !== true);
    return {
      cni: names([...enforcing, ...others]),
      enforces: true,
      evidence: enforcing.flatMap((c) => c.evidence),
      summary: `${enforcing.map((c) => `${c.cni} (${where(c)})`).join(', ')} enforces NetworkPolicy`,
      components,
    };
  }
  const unknown = components.filter((c) => c.enforces === 'unknown');
  const notEnforcing = components.filter((c) => c.enforces === false);
  if (notEnforcing.length > 0 && unknown.length === 0) {
    return {
      cni: names(notEnforcing),
      enforces: false,
      evidence: notEnforcing.flatMap((c) => c.evidence),
      summary: notEnforcing.map((c) => `${c.cni} (${where(c)}): ${c.detail}`).join('; '),
      components,
    };
  }
  if (components.length > 0) {
    return {
      cni: names(components),
      enforces: 'unknown',
      evidence: components.flatMap((c) => c.evidence),
      summary: components.map((c) => `${c.cni} (${where(c)}): ${c.detail}`).join('; '),
      components,
    };
  }
  const k3s = (snapshot.version?.gitVersion ?? '').includes('+k3s');
  return {
    cni: k3s ? 'k3s embedded (flannel)' : 'unknown',
    enforces: 'unknown',
    evidence: [],
    summary: k3s
      ? 'k3s runs flannel and its network policy controller inside the server process (no DaemonSet): enforcement depends on --disable-network-policy on the k3s servers'
      : 'no known CNI DaemonSet found',
    components,
  };
}

/**
 * CHECKS.md §7 trap 17: the note a network check adds to its PASS when policies exist but the
 * CNI does not enforce them; undefined when DaemonSets were not read or enforcement is not known to be off.
 */
export function cniNotEnforcingNote(snapshot: Snapshot): string | undefined {
  if (!snapshot.has('daemonsets')) return undefined;
  const cni = detectCni(snapshot);
  return cni.enforces === false ? `the NetworkPolicies are not enforced: ${cni.summary} (see cluster/cni-networkpolicy-unsupported)` : undefined;
}
