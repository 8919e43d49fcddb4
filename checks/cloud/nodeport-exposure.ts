import { publicNodes, sample } from '../../src/engine/cloud.js';
import { evidence, findings } from '../../src/engine/helpers.js';
import type { Service } from '../../src/engine/k8s.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, FindingDraft } from '../../src/engine/types.js';

export const check: Check = {
  id: 'cloud/nodeport-exposure',
  layer: 'cloud',
  title: 'NodePort services on publicly reachable nodes',
  severity: 'low',
  description:
    'Inspects Services of type NodePort, and of type LoadBalancer unless spec.allocateLoadBalancerNodePorts is false, together with the nodes\' ' +
    'ExternalIP addresses. Warns for each such Service when at least one node has a public ExternalIP: the node port listens on every node and ' +
    'bypasses the load balancer or ingress tier (a cloud firewall may block the range; it is not visible). Passes when no node is public.',
  remediation: 'Publish services through ClusterIP plus Ingress/Gateway or load balancers without node ports, and firewall the NodePort range.',
  references: [ref.fourC('Network access to Nodes'), ref.kubescape('C-0256')],
  needs: ['services', 'nodes'],
  evaluate: (snapshot) => {
    const nodes = publicNodes(snapshot);
    if (nodes.length === 0) return findings([], 'no node has a public ExternalIP');
    const nodeText = sample(nodes.map((n) => `${n.name} (${n.ips.join(', ')})`), 3);
    const out: FindingDraft[] = [];
    for (const svc of snapshot.list<Service>('services')) {
      const type = svc.spec?.type;
      const lb = type === 'LoadBalancer';
      if (type !== 'NodePort' && !(lb && svc.spec?.allocateLoadBalancerNodePorts !== false)) continue;
      const ns = svc.metadata?.namespace ?? '';
      const name = svc.metadata?.name ?? '';
      const ports = svc.spec?.ports ?? [];
      const allocated = ports.map((p) => p.nodePort).filter((n): n is number => typeof n === 'number');
      if (lb && allocated.length === 0) continue; // an LB whose node ports were not allocated
      const portText = allocated.length > 0 ? `node port ${allocated.join(', ')}` : 'node ports (allocated on creation)';
      out.push({
        subject: { kind: 'Service', namespace: ns, name },
        status: 'warn',
        message: `Service "${ns}/${name}" (type ${type}) listens on ${portText} on every node, including public ${nodes.length === 1 ? 'node' : 'nodes'} ${nodeText}; a cloud firewall may block the NodePort range (not visible through the API)`,
        evidence: [
          evidence('spec.type', type ?? ''),
          ...(lb ? [evidence('spec.allocateLoadBalancerNodePorts', String(svc.spec?.allocateLoadBalancerNodePorts ?? 'unset (true)'))] : []),
          ...ports.filter((p) => p.nodePort !== undefined).map((p) => evidence(`spec.ports[${p.name ? `name=${p.name}` : `port=${p.port}`}].nodePort`, String(p.nodePort))),
          ...nodes.slice(0, 5).map((n) => evidence(`nodes[name=${n.name}].status.addresses[type=ExternalIP].address`, n.ips)),
        ],
        remediation: lb
          ? {
              why: 'Node ports listen on every node: on public nodes they publish the workload directly, bypassing the load balancer\'s source ranges and the ingress tier.',
              fix: 'Where the load-balancer implementation routes to pods directly (AWS Load Balancer Controller IP targets, GKE NEGs, Cilium/MetalLB L2), set allocateLoadBalancerNodePorts: false and remove the existing nodePort values (they are not released automatically); otherwise firewall 30000-32767 on the nodes at the cloud level.',
              command: command`kubectl -n ${ns} get service ${name} -o yaml > ${`${name}.yaml`}` + '\n' +
                '# set spec.allocateLoadBalancerNodePorts: false and delete every spec.ports[].nodePort, then:\n' +
                command`kubectl replace -f ${`${name}.yaml`}`,
            }
          : {
              why: 'Node ports listen on every node: on public nodes they publish the workload directly to the internet, bypassing the load balancer and ingress tier.',
              fix: 'Switch the Service to ClusterIP and publish it through an Ingress or Gateway (check its consumers first), or firewall 30000-32767 on the nodes at the cloud level.',
              command: command`kubectl -n ${ns} patch service ${name} --type=merge -p ${JSON.stringify({ spec: { type: 'ClusterIP' } })}`,
            },
      });
    }
    return findings(out, `no NodePort is allocated (${nodes.length} public ${nodes.length === 1 ? 'node' : 'nodes'})`);
  },
};
