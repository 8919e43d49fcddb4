/**
 * The RBAC every kubeadm cluster starts with: the API server's bootstrap roles and bindings
 * (label `kubernetes.io/bootstrapping: rbac-defaults`) and kubeadm's own roles and bindings.
 * None of these is a finding (CHECKS.md §1.8, §7 trap 10); they are here so checks can prove
 * they exempt them. Rules follow the upstream bootstrap policy, trimmed where long.
 */
import type { PolicyRule } from '../engine/k8s.js';
import type { DemoContext } from './context.js';
import { serviceAccount } from './config.js';
import { BOOTSTRAP, READ, WRITE, clusterRole, clusterRoleBinding, group, role, roleBinding, rule, sa, urls, user } from './rbac.js';

const VIEW: PolicyRule[] = [
  rule([''], ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/status'], READ),
  rule([''], ['bindings', 'events', 'limitranges', 'namespaces/status', 'pods/log', 'pods/status', 'replicationcontrollers/status', 'resourcequotas', 'resourcequotas/status'], READ),
  rule([''], ['namespaces'], READ),
  rule(['discovery.k8s.io'], ['endpointslices'], READ),
  rule(['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'], READ),
  rule(['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'], READ),
  rule(['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'], READ),
  rule(['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status'], READ),
  rule(['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies'], READ),
];

const EDIT: PolicyRule[] = [
  rule([''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], READ),
  rule([''], ['serviceaccounts'], ['impersonate']),
  rule([''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], WRITE),
  rule([''], ['pods/eviction'], ['create']),
  rule([''], ['configmaps', 'events', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy'], WRITE),
  rule([''], ['serviceaccounts/token'], ['create']),
  rule(['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'], WRITE),
  rule(['autoscaling'], ['horizontalpodautoscalers'], WRITE),
  rule(['batch'], ['cronjobs', 'jobs'], WRITE),
  rule(['networking.k8s.io'], ['ingresses', 'networkpolicies'], WRITE),
  rule(['policy'], ['poddisruptionbudgets'], WRITE),
];

const ADMIN: PolicyRule[] = [
  rule(['authorization.k8s.io'], ['localsubjectaccessreviews'], ['create']),
  rule(['rbac.authorization.k8s.io'], ['rolebindings', 'roles'], [...WRITE, ...READ]),
];

/** system:controller:<name> roles, one per kube-controller-manager controller (a representative subset). */
const CONTROLLERS: Record<string, PolicyRule[]> = {
  'attachdetach-controller': [rule([''], ['persistentvolumes', 'persistentvolumeclaims'], READ), rule([''], ['nodes'], READ), rule([''], ['nodes/status'], ['patch', 'update']), rule(['storage.k8s.io'], ['volumeattachments'], ['create', 'delete', 'get', 'list', 'watch'])],
  'clusterrole-aggregation-controller': [rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['escalate', 'get', 'list', 'patch', 'update', 'watch'])],
  'cronjob-controller': [rule(['batch'], ['cronjobs'], ['get', 'list', 'update', 'watch']), rule(['batch'], ['jobs'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']), rule([''], ['pods'], ['delete', 'list'])],
  'daemon-set-controller': [rule(['apps', 'extensions'], ['daemonsets'], READ), rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch']), rule([''], ['pods/binding'], ['create'])],
  'deployment-controller': [rule(['apps', 'extensions'], ['deployments'], ['get', 'list', 'update', 'watch']), rule(['apps', 'extensions'], ['replicasets'], ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']), rule([''], ['pods'], ['get', 'list', 'update', 'watch'])],
  'endpoint-controller': [rule([''], ['pods', 'services'], READ), rule([''], ['endpoints'], ['create', 'delete', 'get', 'list', 'update'])],
  'endpointslice-controller': [rule([''], ['nodes', 'pods', 'services'], READ), rule(['discovery.k8s.io'], ['endpointslices'], ['create', 'delete', 'get', 'list', 'update'])],
  'generic-garbage-collector': [rule(['*'], ['*'], ['delete', 'get', 'list', 'patch', 'update', 'watch'])],
  'horizontal-pod-autoscaler': [rule(['autoscaling'], ['horizontalpodautoscalers'], READ), rule(['*'], ['*/scale'], ['get', 'update'])],
  'job-controller': [rule(['batch'], ['jobs'], ['get', 'list', 'patch', 'update', 'watch']), rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch'])],
  'namespace-controller': [rule([''], ['namespaces'], ['delete', 'get', 'list', 'watch']), rule(['*'], ['*'], ['delete', 'deletecollection', 'get', 'list'])],
  'node-controller': [rule([''], ['nodes'], ['delete', 'get', 'list', 'patch', 'update']), rule([''], ['pods'], ['delete', 'list'])],
  'replicaset-controller': [rule(['apps', 'extensions'], ['replicasets'], ['get', 'list', 'update', 'watch']), rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch'])],
  'replication-controller': [rule([''], ['replicationcontrollers'], ['get', 'list', 'update', 'watch']), rule([''], ['pods'], ['create', 'delete', 'list', 'patch', 'watch'])],
  'resourcequota-controller': [rule(['*'], ['*'], ['list', 'watch']), rule([''], ['resourcequotas/status'], ['update'])],
  'root-ca-cert-publisher': [rule([''], ['configmaps'], ['create', 'update'])],
  'service-account-controller': [rule([''], ['serviceaccounts'], ['create'])],
  'statefulset-controller': [rule(['apps'], ['statefulsets'], READ), rule([''], ['pods'], ['create', 'delete', 'get', 'patch', 'update']), rule([''], ['persistentvolumeclaims'], ['create', 'get', 'update'])],
  'ttl-after-finished-controller': [rule(['batch'], ['jobs'], ['delete', 'get', 'list', 'watch'])],
};

export function defaultRbac(ctx: DemoContext): void {
  const at = ctx.nodes[0]?.createdMs ?? ctx.agoMs(320, 330);
  const boot = { ...BOOTSTRAP, createdMs: at };
  const aggregate = (to: string) => ({ ...boot, labels: { ...BOOTSTRAP.labels, [`rbac.authorization.k8s.io/aggregate-to-${to}`]: 'true' } });

  // User-facing roles.
  clusterRole(ctx, 'cluster-admin', [rule(['*'], ['*'], ['*']), urls(['*'], ['*'])], boot);
  clusterRole(ctx, 'admin', [...ADMIN, ...EDIT, ...VIEW], { ...boot, aggregateFrom: { 'rbac.authorization.k8s.io/aggregate-to-admin': 'true' } });
  clusterRole(ctx, 'edit', [...EDIT, ...VIEW], { ...aggregate('admin'), aggregateFrom: { 'rbac.authorization.k8s.io/aggregate-to-edit': 'true' } });
  clusterRole(ctx, 'view', VIEW, { ...aggregate('edit'), aggregateFrom: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } });
  clusterRole(ctx, 'system:aggregate-to-admin', ADMIN, aggregate('admin'));
  clusterRole(ctx, 'system:aggregate-to-edit', EDIT, aggregate('edit'));
  clusterRole(ctx, 'system:aggregate-to-view', VIEW, aggregate('view'));

  // Discovery and components.
  clusterRole(ctx, 'system:basic-user', [rule(['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], ['create']), rule(['authentication.k8s.io'], ['selfsubjectreviews'], ['create'])], boot);
  clusterRole(ctx, 'system:discovery', [urls(['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'])], boot);
  clusterRole(ctx, 'system:public-info-viewer', [urls(['/healthz', '/livez', '/readyz', '/version', '/version/'])], boot);
  clusterRole(ctx, 'system:service-account-issuer-discovery', [urls(['/.well-known/openid-configuration', '/.well-known/openid-configuration/', '/openid/v1/jwks', '/openid/v1/jwks/'])], boot);
  clusterRole(ctx, 'system:monitoring', [urls(['/healthz', '/healthz/*', '/livez', '/livez/*', '/metrics', '/metrics/slis', '/readyz', '/readyz/*'])], boot);
  clusterRole(ctx, 'system:auth-delegator', [rule(['authentication.k8s.io'], ['tokenreviews'], ['create']), rule(['authorization.k8s.io'], ['subjectaccessreviews'], ['create'])], boot);
  clusterRole(ctx, 'system:kube-aggregator', [rule([''], ['endpoints', 'services'], READ)], boot);
  clusterRole(ctx, 'system:kube-dns', [rule([''], ['endpoints', 'services'], ['list', 'watch'])], boot);
  clusterRole(ctx, 'system:kubelet-api-admin', [rule([''], ['nodes'], ['get', 'list', 'watch', 'proxy']), rule([''], ['nodes/log', 'nodes/metrics', 'nodes/proxy', 'nodes/stats'], ['*'])], boot);
  clusterRole(ctx, 'system:node-bootstrapper', [rule(['certificates.k8s.io'], ['certificatesigningrequests'], ['create', 'get', 'list', 'watch'])], boot);
  clusterRole(ctx, 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [rule(['certificates.k8s.io'], ['certificatesigningrequests/nodeclient'], ['create'])], boot);
  clusterRole(ctx, 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [rule(['certificates.k8s.io'], ['certificatesigningrequests/selfnodeclient'], ['create'])], boot);
  clusterRole(ctx, 'system:node', [
    rule(['authentication.k8s.io'], ['tokenreviews'], ['create']),
    rule(['authorization.k8s.io'], ['localsubjectaccessreviews', 'subjectaccessreviews'], ['create']),
    rule([''], ['services'], READ),
    rule([''], ['nodes'], ['create', 'get', 'list', 'watch', 'patch', 'update']),
    rule([''], ['nodes/status'], ['patch', 'update']),
    rule([''], ['pods'], READ),
    rule([''], ['pods'], ['create', 'delete']),
    rule([''], ['pods/status'], ['patch', 'update']),
    rule([''], ['configmaps', 'secrets'], ['get', 'list', 'watch']),
    rule([''], ['persistentvolumeclaims', 'persistentvolumes'], ['get']),
    rule([''], ['serviceaccounts/token'], ['create']),
    rule(['coordination.k8s.io'], ['leases'], ['create', 'delete', 'get', 'patch', 'update']),
  ], boot);
  clusterRole(ctx, 'system:node-proxier', [rule([''], ['endpoints', 'services'], ['list', 'watch']), rule([''], ['nodes'], READ), rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']), rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch'])], boot);
  clusterRole(ctx, 'system:kube-scheduler', [rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']), rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update']), rule([''], ['nodes'], READ), rule([''], ['pods'], ['delete', 'get', 'list', 'watch']), rule([''], ['bindings', 'pods/binding'], ['create']), rule([''], ['pods/status'], ['patch', 'update'])], boot);
  clusterRole(ctx, 'system:volume-scheduler', [rule([''], ['persistentvolumes'], ['get', 'list', 'patch', 'update', 'watch']), rule(['storage.k8s.io'], ['storageclasses'], READ)], boot);
  clusterRole(ctx, 'system:kube-controller-manager', [rule(['', 'events.k8s.io'], ['events'], ['create', 'patch', 'update']), rule(['coordination.k8s.io'], ['leases'], ['create', 'get', 'update']), rule([''], ['secrets', 'serviceaccounts'], ['create']), rule([''], ['secrets'], ['delete']), rule([''], ['configmaps', 'namespaces', 'secrets', 'serviceaccounts'], ['get']), rule([''], ['serviceaccounts/token'], ['create']), rule(['*'], ['*'], ['list', 'watch'])], boot);

  clusterRoleBinding(ctx, 'cluster-admin', 'cluster-admin', [group('system:masters')], boot);
  clusterRoleBinding(ctx, 'system:basic-user', 'system:basic-user', [group('system:authenticated')], boot);
  clusterRoleBinding(ctx, 'system:discovery', 'system:discovery', [group('system:authenticated')], boot);
  clusterRoleBinding(ctx, 'system:public-info-viewer', 'system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')], boot);
  clusterRoleBinding(ctx, 'system:service-account-issuer-discovery', 'system:service-account-issuer-discovery', [group('system:serviceaccounts')], boot);
  clusterRoleBinding(ctx, 'system:monitoring', 'system:monitoring', [group('system:monitoring')], boot);
  clusterRoleBinding(ctx, 'system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')], boot);
  clusterRoleBinding(ctx, 'system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')], boot);
  clusterRoleBinding(ctx, 'system:volume-scheduler', 'system:volume-scheduler', [user('system:kube-scheduler')], boot);
  clusterRoleBinding(ctx, 'system:kube-dns', 'system:kube-dns', [sa('kube-system', 'kube-dns')], boot);
  clusterRoleBinding(ctx, 'system:node', 'system:node', [], boot);
  clusterRoleBinding(ctx, 'system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')], boot);

  for (const [controller, rules] of Object.entries(CONTROLLERS)) {
    clusterRole(ctx, `system:controller:${controller}`, rules, boot);
    clusterRoleBinding(ctx, `system:controller:${controller}`, `system:controller:${controller}`, [sa('kube-system', controller)], boot);
    serviceAccount(ctx, 'kube-system', controller, { createdMs: at + 60_000 });
  }

  // Namespaced bootstrap roles.
  const leaderLocking = [rule(['coordination.k8s.io'], ['leases'], ['watch']), rule(['coordination.k8s.io'], ['leases'], ['get', 'update'])];
  role(ctx, 'kube-system', 'extension-apiserver-authentication-reader', [{ apiGroups: [''], resourceNames: ['extension-apiserver-authentication'], resources: ['configmaps'], verbs: READ }], boot);
  role(ctx, 'kube-system', 'system::leader-locking-kube-controller-manager', leaderLocking, boot);
  role(ctx, 'kube-system', 'system::leader-locking-kube-scheduler', leaderLocking, boot);
  role(ctx, 'kube-system', 'system:controller:bootstrap-signer', [rule([''], ['secrets'], READ)], boot);
  role(ctx, 'kube-system', 'system:controller:token-cleaner', [rule([''], ['secrets'], ['delete', 'get', 'list', 'watch'])], boot);
  role(ctx, 'kube-public', 'system:controller:bootstrap-signer', [rule([''], ['configmaps'], READ), { apiGroups: [''], resourceNames: ['cluster-info'], resources: ['configmaps'], verbs: ['update'] }], boot);
  roleBinding(ctx, 'kube-system', 'system::extension-apiserver-authentication-reader', { kind: 'Role', name: 'extension-apiserver-authentication-reader' }, [user('system:kube-controller-manager'), user('system:kube-scheduler')], boot);
  roleBinding(ctx, 'kube-system', 'system::leader-locking-kube-controller-manager', { kind: 'Role', name: 'system::leader-locking-kube-controller-manager' }, [user('system:kube-controller-manager'), sa('kube-system', 'kube-controller-manager')], boot);
  roleBinding(ctx, 'kube-system', 'system::leader-locking-kube-scheduler', { kind: 'Role', name: 'system::leader-locking-kube-scheduler' }, [user('system:kube-scheduler'), sa('kube-system', 'kube-scheduler')], boot);
  roleBinding(ctx, 'kube-system', 'system:controller:bootstrap-signer', { kind: 'Role', name: 'system:controller:bootstrap-signer' }, [sa('kube-system', 'bootstrap-signer')], boot);
  roleBinding(ctx, 'kube-system', 'system:controller:token-cleaner', { kind: 'Role', name: 'system:controller:token-cleaner' }, [sa('kube-system', 'token-cleaner')], boot);
  roleBinding(ctx, 'kube-public', 'system:controller:bootstrap-signer', { kind: 'Role', name: 'system:controller:bootstrap-signer' }, [sa('kube-system', 'bootstrap-signer')], boot);

  kubeadmRbac(ctx, at + 120_000);
}

/** What `kubeadm init` creates (no bootstrapping label, but equally expected). */
function kubeadmRbac(ctx: DemoContext, createdMs: number): void {
  const o = { createdMs };
  const bootstrappers = group('system:bootstrappers:kubeadm:default-node-token');
  clusterRole(ctx, 'kubeadm:get-nodes', [rule([''], ['nodes'], ['get'])], o);
  clusterRoleBinding(ctx, 'kubeadm:get-nodes', 'kubeadm:get-nodes', [bootstrappers], o);
  clusterRoleBinding(ctx, 'kubeadm:kubelet-bootstrap', 'system:node-bootstrapper', [bootstrappers], o);
  clusterRoleBinding(ctx, 'kubeadm:node-autoapprove-bootstrap', 'system:certificates.k8s.io:certificatesigningrequests:nodeclient', [bootstrappers], o);
  clusterRoleBinding(ctx, 'kubeadm:node-autoapprove-certificate-rotation', 'system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [group('system:nodes')], o);
  clusterRoleBinding(ctx, 'kubeadm:node-proxier', 'system:node-proxier', [sa('kube-system', 'kube-proxy')], o);
  // kubeadm >= 1.29: admin.conf is bound through this group instead of system:masters.
  clusterRoleBinding(ctx, 'kubeadm:cluster-admins', 'cluster-admin', [group('kubeadm:cluster-admins')], o);
  clusterRole(ctx, 'system:coredns', [rule([''], ['endpoints', 'services', 'pods', 'namespaces'], ['list', 'watch']), rule(['discovery.k8s.io'], ['endpointslices'], ['list', 'watch'])], o);
  clusterRoleBinding(ctx, 'system:coredns', 'system:coredns', [sa('kube-system', 'coredns')], o);

  role(ctx, 'kube-system', 'kubeadm:kubelet-config', [{ apiGroups: [''], resourceNames: ['kubelet-config'], resources: ['configmaps'], verbs: ['get'] }], o);
  roleBinding(ctx, 'kube-system', 'kubeadm:kubelet-config', { kind: 'Role', name: 'kubeadm:kubelet-config' }, [group('system:nodes'), bootstrappers], o);
  role(ctx, 'kube-system', 'kubeadm:nodes-kubeadm-config', [{ apiGroups: [''], resourceNames: ['kubeadm-config'], resources: ['configmaps'], verbs: ['get'] }], o);
  roleBinding(ctx, 'kube-system', 'kubeadm:nodes-kubeadm-config', { kind: 'Role', name: 'kubeadm:nodes-kubeadm-config' }, [bootstrappers, group('system:nodes')], o);
  role(ctx, 'kube-system', 'kube-proxy', [{ apiGroups: [''], resourceNames: ['kube-proxy'], resources: ['configmaps'], verbs: ['get'] }], o);
  roleBinding(ctx, 'kube-system', 'kube-proxy', { kind: 'Role', name: 'kube-proxy' }, [bootstrappers], o);
  role(ctx, 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo', [{ apiGroups: [''], resourceNames: ['cluster-info'], resources: ['configmaps'], verbs: ['get'] }], o);
  roleBinding(ctx, 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo', { kind: 'Role', name: 'kubeadm:bootstrap-signer-clusterinfo' }, [user('system:anonymous')], o);
}
