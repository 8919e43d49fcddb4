/**
 * kube-system add-ons of a kubeadm cluster with Calico: kube-proxy and calico-node on every
 * node, CoreDNS, calico-kube-controllers and metrics-server, plus the configuration
 * ConfigMaps that checks read (kube-proxy, kubelet-config, kubeadm-config).
 */
import type { Container, PodSpec } from '../engine/k8s.js';
import type { DemoContext } from './context.js';
import { PLACEHOLDER_CERT, configMap, serviceAccount } from './config.js';
import { configEnv, configMapVolume, container, emptyDir, env, fieldEnv, hostPath, resources, volumeMount } from './containers.js';
import { API_ENDPOINT, KUBE_VERSION } from './control-plane.js';
import { service } from './network.js';
import { READ, clusterRole, clusterRoleBinding, rule, sa } from './rbac.js';
import { daemonSet, deployment } from './workloads.js';

const NS = 'kube-system';
const CALICO = 'v3.29.3';

export function kubeSystem(ctx: DemoContext): void {
  const born = (ctx.nodes[0]?.createdMs ?? ctx.agoMs(330, 340)) + 300_000;
  for (const name of ['kube-proxy', 'coredns', 'calico-node', 'calico-cni-plugin', 'calico-kube-controllers', 'metrics-server']) {
    serviceAccount(ctx, NS, name, { createdMs: born });
  }
  configMaps(ctx, born);
  kubeProxy(ctx);
  calico(ctx);
  coreDns(ctx);
  metricsServer(ctx);
}

function configMaps(ctx: DemoContext, createdMs: number): void {
  configMap(ctx, NS, 'kubeadm-config', { ClusterConfiguration: CLUSTER_CONFIGURATION }, { createdMs });
  configMap(ctx, NS, 'kubelet-config', { kubelet: KUBELET_CONFIGURATION }, { createdMs, annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${ctx.rng.hex(64)}` } });
  configMap(ctx, NS, 'kube-proxy', { 'config.conf': KUBE_PROXY_CONFIGURATION, 'kubeconfig.conf': KUBE_PROXY_KUBECONFIG }, { createdMs, labels: { app: 'kube-proxy' }, annotations: { 'kubeadm.kubernetes.io/component-config.hash': `sha256:${ctx.rng.hex(64)}` } });
  configMap(ctx, NS, 'coredns', { Corefile: COREFILE }, { createdMs });
  configMap(ctx, NS, 'calico-config', { calico_backend: 'bird', veth_mtu: '0', typha_service_name: 'none', cni_network_config: CALICO_CNI }, { createdMs });
  configMap(ctx, NS, 'extension-apiserver-authentication', {
    'client-ca-file': PLACEHOLDER_CERT,
    'requestheader-allowed-names': '["front-proxy-client"]',
    'requestheader-client-ca-file': PLACEHOLDER_CERT,
    'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
    'requestheader-group-headers': '["X-Remote-Group"]',
    'requestheader-username-headers': '["X-Remote-User"]',
  }, { createdMs });
}

function kubeProxy(ctx: DemoContext): void {
  daemonSet(ctx, {
    namespace: NS,
    name: 'kube-proxy',
    selector: { 'k8s-app': 'kube-proxy' },
    everyNode: true,
    ageDays: [300, 330],
    spec: {
      containers: [
        container({
          name: 'kube-proxy',
          image: `registry.k8s.io/kube-proxy:${KUBE_VERSION}`,
          command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
          env: [fieldEnv('NODE_NAME', 'spec.nodeName')],
          securityContext: { privileged: true },
          volumeMounts: [volumeMount('kube-proxy', '/var/lib/kube-proxy'), volumeMount('xtables-lock', '/run/xtables.lock'), volumeMount('lib-modules', '/lib/modules', true)],
        }),
      ],
      hostNetwork: true,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-node-critical',
      serviceAccountName: 'kube-proxy',
      tolerations: [{ operator: 'Exists' }],
      volumes: [configMapVolume('kube-proxy', 'kube-proxy'), hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'), hostPath('lib-modules', '/lib/modules')],
    },
  });
}

function calico(ctx: DemoContext): void {
  const privileged = { privileged: true };
  const init = (name: string, image: string, command: string[], mounts: Container['volumeMounts']): Container =>
    container({ name, image, command, securityContext: privileged, volumeMounts: mounts ?? [] });
  const spec: PodSpec = {
    initContainers: [
      init('upgrade-ipam', `docker.io/calico/cni:${CALICO}`, ['/opt/cni/bin/calico-ipam', '-upgrade'], [volumeMount('host-local-net-dir', '/var/lib/cni/networks'), volumeMount('cni-bin-dir', '/host/opt/cni/bin')]),
      init('install-cni', `docker.io/calico/cni:${CALICO}`, ['/opt/cni/bin/install'], [volumeMount('cni-bin-dir', '/host/opt/cni/bin'), volumeMount('cni-net-dir', '/host/etc/cni/net.d')]),
      init('mount-bpffs', `docker.io/calico/node:${CALICO}`, ['calico-node', '-init', '-best-effort'], [volumeMount('sys-fs', '/sys/fs'), volumeMount('nodeproc', '/nodeproc', true)]),
    ],
    containers: [
      container({
        name: 'calico-node',
        image: `docker.io/calico/node:${CALICO}`,
        env: [
          env('DATASTORE_TYPE', 'kubernetes'),
          env('WAIT_FOR_DATASTORE', 'true'),
          fieldEnv('NODENAME', 'spec.nodeName'),
          configEnv('CALICO_NETWORKING_BACKEND', 'calico-config', 'calico_backend'),
          env('CLUSTER_TYPE', 'k8s,bgp'),
          env('IP', 'autodetect'),
          env('CALICO_IPV4POOL_IPIP', 'Always'),
          env('CALICO_IPV4POOL_CIDR', '10.244.0.0/16'),
          env('CALICO_DISABLE_FILE_LOGGING', 'true'),
          env('FELIX_DEFAULTENDPOINTTOHOSTACTION', 'ACCEPT'),
          env('FELIX_IPV6SUPPORT', 'false'),
          env('FELIX_HEALTHENABLED', 'true'),
        ],
        resources: { requests: { cpu: '250m' } },
        securityContext: privileged,
        volumeMounts: [
          volumeMount('cni-net-dir', '/host/etc/cni/net.d'),
          volumeMount('lib-modules', '/lib/modules', true),
          volumeMount('xtables-lock', '/run/xtables.lock'),
          volumeMount('var-run-calico', '/var/run/calico'),
          volumeMount('var-lib-calico', '/var/lib/calico'),
          volumeMount('policysync', '/var/run/nodeagent'),
          volumeMount('bpffs', '/sys/fs/bpf'),
          volumeMount('cni-log-dir', '/var/log/calico/cni', true),
        ],
      }),
    ],
    hostNetwork: true,
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    priorityClassName: 'system-node-critical',
    serviceAccountName: 'calico-node',
    terminationGracePeriodSeconds: 0,
    tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
    volumes: [
      hostPath('lib-modules', '/lib/modules'),
      hostPath('var-run-calico', '/var/run/calico', 'DirectoryOrCreate'),
      hostPath('var-lib-calico', '/var/lib/calico', 'DirectoryOrCreate'),
      hostPath('xtables-lock', '/run/xtables.lock', 'FileOrCreate'),
      hostPath('sys-fs', '/sys/fs/', 'DirectoryOrCreate'),
      hostPath('bpffs', '/sys/fs/bpf', 'Directory'),
      hostPath('nodeproc', '/proc'),
      hostPath('cni-bin-dir', '/opt/cni/bin', 'DirectoryOrCreate'),
      hostPath('cni-net-dir', '/etc/cni/net.d'),
      hostPath('cni-log-dir', '/var/log/calico/cni'),
      hostPath('host-local-net-dir', '/var/lib/cni/networks'),
      hostPath('policysync', '/var/run/nodeagent', 'DirectoryOrCreate'),
    ],
  };
  daemonSet(ctx, { namespace: NS, name: 'calico-node', selector: { 'k8s-app': 'calico-node' }, everyNode: true, ageDays: [300, 330], spec });

  deployment(ctx, {
    namespace: NS,
    name: 'calico-kube-controllers',
    selector: { 'k8s-app': 'calico-kube-controllers' },
    replicas: 1,
    ageDays: [300, 330],
    spec: {
      containers: [
        container({
          name: 'calico-kube-controllers',
          image: `docker.io/calico/kube-controllers:${CALICO}`,
          env: [env('ENABLED_CONTROLLERS', 'node,loadbalancer'), env('DATASTORE_TYPE', 'kubernetes')],
          securityContext: { runAsNonRoot: true },
        }),
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'calico-kube-controllers',
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
    },
  });

  clusterRole(ctx, 'calico-node', [
    rule([''], ['pods', 'nodes', 'namespaces'], ['get']),
    rule([''], ['endpoints', 'services'], ['watch', 'list', 'get']),
    rule([''], ['nodes/status'], ['patch', 'update']),
    rule(['networking.k8s.io'], ['networkpolicies'], ['watch', 'list']),
    rule(['crd.projectcalico.org'], ['*'], READ),
    rule(['crd.projectcalico.org'], ['ipamblocks', 'blockaffinities', 'ipamhandles', 'ipamconfigs'], ['get', 'list', 'create', 'update', 'delete']),
  ]);
  clusterRoleBinding(ctx, 'calico-node', 'calico-node', [sa(NS, 'calico-node')]);
  clusterRole(ctx, 'calico-cni-plugin', [rule([''], ['pods', 'nodes', 'namespaces'], ['get']), rule([''], ['pods/status'], ['patch'])]);
  clusterRoleBinding(ctx, 'calico-cni-plugin', 'calico-cni-plugin', [sa(NS, 'calico-cni-plugin')]);
  clusterRole(ctx, 'calico-kube-controllers', [rule([''], ['nodes'], ['watch', 'list', 'get']), rule([''], ['pods', 'services'], READ), rule(['crd.projectcalico.org'], ['ipamblocks', 'blockaffinities', 'ipamhandles', 'clusterinformations', 'kubecontrollersconfigurations'], ['get', 'list', 'create', 'update', 'delete', 'watch'])]);
  clusterRoleBinding(ctx, 'calico-kube-controllers', 'calico-kube-controllers', [sa(NS, 'calico-kube-controllers')]);
}

function coreDns(ctx: DemoContext): void {
  deployment(ctx, {
    namespace: NS,
    name: 'coredns',
    selector: { 'k8s-app': 'kube-dns' },
    replicas: 2,
    ageDays: [300, 330],
    spec: {
      containers: [
        {
          ...container({
            name: 'coredns',
            image: 'registry.k8s.io/coredns/coredns:v1.12.0',
            args: ['-conf', '/etc/coredns/Corefile'],
            resources: resources('100m', '70Mi', { memory: '170Mi' }),
            securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: true },
            volumeMounts: [volumeMount('config-volume', '/etc/coredns', true)],
          }),
          ports: [
            { containerPort: 53, name: 'dns', protocol: 'UDP' },
            { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
            { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
          ],
        },
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'coredns',
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoSchedule', key: 'node-role.kubernetes.io/control-plane' }],
      volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }], defaultMode: 420 } }],
    },
  });
  service(ctx, {
    namespace: NS,
    name: 'kube-dns',
    labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
    annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    selector: { 'k8s-app': 'kube-dns' },
    clusterIP: '10.96.0.10',
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ],
    ageDays: [300, 330],
  });
}

function metricsServer(ctx: DemoContext): void {
  deployment(ctx, {
    namespace: NS,
    name: 'metrics-server',
    selector: { 'k8s-app': 'metrics-server' },
    replicas: 1,
    ageDays: [200, 300],
    spec: {
      containers: [
        container({
          name: 'metrics-server',
          image: 'registry.k8s.io/metrics-server/metrics-server:v0.7.2',
          // Common on kubeadm clusters without kubelet serving certificates signed by the CA.
          args: ['--cert-dir=/tmp', '--secure-port=10250', '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname', '--kubelet-use-node-status-port', '--metric-resolution=15s', '--kubelet-insecure-tls'],
          port: 10250,
          portName: 'https',
          resources: { requests: { cpu: '100m', memory: '200Mi' } },
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
          volumeMounts: [volumeMount('tmp-dir', '/tmp')],
        }),
      ],
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      priorityClassName: 'system-cluster-critical',
      serviceAccountName: 'metrics-server',
      volumes: [emptyDir('tmp-dir')],
    },
  });
  service(ctx, { namespace: NS, name: 'metrics-server', labels: { 'k8s-app': 'metrics-server' }, selector: { 'k8s-app': 'metrics-server' }, ports: [{ name: 'https', port: 443, targetPort: 'https', appProtocol: 'https' }] });
  clusterRole(ctx, 'system:metrics-server', [rule([''], ['nodes/metrics'], ['get']), rule([''], ['pods', 'nodes'], READ)], { labels: { 'k8s-app': 'metrics-server' } });
  clusterRole(ctx, 'system:aggregated-metrics-reader', [rule(['metrics.k8s.io'], ['pods', 'nodes'], READ)], {
    labels: { 'k8s-app': 'metrics-server', 'rbac.authorization.k8s.io/aggregate-to-admin': 'true', 'rbac.authorization.k8s.io/aggregate-to-edit': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
  });
  clusterRoleBinding(ctx, 'system:metrics-server', 'system:metrics-server', [sa(NS, 'metrics-server')], { labels: { 'k8s-app': 'metrics-server' } });
  clusterRoleBinding(ctx, 'metrics-server:system:auth-delegator', 'system:auth-delegator', [sa(NS, 'metrics-server')], { labels: { 'k8s-app': 'metrics-server' } });
}

// ---------------------------------------------------------------------------- configuration files

const CLUSTER_CONFIGURATION = `apiServer:
  certSANs:
  - ${API_ENDPOINT}
  - k8s-api.demo.example.com
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controlPlaneEndpoint: ${API_ENDPOINT}:6443
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: ${KUBE_VERSION}
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
proxy: {}
scheduler: {}
`;

// kubeadm's defaults: anonymous auth off, webhook authz, client CA set (all good). Missing:
// seccompDefault, protectKernelDefaults, podPidsLimit, serverTLSBootstrap. kubeadm renders unset
// durations as "0s" (the kubelet then applies its own defaults, e.g. 4h idle timeout).
const KUBELET_CONFIGURATION = `apiVersion: kubelet.config.k8s.io/v1beta1
authentication:
  anonymous:
    enabled: false
  webhook:
    cacheTTL: 0s
    enabled: true
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
authorization:
  mode: Webhook
  webhook:
    cacheAuthorizedTTL: 0s
    cacheUnauthorizedTTL: 0s
cgroupDriver: systemd
clusterDNS:
- 10.96.0.10
clusterDomain: cluster.local
containerRuntimeEndpoint: ""
cpuManagerReconcilePeriod: 0s
crashLoopBackOff: {}
evictionPressureTransitionPeriod: 0s
fileCheckFrequency: 0s
healthzBindAddress: 127.0.0.1
healthzPort: 10248
httpCheckFrequency: 0s
imageMaximumGCAge: 0s
imageMinimumGCAge: 0s
kind: KubeletConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
memorySwap: {}
nodeStatusReportFrequency: 0s
nodeStatusUpdateFrequency: 0s
rotateCertificates: true
runtimeRequestTimeout: 0s
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
staticPodPath: /etc/kubernetes/manifests
streamingConnectionIdleTimeout: 0s
syncFrequency: 0s
volumeStatsAggPeriod: 0s
`;

// Planted: metricsBindAddress on all interfaces (cluster/kube-proxy-metrics-bind).
const KUBE_PROXY_CONFIGURATION = `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: 10.244.0.0/16
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: 0.0.0.0:10249
mode: ""
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: ""
`;

const KUBE_PROXY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://${API_ENDPOINT}:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;

const COREFILE = `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success cluster.local
       disable denial cluster.local
    }
    loop
    reload
    loadbalance
}
`;

const CALICO_CNI = JSON.stringify({
  name: 'k8s-pod-network',
  cniVersion: '0.3.1',
  plugins: [
    { type: 'calico', log_level: 'info', datastore_type: 'kubernetes', nodename: '__KUBERNETES_NODE_NAME__', mtu: '__CNI_MTU__', ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' }, kubernetes: { kubeconfig: '__KUBECONFIG_FILEPATH__' } },
    { type: 'portmap', snat: true, capabilities: { portMappings: true } },
    { type: 'bandwidth', capabilities: { bandwidth: true } },
  ],
}, null, 2);
