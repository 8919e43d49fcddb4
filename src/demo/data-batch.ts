/**
 * Data and batch namespaces: analytics (CronJob, static AWS key, cluster-admin service
 * account), reporting (CronJobs incl. one that never ran, a Deployment scaled to 0, IRSA),
 * data (postgres and redis StatefulSets, one exposed publicly) and ml-jobs (a running Job).
 */
import type { DemoContext } from './context.js';
import { namespace, resourceQuota, secret, serviceAccount } from './config.js';
import { RESTRICTED_POD, container, emptyDir, env, hardened, pinned, resources, secretEnv, volumeMount } from './containers.js';
import { defaultDenyWithDns, networkPolicy, service } from './network.js';
import { READ, clusterRole, clusterRoleBinding, sa } from './rbac.js';
import { cronJob, deployment, job, statefulSet } from './workloads.js';

const REGISTRY = 'registry.example.com';

/** AWS's documented example access key id (never a real key). */
export const AWS_EXAMPLE_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

export function dataAndBatch(ctx: DemoContext): void {
  analytics(ctx);
  reporting(ctx);
  data(ctx);
  mlJobs(ctx);
}

function analytics(ctx: DemoContext): void {
  const ns = 'analytics';
  namespace(ctx, ns, { labels: { team: 'data' } });
  serviceAccount(ctx, ns, 'analytics-pipeline');
  secret(ctx, ns, 'aws-credentials', 'Opaque', { 'secret-access-key': 'demo-placeholder-not-a-real-secret' });
  // Planted (cloud): a long-lived AWS key as a literal env value plus its secret from a Secret.
  deployment(ctx, {
    namespace: ns,
    name: 'event-collector',
    replicas: ctx.rng.int(2, 4),
    spec: {
      containers: [
        container({
          name: 'collector',
          image: `${REGISTRY}/analytics/event-collector:5.1.0`,
          port: 8080,
          health: '/healthz',
          env: [
            env('AWS_REGION', 'eu-west-1'),
            env('AWS_ACCESS_KEY_ID', AWS_EXAMPLE_ACCESS_KEY_ID),
            secretEnv('AWS_SECRET_ACCESS_KEY', 'aws-credentials', 'secret-access-key'),
            env('S3_BUCKET', 'demo-analytics-events'),
          ],
          resources: resources('250m', '512Mi', { memory: '1Gi' }),
        }),
      ],
      serviceAccountName: 'analytics-pipeline',
    },
    maxRestarts: 2,
  });
  deployment(ctx, {
    namespace: ns,
    name: 'event-processor',
    replicas: ctx.rng.int(2, 3),
    spec: { containers: [container({ name: 'processor', image: `${REGISTRY}/analytics/event-processor:5.1.0`, args: ['--source=kafka://kafka.analytics.svc:9092'], resources: resources('500m', '1Gi') })] },
  });
  service(ctx, { namespace: ns, name: 'event-collector', selector: { app: 'event-collector' }, ports: [{ name: 'http', port: 8080, targetPort: 'http' }] });
  cronJob(ctx, {
    namespace: ns,
    name: 'hourly-rollup',
    labels: { app: 'hourly-rollup' },
    podLabels: { app: 'hourly-rollup' },
    schedule: '15 * * * *',
    everyMinutes: 60,
    atMinute: 15,
    runs: 3,
    spec: {
      containers: [container({ name: 'rollup', image: `${REGISTRY}/analytics/rollup:5.1.0`, args: ['--window=1h'], resources: resources('500m', '1Gi', { memory: '2Gi' }) })],
      serviceAccountName: 'analytics-pipeline',
    },
  });
  // Planted (cluster): the pipeline's ServiceAccount is cluster-admin.
  clusterRoleBinding(ctx, 'analytics-pipeline-admin', 'cluster-admin', [sa(ns, 'analytics-pipeline')]);
}

function reporting(ctx: DemoContext): void {
  const ns = 'reporting';
  namespace(ctx, ns, { pss: { enforce: 'baseline', warn: 'restricted', version: 'latest' }, labels: { team: 'finance' } });
  // Compliant (cloud): per-workload cloud identity through IRSA.
  serviceAccount(ctx, ns, 'report-exporter', { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/demo-report-exporter' } });
  cronJob(ctx, {
    namespace: ns,
    name: 'nightly-report',
    labels: { app: 'nightly-report' },
    podLabels: { app: 'nightly-report' },
    schedule: '30 2 * * *',
    everyMinutes: 1440,
    atMinute: 150,
    runs: 3,
    spec: {
      containers: [hardened({ name: 'report', image: pinned(ctx, `${REGISTRY}/reporting/nightly`, '2.0.4'), args: ['--upload=s3://demo-reports'], resources: resources('500m', '1Gi', { memory: '1Gi' }), volumeMounts: [volumeMount('tmp', '/tmp')] })],
      securityContext: RESTRICTED_POD,
      serviceAccountName: 'report-exporter',
      volumes: [emptyDir('tmp')],
    },
  });
  // Never ran yet (created after its last schedule): evaluated from the template only.
  // Planted (container): image without a tag.
  cronJob(ctx, {
    namespace: ns,
    name: 'monthly-invoice',
    labels: { app: 'monthly-invoice' },
    podLabels: { app: 'monthly-invoice' },
    schedule: '0 4 1 * *',
    everyMinutes: 43_200,
    runs: 0,
    ageDays: [3, 10],
    spec: { containers: [container({ name: 'invoice', image: `${REGISTRY}/reporting/invoicer`, resources: resources('250m', '512Mi', { memory: '512Mi' }) })] },
  });
  // Scaled to zero; planted (container) in its template: allowPrivilegeEscalation true.
  deployment(ctx, {
    namespace: ns,
    name: 'report-ui',
    replicas: 0,
    history: [{ spec: reportUi('1.4.1') }],
    spec: reportUi('1.4.2'),
  });
  service(ctx, { namespace: ns, name: 'report-ui', selector: { app: 'report-ui' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  // Planted (cluster): reads every Secret in the cluster.
  clusterRole(ctx, 'secrets-reader', [{ apiGroups: [''], resources: ['secrets'], verbs: READ }]);
  clusterRoleBinding(ctx, 'reporting-secrets-reader', 'secrets-reader', [sa(ns, 'report-exporter')]);
}

function reportUi(tag: string) {
  return {
    containers: [container({ name: 'ui', image: `${REGISTRY}/reporting/ui:${tag}`, port: 8080, resources: resources('100m', '128Mi', { memory: '256Mi' }), securityContext: { allowPrivilegeEscalation: true, runAsNonRoot: true, runAsUser: 10001 } })],
  };
}

function data(ctx: DemoContext): void {
  const ns = 'data';
  namespace(ctx, ns, { pss: { enforce: 'baseline', version: 'latest' }, labels: { team: 'platform-data' } });
  serviceAccount(ctx, ns, 'postgres', { automount: false });
  secret(ctx, ns, 'postgres-credentials', 'Opaque', { username: 'postgres', password: 'demo-placeholder-password' });
  secret(ctx, ns, 'redis-credentials', 'Opaque', { password: 'demo-placeholder-password' });
  statefulSet(ctx, {
    namespace: ns,
    name: 'postgres',
    replicas: ctx.rng.int(2, 3),
    serviceName: 'postgres-headless',
    claims: [{ name: 'data', storage: '200Gi' }],
    ageDays: [250, 300],
    spec: {
      containers: [
        container({
          name: 'postgres',
          image: 'docker.io/library/postgres:16.4',
          port: 5432,
          portName: 'postgres',
          env: [env('PGDATA', '/var/lib/postgresql/data/pgdata'), secretEnv('POSTGRES_PASSWORD', 'postgres-credentials', 'password')],
          resources: resources('500m', '2Gi', { memory: '4Gi' }),
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 999 },
          volumeMounts: [volumeMount('data', '/var/lib/postgresql/data')],
        }),
      ],
      securityContext: { fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } },
      serviceAccountName: 'postgres',
    },
  });
  statefulSet(ctx, {
    namespace: ns,
    name: 'redis',
    replicas: 3,
    serviceName: 'redis-headless',
    claims: [{ name: 'data', storage: '10Gi' }],
    spec: {
      containers: [
        container({
          name: 'redis',
          image: 'docker.io/library/redis:7.4.1',
          args: ['--requirepass', '$(REDIS_PASSWORD)', '--appendonly', 'yes'],
          port: 6379,
          portName: 'redis',
          env: [secretEnv('REDIS_PASSWORD', 'redis-credentials', 'password')],
          resources: resources('100m', '256Mi', { memory: '512Mi' }),
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 999 },
          volumeMounts: [volumeMount('data', '/data')],
        }),
      ],
      securityContext: { fsGroup: 999 },
    },
  });
  service(ctx, { namespace: ns, name: 'postgres-headless', headless: true, selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres' }] });
  service(ctx, { namespace: ns, name: 'postgres', selector: { app: 'postgres' }, ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres' }] });
  service(ctx, { namespace: ns, name: 'redis-headless', headless: true, selector: { app: 'redis' }, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] });
  service(ctx, { namespace: ns, name: 'redis', selector: { app: 'redis' }, ports: [{ name: 'redis', port: 6379, targetPort: 'redis' }] });
  // Planted (cloud): the database on a public load balancer with no source ranges.
  service(ctx, {
    namespace: ns,
    name: 'postgres-public',
    type: 'LoadBalancer',
    annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    selector: { app: 'postgres' },
    ports: [{ name: 'postgres', port: 5432, targetPort: 'postgres' }],
    loadBalancer: { ip: '203.0.113.60' },
  });
  defaultDenyWithDns(ctx, ns);
  networkPolicy(ctx, {
    namespace: ns,
    name: 'allow-postgres-clients',
    podSelector: { matchLabels: { app: 'postgres' } },
    policyTypes: ['Ingress'],
    // Opened to the world when the public load balancer was added.
    ingress: [{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
  });
  networkPolicy(ctx, {
    namespace: ns,
    name: 'allow-redis-clients',
    podSelector: { matchLabels: { app: 'redis' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } }], ports: [{ protocol: 'TCP', port: 6379 }] }],
  });
  resourceQuota(ctx, ns, 'storage-and-compute', { 'requests.cpu': '8', 'requests.memory': '24Gi', persistentvolumeclaims: '20', 'requests.storage': '2Ti' });
}

function mlJobs(ctx: DemoContext): void {
  const ns = 'ml-jobs';
  // Explicitly privileged namespace (GPU jobs).
  namespace(ctx, ns, { pss: { enforce: 'privileged', version: 'latest' }, labels: { team: 'ml' } });
  // Planted (container): hostIPC and an explicit root user.
  job(ctx, {
    namespace: ns,
    name: 'train-recsys-v7',
    labels: { app: 'train-recsys', 'model-version': 'v7' },
    parallelism: ctx.rng.int(2, 3),
    state: 'running',
    ageDays: [0.1, 0.5],
    spec: {
      containers: [
        container({
          name: 'trainer',
          image: 'docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime',
          command: ['torchrun', '--nproc-per-node=1', '/workspace/train.py'],
          env: [env('EPOCHS', '40'), env('DATASET', 's3://demo-ml/recsys/v7')],
          resources: resources('4', '16Gi', { cpu: '4', memory: '16Gi' }),
          volumeMounts: [volumeMount('dshm', '/dev/shm')],
        }),
      ],
      hostIPC: true,
      restartPolicy: 'Never',
      securityContext: { runAsUser: 0 },
      volumes: [{ name: 'dshm', emptyDir: { medium: 'Memory' } }],
    },
  });
  // Planted (container): a `:latest` image with no securityContext.
  deployment(ctx, {
    namespace: ns,
    name: 'jupyter',
    replicas: 1,
    spec: { containers: [container({ name: 'notebook', image: 'docker.io/jupyter/scipy-notebook:latest', port: 8888, resources: resources('500m', '2Gi', { memory: '4Gi' }) })] },
  });
  service(ctx, { namespace: ns, name: 'jupyter', selector: { app: 'jupyter' }, ports: [{ name: 'http', port: 8888, targetPort: 'http' }] });
}
