/**
 * The benchmark's reference cluster (DESIGN.md §8): namespaces of Deployments whose pods look
 * like real API answers (~5 KB of JSON each: managedFields, env, probes, projected token
 * volume, status), role bindings, services, network policies and nodes. Seeded: the same size
 * and seed give the same objects.
 */
import type { K8sObject } from '../../src/engine/k8s.js';
import { mulberry32 } from '../../src/prng.js';

export interface SyntheticSize {
  readonly namespaces: number;
  readonly podsPerNamespace: number;
  readonly roleBindingsPerNamespace: number;
  readonly nodes: number;
}

export const REFERENCE: SyntheticSize = { namespaces: 2000, podsPerNamespace: 25, roleBindingsPerNamespace: 5, nodes: 200 };
export const SMALL: SyntheticSize = { namespaces: 40, podsPerNamespace: 25, roleBindingsPerNamespace: 5, nodes: 10 };

const BASE_TIME = Date.parse('2026-09-01T08:00:00Z');

export function syntheticCluster(size: SyntheticSize, seed = 7): K8sObject[] {
  const rng = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(0, 15)]).join('');
  const uid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const at = (offsetMin: number) => new Date(BASE_TIME + offsetMin * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const out: K8sObject[] = [];

  const nodeNames: string[] = [];
  for (let i = 0; i < size.nodes; i++) {
    const name = `ip-10-0-${Math.floor(i / 250)}-${i % 250}.ec2.internal`;
    nodeNames.push(name);
    out.push({
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, uid: uid(), creationTimestamp: at(0), labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm6i.2xlarge', 'topology.kubernetes.io/zone': `us-east-1${'abc'[i % 3]}` } },
      spec: { providerID: `aws:///us-east-1a/i-${hex(17)}`, podCIDR: `10.${100 + (i >> 8)}.${i & 255}.0/24` },
      status: {
        addresses: [{ type: 'InternalIP', address: `10.0.${Math.floor(i / 250)}.${i % 250}` }, { type: 'Hostname', address: name }],
        nodeInfo: { kubeletVersion: 'v1.34.2', osImage: 'Amazon Linux 2023', containerRuntimeVersion: 'containerd://1.7.27', operatingSystem: 'linux', architecture: 'amd64', kernelVersion: '6.1.0' },
        conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: at(100), lastTransitionTime: at(1), reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      },
    } as unknown as K8sObject);
  }

  for (let n = 0; n < size.namespaces; n++) {
    const ns = `team-${String(n).padStart(4, '0')}`;
    const team = `team${n % 97}`;
    out.push({
      apiVersion: 'v1', kind: 'Namespace',
      metadata: { name: ns, uid: uid(), creationTimestamp: at(n), labels: { 'kubernetes.io/metadata.name': ns, team, ...(n % 3 === 0 ? { 'pod-security.kubernetes.io/enforce': 'baseline' } : {}) } },
      spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' },
    } as unknown as K8sObject);

    const apps = Math.max(1, Math.round(size.podsPerNamespace / 5));
    let podsLeft = size.podsPerNamespace;
    for (let a = 0; a < apps; a++) {
      const app = `svc-${a}`;
      const replicas = a === apps - 1 ? podsLeft : Math.min(podsLeft, 5);
      podsLeft -= replicas;
      const depUid = uid();
      const rsUid = uid();
      const hash = hex(10).replace(/[a-f]/g, (c) => 'bcdfg'['abcdef'.indexOf(c) % 5] ?? 'b');
      const labels = { app, 'app.kubernetes.io/name': app, 'app.kubernetes.io/part-of': ns, team, version: `v1.${a}.${n % 10}` };
      const hardened = (n + a) % 4 !== 0;
      const container = (name: string, port: number) => ({
        name, image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${ns}/${app}-${name}:1.${a}.${n % 50}`,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }],
        env: Array.from({ length: 3 }, (_, i) => ({ name: `CONFIG_${name.toUpperCase()}_${i}`, value: `value-${hex(12)}` })).concat([{ name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } } as never]),
        resources: hardened ? { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } } : { requests: { cpu: '100m' } },
        livenessProbe: { httpGet: { path: '/healthz', port, scheme: 'HTTP' }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        readinessProbe: { httpGet: { path: '/ready', port, scheme: 'HTTP' }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
        volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }, { name: 'config', mountPath: '/etc/app' }],
        securityContext: hardened
          ? { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001 }
          : { allowPrivilegeEscalation: true },
        terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      });
      const podSpec = {
        containers: [container('app', 8080), { name: 'sidecar', image: `public.ecr.aws/envoy/envoy:v1.31.${n % 9}`, resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } } }],
        volumes: [
          { name: 'config', configMap: { name: `${app}-config`, defaultMode: 420 } },
          { name: 'kube-api-access', projected: { defaultMode: 420, sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
            { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
          ] } },
        ],
        serviceAccountName: a === 0 ? 'default' : app,
        securityContext: hardened ? { seccompProfile: { type: 'RuntimeDefault' }, fsGroup: 10001 } : {},
        restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler',
        tolerations: [
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ],
        enableServiceLinks: true, preemptionPolicy: 'PreemptLowerPriority', priority: 0,
      };
      const template = { metadata: { labels: { ...labels, 'pod-template-hash': hash } }, spec: podSpec };
      out.push({
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { name: app, namespace: ns, uid: depUid, generation: 1, creationTimestamp: at(n + a), labels, annotations: { 'deployment.kubernetes.io/revision': '1' } },
        spec: { replicas, selector: { matchLabels: { app } }, template: { metadata: { labels }, spec: podSpec }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas, updatedReplicas: replicas, observedGeneration: 1 },
      } as unknown as K8sObject);
      out.push({
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {
          name: `${app}-${hash}`, namespace: ns, uid: rsUid, creationTimestamp: at(n + a), labels: { ...labels, 'pod-template-hash': hash },
          annotations: { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': String(replicas) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: app, uid: depUid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas, selector: { matchLabels: { app, 'pod-template-hash': hash } }, template },
        status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
      } as unknown as K8sObject);
      for (let p = 0; p < replicas; p++) {
        const podName = `${app}-${hash}-${hex(5)}`;
        const created = at(n + a + p);
        out.push({
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            name: podName, generateName: `${app}-${hash}-`, namespace: ns, uid: uid(), creationTimestamp: created,
            labels: { ...labels, 'pod-template-hash': hash },
            annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: rsUid, controller: true, blockOwnerDeletion: true }],
            managedFields: [{
              manager: 'kube-controller-manager', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1',
              fieldsV1: { 'f:metadata': { 'f:generateName': {}, 'f:labels': { '.': {}, 'f:app': {}, 'f:pod-template-hash': {}, 'f:team': {}, 'f:version': {} }, 'f:ownerReferences': { '.': {}, [`k:{"uid":"${rsUid}"}`]: {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:env': {}, 'f:image': {}, 'f:livenessProbe': {}, 'f:ports': {}, 'f:readinessProbe': {}, 'f:resources': {}, 'f:securityContext': {} }, 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {} } }, 'f:volumes': {} } },
            }, {
              manager: 'kubelet', operation: 'Update', apiVersion: 'v1', time: created, fieldsType: 'FieldsV1', subresource: 'status',
              fieldsV1: { 'f:status': { 'f:conditions': {}, 'f:containerStatuses': {}, 'f:hostIP': {}, 'f:phase': {}, 'f:podIP': {}, 'f:podIPs': {}, 'f:startTime': {} } },
            }],
          },
          spec: { ...podSpec, nodeName: nodeNames[int(0, nodeNames.length - 1)] },
          status: {
            phase: 'Running', qosClass: hardened ? 'Burstable' : 'Burstable', hostIP: '10.0.0.1', podIP: `10.${100 + (n >> 8)}.${n & 255}.${p + 2}`,
            podIPs: [{ ip: `10.${100 + (n >> 8)}.${n & 255}.${p + 2}` }], startTime: created,
            conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: created })),
            containerStatuses: ['app', 'sidecar'].map((c) => ({
              name: c, ready: true, started: true, restartCount: int(0, 2), image: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${ns}/${app}-${c}:1.${a}.${n % 50}`,
              imageID: `sha256:${hex(64)}`, containerID: `containerd://${hex(64)}`,
              state: { running: { startedAt: created } }, lastState: {},
            })),
          },
        } as unknown as K8sObject);
      }
      out.push({
        apiVersion: 'v1', kind: 'Service',
        metadata: { name: app, namespace: ns, uid: uid(), creationTimestamp: at(n + a), labels },
        spec: { type: 'ClusterIP', clusterIP: `172.20.${n & 255}.${a + 10}`, clusterIPs: [`172.20.${n & 255}.${a + 10}`], selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
        status: { loadBalancer: {} },
      } as unknown as K8sObject);
      out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: app, namespace: ns, uid: uid(), creationTimestamp: at(n + a) } } as unknown as K8sObject);
    }
    out.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns, uid: uid(), creationTimestamp: at(n) } } as unknown as K8sObject);
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role',
      metadata: { name: 'app-reader', namespace: ns, uid: uid(), creationTimestamp: at(n) },
      rules: [{ apiGroups: [''], resources: ['configmaps', 'services'], verbs: ['get', 'list', 'watch'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }],
    } as unknown as K8sObject);
    for (let b = 0; b < size.roleBindingsPerNamespace; b++) {
      const toClusterRole = b % 2 === 0;
      out.push({
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding',
        metadata: { name: `binding-${b}`, namespace: ns, uid: uid(), creationTimestamp: at(n + b) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: toClusterRole ? 'ClusterRole' : 'Role', name: toClusterRole ? (b === 0 && n % 10 === 0 ? 'edit' : 'view') : 'app-reader' },
        subjects: [b % 3 === 0
          ? { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${team}-developers` }
          : { kind: 'ServiceAccount', name: `svc-${b % 5}`, namespace: ns }],
      } as unknown as K8sObject);
    }
    if (n % 2 === 0) {
      out.push({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
        metadata: { name: 'default-deny', namespace: ns, uid: uid(), creationTimestamp: at(n) },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      } as unknown as K8sObject);
      out.push({
        apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns', namespace: ns, uid: uid(), creationTimestamp: at(n) },
        spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] }] },
      } as unknown as K8sObject);
    }
  }
  for (const name of ['view', 'edit', 'admin', 'cluster-admin']) {
    out.push({
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole',
      metadata: { name, uid: uid(), creationTimestamp: at(0), labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } },
      rules: name === 'cluster-admin' ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }]
        : [{ apiGroups: [''], resources: ['pods', 'services', 'configmaps', ...(name === 'view' ? [] : ['secrets'])], verbs: name === 'view' ? ['get', 'list', 'watch'] : ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
    } as unknown as K8sObject);
  }
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system', uid: uid(), creationTimestamp: at(0) }, status: { phase: 'Active' } } as unknown as K8sObject);
  out.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: uid(), creationTimestamp: at(0) }, status: { phase: 'Active' } } as unknown as K8sObject);
  return out;
}
