/**
 * Services (with the Endpoints and EndpointSlices the controllers derive from pods),
 * IngressClasses, Ingresses and NetworkPolicies.
 */
import type { Container, K8sObject, Pod } from '../engine/k8s.js';
import { DEMO_NOW, iso, type DemoContext, type Labels, type Obj } from './context.js';
import { meta } from './pods.js';

export interface PortInput {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
  readonly protocol?: 'TCP' | 'UDP';
  readonly appProtocol?: string;
}

export interface ServiceParams {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly selector?: Labels;
  readonly ports: readonly PortInput[];
  readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly headless?: boolean;
  readonly clusterIP?: string;
  /** Address the cloud load balancer published in `status.loadBalancer.ingress`. */
  readonly loadBalancer?: { readonly ip?: string; readonly hostname?: string };
  readonly sourceRanges?: readonly string[];
  readonly externalIPs?: readonly string[];
  readonly ageDays?: readonly [number, number];
  /** Exact creation time (overrides `ageDays`). */
  readonly createdMs?: number;
}

export function service(ctx: DemoContext, p: ServiceParams): K8sObject {
  const type = p.type ?? 'ClusterIP';
  const external = type !== 'ClusterIP';
  const clusterIP = p.headless ? 'None' : (p.clusterIP ?? ctx.clusterIP());
  const age = p.ageDays ?? [20, 300];
  const spec: Obj = {
    clusterIP,
    clusterIPs: [clusterIP],
    ...(external && { externalTrafficPolicy: 'Cluster' }),
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: p.ports.map((port) => ({
      ...(port.name !== undefined && { name: port.name }),
      ...(port.appProtocol !== undefined && { appProtocol: port.appProtocol }),
      ...(external && { nodePort: ctx.nodePort() }),
      port: port.port,
      protocol: port.protocol ?? 'TCP',
      targetPort: port.targetPort ?? port.port,
    })),
    ...(p.selector && { selector: { ...p.selector } }),
    sessionAffinity: 'None',
    type,
    ...(type === 'LoadBalancer' && { allocateLoadBalancerNodePorts: true }),
    ...(p.sourceRanges && { loadBalancerSourceRanges: [...p.sourceRanges] }),
    ...(p.externalIPs && { externalIPs: [...p.externalIPs] }),
  };
  const lb = p.loadBalancer;
  const ingress = lb ? [{ ...(lb.ip && { ip: lb.ip, ipMode: 'VIP' }), ...(lb.hostname && { hostname: lb.hostname }) }] : undefined;
  return ctx.add({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(ctx, {
      name: p.name,
      namespace: p.namespace,
      createdMs: p.createdMs ?? ctx.agoMs(age[0], age[1]),
      ...(p.labels && { labels: p.labels }),
      ...(p.annotations && { annotations: p.annotations }),
    }),
    spec,
    status: { loadBalancer: ingress ? { ingress } : {} },
  });
}

// ---------------------------------------------------------------------------- endpoints

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function resolvePort(pod: Pod, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  for (const c of (pod.spec?.containers ?? []) as Container[]) {
    const found = c.ports?.find((p) => p.name === target);
    if (found?.containerPort !== undefined) return found.containerPort;
  }
  return undefined;
}

/**
 * Endpoints and EndpointSlices for every Service with a selector, as the endpoint controllers
 * derive them from the running pods. Call once, after all pods exist.
 */
export function deriveEndpoints(ctx: DemoContext): void {
  for (const svc of ctx.ofKind('Service')) {
    const spec = svc['spec'] as Obj;
    const selector = spec['selector'] as Labels | undefined;
    if (!selector) continue;
    const ns = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    const pods = ctx
      .ofKind('Pod', ns)
      .map((o) => o as Pod)
      .filter((pod) => pod.status?.phase === 'Running' && selects(selector, pod.metadata?.labels));
    const ports = (spec['ports'] as Obj[]).map((port) => ({
      name: (port['name'] as string | undefined) ?? '',
      target: port['targetPort'] as number | string,
      protocol: port['protocol'] as string,
    }));
    const headless: Labels = spec['clusterIP'] === 'None' ? { 'service.kubernetes.io/headless': '' } : {};
    const changed = iso(DEMO_NOW - ctx.rng.int(1, 20) * 86_400_000);
    const firstPod = pods[0];
    const resolved = ports.map((p) => ({ name: p.name, protocol: p.protocol, port: firstPod ? resolvePort(firstPod, p.target) : undefined }));
    const address = (pod: Pod) => ({
      ip: pod.status?.['podIP'] as string,
      nodeName: pod.spec?.nodeName,
      targetRef: { kind: 'Pod', name: pod.metadata?.name, namespace: ns, uid: pod.metadata?.uid },
    });
    const zoneOf = (pod: Pod) => ctx.nodes.find((n) => n.name === pod.spec?.nodeName)?.zone;

    ctx.add({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: meta(ctx, {
        name,
        namespace: ns,
        labels: { ...svc.metadata?.labels, ...headless },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': changed },
        createdMs: Date.parse(svc.metadata?.creationTimestamp ?? iso(DEMO_NOW)),
      }),
      ...(pods.length > 0 && {
        subsets: [{ addresses: pods.map(address), ports: resolved.map((p) => ({ ...(p.name && { name: p.name }), port: p.port, protocol: p.protocol })) }],
      }),
    });
    ctx.add({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: meta(ctx, {
        name: `${name}-${ctx.rng.suffix()}`,
        generateName: `${name}-`,
        namespace: ns,
        labels: { ...svc.metadata?.labels, ...headless, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': name },
        annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': changed },
        createdMs: Date.parse(svc.metadata?.creationTimestamp ?? iso(DEMO_NOW)),
        owner: svc,
      }),
      addressType: 'IPv4',
      endpoints: pods.map((pod) => {
        const { ip, ...rest } = address(pod);
        return { addresses: [ip], conditions: { ready: true, serving: true, terminating: false }, ...rest, zone: zoneOf(pod) };
      }),
      ...(pods.length > 0 && { ports: resolved.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })) }),
    });
  }
}

// ---------------------------------------------------------------------------- ingress

export function ingressClass(ctx: DemoContext, name: string, controller: string, isDefault: boolean, labels?: Labels): K8sObject {
  return ctx.add({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: meta(ctx, {
      name,
      createdMs: ctx.agoMs(200, 300),
      generation: 1,
      ...(labels && { labels }),
      ...(isDefault && { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } }),
    }),
    spec: { controller },
  });
}

export interface IngressParams {
  readonly namespace: string;
  readonly name: string;
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly className?: string;
  readonly rules: readonly { readonly host: string; readonly service: string; readonly port: number | string; readonly path?: string }[];
  readonly tls?: readonly { readonly hosts: readonly string[]; readonly secretName: string }[];
  readonly statusIP?: string;
}

export function ingress(ctx: DemoContext, p: IngressParams): K8sObject {
  const backendPort = (port: number | string) => (typeof port === 'number' ? { number: port } : { name: port });
  return ctx.add({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(ctx, {
      name: p.name,
      namespace: p.namespace,
      createdMs: ctx.agoMs(20, 250),
      generation: 1,
      ...(p.labels && { labels: p.labels }),
      ...(p.annotations && { annotations: p.annotations }),
    }),
    spec: {
      ingressClassName: p.className ?? 'nginx',
      ...(p.tls && { tls: p.tls.map((t) => ({ hosts: [...t.hosts], secretName: t.secretName })) }),
      rules: p.rules.map((r) => ({
        host: r.host,
        http: { paths: [{ path: r.path ?? '/', pathType: 'Prefix', backend: { service: { name: r.service, port: backendPort(r.port) } } }] },
      })),
    },
    status: { loadBalancer: p.statusIP ? { ingress: [{ ip: p.statusIP }] } : {} },
  });
}

// ---------------------------------------------------------------------------- NetworkPolicy

export interface NetworkPolicyParams {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: Obj;
  readonly policyTypes: readonly ('Ingress' | 'Egress')[];
  readonly ingress?: readonly Obj[];
  readonly egress?: readonly Obj[];
}

export function networkPolicy(ctx: DemoContext, p: NetworkPolicyParams): K8sObject {
  return ctx.add({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(ctx, { name: p.name, namespace: p.namespace, createdMs: ctx.agoMs(10, 200), generation: 1 }),
    spec: {
      podSelector: p.podSelector,
      ...(p.ingress && { ingress: [...p.ingress] }),
      ...(p.egress && { egress: [...p.egress] }),
      policyTypes: [...p.policyTypes],
    },
  });
}

/** Default-deny for both directions plus DNS egress to kube-dns: the recommended baseline. */
export function defaultDenyWithDns(ctx: DemoContext, namespace: string): void {
  networkPolicy(ctx, { namespace, name: 'default-deny-all', podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  networkPolicy(ctx, {
    namespace,
    name: 'allow-dns',
    podSelector: {},
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
        ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
      },
    ],
  });
}

/** Ingress from the ingress-nginx controller to pods with these labels. */
export function allowFromIngressController(ctx: DemoContext, namespace: string, podLabels: Labels, port: number): void {
  networkPolicy(ctx, {
    namespace,
    name: 'allow-from-ingress-nginx',
    podSelector: { matchLabels: podLabels },
    policyTypes: ['Ingress'],
    ingress: [
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }],
        ports: [{ protocol: 'TCP', port }],
      },
    ],
  });
}
