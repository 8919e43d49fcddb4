/**
 * The demo's planted problems (and their compliant counterparts) exist in the data, so the
 * demo shows findings in every layer and the checks have something to prove themselves on.
 */
import { describe, expect, it } from 'vitest';
import type { Container, K8sObject, Pod, RoleBinding, Service } from '../../src/engine/k8s.js';
import { SYSTEM_NAMESPACES, appPods, containersOf, flags, get, imageTag, isPublicIPv4, objects, ofKind, pods, running, templateSpecOf } from './helpers.js';

const where = (p: K8sObject) => `${p.kind}/${p.metadata?.namespace}/${p.metadata?.name}`;
const containersIn = (list: Pod[]) => list.flatMap((p) => containersOf(p.spec).map((c) => ({ pod: p, c })));
const hostPathMount = (p: Pod, c: Container, path: string) => {
  const volume = (p.spec?.volumes ?? []).find((v) => v.hostPath?.path === path);
  return volume ? c.volumeMounts?.find((m) => m.name === volume.name) : undefined;
};
const labelled = (o: K8sObject, label: string, value: string) => o.metadata?.labels?.[label] === value;

describe('container layer', () => {
  it('has a privileged container in an application namespace', () => {
    expect(containersIn(appPods()).some(({ c }) => c.securityContext?.privileged === true)).toBe(true);
    const worker = (ofKind('Pod', 'shop') as Pod[]).find((p) => p.metadata?.name?.startsWith('legacy-worker-'));
    expect(containersOf(worker?.spec).some((c) => c.securityContext?.privileged === true)).toBe(true);
  });

  it('shares host PID, IPC and network namespaces in application workloads', () => {
    const app = appPods().filter(running);
    expect(app.some((p) => p.spec?.hostPID === true)).toBe(true);
    expect(app.some((p) => p.spec?.hostIPC === true)).toBe(true);
    expect(app.some((p) => p.spec?.hostNetwork === true && p.metadata?.ownerReferences?.[0]?.kind !== 'Node')).toBe(true);
  });

  it('runs containers with an explicit runAsUser 0', () => {
    const root = appPods().filter((p) => p.spec?.securityContext?.runAsUser === 0 || containersOf(p.spec).some((c) => c.securityContext?.runAsUser === 0));
    expect(new Set(root.map((p) => p.metadata?.namespace))).toEqual(new Set(['shop', 'search', 'legacy', 'ml-jobs']));
  });

  it('uses images tagged latest and images without a tag, also in templates only', () => {
    const images = containersIn(pods()).map(({ c }) => c.image ?? '');
    expect(images.some((i) => imageTag(i) === 'latest')).toBe(true);
    expect(images.some((i) => !i.includes('@') && imageTag(i) === undefined)).toBe(true);
    const invoice = get('CronJob', 'reporting', 'monthly-invoice');
    expect(imageTag(templateSpecOf(invoice as K8sObject)?.containers?.[0]?.image ?? 'x:1')).toBeUndefined();
  });

  it('mounts the Docker socket writable in an application namespace', () => {
    const hits = containersIn(appPods()).filter(({ pod, c }) => {
      const m = hostPathMount(pod, c, '/var/run/docker.sock');
      return m !== undefined && m.readOnly !== true;
    });
    expect(hits.map(({ pod }) => pod.metadata?.namespace)).toContain('shop');
  });

  it('mounts host /etc and / read-only, and /var/log writable', () => {
    const mounted = (path: string) => containersIn(appPods()).map(({ pod, c }) => hostPathMount(pod, c, path)).filter((m) => m !== undefined);
    expect(mounted('/etc').length).toBeGreaterThan(0);
    expect(mounted('/etc').every((m) => m?.readOnly === true)).toBe(true);
    expect(mounted('/').every((m) => m?.readOnly === true) && mounted('/').length > 0).toBe(true);
    expect(mounted('/var/log').some((m) => m?.readOnly !== true)).toBe(true);
  });

  it('adds dangerous capabilities and allows privilege escalation', () => {
    const added = containersIn(appPods()).flatMap(({ c }) => c.securityContext?.capabilities?.add ?? []);
    expect(added).toEqual(expect.arrayContaining(['SYS_ADMIN', 'NET_ADMIN']));
    expect(containersIn(appPods()).some(({ c }) => c.securityContext?.allowPrivilegeEscalation === true)).toBe(true);
    // Template only: a Deployment scaled to zero.
    const ui = get('Deployment', 'reporting', 'report-ui');
    expect((ui?.['spec'] as any).replicas).toBe(0);
    expect(templateSpecOf(ui as K8sObject)?.containers?.[0]?.securityContext?.allowPrivilegeEscalation).toBe(true);
  });

  it('has fully restricted-compliant, digest-pinned workloads beside them', () => {
    const compliant = appPods().filter((p) => {
      const pod = p.spec?.securityContext;
      return (
        pod?.runAsNonRoot === true &&
        pod.runAsUser === 10001 &&
        pod.seccompProfile?.type === 'RuntimeDefault' &&
        containersOf(p.spec).every(
          (c) =>
            c.securityContext?.allowPrivilegeEscalation === false &&
            JSON.stringify(c.securityContext.capabilities?.drop) === '["ALL"]' &&
            (c.securityContext.capabilities?.add ?? []).length === 0 &&
            c.securityContext.readOnlyRootFilesystem === true &&
            /@sha256:[0-9a-f]{64}$/.test(c.image ?? '') &&
            c.resources?.limits?.['memory'] !== undefined &&
            c.resources.requests?.['cpu'] !== undefined,
        ) &&
        !p.spec?.hostNetwork && !p.spec?.hostPID && !p.spec?.hostIPC &&
        (p.spec?.volumes ?? []).every((v) => v.hostPath === undefined)
      );
    });
    for (const ns of ['payments', 'checkout', 'auth']) expect(compliant.some((p) => p.metadata?.namespace === ns), ns).toBe(true);
  });

  it('keeps one older Deployment revision running and others scaled to zero', () => {
    const rsets = ofKind('ReplicaSet', 'catalog').filter((r) => r.metadata?.name?.startsWith('catalog-api-'));
    const revisions = rsets.map((r) => ({ rev: Number(r.metadata?.annotations?.['deployment.kubernetes.io/revision']), replicas: (r['spec'] as any).replicas }));
    const newest = Math.max(...revisions.map((r) => r.rev));
    expect(revisions.some((r) => r.rev < newest && r.replicas > 0)).toBe(true);
    expect(ofKind('ReplicaSet').some((r) => (r['spec'] as any).replicas === 0 && r.metadata?.annotations?.['deployment.kubernetes.io/revision'] !== undefined)).toBe(true);
  });
});

describe('workload shapes', () => {
  it('has a CronJob that never ran, CronJobs with completed Jobs, a bare pod and a ReplicationController', () => {
    const cronJobs = ofKind('CronJob');
    const jobOwners = new Set(ofKind('Job').map((j) => j.metadata?.ownerReferences?.[0]?.uid));
    expect(cronJobs.some((c) => !jobOwners.has(c.metadata?.uid))).toBe(true);
    const completed = pods().filter((p) => p.status?.phase === 'Succeeded');
    const jobUids = new Set(ofKind('Job').filter((j) => j.metadata?.ownerReferences?.[0]?.kind === 'CronJob').map((j) => j.metadata?.uid));
    expect(completed.some((p) => jobUids.has(p.metadata?.ownerReferences?.[0]?.uid ?? ''))).toBe(true);
    expect(pods().some((p) => !p.metadata?.ownerReferences && !SYSTEM_NAMESPACES.has(p.metadata?.namespace ?? ''))).toBe(true);
    expect(ofKind('ReplicationController', 'legacy')).toHaveLength(1);
    expect(pods().some((p) => p.metadata?.ownerReferences?.[0]?.kind === 'ReplicationController')).toBe(true);
  });

  it('runs kube-proxy and calico-node on every node and node agents in monitoring/logging', () => {
    const nodeCount = ofKind('Node').length;
    for (const [ns, ds] of [['kube-system', 'kube-proxy'], ['kube-system', 'calico-node'], ['monitoring', 'node-exporter'], ['logging', 'fluent-bit']] as const) {
      const owner = get('DaemonSet', ns, ds);
      const nodes = new Set(pods().filter((p) => p.metadata?.ownerReferences?.[0]?.uid === owner?.metadata?.uid).map((p) => p.spec?.nodeName));
      expect(nodes.size, ds).toBe(nodeCount);
    }
    const calico = templateSpecOf(get('DaemonSet', 'kube-system', 'calico-node') as K8sObject);
    expect(calico?.hostNetwork).toBe(true);
    expect(calico?.containers?.[0]?.securityContext?.privileged).toBe(true);
    expect((calico?.volumes ?? []).map((v) => v.hostPath?.path)).toEqual(expect.arrayContaining(['/var/run/calico', '/lib/modules', '/run/xtables.lock']));
  });
});

describe('control plane (kubeadm static pods)', () => {
  const controlPlane = ofKind('Node').filter((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] === '');
  const mirror = (component: string, node: string) => get('Pod', 'kube-system', `${component}-${node}`) as Pod | undefined;

  it('has four mirror pods per control-plane node, owned by the Node', () => {
    expect(controlPlane).toHaveLength(3);
    for (const node of controlPlane) {
      for (const component of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']) {
        const p = mirror(component, node.metadata?.name ?? '');
        expect(p, component).toBeDefined();
        expect(p?.metadata?.annotations?.['kubernetes.io/config.mirror']).toMatch(/^[0-9a-f]{32}$/);
        expect(p?.metadata?.labels).toEqual({ component, tier: 'control-plane' });
        expect(p?.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: node.metadata?.name, uid: node.metadata?.uid, controller: true });
        expect(p?.spec?.hostNetwork).toBe(true);
        expect(p?.spec?.nodeName).toBe(node.metadata?.name);
        expect(p?.spec?.containers?.[0]?.name).toBe(component);
      }
      expect((mirror('kube-apiserver', node.metadata?.name ?? '')?.spec?.volumes ?? []).some((v) => v.hostPath?.path === '/etc/kubernetes/pki')).toBe(true);
    }
  });

  it('carries real kubeadm flags with the planted weaknesses', () => {
    for (const node of controlPlane) {
      const name = node.metadata?.name ?? '';
      const api = flags(mirror('kube-apiserver', name)?.spec?.containers?.[0]?.command ?? []);
      expect(api.get('authorization-mode')).toBe('Node,RBAC');
      expect(api.get('enable-admission-plugins')).toBe('NodeRestriction');
      expect(api.get('etcd-servers')).toBe('https://127.0.0.1:2379');
      expect(api.get('secure-port')).toBe('6443');
      for (const f of ['client-ca-file', 'etcd-cafile', 'etcd-certfile', 'etcd-keyfile', 'kubelet-client-certificate', 'kubelet-client-key', 'service-account-issuer', 'service-account-key-file', 'service-account-signing-key-file', 'tls-cert-file', 'tls-private-key-file']) {
        expect(api.has(f), f).toBe(true);
      }
      for (const f of ['audit-policy-file', 'audit-log-path', 'encryption-provider-config', 'profiling', 'anonymous-auth', 'kubelet-certificate-authority']) expect(api.has(f), f).toBe(false);
      expect(flags(mirror('kube-scheduler', name)?.spec?.containers?.[0]?.command ?? []).get('profiling')).toBeUndefined();
      const etcd = flags(mirror('etcd', name)?.spec?.containers?.[0]?.command ?? []);
      expect(etcd.get('client-cert-auth')).toBe('true');
      expect(etcd.get('peer-client-cert-auth')).toBe('true');
      const internalIP = ((node['status'] as any).addresses as { type: string; address: string }[]).find((a) => a.type === 'InternalIP')?.address;
      expect(etcd.get('listen-client-urls')).toBe(`https://127.0.0.1:2379,https://${internalIP}:2379`);
      expect(etcd.get('listen-metrics-urls')).toBe('http://127.0.0.1:2381');
    }
    const binds = controlPlane.map((n) => flags(mirror('kube-scheduler', n.metadata?.name ?? '')?.spec?.containers?.[0]?.command ?? []).get('bind-address'));
    expect(binds.sort()).toEqual(['0.0.0.0', '127.0.0.1', '127.0.0.1']);
  });

  it('publishes the kubeadm ConfigMaps and a public cluster-info endpoint', () => {
    const data = (ns: string, name: string) => (get('ConfigMap', ns, name)?.['data'] ?? {}) as Record<string, string>;
    expect(data('kube-system', 'kubelet-config')['kubelet']).toMatch(/^kind: KubeletConfiguration$/m);
    expect(data('kube-system', 'kubelet-config')['kubelet']).not.toMatch(/seccompDefault|protectKernelDefaults|podPidsLimit/);
    expect(data('kube-system', 'kube-proxy')['config.conf']).toMatch(/^metricsBindAddress: 0\.0\.0\.0:10249$/m);
    expect(data('kube-system', 'kubeadm-config')['ClusterConfiguration']).toMatch(/^kind: ClusterConfiguration$/m);
    const server = /server: https:\/\/([\d.]+):6443/.exec(data('kube-public', 'cluster-info')['kubeconfig'] ?? '')?.[1];
    expect(server).toBe('203.0.113.10');
    expect(isPublicIPv4(server ?? '')).toBe(true);
  });
});

describe('cluster layer', () => {
  const bindings = [...ofKind('ClusterRoleBinding'), ...ofKind('RoleBinding')] as RoleBinding[];
  const isDefault = (o: K8sObject) => labelled(o, 'kubernetes.io/bootstrapping', 'rbac-defaults');

  it('ships the built-in default RBAC with the bootstrapping label', () => {
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:node', 'system:kube-controller-manager']) {
      expect(isDefault(get('ClusterRole', undefined, name) as K8sObject), name).toBe(true);
    }
    const defaultAdmin = get('ClusterRoleBinding', undefined, 'cluster-admin') as RoleBinding;
    expect(isDefault(defaultAdmin)).toBe(true);
    expect(defaultAdmin.subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'system:masters' }]);
    expect((get('ClusterRoleBinding', undefined, 'system:public-info-viewer') as RoleBinding).subjects?.map((s) => s.name)).toEqual(['system:authenticated', 'system:unauthenticated']);
    expect(get('ClusterRoleBinding', undefined, 'kubeadm:node-proxier')).toBeDefined();
    expect((get('RoleBinding', 'kube-public', 'kubeadm:bootstrap-signer-clusterinfo') as RoleBinding).subjects?.[0]?.name).toBe('system:anonymous');
    expect(ofKind('ClusterRole').filter(isDefault).length).toBeGreaterThan(30);
  });

  it('binds a user and a running workload\'s ServiceAccount to cluster-admin (non-default)', () => {
    const toAdmin = bindings.filter((b) => b.kind === 'ClusterRoleBinding' && b.roleRef?.name === 'cluster-admin' && !isDefault(b));
    expect(toAdmin.flatMap((b) => b.subjects ?? []).some((s) => s.kind === 'User' && !s.name.startsWith('system:'))).toBe(true);
    const sas = toAdmin.flatMap((b) => b.subjects ?? []).filter((s) => s.kind === 'ServiceAccount');
    const used = sas.some((s) => pods().some((p) => running(p) && p.metadata?.namespace === s.namespace && p.spec?.serviceAccountName === s.name));
    expect(used).toBe(true);
  });

  it('has a RoleBinding to admin, wildcard roles and a cluster-wide secrets reader', () => {
    expect(bindings.some((b) => b.kind === 'RoleBinding' && b.roleRef?.kind === 'ClusterRole' && b.roleRef.name === 'admin')).toBe(true);
    const custom = [...ofKind('ClusterRole'), ...ofKind('Role')].filter((r) => !isDefault(r));
    const rules = (r: K8sObject) => (r['rules'] as { apiGroups?: string[]; resources?: string[]; verbs?: string[] }[]) ?? [];
    expect(custom.some((r) => rules(r).some((x) => x.verbs?.includes('*') && x.resources?.includes('*')))).toBe(true);
    const readers = ofKind('ClusterRole').filter((r) => !isDefault(r) && rules(r).some((x) => x.apiGroups?.includes('') && x.resources?.includes('secrets') && x.verbs?.includes('list')));
    const bound = readers.some((r) => bindings.some((b) => b.kind === 'ClusterRoleBinding' && b.roleRef?.name === r.metadata?.name && (b.subjects ?? []).some((s) => s.kind === 'ServiceAccount' && s.namespace === 'reporting')));
    expect(bound).toBe(true);
  });

  it('labels namespaces for metadata.name and Pod Security, with a mix of levels', () => {
    const namespaces = ofKind('Namespace');
    for (const ns of namespaces) expect(ns.metadata?.labels?.['kubernetes.io/metadata.name']).toBe(ns.metadata?.name);
    const enforce = (level: string) => namespaces.filter((n) => labelled(n, 'pod-security.kubernetes.io/enforce', level)).map((n) => n.metadata?.name);
    expect(enforce('restricted').length).toBeGreaterThanOrEqual(2);
    expect(enforce('baseline').length).toBeGreaterThanOrEqual(2);
    expect(enforce('privileged')).toEqual(['ml-jobs']);
    const unlabelled = namespaces.filter((n) => !SYSTEM_NAMESPACES.has(n.metadata?.name ?? '') && n.metadata?.labels?.['pod-security.kubernetes.io/enforce'] === undefined);
    expect(unlabelled.length).toBeGreaterThanOrEqual(4);
    for (const n of namespaces.filter((x) => x.metadata?.labels?.['pod-security.kubernetes.io/enforce'])) {
      expect(n.metadata?.labels?.['pod-security.kubernetes.io/enforce-version'], n.metadata?.name).toMatch(/^(latest|v1\.\d+)$/);
    }
  });

  it('leaves some namespaces without NetworkPolicy and gives others default-deny plus DNS', () => {
    const policies = ofKind('NetworkPolicy');
    const withPods = new Set(appPods().filter(running).map((p) => p.metadata?.namespace));
    const without = [...withPods].filter((ns) => !policies.some((p) => p.metadata?.namespace === ns));
    expect(without.length).toBeGreaterThanOrEqual(5);
    const denyAll = policies.filter((p) => {
      const spec = p['spec'] as any;
      return Object.keys(spec.podSelector).length === 0 && spec.policyTypes.includes('Ingress') && spec.policyTypes.includes('Egress') && !spec.ingress && !spec.egress;
    });
    expect(denyAll.length).toBeGreaterThanOrEqual(3);
    for (const deny of denyAll) {
      const dns = policies.find((p) => p.metadata?.namespace === deny.metadata?.namespace && JSON.stringify((p['spec'] as any).egress ?? []).includes('"port":53'));
      expect(dns, deny.metadata?.namespace).toBeDefined();
    }
  });

  it('has Ingresses without TLS (one public), with a valid TLS secret, and with a missing one', () => {
    const ingresses = ofKind('Ingress');
    const tls = (i: K8sObject) => ((i['spec'] as any).tls ?? []) as { secretName: string }[];
    const publicIP = (i: K8sObject) => ((i['status'] as any).loadBalancer.ingress ?? []).some((x: { ip?: string }) => x.ip && isPublicIPv4(x.ip));
    expect(ingresses.some((i) => tls(i).length === 0 && publicIP(i))).toBe(true);
    const secretOf = (i: K8sObject) => get('Secret', i.metadata?.namespace, tls(i)[0]?.secretName ?? '');
    expect(ingresses.some((i) => tls(i).length > 0 && (secretOf(i) as any)?.type === 'kubernetes.io/tls')).toBe(true);
    expect(ingresses.some((i) => tls(i).length > 0 && secretOf(i) === undefined)).toBe(true);
    expect((get('IngressClass', undefined, 'nginx')?.['spec'] as any).controller).toBe('k8s.io/ingress-nginx');
  });

  it('passes secrets as env through secretKeyRef and envFrom, and a literal AWS example key', () => {
    const all = containersIn(pods());
    expect(all.some(({ c }) => c.env?.some((e) => e.valueFrom?.secretKeyRef))).toBe(true);
    expect(all.some(({ c }) => c.envFrom?.some((e) => e.secretRef))).toBe(true);
    const literal = all.filter(({ c }) => c.env?.some((e) => e.name === 'AWS_ACCESS_KEY_ID' && e.value === 'AKIAIOSFODNN7EXAMPLE'));
    expect(new Set(literal.map(({ pod }) => pod.metadata?.namespace))).toEqual(new Set(['analytics']));
  });

  it('has ServiceAccounts: a default per namespace, app accounts, and one with IRSA', () => {
    for (const ns of ofKind('Namespace')) expect(get('ServiceAccount', ns.metadata?.name, 'default'), ns.metadata?.name).toBeDefined();
    const irsa = ofKind('ServiceAccount').filter((s) => /^arn:aws:iam::\d{12}:role\//.test(s.metadata?.annotations?.['eks.amazonaws.com/role-arn'] ?? ''));
    expect(irsa).toHaveLength(1);
    expect(ofKind('ServiceAccount').filter((s) => s.metadata?.name !== 'default' && !SYSTEM_NAMESPACES.has(s.metadata?.namespace ?? '')).length).toBeGreaterThan(10);
  });

  it('has ResourceQuotas and LimitRanges in some application namespaces only', () => {
    const appNamespaces = ofKind('Namespace').map((n) => n.metadata?.name).filter((n) => !SYSTEM_NAMESPACES.has(n ?? '') && n !== 'default');
    for (const kind of ['ResourceQuota', 'LimitRange']) {
      const covered = new Set(ofKind(kind).map((o) => o.metadata?.namespace));
      expect(covered.size, kind).toBeGreaterThanOrEqual(3);
      expect(appNamespaces.filter((n) => !covered.has(n)).length, kind).toBeGreaterThanOrEqual(8);
    }
  });

  it('has Secrets of every common type, including a legacy service-account token', () => {
    const types = new Set(ofKind('Secret').map((s) => s['type']));
    for (const t of ['Opaque', 'kubernetes.io/tls', 'kubernetes.io/dockerconfigjson', 'kubernetes.io/service-account-token']) expect(types.has(t), t).toBe(true);
    const token = ofKind('Secret').find((s) => s['type'] === 'kubernetes.io/service-account-token');
    const saName = token?.metadata?.annotations?.['kubernetes.io/service-account.name'] ?? '';
    const sa = get('ServiceAccount', token?.metadata?.namespace, saName);
    expect(token?.metadata?.annotations?.['kubernetes.io/service-account.uid']).toBe(sa?.metadata?.uid);
  });

  it('has admission webhooks and a RuntimeClass', () => {
    expect(get('ValidatingWebhookConfiguration', undefined, 'cert-manager-webhook')).toBeDefined();
    expect((get('RuntimeClass', undefined, 'gvisor') as any)?.handler).toBe('runsc');
  });
});

describe('cloud layer', () => {
  const services = ofKind('Service') as Service[];
  const lbIPs = (s: Service) => (s.status?.loadBalancer?.ingress ?? []).map((i) => i.ip).filter((ip): ip is string => ip !== undefined);
  const internal = (s: Service) => s.metadata?.annotations?.['service.beta.kubernetes.io/aws-load-balancer-internal'] === 'true';

  it('has workers with public ExternalIPs and control-plane nodes without', () => {
    const nodes = ofKind('Node');
    const external = (n: K8sObject) => ((n['status'] as any).addresses as { type: string; address: string }[]).filter((a) => a.type === 'ExternalIP').map((a) => a.address);
    const publicNodes = nodes.filter((n) => external(n).some(isPublicIPv4));
    expect(publicNodes.length).toBeGreaterThanOrEqual(2);
    expect(publicNodes.every((n) => n.metadata?.labels?.['node-role.kubernetes.io/control-plane'] === undefined)).toBe(true);
    for (const n of nodes) {
      expect((n['spec'] as any).providerID).toMatch(/^aws:\/\/\/eu-west-1[abc]\/i-0[0-9a-f]{16}$/);
      expect(((n['status'] as any).addresses as { type: string; address: string }[]).find((a) => a.type === 'InternalIP')?.address).toMatch(/^10\./);
    }
  });

  it('exposes postgres on a public LoadBalancer without source ranges', () => {
    const open = services.filter((s) => s.spec?.type === 'LoadBalancer' && !s.spec.loadBalancerSourceRanges?.length && !internal(s) && lbIPs(s).some(isPublicIPv4));
    expect(open.some((s) => s.spec?.ports?.some((p) => p.port === 5432))).toBe(true);
    expect(open.some((s) => s.spec?.ports?.some((p) => p.port === 443))).toBe(true);
  });

  it('has an internal LoadBalancer, one restricted by source ranges, and NodePorts', () => {
    expect(services.some((s) => s.spec?.type === 'LoadBalancer' && internal(s))).toBe(true);
    expect(services.some((s) => s.spec?.type === 'LoadBalancer' && (s.spec.loadBalancerSourceRanges?.length ?? 0) > 0 && lbIPs(s).some(isPublicIPv4))).toBe(true);
    expect(services.filter((s) => s.spec?.type === 'NodePort').length).toBeGreaterThanOrEqual(2);
  });

  it('has the kubernetes Service and its EndpointSlice on the control-plane addresses', () => {
    const svc = get('Service', 'default', 'kubernetes') as Service;
    expect(svc.spec?.clusterIP).toBe('10.96.0.1');
    expect(svc.spec?.selector).toBeUndefined();
    const slices = ofKind('EndpointSlice', 'default').filter((s) => s.metadata?.labels?.['kubernetes.io/service-name'] === 'kubernetes');
    expect(slices).toHaveLength(1);
    const addresses = ((slices[0]?.['endpoints'] as { addresses: string[] }[]) ?? []).flatMap((e) => e.addresses);
    expect(addresses).toHaveLength(3);
    expect(addresses.every((a) => !isPublicIPv4(a))).toBe(true);
  });
});

describe('secret values', () => {
  const decoded = ofKind('Secret').flatMap((s) =>
    Object.entries((s['data'] ?? {}) as Record<string, string>).map(([k, v]) => ({ where: `${where(s)}:${k}`, key: k, value: Buffer.from(v, 'base64').toString('utf8') })),
  );
  const REAL_LOOKING = [
    /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
    /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\./,
    /\bgh[pousr]_[A-Za-z0-9]{30,}/,
    /\bxox[abprs]-[A-Za-z0-9-]{10,}/,
    /\b[sr]k_(live|test)_[A-Za-z0-9]{10,}/,
    /\bAIza[0-9A-Za-z_-]{35}\b/,
  ];

  it('are placeholders: nothing that looks like a real credential', () => {
    expect(decoded.length).toBeGreaterThan(20);
    for (const { where: at, value } of decoded) for (const pattern of REAL_LOOKING) expect(pattern.test(value), `${at} matches ${pattern}`).toBe(false);
    for (const { where: at, key, value } of decoded) {
      if (/pass|token|key|secret|crt|cert|^ca$|dockerconfig/i.test(key)) expect(value, at).toMatch(/placeholder/i);
      else expect(value, at).toMatch(/^[a-z0-9-]{1,32}$/);
    }
  });

  it('contain no AWS key id anywhere in the cluster except the documented example', () => {
    const ids = JSON.stringify(objects).match(/\b(AKIA|ASIA)[0-9A-Z]{16}\b/g) ?? [];
    expect(new Set(ids)).toEqual(new Set(['AKIAIOSFODNN7EXAMPLE']));
  });
});
