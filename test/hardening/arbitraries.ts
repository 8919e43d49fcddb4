/**
 * fast-check arbitraries for well-typed (not necessarily sensible) cluster objects: pods and
 * their controllers, RBAC, network policies, services, ingresses and namespaces. Values come
 * from small pools so objects refer to each other (labels match selectors, bindings name
 * roles that exist or not), with hostile strings mixed in.
 */
import fc from 'fast-check';
import type { K8sObject } from '../../src/engine/k8s.js';

export const HOSTILE = [
  '\u001b[31mred\u001b[0m', '\u001b]52;c;ZXZpbA==\u0007', 'a\u0000b', '\u202Eevil', 'x\u009bq', "it's", '$(touch /tmp/pwned)', '`id`', 'a b', 'a\nb', 'x'.repeat(300),
];
const word = fc.constantFrom('web', 'api', 'db', 'worker', 'app', 'default', 'kube-system', 'team-a', 'x');
const name = fc.oneof({ weight: 8, arbitrary: word }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE) });
const namespace = fc.constantFrom('default', 'kube-system', 'team-a', 'team-b', 'monitoring');
const labelKey = fc.constantFrom('app', 'tier', 'team', 'kubernetes.io/metadata.name', 'role');
const labels = fc.dictionary(labelKey, name, { maxKeys: 3 });
const bool = fc.option(fc.boolean(), { nil: undefined });
const uid = fc.uuid();

const capability = fc.constantFrom('ALL', 'NET_ADMIN', 'SYS_ADMIN', 'NET_BIND_SERVICE', 'CHOWN', 'SYS_PTRACE', 'NET_RAW', 'all');
const securityContext = fc.record({
  privileged: bool,
  allowPrivilegeEscalation: bool,
  readOnlyRootFilesystem: bool,
  runAsNonRoot: bool,
  runAsUser: fc.option(fc.constantFrom(0, 1000, 10001, 65534), { nil: undefined }),
  runAsGroup: fc.option(fc.constantFrom(0, 1000), { nil: undefined }),
  procMount: fc.option(fc.constantFrom('Default', 'Unmasked'), { nil: undefined }),
  capabilities: fc.option(fc.record({ add: fc.array(capability, { maxLength: 2 }), drop: fc.array(capability, { maxLength: 2 }) }), { nil: undefined }),
  seccompProfile: fc.option(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Unconfined', 'Localhost') }), { nil: undefined }),
}, { requiredKeys: [] });
const image = fc.oneof(
  fc.constantFrom('nginx', 'nginx:latest', 'nginx:1.27', 'docker.io/library/redis:7', 'registry.example.com/team/api@sha256:' + 'a'.repeat(64), 'ghcr.io/x/y:v1', ''),
  fc.constantFrom(...HOSTILE),
);
const env = fc.array(fc.oneof(
  fc.record({ name: fc.constantFrom('DB_PASSWORD', 'API_TOKEN', 'LOG_LEVEL', 'AWS_ACCESS_KEY_ID'), value: fc.constantFrom('hunter2hunter2', 'AKIAIOSFODNN7EXAMPLE', 'info', '', '${X}', 'changeme') }),
  fc.record({ name: fc.constantFrom('DB_PASSWORD', 'TOKEN'), valueFrom: fc.record({ secretKeyRef: fc.record({ name, key: fc.constantFrom('password', 'token') }) }) }),
), { maxLength: 3 });
const container = fc.record({
  name, image, env,
  securityContext: fc.option(securityContext, { nil: undefined }),
  ports: fc.option(fc.array(fc.record({ containerPort: fc.constantFrom(80, 8080, 443), hostPort: fc.option(fc.constantFrom(80, 8080, 0), { nil: undefined }) }), { maxLength: 2 }), { nil: undefined }),
  resources: fc.option(fc.record({ limits: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.constantFrom('100m', '1Gi', '1')), requests: fc.dictionary(fc.constantFrom('cpu', 'memory'), fc.constantFrom('50m', '128Mi')) }, { requiredKeys: [] }), { nil: undefined }),
  livenessProbe: fc.option(fc.record({ httpGet: fc.record({ port: fc.constantFrom(80, 'http'), host: fc.option(fc.constantFrom('127.0.0.1', '10.0.0.1', 'evil.example.com'), { nil: undefined }) }, { requiredKeys: ['port'] }) }), { nil: undefined }),
}, { requiredKeys: ['name', 'image'] });
const volume = fc.oneof(
  fc.record({ name, hostPath: fc.record({ path: fc.constantFrom('/', '/etc', '/var/run/docker.sock', '/var/log', '/data', '/proc') }) }),
  fc.record({ name, secret: fc.record({ secretName: name }) }),
  fc.record({ name, emptyDir: fc.constant({}) }),
);
const podSpec = fc.record({
  containers: fc.array(container, { minLength: 1, maxLength: 2 }),
  initContainers: fc.option(fc.array(container, { maxLength: 1 }), { nil: undefined }),
  volumes: fc.option(fc.array(volume, { maxLength: 2 }), { nil: undefined }),
  hostNetwork: bool, hostPID: bool, hostIPC: bool, hostUsers: bool,
  automountServiceAccountToken: bool,
  serviceAccountName: fc.option(name, { nil: undefined }),
  runtimeClassName: fc.option(fc.constantFrom('gvisor', 'runc', 'kata'), { nil: undefined }),
  securityContext: fc.option(securityContext, { nil: undefined }),
  nodeName: fc.option(fc.constantFrom('node-1', 'node-2'), { nil: undefined }),
}, { requiredKeys: ['containers'] });

const meta = (ns: boolean) => fc.record({
  name, uid, labels, annotations: fc.dictionary(fc.constantFrom('a', 'nginx.ingress.kubernetes.io/server-snippet', 'kubernetes.io/description'), name, { maxKeys: 2 }),
  ...(ns ? { namespace } : {}),
});

const pod: fc.Arbitrary<K8sObject> = fc.record({ metadata: meta(true), spec: podSpec, status: fc.record({ phase: fc.constantFrom('Running', 'Pending', 'Succeeded'), qosClass: fc.constantFrom('BestEffort', 'Burstable', 'Guaranteed') }) })
  .map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p }) as K8sObject);
const deployment: fc.Arbitrary<K8sObject> = fc.record({ metadata: meta(true), replicas: fc.constantFrom(0, 1, 3), tpl: labels, spec: podSpec })
  .map(({ metadata, replicas, tpl, spec }) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas, selector: { matchLabels: tpl }, template: { metadata: { labels: tpl }, spec } } }) as K8sObject);
const cronJob: fc.Arbitrary<K8sObject> = fc.record({ metadata: meta(true), spec: podSpec })
  .map(({ metadata, spec }) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec } } } } }) as K8sObject);

const rule = fc.oneof(
  fc.record({
    apiGroups: fc.array(fc.constantFrom('', '*', 'apps', 'rbac.authorization.k8s.io', 'certificates.k8s.io'), { minLength: 1, maxLength: 2 }),
    resources: fc.array(fc.constantFrom('*', 'pods', 'pods/exec', '*/scale', 'pods/*', 'secrets', 'nodes/proxy', 'roles', 'clusterrolebindings', 'serviceaccounts/token', 'persistentvolumes', 'validatingwebhookconfigurations', 'certificatesigningrequests/approval', 'signers'), { minLength: 1, maxLength: 3 }),
    verbs: fc.array(fc.constantFrom('*', 'get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'escalate', 'bind', 'impersonate', 'approve'), { minLength: 1, maxLength: 3 }),
    resourceNames: fc.option(fc.array(name, { maxLength: 1 }), { nil: undefined }),
  }, { requiredKeys: ['apiGroups', 'resources', 'verbs'] }),
  fc.record({ nonResourceURLs: fc.array(fc.constantFrom('*', '/healthz', '/api/*', '/metrics'), { minLength: 1, maxLength: 2 }), verbs: fc.array(fc.constantFrom('get', '*'), { minLength: 1 }) }),
);
const subject = fc.oneof(
  fc.record({ kind: fc.constant('User'), name: fc.constantFrom('alice', 'system:anonymous', 'system:kube-scheduler', 'mallory') }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('system:authenticated', 'system:unauthenticated', 'system:masters', 'system:serviceaccounts', 'devs') }),
  fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom('default', 'web', 'api'), namespace }),
);
const roleName = fc.constantFrom('cluster-admin', 'admin', 'edit', 'view', 'custom', 'missing', 'system:public-info-viewer');
const clusterRole: fc.Arbitrary<K8sObject> = fc.record({ name: roleName, rules: fc.array(rule, { maxLength: 3 }), bootstrap: fc.boolean() })
  .map(({ name: n, rules, bootstrap }) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: n, ...(bootstrap ? { labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } } : {}) }, rules }) as K8sObject);
const role: fc.Arbitrary<K8sObject> = fc.record({ name: roleName, namespace, rules: fc.array(rule, { maxLength: 3 }) })
  .map(({ name: n, namespace: ns, rules }) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: n, namespace: ns }, rules }) as K8sObject);
const binding: fc.Arbitrary<K8sObject> = fc.record({ cluster: fc.boolean(), name, namespace, toClusterRole: fc.boolean(), role: roleName, subjects: fc.array(subject, { maxLength: 3 }) })
  .map(({ cluster, name: n, namespace: ns, toClusterRole, role: r, subjects }) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding',
    metadata: { name: n, ...(cluster ? {} : { namespace: ns }) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: cluster || toClusterRole ? 'ClusterRole' : 'Role', name: r }, subjects,
  }) as K8sObject);

const selector = fc.record({
  matchLabels: fc.option(labels, { nil: undefined }),
  matchExpressions: fc.option(fc.array(fc.record({ key: labelKey, operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'), values: fc.array(name, { maxLength: 2 }) }), { maxLength: 2 }), { nil: undefined }),
}, { requiredKeys: [] });
const peer = fc.oneof(
  fc.record({ ipBlock: fc.record({ cidr: fc.constantFrom('0.0.0.0/0', '10.0.0.0/8', '169.254.0.0/16', '::/0', 'fd00::/8', '169.254.169.254/32'), except: fc.option(fc.array(fc.constantFrom('169.254.169.254/32', '10.1.0.0/16', 'fd00:ec2::254/128'), { maxLength: 1 }), { nil: undefined }) }, { requiredKeys: ['cidr'] }) }),
  fc.record({ podSelector: selector }), fc.record({ namespaceSelector: selector }),
);
const ports = fc.option(fc.array(fc.record({ protocol: fc.option(fc.constantFrom('TCP', 'UDP'), { nil: undefined }), port: fc.option(fc.constantFrom(80, 53, 'http'), { nil: undefined }), endPort: fc.option(fc.constantFrom(90, 100), { nil: undefined }) }, { requiredKeys: [] }), { maxLength: 2 }), { nil: undefined });
const networkPolicy: fc.Arbitrary<K8sObject> = fc.record({
  metadata: meta(true), podSelector: selector,
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress']), { nil: undefined }),
  ingress: fc.option(fc.array(fc.record({ from: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports }, { requiredKeys: [] }), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(fc.record({ to: fc.option(fc.array(peer, { maxLength: 2 }), { nil: undefined }), ports }, { requiredKeys: [] }), { maxLength: 2 }), { nil: undefined }),
}).map(({ metadata, ...spec }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined)) }) as K8sObject);
const service: fc.Arbitrary<K8sObject> = fc.record({ metadata: meta(true), type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'), selector: labels, ip: fc.constantFrom('203.0.113.5', '10.0.0.5', undefined) })
  .map(({ metadata, type, selector: sel, ip }) => ({
    apiVersion: 'v1', kind: 'Service', metadata,
    spec: { type, selector: sel, ports: [{ port: 5432, nodePort: type === 'ClusterIP' ? undefined : 30080 }] },
    status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} },
  }) as K8sObject);
const ingress: fc.Arbitrary<K8sObject> = fc.record({ metadata: meta(true), host: fc.constantFrom('shop.example.com', '*.example.com', 'a.b'), tls: fc.boolean() })
  .map(({ metadata, host, tls }) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata,
    spec: { rules: [{ host }], ...(tls ? { tls: [{ hosts: [host], secretName: 'tls' }] } : {}) },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.9' }] } },
  }) as K8sObject);
const ns: fc.Arbitrary<K8sObject> = fc.record({ name: namespace, enforce: fc.constantFrom(undefined, 'privileged', 'baseline', 'restricted', 'bogus'), version: fc.constantFrom(undefined, 'latest', 'v1.25', 'v1.99', 'junk') })
  .map(({ name: n, enforce, version }) => ({
    apiVersion: 'v1', kind: 'Namespace',
    metadata: { name: n, labels: { 'kubernetes.io/metadata.name': n, ...(enforce ? { 'pod-security.kubernetes.io/enforce': enforce } : {}), ...(version ? { 'pod-security.kubernetes.io/enforce-version': version } : {}) } },
  }) as K8sObject);

/** A small cluster: every kind of object the checks read, in arbitrary combinations. */
export const clusterObjects: fc.Arbitrary<K8sObject[]> = fc.tuple(
  fc.array(ns, { maxLength: 4 }), fc.array(pod, { maxLength: 4 }), fc.array(deployment, { maxLength: 2 }), fc.array(cronJob, { maxLength: 1 }),
  fc.array(clusterRole, { maxLength: 3 }), fc.array(role, { maxLength: 2 }), fc.array(binding, { maxLength: 4 }),
  fc.array(networkPolicy, { maxLength: 3 }), fc.array(service, { maxLength: 2 }), fc.array(ingress, { maxLength: 1 }),
).map((lists) => lists.flat());
