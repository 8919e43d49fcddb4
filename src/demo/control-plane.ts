/**
 * Nodes and the kubeadm control plane: three control-plane nodes running static pods
 * (kube-apiserver, kube-controller-manager, kube-scheduler, etcd) whose mirror pods carry the
 * real kubeadm flags, six workers, the `kubernetes` Service with its endpoints, and
 * `kube-public/cluster-info`.
 */
import type { Container, K8sObject, PodSpec, Volume } from '../engine/k8s.js';
import { iso, type DemoContext, type DemoNode } from './context.js';
import { PLACEHOLDER_CERT, configMap } from './config.js';
import { meta, pod } from './pods.js';
import { service } from './network.js';

export const KUBE_VERSION = 'v1.33.4';
/** The public address of the API endpoint (an EIP in front of the control plane). */
export const API_ENDPOINT = '203.0.113.10';
const REGION = 'eu-west-1';

interface NodeInput {
  readonly name: string;
  readonly zone: 'a' | 'b' | 'c';
  readonly ip: string;
  readonly externalIP?: string;
  readonly controlPlane?: boolean;
  readonly kubelet?: string;
}

const NODES: readonly NodeInput[] = [
  { name: 'k8s-cp-1', zone: 'a', ip: '10.0.1.10', controlPlane: true },
  { name: 'k8s-cp-2', zone: 'b', ip: '10.0.2.10', controlPlane: true },
  { name: 'k8s-cp-3', zone: 'c', ip: '10.0.3.10', controlPlane: true },
  // Workers 1–3 sit in public subnets with public IPs (planted: cloud/node-public-ip).
  { name: 'k8s-worker-1', zone: 'a', ip: '10.0.1.21', externalIP: '198.51.100.21' },
  { name: 'k8s-worker-2', zone: 'b', ip: '10.0.2.22', externalIP: '198.51.100.22' },
  { name: 'k8s-worker-3', zone: 'c', ip: '10.0.3.23', externalIP: '203.0.113.23' },
  { name: 'k8s-worker-4', zone: 'a', ip: '10.0.1.24' },
  { name: 'k8s-worker-5', zone: 'b', ip: '10.0.2.25', kubelet: 'v1.33.1' },
  { name: 'k8s-worker-6', zone: 'c', ip: '10.0.3.26' },
];

export function nodes(ctx: DemoContext): void {
  const clusterBorn = ctx.agoMs(330, 340);
  NODES.forEach((n, index) => {
    const zone = `${REGION}${n.zone}`;
    const createdMs = n.controlPlane ? clusterBorn + index * 600_000 : clusterBorn + ctx.rng.int(1, 30) * 86_400_000;
    const instanceType = n.controlPlane ? 'm6i.large' : 'm6i.2xlarge';
    const dns = `ip-${n.ip.replaceAll('.', '-')}.${REGION}.compute.internal`;
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/instance-type': instanceType,
      'beta.kubernetes.io/os': 'linux',
      'failure-domain.beta.kubernetes.io/region': REGION,
      'failure-domain.beta.kubernetes.io/zone': zone,
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': n.name,
      'kubernetes.io/os': 'linux',
      'node.kubernetes.io/instance-type': instanceType,
      'topology.kubernetes.io/region': REGION,
      'topology.kubernetes.io/zone': zone,
      ...(n.controlPlane && { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' }),
    };
    const metadata = meta(ctx, {
      name: n.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'projectcalico.org/IPv4Address': `${n.ip}/24`,
        'projectcalico.org/IPv4IPIPTunnelAddr': `10.244.${index}.1`,
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
      createdMs,
    });
    const ready = iso(ctx.agoMs(2, 40));
    const condition = (type: string, status: string, reason: string, message: string) => ({
      type, status, lastHeartbeatTime: iso(ctx.agoMs(0, 0.003)), lastTransitionTime: ready, reason, message,
    });
    const memoryKi = n.controlPlane ? 7_936_412 : 32_475_960;
    const node = ctx.add({
      apiVersion: 'v1',
      kind: 'Node',
      metadata,
      spec: {
        podCIDR: `10.244.${index}.0/24`,
        podCIDRs: [`10.244.${index}.0/24`],
        providerID: `aws:///${zone}/i-0${ctx.rng.hex(16)}`,
        ...(n.controlPlane && { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      },
      status: {
        addresses: [
          { type: 'InternalIP', address: n.ip },
          ...(n.externalIP ? [{ type: 'ExternalIP', address: n.externalIP }] : []),
          { type: 'InternalDNS', address: dns },
          { type: 'Hostname', address: n.name },
        ],
        allocatable: { cpu: n.controlPlane ? '2' : '8', 'ephemeral-storage': '93478772582', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${memoryKi - 102_400}Ki`, pods: '110' },
        capacity: { cpu: n.controlPlane ? '2' : '8', 'ephemeral-storage': '101430960Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', memory: `${memoryKi}Ki`, pods: '110' },
        conditions: [
          condition('NetworkUnavailable', 'False', 'CalicoIsUp', 'Calico is running on this node'),
          condition('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
          condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
          condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
          condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: ctx.uid(),
          containerRuntimeVersion: 'containerd://1.7.27',
          kernelVersion: '6.8.0-1031-aws',
          kubeletVersion: n.kubelet ?? KUBE_VERSION,
          machineID: ctx.rng.hex(32),
          operatingSystem: 'linux',
          osImage: 'Ubuntu 24.04.2 LTS',
          systemUUID: `ec2${ctx.rng.hex(5)}-${ctx.rng.hex(4)}-${ctx.rng.hex(4)}-${ctx.rng.hex(4)}-${ctx.rng.hex(12)}`,
        },
      },
    });
    ctx.nodes.push({
      name: n.name,
      uid: node.metadata?.uid ?? '',
      internalIP: n.ip,
      ...(n.externalIP !== undefined && { externalIP: n.externalIP }),
      zone,
      controlPlane: n.controlPlane === true,
      index,
      createdMs,
    });
  });
}

// ---------------------------------------------------------------------------- static pods

const PKI = '/etc/kubernetes/pki';
const hostDir = (name: string, path: string, type = 'DirectoryOrCreate'): Volume => ({ name, hostPath: { path, type } });
const mount = (name: string, mountPath: string, readOnly = true) => ({ name, mountPath, readOnly });
const CA_VOLUMES = [
  hostDir('ca-certs', '/etc/ssl/certs'),
  hostDir('etc-ca-certificates', '/etc/ca-certificates'),
  hostDir('k8s-certs', PKI),
  hostDir('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'),
  hostDir('usr-share-ca-certificates', '/usr/share/ca-certificates'),
];
const CA_MOUNTS = [
  mount('ca-certs', '/etc/ssl/certs'),
  mount('etc-ca-certificates', '/etc/ca-certificates'),
  mount('k8s-certs', PKI),
  mount('usr-local-share-ca-certificates', '/usr/local/share/ca-certificates'),
  mount('usr-share-ca-certificates', '/usr/share/ca-certificates'),
];

function probe(host: string, path: string, port: number, scheme: 'HTTP' | 'HTTPS', failureThreshold: number, initialDelaySeconds?: number) {
  return {
    failureThreshold,
    httpGet: { host, path, port, scheme },
    ...(initialDelaySeconds !== undefined && { initialDelaySeconds }),
    periodSeconds: 10,
    successThreshold: 1,
    timeoutSeconds: 15,
  };
}

function apiserverCommand(node: DemoNode): string[] {
  // kubeadm defaults. Planted: no --audit-policy-file / --audit-log-path, no
  // --encryption-provider-config, --profiling and --anonymous-auth left at their defaults (true),
  // no --kubelet-certificate-authority, only NodeRestriction added to the admission plugins.
  return [
    'kube-apiserver',
    `--advertise-address=${node.internalIP}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    `--client-ca-file=${PKI}/ca.crt`,
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    `--etcd-cafile=${PKI}/etcd/ca.crt`,
    `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
    `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
    '--etcd-servers=https://127.0.0.1:2379',
    `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
    `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    `--proxy-client-cert-file=${PKI}/front-proxy-client.crt`,
    `--proxy-client-key-file=${PKI}/front-proxy-client.key`,
    '--requestheader-allowed-names=front-proxy-client',
    `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6443',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${PKI}/sa.pub`,
    `--service-account-signing-key-file=${PKI}/sa.key`,
    '--service-cluster-ip-range=10.96.0.0/12',
    `--tls-cert-file=${PKI}/apiserver.crt`,
    `--tls-private-key-file=${PKI}/apiserver.key`,
  ];
}

function controllerManagerCommand(): string[] {
  return [
    'kube-controller-manager',
    '--allocate-node-cidrs=true',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--bind-address=127.0.0.1',
    `--client-ca-file=${PKI}/ca.crt`,
    '--cluster-cidr=10.244.0.0/16',
    '--cluster-name=kubernetes',
    `--cluster-signing-cert-file=${PKI}/ca.crt`,
    `--cluster-signing-key-file=${PKI}/ca.key`,
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--leader-elect=true',
    `--requestheader-client-ca-file=${PKI}/front-proxy-ca.crt`,
    `--root-ca-file=${PKI}/ca.crt`,
    `--service-account-private-key-file=${PKI}/sa.key`,
    '--service-cluster-ip-range=10.96.0.0/12',
    '--use-service-account-credentials=true',
  ];
}

function schedulerCommand(node: DemoNode): string[] {
  // Planted drift: on k8s-cp-3 someone exposed the scheduler's metrics on every interface.
  const bind = node.name === 'k8s-cp-3' ? '0.0.0.0' : '127.0.0.1';
  return [
    'kube-scheduler',
    '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
    '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
    `--bind-address=${bind}`,
    '--kubeconfig=/etc/kubernetes/scheduler.conf',
    '--leader-elect=true',
  ];
}

function etcdCommand(node: DemoNode, controlPlane: readonly DemoNode[]): string[] {
  const ip = node.internalIP;
  return [
    'etcd',
    `--advertise-client-urls=https://${ip}:2379`,
    `--cert-file=${PKI}/etcd/server.crt`,
    '--client-cert-auth=true',
    '--data-dir=/var/lib/etcd',
    '--experimental-initial-corrupt-check=true',
    '--experimental-watch-progress-notify-interval=5s',
    `--initial-advertise-peer-urls=https://${ip}:2380`,
    `--initial-cluster=${controlPlane.map((n) => `${n.name}=https://${n.internalIP}:2380`).join(',')}`,
    ...(node !== controlPlane[0] ? ['--initial-cluster-state=existing'] : []),
    `--key-file=${PKI}/etcd/server.key`,
    `--listen-client-urls=https://127.0.0.1:2379,https://${ip}:2379`,
    '--listen-metrics-urls=http://127.0.0.1:2381',
    `--listen-peer-urls=https://${ip}:2380`,
    `--name=${node.name}`,
    `--peer-cert-file=${PKI}/etcd/peer.crt`,
    '--peer-client-cert-auth=true',
    `--peer-key-file=${PKI}/etcd/peer.key`,
    `--peer-trusted-ca-file=${PKI}/etcd/ca.crt`,
    '--snapshot-count=10000',
    `--trusted-ca-file=${PKI}/etcd/ca.crt`,
  ];
}

interface StaticPod {
  readonly component: string;
  readonly image: string;
  readonly command: string[];
  readonly probeHost: string;
  readonly probePath: string;
  readonly probePort: number;
  readonly probeScheme: 'HTTP' | 'HTTPS';
  readonly cpu: string;
  readonly memory?: string;
  readonly mounts: NonNullable<Container['volumeMounts']>;
  readonly volumes: readonly Volume[];
  readonly annotations?: Record<string, string>;
}

function staticPods(node: DemoNode, controlPlane: readonly DemoNode[]): StaticPod[] {
  const ip = node.internalIP;
  return [
    {
      component: 'etcd',
      image: 'registry.k8s.io/etcd:3.5.21-0',
      command: etcdCommand(node, controlPlane),
      probeHost: '127.0.0.1', probePath: '/livez', probePort: 2381, probeScheme: 'HTTP', cpu: '100m', memory: '100Mi',
      mounts: [mount('etcd-data', '/var/lib/etcd', false), mount('etcd-certs', `${PKI}/etcd`, false)],
      volumes: [hostDir('etcd-certs', `${PKI}/etcd`), hostDir('etcd-data', '/var/lib/etcd')],
      annotations: { 'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${ip}:2379` },
    },
    {
      component: 'kube-apiserver',
      image: `registry.k8s.io/kube-apiserver:${KUBE_VERSION}`,
      command: apiserverCommand(node),
      probeHost: ip, probePath: '/livez', probePort: 6443, probeScheme: 'HTTPS', cpu: '250m',
      mounts: CA_MOUNTS,
      volumes: CA_VOLUMES,
      annotations: { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${ip}:6443` },
    },
    {
      component: 'kube-controller-manager',
      image: `registry.k8s.io/kube-controller-manager:${KUBE_VERSION}`,
      command: controllerManagerCommand(),
      probeHost: '127.0.0.1', probePath: '/healthz', probePort: 10257, probeScheme: 'HTTPS', cpu: '200m',
      mounts: [...CA_MOUNTS, mount('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec', false), mount('kubeconfig', '/etc/kubernetes/controller-manager.conf')],
      volumes: [...CA_VOLUMES, hostDir('flexvolume-dir', '/usr/libexec/kubernetes/kubelet-plugins/volume/exec'), hostDir('kubeconfig', '/etc/kubernetes/controller-manager.conf', 'FileOrCreate')],
    },
    {
      component: 'kube-scheduler',
      image: `registry.k8s.io/kube-scheduler:${KUBE_VERSION}`,
      command: schedulerCommand(node),
      probeHost: '127.0.0.1', probePath: '/livez', probePort: 10259, probeScheme: 'HTTPS', cpu: '100m',
      mounts: [mount('kubeconfig', '/etc/kubernetes/scheduler.conf')],
      volumes: [hostDir('kubeconfig', '/etc/kubernetes/scheduler.conf', 'FileOrCreate')],
    },
  ];
}

/** Mirror pods of the kubeadm static pod manifests on every control-plane node. */
export function controlPlanePods(ctx: DemoContext): void {
  const controlPlane = ctx.nodes.filter((n) => n.controlPlane);
  for (const node of controlPlane) {
    const nodeObject = ctx.find('Node', undefined, node.name) as K8sObject;
    for (const sp of staticPods(node, controlPlane)) {
      const hash = ctx.rng.hex(32);
      const seenMs = ctx.agoMs(2, 40);
      const container: Container = {
        name: sp.component,
        image: sp.image,
        imagePullPolicy: 'IfNotPresent',
        command: sp.command,
        livenessProbe: probe(sp.probeHost, sp.probePath, sp.probePort, sp.probeScheme, 8, 10),
        ...(sp.component === 'kube-apiserver' && { readinessProbe: { ...probe(sp.probeHost, '/readyz', 6443, 'HTTPS', 3), periodSeconds: 1 } }),
        ...(sp.component === 'etcd' && { readinessProbe: probe('127.0.0.1', '/readyz', 2381, 'HTTP', 3) }),
        startupProbe: probe(sp.probeHost, sp.probePath, sp.probePort, sp.probeScheme, 24, 10),
        resources: { requests: { cpu: sp.cpu, ...(sp.memory && { memory: sp.memory }) } },
        volumeMounts: sp.mounts,
      };
      const spec: PodSpec = {
        containers: [container],
        hostNetwork: true,
        priorityClassName: 'system-node-critical',
        securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
        volumes: sp.volumes,
      };
      pod(ctx, {
        namespace: 'kube-system',
        name: `${sp.component}-${node.name}`,
        labels: { component: sp.component, tier: 'control-plane' },
        annotations: {
          ...sp.annotations,
          'kubernetes.io/config.hash': hash,
          'kubernetes.io/config.mirror': hash,
          'kubernetes.io/config.seen': iso(seenMs).replace('Z', `.${ctx.rng.int(100_000_000, 999_999_999)}Z`),
          'kubernetes.io/config.source': 'file',
        },
        owner: nodeObject,
        spec,
        node,
        createdMs: seenMs + 2000,
        staticPod: true,
      });
    }
  }
}

// ---------------------------------------------------------------------------- API endpoint

/** `default/kubernetes` with its Endpoints and EndpointSlice, maintained by the API servers. */
export function kubernetesService(ctx: DemoContext): void {
  const controlPlane = ctx.nodes.filter((n) => n.controlPlane);
  const createdMs = controlPlane[0]?.createdMs ?? ctx.agoMs(330, 340);
  service(ctx, {
    namespace: 'default',
    name: 'kubernetes',
    labels: { component: 'apiserver', provider: 'kubernetes' },
    clusterIP: '10.96.0.1',
    ports: [{ name: 'https', port: 443, targetPort: 6443 }],
    createdMs,
  });
  const port = { name: 'https', port: 6443, protocol: 'TCP' };
  ctx.add({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: meta(ctx, { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' }, createdMs }),
    subsets: [{ addresses: controlPlane.map((n) => ({ ip: n.internalIP })), ports: [port] }],
  });
  ctx.add({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(ctx, { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' }, createdMs, generation: 3 }),
    addressType: 'IPv4',
    endpoints: controlPlane.map((n) => ({ addresses: [n.internalIP], conditions: { ready: true } })),
    ports: [port],
  });
}

/** `kube-public/cluster-info`: the bootstrap kubeconfig, readable anonymously. */
export function clusterInfo(ctx: DemoContext): void {
  const ca = Buffer.from(PLACEHOLDER_CERT).toString('base64');
  configMap(ctx, 'kube-public', 'cluster-info', {
    kubeconfig: [
      'apiVersion: v1',
      'clusters:',
      '- cluster:',
      `    certificate-authority-data: ${ca}`,
      // Planted: the API endpoint is a public address (cloud/public-api-endpoint).
      `    server: https://${API_ENDPOINT}:6443`,
      '  name: ""',
      'contexts: null',
      'current-context: ""',
      'kind: Config',
      'preferences: {}',
      'users: null',
      '',
    ].join('\n'),
  }, { createdMs: (ctx.nodes[0]?.createdMs ?? ctx.agoMs(330, 340)) + 90_000 });
}
