/**
 * The built-in demo cluster behind `4c-tui --demo`: a self-managed kubeadm v1.33 cluster on
 * EC2 (3 control-plane nodes, 6 workers, Calico), about 20 namespaces and 150 pods, generated
 * from a seed so every run (and every test) sees the same objects. Every object is shaped as
 * the API server returns it, so the embedded server can serve it to client-node and kubectl.
 *
 * Planted problems, each next to a compliant counterpart (where they are built):
 *
 * Cloud
 *  - Workers k8s-worker-1..3 have public ExternalIPs (198.51.100.21/22, 203.0.113.23).        control-plane.ts
 *  - kube-public/cluster-info points at a public API endpoint https://203.0.113.10:6443.       control-plane.ts
 *  - data/postgres-public: LoadBalancer on 5432, no loadBalancerSourceRanges, IP 203.0.113.60. data-batch.ts
 *  - ingress-nginx/ingress-nginx-controller: public LoadBalancer on 80/443 (203.0.113.50).     platform.ts
 *  - NodePort Services staging/staging-frontend and legacy/legacy-billing on public nodes.     legacy.ts
 *  - analytics/event-collector: literal AWS_ACCESS_KEY_ID (AWS's documented example key) and
 *    AWS_SECRET_ACCESS_KEY from a Secret.                                                      data-batch.ts
 *  - hostNetwork app workloads (staging/perf-agent, monitoring/node-exporter) see the IMDS.   legacy.ts, platform.ts
 *  - Compliant: search/search-api internal LB, monitoring/grafana LB with source ranges,
 *    reporting/report-exporter SA with IRSA, etcd with full client/peer TLS on loopback +
 *    private IPs, control-plane nodes without public IPs.
 *
 * Cluster
 *  - Kubernetes v1.33 (outside the supported 1.34–1.36 window of mid-2026).
 *  - kube-apiserver: no audit policy/log, no encryption-provider-config, --profiling and
 *    --anonymous-auth at their defaults, no --kubelet-certificate-authority, admission plugins
 *    only NodeRestriction (no EventRateLimit / AlwaysPullImages / DenyServiceExternalIPs).
 *  - kube-scheduler and kube-controller-manager: --profiling default (true); HA drift:
 *    kube-scheduler on k8s-cp-3 has --bind-address=0.0.0.0.                                   control-plane.ts
 *  - kubelet-config: no seccompDefault / protectKernelDefaults / podPidsLimit /
 *    serverTLSBootstrap (anonymous auth off and Webhook authz are fine).                       kube-system.ts
 *  - kube-proxy metricsBindAddress 0.0.0.0:10249; metrics-server with --kubelet-insecure-tls.  kube-system.ts
 *  - RBAC: ClusterRoleBinding ops-alice-cluster-admin (User → cluster-admin);
 *    analytics-pipeline-admin (SA analytics/analytics-pipeline, used by running pods →
 *    cluster-admin); staging RoleBinding dev-team-admin (Group → admin); ClusterRole
 *    ci-deployer with wildcard verbs/resources bound to staging/ci-deployer; Role
 *    legacy/legacy-admin (*,*,*) bound to legacy/default; ClusterRole secrets-reader bound to
 *    reporting/report-exporter; prometheus and fluent-bit can use nodes/proxy; legacy
 *    service-account-token Secret legacy/legacy-billing-token.                                legacy.ts, data-batch.ts, platform.ts
 *  - Default RBAC (rbac-defaults label) and kubeadm's bindings (incl. kubeadm:cluster-admins
 *    and kube-public/kubeadm:bootstrap-signer-clusterinfo → system:anonymous) are NOT findings.  rbac-defaults.ts
 *  - PSS: no enforce label on shop (warn only), catalog pinned to stale v1.25, analytics,
 *    staging, legacy, monitoring, logging, ingress-nginx, default unlabelled; ml-jobs
 *    `privileged`; search enforces baseline but its elasticsearch init container is privileged
 *    (existing violation). Compliant: payments, auth, cert-manager (restricted), checkout,
 *    data, reporting (baseline).
 *  - NetworkPolicy: none in most app namespaces; catalog's only policy selects no pod;
 *    default-deny + allow-DNS in payments, checkout, auth, data (data also opens 5432 to
 *    0.0.0.0/0 for the public LB).
 *  - Ingress: shop/storefront and staging/staging-shop without TLS (public status IP);
 *    checkout/checkout names a missing TLS Secret; payments and auth have valid TLS Secrets.
 *  - Secrets in env: payments, search, shop, data (secretKeyRef), checkout (envFrom);
 *    literal DB_PASSWORD in legacy/legacy-billing.
 *  - ResourceQuota/LimitRange only in payments, checkout, auth (both), data (quota), staging (limits);
 *    BestEffort pods in legacy and default; containers without memory limits (shop/cart, …).
 *  - Workloads in `default` (bare pod debug-toolbox); Service with externalIPs
 *    (legacy/legacy-billing-ext); ingress-nginx controller v1.11.3 (CVE-2025-1974).
 *
 * Container
 *  - Privileged: shop/legacy-worker (also root and a writable /var/run/docker.sock hostPath),
 *    search/elasticsearch init container `sysctl`.                                             apps.ts
 *  - Host namespaces: monitoring/node-exporter (hostPID + hostNetwork + hostPath / read-only),
 *    staging/perf-agent (hostPID + hostNetwork, SYS_ADMIN + SYS_PTRACE, seccomp Unconfined),
 *    ml-jobs/train-recsys-v7 (hostIPC, runAsUser 0).
 *  - hostPath: /var/log writable (logging/fluent-bit), /etc read-only (legacy/legacy-billing).
 *  - Capabilities: NET_ADMIN + NET_RAW on default/debug-toolbox.
 *  - runAsUser 0: shop/legacy-worker, legacy/legacy-billing, ml-jobs/train-recsys-v7.
 *  - allowPrivilegeEscalation true: legacy/legacy-billing, reporting/report-ui (scaled to 0).
 *  - Images: `:latest` (staging/*, ml-jobs/jupyter, default/debug-toolbox); no tag
 *    (catalog/catalog-worker, legacy/legacy-billing, reporting/monthly-invoice CronJob).
 *  - Older revision still running: catalog/catalog-api.
 *  - Compliant: payments/*, checkout/checkout, auth/*, cert-manager/*, shop/recommendations
 *    (gVisor RuntimeClass), shop/orders, search/search-api: runAsNonRoot, runAsUser 10001,
 *    seccomp RuntimeDefault, drop ALL, read-only root, digest-pinned images, resources set.
 */
import type { K8sObject } from '../engine/k8s.js';
import { apps } from './apps.js';
import { namespace } from './config.js';
import { DemoContext } from './context.js';
import { KUBE_VERSION, clusterInfo, controlPlanePods, kubernetesService, nodes } from './control-plane.js';
import { dataAndBatch } from './data-batch.js';
import { kubeSystem } from './kube-system.js';
import { legacy } from './legacy.js';
import { deriveEndpoints } from './network.js';
import { platform } from './platform.js';
import { defaultRbac } from './rbac-defaults.js';

/** What `GET /version` returns for the demo cluster. */
export const DEMO_VERSION: { major: string; minor: string; gitVersion: string; platform: string } = {
  major: '1',
  minor: '33',
  gitVersion: KUBE_VERSION,
  platform: 'linux/amd64',
};

export const DEFAULT_DEMO_SEED = 42;

/** Every object of the demo cluster; the same list for the same seed. */
export function demoCluster(seed: number = DEFAULT_DEMO_SEED): K8sObject[] {
  const ctx = new DemoContext(seed);
  nodes(ctx);
  const born = ctx.nodes[0]?.createdMs ?? 0;
  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) namespace(ctx, name, { createdMs: born });
  defaultRbac(ctx);
  controlPlanePods(ctx);
  kubeSystem(ctx);
  clusterInfo(ctx);
  kubernetesService(ctx);
  platform(ctx);
  apps(ctx);
  dataAndBatch(ctx);
  legacy(ctx);
  deriveEndpoints(ctx);
  stampResourceVersions(ctx);
  return ctx.objects;
}

/** resourceVersions increase with creation time, as etcd revisions would. */
function stampResourceVersions(ctx: DemoContext): void {
  const order = ctx.objects
    .map((o, i) => ({ i, t: Date.parse(o.metadata?.creationTimestamp ?? '') || 0 }))
    .sort((a, b) => a.t - b.t || a.i - b.i);
  let rv = 200 + ctx.rng.int(0, 100);
  for (const { i } of order) {
    rv += ctx.rng.int(1, 40);
    const meta = ctx.objects[i]?.metadata as { resourceVersion?: string } | undefined;
    if (meta) meta.resourceVersion = String(rv);
  }
}
