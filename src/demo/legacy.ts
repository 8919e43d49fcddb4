/**
 * The neglected corners: staging (latest tags, NodePort, an eBPF agent with host access,
 * broad RBAC for CI and developers), legacy (a ReplicationController running as root with
 * host /etc, a wildcard Role on the default ServiceAccount, a long-lived token Secret),
 * `default` (a debugging pod started by hand) and a human cluster-admin binding.
 */
import type { DemoContext } from './context.js';
import { limitRange, secret, namespace, serviceAccount } from './config.js';
import { container, env, hostPath, volumeMount } from './containers.js';
import { ingress, service } from './network.js';
import { INGRESS_IP } from './platform.js';
import { clusterRole, clusterRoleBinding, group, role, roleBinding, rule, sa, user } from './rbac.js';
import { barePod, deployment, replicationController } from './workloads.js';

const REGISTRY = 'registry.example.com';

export function legacy(ctx: DemoContext): void {
  staging(ctx);
  legacyNamespace(ctx);
  defaultNamespace(ctx);
  // Planted (cluster): a person bound directly to cluster-admin.
  clusterRoleBinding(ctx, 'ops-alice-cluster-admin', 'cluster-admin', [user('alice@example.com')]);
}

function staging(ctx: DemoContext): void {
  const ns = 'staging';
  namespace(ctx, ns, { labels: { env: 'staging' } });
  serviceAccount(ctx, ns, 'ci-deployer');
  const latest = (name: string, image: string, replicas: number) =>
    deployment(ctx, {
      namespace: ns,
      name,
      replicas,
      // Planted (container): mutable `:latest` tags.
      spec: { containers: [container({ name: 'app', image: `${REGISTRY}/${image}:latest`, port: 8080, health: '/healthz', env: [env('ENVIRONMENT', 'staging')], resources: { requests: { cpu: '50m', memory: '64Mi' } } })] },
      maxRestarts: 5,
    });
  latest('staging-frontend', 'shop/storefront', ctx.rng.int(2, 3));
  latest('staging-cart', 'shop/cart', 2);
  latest('staging-api', 'shop/api', 2);
  // Planted (container + cloud): hostPID, hostNetwork, SYS_ADMIN and seccomp Unconfined.
  deployment(ctx, {
    namespace: ns,
    name: 'perf-agent',
    replicas: 1,
    spec: {
      containers: [
        container({
          name: 'agent',
          image: `${REGISTRY}/tools/perf-agent:0.9.1`,
          args: ['--profile-all', '--upload=http://pyroscope.monitoring.svc:4040'],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
          securityContext: { capabilities: { add: ['SYS_ADMIN', 'SYS_PTRACE'] }, seccompProfile: { type: 'Unconfined' } },
        }),
      ],
      hostNetwork: true,
      hostPID: true,
    },
  });
  // Planted (cloud): NodePort on nodes that have public addresses.
  service(ctx, { namespace: ns, name: 'staging-frontend', type: 'NodePort', selector: { app: 'staging-frontend' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
  service(ctx, { namespace: ns, name: 'staging-api', selector: { app: 'staging-api' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  // Planted (cluster): another Ingress without TLS.
  ingress(ctx, { namespace: ns, name: 'staging-shop', rules: [{ host: 'staging.demo.example.com', service: 'staging-frontend', port: 80 }], statusIP: INGRESS_IP });
  limitRange(ctx, ns, 'container-defaults', { default: { cpu: '500m', memory: '512Mi' }, defaultRequest: { cpu: '50m', memory: '64Mi' } });

  // Planted (cluster): wildcard verbs and resources for CI, cluster-wide.
  clusterRole(ctx, 'ci-deployer', [rule(['', 'apps', 'batch', 'networking.k8s.io'], ['*'], ['*'])]);
  clusterRoleBinding(ctx, 'staging-ci-deployer', 'ci-deployer', [sa(ns, 'ci-deployer')]);
  // Planted (cluster): developers get the built-in `admin` role in staging.
  roleBinding(ctx, ns, 'dev-team-admin', { kind: 'ClusterRole', name: 'admin' }, [group('dev-team')]);
}

function legacyNamespace(ctx: DemoContext): void {
  const ns = 'legacy';
  namespace(ctx, ns, { ageDays: [320, 330] });
  const billingSa = serviceAccount(ctx, ns, 'legacy-billing', { createdMs: ctx.agoMs(300, 320) });
  // Planted (cluster): a long-lived token Secret created by hand for an external job.
  secret(ctx, ns, 'legacy-billing-token', 'kubernetes.io/service-account-token', {
    'ca.crt': 'DEMO PLACEHOLDER - not a real certificate\n',
    namespace: ns,
    token: 'demo-placeholder-token',
  }, { annotations: { 'kubernetes.io/service-account.name': 'legacy-billing', 'kubernetes.io/service-account.uid': billingSa.metadata?.uid ?? '' } });
  // Planted (container): untagged image, root, privilege escalation, host /etc (read-only),
  // a literal password in env, no resources (BestEffort). Runs with the default ServiceAccount.
  replicationController(ctx, {
    namespace: ns,
    name: 'legacy-billing',
    replicas: 2,
    ageDays: [300, 320],
    spec: {
      containers: [
        container({
          name: 'billing',
          image: `${REGISTRY}/legacy/billing`,
          port: 8080,
          env: [env('DB_HOST', 'postgres.data.svc'), env('DB_PASSWORD', 'demo-password-placeholder')],
          securityContext: { runAsUser: 0, allowPrivilegeEscalation: true },
          volumeMounts: [volumeMount('host-etc', '/host/etc', true)],
        }),
      ],
      volumes: [hostPath('host-etc', '/etc', 'Directory')],
    },
    maxRestarts: 6,
  });
  service(ctx, { namespace: ns, name: 'legacy-billing', type: 'NodePort', selector: { app: 'legacy-billing' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  // Planted (cluster): externalIPs (CVE-2020-8554 class) pointing at a worker's public address.
  service(ctx, { namespace: ns, name: 'legacy-billing-ext', selector: { app: 'legacy-billing' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }], externalIPs: ['198.51.100.21'] });
  // Planted (cluster): wildcard Role granted to the namespace's default ServiceAccount.
  role(ctx, ns, 'legacy-admin', [rule(['*'], ['*'], ['*'])]);
  roleBinding(ctx, ns, 'legacy-admin', { kind: 'Role', name: 'legacy-admin' }, [sa(ns, 'default')]);
}

function defaultNamespace(ctx: DemoContext): void {
  // Planted (cluster + container): a hand-started debugging pod in `default` with NET_ADMIN/NET_RAW.
  barePod(ctx, {
    namespace: 'default',
    name: 'debug-toolbox',
    ageDays: [1, 6],
    spec: {
      containers: [container({ name: 'debug-toolbox', image: 'nicolaka/netshoot:latest', command: ['sleep', 'infinity'], securityContext: { capabilities: { add: ['NET_ADMIN', 'NET_RAW'] } } })],
      restartPolicy: 'Always',
    },
  });
}
