/**
 * Customer-facing application namespaces: shop, payments, checkout, catalog, search, auth.
 * payments, checkout and auth are the well-run ones (PSS labels, default-deny policies,
 * quotas, restricted and digest-pinned workloads); shop, catalog and search carry most of the
 * planted problems.
 */
import type { PodSpec } from '../engine/k8s.js';
import type { DemoContext } from './context.js';
import { configMap, limitRange, namespace, resourceQuota, secret, serviceAccount, tlsSecret } from './config.js';
import { RESTRICTED_POD, container, emptyDir, env, hardened, hostPath, pinned, resources, secretEnv, volumeMount } from './containers.js';
import { allowFromIngressController, defaultDenyWithDns, ingress, networkPolicy, service } from './network.js';
import { INGRESS_IP } from './platform.js';
import { deployment, statefulSet } from './workloads.js';

const REGISTRY = 'registry.example.com';
const tmp = { volumeMounts: [volumeMount('tmp', '/tmp')] };
const tmpVolume = { volumes: [emptyDir('tmp')] };

/** A restricted, digest-pinned web service with resources and probes: the compliant baseline. */
function hardenedWeb(ctx: DemoContext, name: string, repository: string, tag: string, extra: Partial<Parameters<typeof hardened>[0]> = {}, sa?: string): PodSpec {
  return {
    containers: [hardened({ name, image: pinned(ctx, repository, tag), port: 8080, health: '/healthz', resources: resources('100m', '128Mi', { cpu: '500m', memory: '256Mi' }), ...tmp, ...extra })],
    securityContext: RESTRICTED_POD,
    ...(sa !== undefined && { serviceAccountName: sa }),
    automountServiceAccountToken: false,
    ...tmpVolume,
  };
}

export function apps(ctx: DemoContext): void {
  shop(ctx);
  payments(ctx);
  checkout(ctx);
  catalog(ctx);
  search(ctx);
  auth(ctx);
}

function shop(ctx: DemoContext): void {
  const ns = 'shop';
  // No enforce label: only warnings (cluster/pss-enforce-missing); no NetworkPolicy, quota or LimitRange.
  namespace(ctx, ns, { pss: { warn: 'restricted', version: 'latest' }, labels: { team: 'storefront' } });
  secret(ctx, ns, 'regcred', 'kubernetes.io/dockerconfigjson', {
    '.dockerconfigjson': JSON.stringify({ auths: { [REGISTRY]: { username: 'demo', password: 'demo-placeholder', auth: Buffer.from('demo:demo-placeholder').toString('base64') } } }),
  });
  const storefront = (tag: string): PodSpec => ({
    containers: [
      container({
        name: 'web',
        image: `${REGISTRY}/shop/storefront:${tag}`,
        port: 8080,
        health: '/healthz',
        env: [env('CART_URL', 'http://cart.shop.svc:8080'), env('CATALOG_URL', 'http://catalog-api.catalog.svc:8080')],
        resources: resources('200m', '256Mi', { memory: '512Mi' }),
        securityContext: { runAsNonRoot: true, runAsUser: 10001 },
      }),
    ],
    imagePullSecrets: [{ name: 'regcred' }],
  });
  deployment(ctx, {
    namespace: ns,
    name: 'storefront',
    replicas: ctx.rng.int(4, 6),
    history: [{ spec: storefront('3.8.0') }, { spec: storefront('3.8.1') }],
    spec: storefront('3.8.2'),
    maxRestarts: 1,
  });
  deployment(ctx, {
    namespace: ns,
    name: 'cart',
    replicas: ctx.rng.int(3, 5),
    spec: {
      containers: [container({ name: 'cart', image: `${REGISTRY}/shop/cart:1.12.0`, port: 8080, health: '/ready', env: [env('REDIS_ADDR', 'redis.data.svc:6379'), secretEnv('REDIS_PASSWORD', 'cart-redis', 'password')], resources: { requests: { cpu: '100m', memory: '128Mi' } } })],
    },
    maxRestarts: 4,
  });
  secret(ctx, ns, 'cart-redis', 'Opaque', { password: 'demo-placeholder-password' });
  deployment(ctx, {
    namespace: ns,
    name: 'recommendations',
    replicas: ctx.rng.int(2, 4),
    spec: { ...hardenedWeb(ctx, 'recommendations', `${REGISTRY}/shop/recommendations`, '0.14.2'), runtimeClassName: 'gvisor' },
  });
  deployment(ctx, {
    namespace: ns,
    name: 'orders',
    replicas: ctx.rng.int(2, 3),
    spec: hardenedWeb(ctx, 'orders', `${REGISTRY}/shop/orders`, '2.0.7'),
  });
  // Planted (container): privileged, root, writable Docker socket from the host.
  deployment(ctx, {
    namespace: ns,
    name: 'legacy-worker',
    replicas: 1,
    ageDays: [250, 300],
    spec: {
      containers: [
        container({
          name: 'worker',
          image: `${REGISTRY}/shop/legacy-worker:2019.11`,
          command: ['/usr/local/bin/worker', '--build-images'],
          securityContext: { privileged: true, runAsUser: 0 },
          resources: { requests: { cpu: '250m', memory: '512Mi' } },
          volumeMounts: [volumeMount('docker-sock', '/var/run/docker.sock')],
        }),
      ],
      imagePullSecrets: [{ name: 'regcred' }],
      volumes: [hostPath('docker-sock', '/var/run/docker.sock', 'Socket')],
    },
  });
  service(ctx, { namespace: ns, name: 'storefront', selector: { app: 'storefront' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'cart', selector: { app: 'cart' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'recommendations', selector: { app: 'recommendations' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'orders', selector: { app: 'orders' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  // Planted (cluster): public Ingress without TLS.
  ingress(ctx, { namespace: ns, name: 'storefront', rules: [{ host: 'shop.demo.example.com', service: 'storefront', port: 80 }], statusIP: INGRESS_IP });
}

function payments(ctx: DemoContext): void {
  const ns = 'payments';
  namespace(ctx, ns, { pss: { enforce: 'restricted', audit: 'restricted', warn: 'restricted', version: 'latest' }, defaultSaAutomount: false, labels: { team: 'payments' } });
  serviceAccount(ctx, ns, 'payments-api', { automount: false });
  serviceAccount(ctx, ns, 'fraud-scorer', { automount: false });
  secret(ctx, ns, 'payments-db-credentials', 'Opaque', { username: 'payments', password: 'demo-placeholder-password' });
  tlsSecret(ctx, ns, 'payments-tls', { annotations: { 'cert-manager.io/certificate-name': 'payments-tls', 'cert-manager.io/issuer-kind': 'ClusterIssuer', 'cert-manager.io/issuer-name': 'letsencrypt-prod' } });
  deployment(ctx, {
    namespace: ns,
    name: 'payments-api',
    replicas: ctx.rng.int(3, 5),
    history: [{ spec: hardenedWeb(ctx, 'api', `${REGISTRY}/payments/api`, '2.14.2', {}, 'payments-api') }],
    spec: hardenedWeb(ctx, 'api', `${REGISTRY}/payments/api`, '2.14.3', { env: [env('DB_HOST', 'postgres.data.svc'), env('DB_USER', 'payments'), secretEnv('DB_PASSWORD', 'payments-db-credentials', 'password')] }, 'payments-api'),
  });
  deployment(ctx, { namespace: ns, name: 'fraud-scorer', replicas: ctx.rng.int(2, 3), spec: hardenedWeb(ctx, 'scorer', `${REGISTRY}/payments/fraud-scorer`, '1.3.0', {}, 'fraud-scorer') });
  deployment(ctx, { namespace: ns, name: 'payments-webhooks', replicas: 2, spec: hardenedWeb(ctx, 'webhooks', `${REGISTRY}/payments/webhooks`, '1.0.12') });
  service(ctx, { namespace: ns, name: 'payments-api', selector: { app: 'payments-api' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'fraud-scorer', selector: { app: 'fraud-scorer' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  ingress(ctx, {
    namespace: ns,
    name: 'payments-api',
    annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt-prod', 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' },
    rules: [{ host: 'pay.demo.example.com', service: 'payments-api', port: 80 }],
    tls: [{ hosts: ['pay.demo.example.com'], secretName: 'payments-tls' }],
    statusIP: INGRESS_IP,
  });
  defaultDenyWithDns(ctx, ns);
  allowFromIngressController(ctx, ns, { app: 'payments-api' }, 8080);
  networkPolicy(ctx, {
    namespace: ns,
    name: 'allow-egress-postgres',
    podSelector: { matchLabels: { app: 'payments-api' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
  });
  resourceQuota(ctx, ns, 'compute', { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '16Gi', pods: '30' });
  limitRange(ctx, ns, 'container-defaults', { default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { memory: '2Gi' } });
}

function checkout(ctx: DemoContext): void {
  const ns = 'checkout';
  namespace(ctx, ns, { pss: { enforce: 'baseline', warn: 'restricted', version: 'latest' }, labels: { team: 'checkout' } });
  serviceAccount(ctx, ns, 'checkout', { automount: false });
  secret(ctx, ns, 'checkout-env', 'Opaque', { PAYMENT_PROVIDER_API_KEY: 'demo-placeholder-not-a-real-key', SESSION_SECRET: 'demo-placeholder-session-secret' });
  deployment(ctx, {
    namespace: ns,
    name: 'checkout',
    replicas: ctx.rng.int(3, 5),
    spec: hardenedWeb(ctx, 'checkout', `${REGISTRY}/checkout/service`, '7.2.1', { envFrom: [{ secretRef: { name: 'checkout-env' } }] }, 'checkout'),
  });
  service(ctx, { namespace: ns, name: 'checkout', selector: { app: 'checkout' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  // Planted (cluster): the TLS secret `checkout-tls` does not exist.
  ingress(ctx, {
    namespace: ns,
    name: 'checkout',
    rules: [{ host: 'checkout.demo.example.com', service: 'checkout', port: 80 }],
    tls: [{ hosts: ['checkout.demo.example.com'], secretName: 'checkout-tls' }],
    statusIP: INGRESS_IP,
  });
  defaultDenyWithDns(ctx, ns);
  allowFromIngressController(ctx, ns, { app: 'checkout' }, 8080);
  resourceQuota(ctx, ns, 'compute', { 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '30' });
  limitRange(ctx, ns, 'container-defaults', { default: { memory: '256Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } });
}

function catalog(ctx: DemoContext): void {
  const ns = 'catalog';
  // Planted (cluster): enforce pinned to a stale policy version.
  namespace(ctx, ns, { pss: { enforce: 'baseline', version: 'v1.25' }, labels: { team: 'catalog' } });
  configMap(ctx, ns, 'catalog-config', { 'config.yaml': 'cache:\n  ttl: 300s\nsearch:\n  url: http://search-api.search.svc:8080\n' });
  const api = (tag: string): PodSpec => ({
    containers: [
      container({
        name: 'api',
        image: `${REGISTRY}/catalog/api:${tag}`,
        port: 8080,
        health: '/healthz',
        resources: resources('200m', '256Mi', { memory: '512Mi' }),
        securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001 },
        volumeMounts: [volumeMount('config', '/etc/catalog', true)],
      }),
    ],
    volumes: [{ name: 'config', configMap: { name: 'catalog-config' } }],
  });
  // Mid-rollout: the previous revision still runs one pod.
  deployment(ctx, {
    namespace: ns,
    name: 'catalog-api',
    replicas: ctx.rng.int(3, 5),
    history: [{ spec: api('4.1.0') }, { spec: api('4.1.9'), running: 1 }],
    spec: api('4.2.1'),
  });
  // Planted (container): image without a tag.
  deployment(ctx, {
    namespace: ns,
    name: 'catalog-worker',
    replicas: ctx.rng.int(2, 3),
    spec: { containers: [container({ name: 'worker', image: `${REGISTRY}/catalog/worker`, resources: resources('100m', '256Mi', { memory: '512Mi' }) })] },
    maxRestarts: 3,
  });
  deployment(ctx, { namespace: ns, name: 'image-resizer', replicas: 2, spec: hardenedWeb(ctx, 'resizer', `${REGISTRY}/catalog/image-resizer`, '1.7.0') });
  service(ctx, { namespace: ns, name: 'image-resizer', selector: { app: 'image-resizer' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'catalog-api', selector: { app: 'catalog-api' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  // A policy that selects no pod (false sense of isolation).
  networkPolicy(ctx, {
    namespace: ns,
    name: 'allow-frontend-to-catalog-web',
    podSelector: { matchLabels: { app: 'catalog-web' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }],
  });
}

function search(ctx: DemoContext): void {
  const ns = 'search';
  // The StatefulSet predates the label: its privileged init container violates baseline.
  namespace(ctx, ns, { pss: { enforce: 'baseline', version: 'latest' }, labels: { team: 'search' } });
  secret(ctx, ns, 'elasticsearch-credentials', 'Opaque', { username: 'elastic', password: 'demo-placeholder-password' });
  statefulSet(ctx, {
    namespace: ns,
    name: 'elasticsearch',
    replicas: 3,
    serviceName: 'elasticsearch-headless',
    claims: [{ name: 'data', storage: '100Gi' }],
    ageDays: [200, 260],
    spec: {
      initContainers: [container({ name: 'sysctl', image: 'docker.io/library/busybox:1.36', command: ['sysctl', '-w', 'vm.max_map_count=262144'], securityContext: { privileged: true, runAsUser: 0 } })],
      containers: [
        {
          ...container({
            name: 'elasticsearch',
            image: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
            env: [env('cluster.name', 'search'), env('discovery.seed_hosts', 'elasticsearch-headless'), env('cluster.initial_master_nodes', 'elasticsearch-0,elasticsearch-1,elasticsearch-2'), env('ES_JAVA_OPTS', '-Xms2g -Xmx2g'), secretEnv('ELASTIC_PASSWORD', 'elasticsearch-credentials', 'password')],
            resources: resources('1', '4Gi', { memory: '4Gi' }),
            securityContext: { runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ['ALL'] } },
            volumeMounts: [volumeMount('data', '/usr/share/elasticsearch/data')],
          }),
          ports: [{ name: 'http', containerPort: 9200, protocol: 'TCP' }, { name: 'transport', containerPort: 9300, protocol: 'TCP' }],
        },
      ],
      securityContext: { fsGroup: 1000 },
    },
  });
  service(ctx, { namespace: ns, name: 'elasticsearch-headless', headless: true, selector: { app: 'elasticsearch' }, ports: [{ name: 'http', port: 9200 }, { name: 'transport', port: 9300 }] });
  service(ctx, { namespace: ns, name: 'elasticsearch', selector: { app: 'elasticsearch' }, ports: [{ name: 'http', port: 9200 }] });
  deployment(ctx, { namespace: ns, name: 'search-api', replicas: ctx.rng.int(2, 4), spec: hardenedWeb(ctx, 'api', `${REGISTRY}/search/api`, '2.3.0', { env: [secretEnv('ES_PASSWORD', 'elasticsearch-credentials', 'password')] }) });
  // Compliant exposure: an internal load balancer.
  service(ctx, {
    namespace: ns,
    name: 'search-api',
    type: 'LoadBalancer',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true', 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    selector: { app: 'search-api' },
    ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    loadBalancer: { hostname: `internal-a${ctx.rng.hex(31)}.elb.eu-west-1.amazonaws.com` },
  });
}

function auth(ctx: DemoContext): void {
  const ns = 'auth';
  namespace(ctx, ns, { pss: { enforce: 'restricted', version: 'latest' }, defaultSaAutomount: false, labels: { team: 'identity' } });
  serviceAccount(ctx, ns, 'keycloak', { automount: false });
  serviceAccount(ctx, ns, 'auth-service', { automount: false });
  secret(ctx, ns, 'keycloak-db', 'Opaque', { username: 'keycloak', password: 'demo-placeholder-password' });
  tlsSecret(ctx, ns, 'auth-tls');
  deployment(ctx, {
    namespace: ns,
    name: 'keycloak',
    replicas: 2,
    spec: {
      ...hardenedWeb(ctx, 'keycloak', 'quay.io/keycloak/keycloak', '26.0.5', {
        args: ['start', '--optimized'],
        env: [env('KC_DB', 'postgres'), env('KC_DB_URL_HOST', 'postgres.data.svc'), secretEnv('KC_DB_USERNAME', 'keycloak-db', 'username'), secretEnv('KC_DB_PASSWORD', 'keycloak-db', 'password')],
        resources: resources('500m', '1Gi', { memory: '1Gi' }),
      }, 'keycloak'),
    },
  });
  deployment(ctx, { namespace: ns, name: 'auth-service', replicas: ctx.rng.int(2, 4), spec: hardenedWeb(ctx, 'auth', `${REGISTRY}/identity/auth-service`, '5.0.2', {}, 'auth-service') });
  service(ctx, { namespace: ns, name: 'keycloak', selector: { app: 'keycloak' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'auth-service', selector: { app: 'auth-service' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  ingress(ctx, {
    namespace: ns,
    name: 'keycloak',
    annotations: { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' },
    rules: [{ host: 'auth.demo.example.com', service: 'keycloak', port: 8080 }],
    tls: [{ hosts: ['auth.demo.example.com'], secretName: 'auth-tls' }],
    statusIP: INGRESS_IP,
  });
  defaultDenyWithDns(ctx, ns);
  allowFromIngressController(ctx, ns, { app: 'keycloak' }, 8080);
  resourceQuota(ctx, ns, 'compute', { 'requests.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '12Gi', pods: '20' });
  limitRange(ctx, ns, 'container-defaults', { default: { memory: '512Mi' }, defaultRequest: { cpu: '100m', memory: '128Mi' } });
}
