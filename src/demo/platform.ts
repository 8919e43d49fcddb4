/**
 * Platform namespaces: monitoring, logging, ingress-nginx and cert-manager, plus the
 * cluster-scoped objects they bring (IngressClass, admission webhooks, RuntimeClass).
 */
import type { K8sObject } from '../engine/k8s.js';
import type { DemoContext } from './context.js';
import { PLACEHOLDER_CERT, configMap, namespace, secret, serviceAccount, tlsSecret } from './config.js';
import { RESTRICTED_POD, configMapVolume, container, emptyDir, env, fieldEnv, hardened, hostPath, pinned, resources, secretEnv, secretVolume, volumeMount } from './containers.js';
import { ingressClass, service } from './network.js';
import { meta } from './pods.js';
import { READ, clusterRole, clusterRoleBinding, role, roleBinding, rule, sa, urls } from './rbac.js';
import { daemonSet, deployment, job, statefulSet } from './workloads.js';

/** Public address of the ingress-nginx load balancer (also the Ingresses' status address). */
export const INGRESS_IP = '203.0.113.50';

export function platform(ctx: DemoContext): void {
  monitoring(ctx);
  logging(ctx);
  ingressNginx(ctx);
  certManager(ctx);
  ctx.add({
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: meta(ctx, { name: 'gvisor', createdMs: ctx.agoMs(100, 200) }),
    handler: 'runsc',
  });
}

function monitoring(ctx: DemoContext): void {
  const ns = 'monitoring';
  namespace(ctx, ns, { labels: { name: ns } });
  for (const name of ['prometheus', 'kube-state-metrics', 'grafana', 'node-exporter']) serviceAccount(ctx, ns, name);

  // Planted (container): hostPID + hostNetwork + the host's root filesystem (read-only).
  daemonSet(ctx, {
    namespace: ns,
    name: 'node-exporter',
    selector: { 'app.kubernetes.io/name': 'node-exporter' },
    everyNode: true,
    spec: {
      containers: [
        container({
          name: 'node-exporter',
          image: 'quay.io/prometheus/node-exporter:v1.8.2',
          args: ['--path.procfs=/host/proc', '--path.sysfs=/host/sys', '--path.rootfs=/host/root', '--web.listen-address=[$(HOST_IP)]:9100'],
          env: [fieldEnv('HOST_IP', 'status.hostIP')],
          port: 9100,
          portName: 'metrics',
          resources: resources('50m', '64Mi', { memory: '128Mi' }),
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
          volumeMounts: [volumeMount('proc', '/host/proc', true), volumeMount('sys', '/host/sys', true), { ...volumeMount('root', '/host/root', true), mountPropagation: 'HostToContainer' } as { name: string }],
        }),
      ],
      hostNetwork: true,
      hostPID: true,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      serviceAccountName: 'node-exporter',
      tolerations: [{ operator: 'Exists' }],
      volumes: [hostPath('proc', '/proc'), hostPath('sys', '/sys'), hostPath('root', '/')],
    },
  });

  statefulSet(ctx, {
    namespace: ns,
    name: 'prometheus',
    selector: { 'app.kubernetes.io/name': 'prometheus' },
    replicas: 2,
    serviceName: 'prometheus-operated',
    claims: [{ name: 'data', storage: '50Gi' }],
    spec: {
      containers: [
        container({
          name: 'prometheus',
          image: 'quay.io/prometheus/prometheus:v2.54.1',
          args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=15d', '--web.enable-lifecycle'],
          port: 9090,
          portName: 'web',
          health: '/-/ready',
          resources: resources('500m', '2Gi', { memory: '4Gi' }),
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
          volumeMounts: [volumeMount('config', '/etc/prometheus', true), volumeMount('data', '/prometheus')],
        }),
      ],
      securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
      serviceAccountName: 'prometheus',
      volumes: [configMapVolume('config', 'prometheus-config')],
    },
  });
  configMap(ctx, ns, 'prometheus-config', { 'prometheus.yml': 'global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: kubernetes-nodes\n  kubernetes_sd_configs:\n  - role: node\n' });
  service(ctx, { namespace: ns, name: 'prometheus-operated', headless: true, selector: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ name: 'web', port: 9090, targetPort: 'web' }] });
  service(ctx, { namespace: ns, name: 'prometheus', selector: { 'app.kubernetes.io/name': 'prometheus' }, ports: [{ name: 'web', port: 9090, targetPort: 'web' }] });

  statefulSet(ctx, {
    namespace: ns,
    name: 'alertmanager',
    selector: { 'app.kubernetes.io/name': 'alertmanager' },
    replicas: 2,
    serviceName: 'alertmanager-operated',
    spec: {
      containers: [hardened({ name: 'alertmanager', image: 'quay.io/prometheus/alertmanager:v0.27.0', args: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'], port: 9093, portName: 'web', health: '/-/ready', resources: resources('10m', '64Mi', { memory: '128Mi' }), securityContext: { runAsUser: 65534 }, volumeMounts: [volumeMount('storage', '/alertmanager')] })],
      securityContext: { ...RESTRICTED_POD, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      volumes: [emptyDir('storage')],
    },
  });
  service(ctx, { namespace: ns, name: 'alertmanager-operated', headless: true, selector: { 'app.kubernetes.io/name': 'alertmanager' }, ports: [{ name: 'web', port: 9093, targetPort: 'web' }] });

  deployment(ctx, {
    namespace: ns,
    name: 'kube-state-metrics',
    selector: { 'app.kubernetes.io/name': 'kube-state-metrics' },
    replicas: 1,
    spec: {
      containers: [hardened({ name: 'kube-state-metrics', image: 'registry.k8s.io/kube-state-metrics/kube-state-metrics:v2.13.0', port: 8080, health: '/healthz', resources: resources('10m', '64Mi', { memory: '256Mi' }), securityContext: { runAsUser: 65534 } })],
      securityContext: { ...RESTRICTED_POD, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534 },
      serviceAccountName: 'kube-state-metrics',
    },
  });

  secret(ctx, ns, 'grafana-admin', 'Opaque', { 'admin-user': 'admin', 'admin-password': 'demo-placeholder-password' });
  deployment(ctx, {
    namespace: ns,
    name: 'grafana',
    selector: { 'app.kubernetes.io/name': 'grafana' },
    replicas: 1,
    history: [{ spec: grafanaSpec('11.1.4') }],
    spec: grafanaSpec('11.2.2'),
  });
  // Compliant exposure: a public load balancer limited to the office range.
  service(ctx, {
    namespace: ns,
    name: 'grafana',
    type: 'LoadBalancer',
    selector: { 'app.kubernetes.io/name': 'grafana' },
    ports: [{ name: 'http', port: 80, targetPort: 3000 }],
    sourceRanges: ['192.0.2.0/24'],
    loadBalancer: { ip: '203.0.113.70' },
  });

  clusterRole(ctx, 'prometheus', [
    rule([''], ['nodes', 'nodes/metrics', 'nodes/proxy', 'services', 'endpoints', 'pods'], READ),
    rule([''], ['configmaps'], ['get']),
    rule(['discovery.k8s.io'], ['endpointslices'], READ),
    rule(['networking.k8s.io'], ['ingresses'], READ),
    urls(['/metrics', '/metrics/cadvisor']),
  ]);
  clusterRoleBinding(ctx, 'prometheus', 'prometheus', [sa(ns, 'prometheus')]);
  clusterRole(ctx, 'kube-state-metrics', [
    rule([''], ['configmaps', 'secrets', 'nodes', 'pods', 'services', 'serviceaccounts', 'resourcequotas', 'replicationcontrollers', 'limitranges', 'persistentvolumeclaims', 'persistentvolumes', 'namespaces', 'endpoints'], ['list', 'watch']),
    rule(['apps'], ['statefulsets', 'daemonsets', 'deployments', 'replicasets'], ['list', 'watch']),
    rule(['batch'], ['cronjobs', 'jobs'], ['list', 'watch']),
    rule(['networking.k8s.io'], ['networkpolicies', 'ingresses'], ['list', 'watch']),
  ]);
  clusterRoleBinding(ctx, 'kube-state-metrics', 'kube-state-metrics', [sa(ns, 'kube-state-metrics')]);
}

function grafanaSpec(version: string) {
  return {
    containers: [
      container({
        name: 'grafana',
        image: `docker.io/grafana/grafana:${version}`,
        port: 3000,
        portName: 'grafana',
        health: '/api/health',
        env: [secretEnv('GF_SECURITY_ADMIN_USER', 'grafana-admin', 'admin-user'), secretEnv('GF_SECURITY_ADMIN_PASSWORD', 'grafana-admin', 'admin-password')],
        resources: resources('100m', '128Mi', { memory: '512Mi' }),
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        volumeMounts: [volumeMount('storage', '/var/lib/grafana')],
      }),
    ],
    securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
    serviceAccountName: 'grafana',
    volumes: [emptyDir('storage')],
  };
}

function logging(ctx: DemoContext): void {
  const ns = 'logging';
  namespace(ctx, ns);
  serviceAccount(ctx, ns, 'fluent-bit');
  serviceAccount(ctx, ns, 'loki');
  configMap(ctx, ns, 'fluent-bit', { 'fluent-bit.conf': '[INPUT]\n    Name tail\n    Path /var/log/containers/*.log\n    multiline.parser docker, cri\n[OUTPUT]\n    Name loki\n    Match *\n    Host loki.logging.svc\n' });
  // Planted (container): the node's /var/log mounted writable by a log shipper in an app namespace.
  daemonSet(ctx, {
    namespace: ns,
    name: 'fluent-bit',
    selector: { 'app.kubernetes.io/name': 'fluent-bit', 'app.kubernetes.io/instance': 'fluent-bit' },
    everyNode: true,
    maxRestarts: 2,
    spec: {
      containers: [
        container({
          name: 'fluent-bit',
          image: 'cr.fluentbit.io/fluent/fluent-bit:3.1.9',
          args: ['--workdir=/fluent-bit/etc', '--config=/fluent-bit/etc/conf/fluent-bit.conf'],
          port: 2020,
          health: '/',
          resources: resources('50m', '64Mi', { memory: '256Mi' }),
          volumeMounts: [volumeMount('config', '/fluent-bit/etc/conf'), volumeMount('varlog', '/var/log'), volumeMount('etcmachineid', '/etc/machine-id', true)],
        }),
      ],
      serviceAccountName: 'fluent-bit',
      tolerations: [{ operator: 'Exists' }],
      volumes: [configMapVolume('config', 'fluent-bit'), hostPath('varlog', '/var/log'), hostPath('etcmachineid', '/etc/machine-id', 'File')],
    },
  });
  clusterRole(ctx, 'fluent-bit', [rule([''], ['namespaces', 'pods', 'nodes', 'nodes/proxy'], ['get', 'list', 'watch'])]);
  clusterRoleBinding(ctx, 'fluent-bit', 'fluent-bit', [sa(ns, 'fluent-bit')]);

  statefulSet(ctx, {
    namespace: ns,
    name: 'loki',
    selector: { 'app.kubernetes.io/name': 'loki' },
    replicas: 1,
    serviceName: 'loki-headless',
    claims: [{ name: 'storage', storage: '100Gi' }],
    spec: {
      containers: [hardened({ name: 'loki', image: 'docker.io/grafana/loki:3.2.0', args: ['-config.file=/etc/loki/config.yaml', '-target=all'], port: 3100, portName: 'http-metrics', health: '/ready', resources: resources('200m', '512Mi', { memory: '2Gi' }), securityContext: { runAsUser: 10001 }, volumeMounts: [volumeMount('storage', '/var/loki')] })],
      securityContext: RESTRICTED_POD,
      serviceAccountName: 'loki',
    },
  });
  service(ctx, { namespace: ns, name: 'loki-headless', headless: true, selector: { 'app.kubernetes.io/name': 'loki' }, ports: [{ name: 'http-metrics', port: 3100, targetPort: 'http-metrics' }] });
  service(ctx, { namespace: ns, name: 'loki', selector: { 'app.kubernetes.io/name': 'loki' }, ports: [{ name: 'http-metrics', port: 3100, targetPort: 'http-metrics' }] });
}

function ingressNginx(ctx: DemoContext): void {
  const ns = 'ingress-nginx';
  const labels = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' };
  namespace(ctx, ns, { labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
  serviceAccount(ctx, ns, 'ingress-nginx', { labels, automount: true });
  serviceAccount(ctx, ns, 'ingress-nginx-admission', { labels });
  configMap(ctx, ns, 'ingress-nginx-controller', { 'allow-snippet-annotations': 'false' }, { labels });
  secret(ctx, ns, 'ingress-nginx-admission', 'Opaque', { ca: PLACEHOLDER_CERT, cert: PLACEHOLDER_CERT, key: 'DEMO PLACEHOLDER - not a real private key\n' });
  ingressClass(ctx, 'nginx', 'k8s.io/ingress-nginx', true, { ...labels, 'app.kubernetes.io/component': 'controller' });

  const selector = { ...labels, 'app.kubernetes.io/component': 'controller' };
  deployment(ctx, {
    namespace: ns,
    name: 'ingress-nginx-controller',
    selector,
    labels: { ...selector, 'app.kubernetes.io/version': '1.11.3', 'helm.sh/chart': 'ingress-nginx-4.11.3', 'app.kubernetes.io/managed-by': 'Helm' },
    replicas: 2,
    spec: {
      containers: [
        {
          ...container({
            name: 'controller',
            // Planted (cluster): a controller release affected by CVE-2025-1974 (fixed in v1.11.5).
            image: pinned(ctx, 'registry.k8s.io/ingress-nginx/controller', 'v1.11.3'),
            args: ['/nginx-ingress-controller', '--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx', '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller', '--validating-webhook=:8443', '--validating-webhook-certificate=/usr/local/certificates/cert', '--validating-webhook-key=/usr/local/certificates/key'],
            env: [fieldEnv('POD_NAME', 'metadata.name'), fieldEnv('POD_NAMESPACE', 'metadata.namespace'), env('LD_PRELOAD', '/usr/local/lib/libmimalloc.so')],
            resources: resources('100m', '90Mi'),
            securityContext: { allowPrivilegeEscalation: false, capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] }, readOnlyRootFilesystem: false, runAsNonRoot: true, runAsUser: 101, runAsGroup: 82, seccompProfile: { type: 'RuntimeDefault' } },
            volumeMounts: [volumeMount('webhook-cert', '/usr/local/certificates/', true)],
          }),
          ports: [
            { name: 'http', containerPort: 80, protocol: 'TCP' },
            { name: 'https', containerPort: 443, protocol: 'TCP' },
            { name: 'webhook', containerPort: 8443, protocol: 'TCP' },
          ],
        },
      ],
      dnsPolicy: 'ClusterFirst',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      serviceAccountName: 'ingress-nginx',
      terminationGracePeriodSeconds: 300,
      volumes: [secretVolume('webhook-cert', 'ingress-nginx-admission')],
    },
  });
  // Planted (cloud): public L4 load balancer on 80/443 with no source restriction (intended, WARN).
  service(ctx, {
    namespace: ns,
    name: 'ingress-nginx-controller',
    labels: selector,
    type: 'LoadBalancer',
    selector,
    ports: [{ name: 'http', port: 80, targetPort: 'http', appProtocol: 'http' }, { name: 'https', port: 443, targetPort: 'https', appProtocol: 'https' }],
    loadBalancer: { ip: INGRESS_IP },
  });
  service(ctx, { namespace: ns, name: 'ingress-nginx-controller-admission', labels: selector, selector, ports: [{ name: 'https-webhook', port: 443, targetPort: 'webhook', appProtocol: 'https' }] });

  // Helm hook Jobs (no CronJob owner) that created and patched the webhook certificate.
  for (const [name, args] of [
    ['ingress-nginx-admission-create', ['create', '--host=ingress-nginx-controller-admission,ingress-nginx-controller-admission.$(POD_NAMESPACE).svc', '--namespace=$(POD_NAMESPACE)', '--secret-name=ingress-nginx-admission']],
    ['ingress-nginx-admission-patch', ['patch', '--webhook-name=ingress-nginx-admission', '--namespace=$(POD_NAMESPACE)', '--patch-mutating=false', '--secret-name=ingress-nginx-admission', '--patch-failure-policy=Fail']],
  ] as const) {
    job(ctx, {
      namespace: ns,
      name,
      labels: { ...labels, 'app.kubernetes.io/component': 'admission-webhook' },
      annotations: { 'helm.sh/hook': name.endsWith('create') ? 'pre-install,pre-upgrade' : 'post-install,post-upgrade' },
      state: 'complete',
      ageDays: [100, 120],
      spec: {
        containers: [hardened({ name: name.endsWith('create') ? 'create' : 'patch', image: pinned(ctx, 'registry.k8s.io/ingress-nginx/kube-webhook-certgen', 'v1.4.4'), args, env: [fieldEnv('POD_NAMESPACE', 'metadata.namespace')], securityContext: { runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } } })],
        restartPolicy: 'OnFailure',
        serviceAccountName: 'ingress-nginx-admission',
      },
    });
  }
  webhook(ctx, 'ValidatingWebhookConfiguration', 'ingress-nginx-admission', {
    name: 'validate.nginx.ingress.kubernetes.io',
    service: { name: 'ingress-nginx-controller-admission', namespace: ns, path: '/networking/v1/ingresses', port: 443 },
    rules: [{ apiGroups: ['networking.k8s.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['ingresses'], scope: '*' }],
  });

  clusterRole(ctx, 'ingress-nginx', [
    rule([''], ['configmaps', 'endpoints', 'nodes', 'pods', 'secrets', 'namespaces'], ['list', 'watch']),
    rule(['coordination.k8s.io'], ['leases'], ['list', 'watch']),
    rule([''], ['nodes'], ['get']),
    rule([''], ['services'], READ),
    rule(['networking.k8s.io'], ['ingresses', 'ingressclasses'], READ),
    rule(['networking.k8s.io'], ['ingresses/status'], ['update']),
    rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch', 'get']),
  ], { labels });
  clusterRoleBinding(ctx, 'ingress-nginx', 'ingress-nginx', [sa(ns, 'ingress-nginx')], { labels });
  role(ctx, ns, 'ingress-nginx', [rule([''], ['namespaces'], ['get']), rule([''], ['configmaps', 'pods', 'secrets', 'endpoints'], READ), rule(['coordination.k8s.io'], ['leases'], ['get', 'create', 'update'])], { labels });
  roleBinding(ctx, ns, 'ingress-nginx', { kind: 'Role', name: 'ingress-nginx' }, [sa(ns, 'ingress-nginx')], { labels });
  clusterRole(ctx, 'ingress-nginx-admission', [rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations'], ['get', 'update'])], { labels });
  clusterRoleBinding(ctx, 'ingress-nginx-admission', 'ingress-nginx-admission', [sa(ns, 'ingress-nginx-admission')], { labels });
}

function certManager(ctx: DemoContext): void {
  const ns = 'cert-manager';
  // Compliant: restricted PSS enforced, every workload restricted and digest-pinned.
  namespace(ctx, ns, { pss: { enforce: 'restricted', audit: 'restricted', warn: 'restricted', version: 'latest' } });
  const version = 'v1.16.1';
  const components = [
    { name: 'cert-manager', app: 'cert-manager', container: 'cert-manager-controller', port: 9402, portName: 'http-metrics', args: ['--v=2', '--cluster-resource-namespace=$(POD_NAMESPACE)', '--leader-election-namespace=kube-system', `--acme-http01-solver-image=quay.io/jetstack/cert-manager-acmesolver:${version}`] },
    { name: 'cert-manager-cainjector', app: 'cainjector', container: 'cert-manager-cainjector', port: 9402, portName: 'http-metrics', args: ['--v=2', '--leader-election-namespace=kube-system'] },
    { name: 'cert-manager-webhook', app: 'webhook', container: 'cert-manager-webhook', port: 10250, portName: 'https', args: ['--v=2', '--secure-port=10250', '--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)', '--dynamic-serving-ca-secret-name=cert-manager-webhook-ca', '--dynamic-serving-dns-names=cert-manager-webhook,cert-manager-webhook.$(POD_NAMESPACE),cert-manager-webhook.$(POD_NAMESPACE).svc'] },
  ];
  for (const c of components) {
    serviceAccount(ctx, ns, c.name, { automount: true });
    deployment(ctx, {
      namespace: ns,
      name: c.name,
      selector: { 'app.kubernetes.io/name': c.app, 'app.kubernetes.io/instance': 'cert-manager' },
      replicas: 1,
      spec: {
        containers: [hardened({ name: c.container, image: pinned(ctx, `quay.io/jetstack/${c.container}`, version), args: c.args, port: c.port, portName: c.portName, env: [fieldEnv('POD_NAMESPACE', 'metadata.namespace')], resources: resources('10m', '64Mi', { memory: '256Mi' }), securityContext: { runAsUser: 1000 } })],
        securityContext: { ...RESTRICTED_POD, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
        serviceAccountName: c.name,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
      },
    });
  }
  tlsSecret(ctx, ns, 'cert-manager-webhook-ca', { annotations: { 'cert-manager.io/allow-direct-injection': 'true' } });
  service(ctx, { namespace: ns, name: 'cert-manager', selector: { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/instance': 'cert-manager' }, ports: [{ name: 'tcp-prometheus-servicemonitor', port: 9402, targetPort: 'http-metrics' }] });
  service(ctx, { namespace: ns, name: 'cert-manager-webhook', selector: { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/instance': 'cert-manager' }, ports: [{ name: 'https', port: 443, targetPort: 'https' }] });
  const inject = { 'cert-manager.io/inject-ca-from-secret': 'cert-manager/cert-manager-webhook-ca' };
  const svc = { name: 'cert-manager-webhook', namespace: ns, port: 443 };
  webhook(ctx, 'ValidatingWebhookConfiguration', 'cert-manager-webhook', {
    name: 'webhook.cert-manager.io',
    service: { ...svc, path: '/validate' },
    rules: [{ apiGroups: ['cert-manager.io', 'acme.cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['*/*'], scope: '*' }],
    annotations: inject,
  });
  webhook(ctx, 'MutatingWebhookConfiguration', 'cert-manager-webhook', {
    name: 'webhook.cert-manager.io',
    service: { ...svc, path: '/mutate' },
    rules: [{ apiGroups: ['cert-manager.io'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['certificaterequests'], scope: '*' }],
    annotations: inject,
  });
  clusterRole(ctx, 'cert-manager-controller-certificates', [
    rule(['cert-manager.io'], ['certificates', 'certificates/status', 'certificaterequests', 'certificaterequests/status'], ['update', 'patch']),
    rule(['cert-manager.io'], ['certificates', 'certificaterequests', 'clusterissuers', 'issuers'], READ),
    rule([''], ['secrets'], [...READ, 'create', 'update', 'delete', 'patch']),
    rule(['', 'events.k8s.io'], ['events'], ['create', 'patch']),
  ]);
  clusterRoleBinding(ctx, 'cert-manager-controller-certificates', 'cert-manager-controller-certificates', [sa(ns, 'cert-manager')]);
  clusterRole(ctx, 'cert-manager-cainjector', [rule(['cert-manager.io'], ['certificates'], READ), rule([''], ['secrets'], READ), rule(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'], ['get', 'list', 'watch', 'update', 'patch'])]);
  clusterRoleBinding(ctx, 'cert-manager-cainjector', 'cert-manager-cainjector', [sa(ns, 'cert-manager-cainjector')]);
}

interface WebhookParams {
  readonly name: string;
  readonly service: { readonly name: string; readonly namespace: string; readonly path: string; readonly port: number };
  readonly rules: readonly Record<string, unknown>[];
  readonly annotations?: Record<string, string>;
}

function webhook(ctx: DemoContext, kind: 'ValidatingWebhookConfiguration' | 'MutatingWebhookConfiguration', name: string, p: WebhookParams): K8sObject {
  return ctx.add({
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind,
    metadata: meta(ctx, { name, createdMs: ctx.agoMs(100, 200), generation: 2, ...(p.annotations && { annotations: p.annotations }) }),
    webhooks: [
      {
        name: p.name,
        admissionReviewVersions: ['v1'],
        clientConfig: { caBundle: Buffer.from(PLACEHOLDER_CERT).toString('base64'), service: { ...p.service } },
        failurePolicy: 'Fail',
        matchPolicy: 'Equivalent',
        namespaceSelector: {},
        objectSelector: {},
        rules: p.rules.map((r) => ({ ...r })),
        sideEffects: 'None',
        timeoutSeconds: 10,
        ...(kind === 'MutatingWebhookConfiguration' && { reinvocationPolicy: 'Never' }),
      },
    ],
  });
}
