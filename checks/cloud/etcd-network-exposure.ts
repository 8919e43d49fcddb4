import { etcdUnavailable, publicAddressesOf } from '../../src/engine/cloud.js';
import { controlPlaneFix, controlPlaneInstances, describeInstance, evaluateControlPlane, flagEvidence, instanceFinding } from '../../src/engine/control-plane.js';
import { evidence } from '../../src/engine/helpers.js';
import type { Node, Pod, Service } from '../../src/engine/k8s.js';
import { isIpAddress, isPublicAddress } from '../../src/engine/net.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const FIREWALL_NOTE = 'host firewall rules are not visible — ports 2379/2380 should accept only control-plane nodes';
const ETCD_PORTS = new Set([2379, 2380]);

/** Host of a URL, brackets removed; undefined when unparsable. */
function urlHost(url: string): string | undefined {
  try {
    return new URL(url.trim()).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

/** Why a listen address is exposed, or undefined. */
function exposedHost(host: string): string | undefined {
  if (host === '0.0.0.0' || host === '::' || host === '0:0:0:0:0:0:0:0') return 'all interfaces';
  if (isIpAddress(host) && isPublicAddress(host)) return 'a public address';
  return undefined;
}

function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  const entries = Object.entries(selector ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

export const check: Check = {
  id: 'cloud/etcd-network-exposure',
  layer: 'cloud',
  title: 'etcd reachable beyond the control plane',
  severity: 'high',
  description:
    'Reads --listen-client-urls and --listen-peer-urls of every etcd static pod (D-CP), the addresses of its node, and Services. Fails when a ' +
    'listen URL binds 0.0.0.0, [::] or a public address, when the etcd node has a public ExternalIP, or when a Service selects the etcd pods on ' +
    'port 2379/2380 (port or targetPort). Services of application etcd clusters (not selecting the control-plane etcd pods) are not reported. ' +
    'Host firewalls are not visible. External etcd and managed control planes are unable.',
  remediation: 'Bind etcd to loopback and the node\'s private address, firewall 2379-2380 to control-plane nodes and remove Services pointing at etcd.',
  references: [ref.fourC('Access to etcd'), ref.nsa('Network separation (Control plane hardening)')],
  needs: ['pods'],
  optionalNeeds: ['nodes', 'services', 'namespaces', 'version', 'kubeconfig', 'system-configmaps'],
  evaluate: (snapshot) => {
    const unavailable = etcdUnavailable(snapshot);
    if (unavailable) return unavailable;
    const nodes = new Map(snapshot.list<Node>('nodes').map((n) => [n.metadata?.name ?? '', n]));
    const outcome = evaluateControlPlane(snapshot, ['etcd'], (instance) => {
      const f = instance.flags;
      const problems: string[] = [];
      const ev: Evidence[] = [];
      for (const flag of ['listen-client-urls', 'listen-peer-urls'] as const) {
        const exposed = f.list(flag).map((u) => ({ u, why: exposedHost(urlHost(u) ?? '') })).filter((x) => x.why !== undefined);
        if (exposed.length === 0) continue;
        problems.push(`--${flag} binds ${exposed.map((x) => `${x.u} (${x.why})`).join(', ')}`);
        ev.push(flagEvidence(instance, flag));
      }
      const node = nodes.get(instance.node);
      const publicIps = node ? publicAddressesOf(node) : [];
      if (publicIps.length > 0) {
        problems.push(`its node ${instance.node} has public ExternalIP ${publicIps.join(', ')}`);
        ev.push(evidence(`nodes[name=${instance.node}].status.addresses[type=ExternalIP].address`, publicIps));
      }
      if (problems.length === 0) return {};
      const privateIp = (node?.status?.addresses ?? []).find((a) => a.type === 'InternalIP')?.address ?? '<node-private-ip>';
      const changes = [
        ...(f.has('listen-client-urls') ? [{ flag: 'listen-client-urls', value: `https://127.0.0.1:2379,https://${privateIp}:2379` }] : []),
        ...(f.has('listen-peer-urls') ? [{ flag: 'listen-peer-urls', value: `https://${privateIp}:2380` }] : []),
      ];
      const fix = controlPlaneFix(snapshot, instance, changes);
      return {
        findings: [instanceFinding(instance, {
          message: `${describeInstance(instance)}: ${problems.join('; ')}; ${FIREWALL_NOTE}`,
          evidence: ev,
          remediation: {
            why: 'The 4C\'s page limits etcd access to the control plane: an etcd port reachable from workers, pods or the internet is one certificate (or one auth flag) away from the whole cluster state.',
            fix: 'Bind client URLs to loopback and the node\'s private IP and peer URLs to the private IP; move control-plane nodes to private subnets; allow 2379-2380 only from control-plane nodes in the cloud firewall/security group.',
            ...(changes.length > 0 ? fix : {}),
          },
        })],
      };
    }, { passNote: `listen URLs on loopback/private addresses, control-plane nodes without public IPs; ${FIREWALL_NOTE}` });

    // Services that put the control-plane etcd behind a cluster IP, node port or load balancer.
    const etcdPods = controlPlaneInstances(snapshot, 'etcd').map((i) => i.pod as Pod);
    const services: FindingDraft[] = [];
    for (const svc of snapshot.list<Service>('services')) {
      const ns = svc.metadata?.namespace ?? '';
      const name = svc.metadata?.name ?? '';
      const selected = etcdPods.some((p) => p.metadata?.namespace === ns && selects(svc.spec?.selector, p.metadata?.labels));
      if (!selected) continue;
      const ports = (svc.spec?.ports ?? []).filter((p) => ETCD_PORTS.has(p.port) || (typeof p.targetPort === 'number' && ETCD_PORTS.has(p.targetPort)));
      if (ports.length === 0) continue;
      services.push({
        subject: { kind: 'Service', namespace: ns, name },
        message: `Service "${ns}/${name}" (type ${svc.spec?.type ?? 'ClusterIP'}) selects the etcd static pods on port ${ports.map((p) => `${p.port}→${String(p.targetPort ?? p.port)}`).join(', ')}`,
        evidence: [evidence('spec.selector', svc.spec?.selector ?? {}), ...ports.map((p) => evidence(`spec.ports[${p.name ? `name=${p.name}` : `port=${p.port}`}]`, `${p.port}→${String(p.targetPort ?? p.port)}`))],
        remediation: {
          why: 'A Service in front of etcd makes its client or peer port reachable from every pod (or beyond, for NodePort/LoadBalancer), not only from the API servers.',
          fix: 'Delete the Service; monitoring should scrape etcd\'s metrics URL (--listen-metrics-urls, port 2381) instead of the client port.',
          command: command`kubectl -n ${ns} delete service ${name}`,
        },
        scope: 'workload',
      });
    }
    if (services.length === 0) return outcome;
    return { findings: [...outcome.findings, ...services], ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}) };
  },
};
