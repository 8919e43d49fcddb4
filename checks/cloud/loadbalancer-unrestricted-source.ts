import { evidence, findings } from '../../src/engine/helpers.js';
import type { Node, Service } from '../../src/engine/k8s.js';
import { isAnyAddressRange, isPublicAddress, parseCidr } from '../../src/engine/net.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, FindingDraft } from '../../src/engine/types.js';

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Appendix C.5: annotation → value (lower-cased) that makes the load balancer internal. */
const INTERNAL_ANNOTATIONS: readonly (readonly [string, string])[] = [
  ['service.beta.kubernetes.io/aws-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', 'internal'],
  ['networking.gke.io/load-balancer-type', 'internal'],
  ['cloud.google.com/load-balancer-type', 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', 'true'],
  ['service.beta.kubernetes.io/openstack-internal-load-balancer', 'true'],
  ['service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type', 'intranet'],
  ['service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type', 'private'],
];

/** Administrative and data ports that must never face the internet (CHECKS.md row). */
export const ADMIN_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH', 23: 'Telnet', 2375: 'Docker API (plain)', 2376: 'Docker API', 2379: 'etcd client', 2380: 'etcd peer', 3306: 'MySQL',
  5432: 'PostgreSQL', 5984: 'CouchDB', 6379: 'Redis', 6443: 'Kubernetes API', 8080: 'HTTP admin/alt (no TLS)', 9200: 'Elasticsearch HTTP',
  9300: 'Elasticsearch transport', 10250: 'kubelet', 10255: 'kubelet read-only', 11211: 'memcached', 27017: 'MongoDB',
};

/** The legacy AWS annotation: the in-tree/cloud-provider-aws controller treats any value other than "false" as internal. */
const AWS_INTERNAL = 'service.beta.kubernetes.io/aws-load-balancer-internal';

export function internalAnnotation(annotations: Readonly<Record<string, string>>): string | undefined {
  const aws = (annotations[AWS_INTERNAL] ?? '').trim().toLowerCase();
  if (aws !== '' && aws !== 'false') return AWS_INTERNAL;
  return INTERNAL_ANNOTATIONS.find(([key, value]) => (annotations[key] ?? '').trim().toLowerCase() === value)?.[0];
}

/** The source ranges in force: spec.loadBalancerSourceRanges, else the annotation. */
function sourceRanges(svc: Service): { ranges: string[]; from: string } {
  const spec = svc.spec?.loadBalancerSourceRanges ?? [];
  if (spec.length > 0) return { ranges: [...spec], from: 'spec.loadBalancerSourceRanges' };
  const annotated = (svc.metadata?.annotations?.[SOURCE_RANGES_ANNOTATION] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (annotated.length === 0) return { ranges: [], from: 'spec.loadBalancerSourceRanges' };
  return { ranges: annotated, from: `metadata.annotations["${SOURCE_RANGES_ANNOTATION}"]` };
}

type Provider = 'aws' | 'gcp' | 'azure' | undefined;

function providerOf(svc: Service, nodes: readonly Node[]): Provider {
  const hostnames = (svc.status?.loadBalancer?.ingress ?? []).map((i) => i.hostname ?? '');
  if (hostnames.some((h) => h.endsWith('.amazonaws.com'))) return 'aws';
  const annotations = Object.keys(svc.metadata?.annotations ?? {});
  if (annotations.some((k) => k.startsWith('service.beta.kubernetes.io/aws-'))) return 'aws';
  if (annotations.some((k) => k.startsWith('service.beta.kubernetes.io/azure-'))) return 'azure';
  if (annotations.some((k) => k.startsWith('cloud.google.com/') || k.startsWith('networking.gke.io/'))) return 'gcp';
  const id = nodes[0]?.spec?.providerID ?? '';
  if (id.startsWith('aws://')) return 'aws';
  if (id.startsWith('gce://')) return 'gcp';
  if (id.startsWith('azure://')) return 'azure';
  return undefined;
}

const INTERNAL_FIX: Readonly<Record<'aws' | 'gcp' | 'azure', string>> = {
  // Honoured by the in-tree/cloud-provider-aws controller and the AWS Load Balancer Controller alike (the -scheme annotation only by the latter).
  aws: 'service.beta.kubernetes.io/aws-load-balancer-internal=true',
  gcp: 'networking.gke.io/load-balancer-type=Internal',
  azure: 'service.beta.kubernetes.io/azure-load-balancer-internal=true',
};

export const check: Check = {
  id: 'cloud/loadbalancer-unrestricted-source',
  layer: 'cloud',
  title: 'LoadBalancer Service open to any source',
  severity: 'medium',
  description:
    'Inspects Services of type LoadBalancer: spec.loadBalancerSourceRanges, the load-balancer-source-ranges annotation, internal-LB annotations ' +
    '(AWS, GCP, Azure, OCI, OpenStack, Alibaba, IBM), spec.ports[].port and status.loadBalancer.ingress. A Service is exposed when it is not internal, ' +
    'has no source range other than 0.0.0.0/0 or ::/0, and its status has a public IP or a host name. Exposed Services warn (medium: often intended); ' +
    'they fail (high) when a port is administrative or a data store (22, 23, 2375, 2376, 2379, 2380, 3306, 5432, 5984, 6379, 6443, 8080, 9200, 9300, ' +
    '10250, 10255, 11211, 27017).',
  remediation: 'Restrict loadBalancerSourceRanges to the client networks, make the load balancer internal, or publish HTTP through an Ingress with TLS.',
  references: [
    ref.fourC('Network access to Nodes'), ref.kubescape('C-0256'), ref.kubescape('C-0021'), ref.nsa('Network separation (Network policies)'),
  ],
  needs: ['services'],
  optionalNeeds: ['nodes'],
  evaluate: (snapshot) => {
    const nodes = snapshot.list<Node>('nodes');
    const out: FindingDraft[] = [];
    let internal = 0;
    let restricted = 0;
    for (const svc of snapshot.list<Service>('services')) {
      if (svc.spec?.type !== 'LoadBalancer') continue;
      const ns = svc.metadata?.namespace ?? '';
      const name = svc.metadata?.name ?? '';
      const annotations = svc.metadata?.annotations ?? {};
      if (internalAnnotation(annotations)) {
        internal++;
        continue;
      }
      const { ranges, from } = sourceRanges(svc);
      const valid = ranges.filter((r) => parseCidr(r) !== undefined);
      const open = valid.filter((r) => isAnyAddressRange(r));
      if (valid.length > 0 && open.length === 0) {
        restricted++;
        continue;
      }
      const addresses = (svc.status?.loadBalancer?.ingress ?? [])
        .map((i) => (i.ip && isPublicAddress(i.ip) ? i.ip : !i.ip && i.hostname ? i.hostname : undefined))
        .filter((a): a is string => a !== undefined);
      if (addresses.length === 0) continue; // not provisioned, or only private addresses

      const ports = svc.spec?.ports ?? [];
      const admin = ports.filter((p) => {
        if (ADMIN_PORTS[p.port] === undefined) return false;
        // 8080 is only an admin port without TLS.
        const tls = /^(https|tls)$/i.test(p.appProtocol ?? '') || /^(https|tls)/i.test(p.name ?? '');
        return p.port !== 8080 || !tls;
      });
      const ev: Evidence[] = [
        evidence('spec.type', 'LoadBalancer'),
        evidence(from, ranges.length === 0 ? '(none)' : ranges),
        evidence('status.loadBalancer.ingress', addresses),
        ...admin.map((p) => evidence(`spec.ports[${p.name ? `name=${p.name}` : `port=${p.port}`}].port`, String(p.port))),
      ];
      const openText = ranges.length === 0 ? 'no loadBalancerSourceRanges' : `source range ${open.join(', ')} (any address)`;
      const adminText = admin.length > 0 ? `; it exposes ${admin.map((p) => `${p.port} (${ADMIN_PORTS[p.port]})`).join(', ')}` : '';
      const provider = providerOf(svc, nodes);
      const internalCmd = provider
        ? [command`kubectl -n ${ns} annotate service ${name} ${INTERNAL_FIX[provider]}   # recreates the load balancer`]
        : [command`kubectl -n ${ns} annotate service ${name} service.beta.kubernetes.io/aws-load-balancer-internal=true   # AWS; see your provider's internal annotation`];
      out.push({
        subject: { kind: 'Service', namespace: ns, name },
        severity: admin.length > 0 ? 'high' : 'medium',
        status: admin.length > 0 ? 'fail' : 'warn',
        message: `Service "${ns}/${name}" (type LoadBalancer) is reachable from any source at ${addresses.join(', ')}: ${openText}${adminText}`,
        evidence: ev,
        remediation: {
          why: admin.length > 0
            ? 'Databases and administrative ports on the internet are found by scanners within minutes and attacked with default or stolen credentials and known CVEs.'
            : 'An unrestricted L4 load balancer publishes the workload to the whole internet; that is often intended, but should be a decision.',
          fix: 'Restrict loadBalancerSourceRanges to the client CIDRs, make the load balancer internal, or put HTTP services behind an Ingress with TLS. Cloud firewall rules are not visible through the Kubernetes API — verify them.',
          command: [
            command`kubectl -n ${ns} patch service ${name} --type=merge -p ${JSON.stringify({ spec: { loadBalancerSourceRanges: ['<client-cidr>'] } })}`,
            ...internalCmd,
          ].join('\n'),
        },
      });
    }
    const notes = [internal > 0 ? `${internal} internal` : '', restricted > 0 ? `${restricted} source-restricted` : ''].filter(Boolean);
    return findings(out, notes.length > 0 ? `${notes.join(', ')} LoadBalancer Service(s) not exposed to any source` : undefined);
  },
};
