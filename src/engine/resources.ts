/**
 * The resource kinds 4c-tui knows how to read. One table serves the collector (URLs,
 * whether a list is metadata-only), the embedded API server (discovery documents) and the
 * least-privilege role generator. A check names what it needs by `ResourceName`.
 */

export interface ResourceInfo {
  /** Data-need name used by checks, e.g. `pods`, `deployments`. */
  readonly name: ResourceName;
  /** API group; `''` is the core group. */
  readonly group: string;
  readonly version: string;
  /** Lower-case plural used in URLs and RBAC rules. */
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
  /** Listed only as PartialObjectMetadataList so values never reach the process (Secrets). */
  readonly metadataOnly?: boolean;
  /** Built into every conformant API server (not a CRD that may be absent). */
  readonly builtIn: boolean;
}

export const RESOURCES = [
  { name: 'namespaces', group: '', version: 'v1', plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'], builtIn: true },
  { name: 'nodes', group: '', version: 'v1', plural: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'], builtIn: true },
  { name: 'pods', group: '', version: 'v1', plural: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], builtIn: true },
  { name: 'services', group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], builtIn: true },
  { name: 'endpoints', group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], builtIn: true },
  { name: 'serviceaccounts', group: '', version: 'v1', plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'], builtIn: true },
  { name: 'configmaps', group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], builtIn: true },
  { name: 'secrets', group: '', version: 'v1', plural: 'secrets', kind: 'Secret', namespaced: true, metadataOnly: true, builtIn: true },
  { name: 'resourcequotas', group: '', version: 'v1', plural: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], builtIn: true },
  { name: 'limitranges', group: '', version: 'v1', plural: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'], builtIn: true },
  { name: 'replicationcontrollers', group: '', version: 'v1', plural: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], builtIn: true },
  { name: 'podtemplates', group: '', version: 'v1', plural: 'podtemplates', kind: 'PodTemplate', namespaced: true, builtIn: true },
  { name: 'deployments', group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], builtIn: true },
  { name: 'replicasets', group: 'apps', version: 'v1', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], builtIn: true },
  { name: 'statefulsets', group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], builtIn: true },
  { name: 'daemonsets', group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], builtIn: true },
  { name: 'jobs', group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job', namespaced: true, builtIn: true },
  { name: 'cronjobs', group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], builtIn: true },
  { name: 'networkpolicies', group: 'networking.k8s.io', version: 'v1', plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'], builtIn: true },
  { name: 'ingresses', group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], builtIn: true },
  { name: 'ingressclasses', group: 'networking.k8s.io', version: 'v1', plural: 'ingressclasses', kind: 'IngressClass', namespaced: false, builtIn: true },
  { name: 'endpointslices', group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true, builtIn: true },
  { name: 'roles', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles', kind: 'Role', namespaced: true, builtIn: true },
  { name: 'rolebindings', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true, builtIn: true },
  { name: 'clusterroles', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false, builtIn: true },
  { name: 'clusterrolebindings', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, builtIn: true },
  { name: 'validatingwebhookconfigurations', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingwebhookconfigurations', kind: 'ValidatingWebhookConfiguration', namespaced: false, builtIn: true },
  { name: 'mutatingwebhookconfigurations', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'mutatingwebhookconfigurations', kind: 'MutatingWebhookConfiguration', namespaced: false, builtIn: true },
  { name: 'validatingadmissionpolicies', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingadmissionpolicies', kind: 'ValidatingAdmissionPolicy', namespaced: false, builtIn: true },
  { name: 'validatingadmissionpolicybindings', group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingadmissionpolicybindings', kind: 'ValidatingAdmissionPolicyBinding', namespaced: false, builtIn: true },
  { name: 'runtimeclasses', group: 'node.k8s.io', version: 'v1', plural: 'runtimeclasses', kind: 'RuntimeClass', namespaced: false, builtIn: true },
  { name: 'customresourcedefinitions', group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false, shortNames: ['crd'], builtIn: true },
  { name: 'gateways', group: 'gateway.networking.k8s.io', version: 'v1', plural: 'gateways', kind: 'Gateway', namespaced: true, builtIn: false },
  { name: 'httproutes', group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', kind: 'HTTPRoute', namespaced: true, builtIn: false },
  { name: 'ciliumnetworkpolicies', group: 'cilium.io', version: 'v2', plural: 'ciliumnetworkpolicies', kind: 'CiliumNetworkPolicy', namespaced: true, builtIn: false },
  { name: 'ciliumclusterwidenetworkpolicies', group: 'cilium.io', version: 'v2', plural: 'ciliumclusterwidenetworkpolicies', kind: 'CiliumClusterwideNetworkPolicy', namespaced: false, builtIn: false },
  { name: 'calico-networkpolicies', group: 'crd.projectcalico.org', version: 'v1', plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, builtIn: false },
  { name: 'calico-globalnetworkpolicies', group: 'crd.projectcalico.org', version: 'v1', plural: 'globalnetworkpolicies', kind: 'GlobalNetworkPolicy', namespaced: false, builtIn: false },
  { name: 'adminnetworkpolicies', group: 'policy.networking.k8s.io', version: 'v1alpha1', plural: 'adminnetworkpolicies', kind: 'AdminNetworkPolicy', namespaced: false, builtIn: false },
  { name: 'vulnerabilityreports', group: 'aquasecurity.github.io', version: 'v1alpha1', plural: 'vulnerabilityreports', kind: 'VulnerabilityReport', namespaced: true, builtIn: false },
  { name: 'vulnerabilitymanifestsummaries', group: 'spdx.softwarecomposition.kubescape.io', version: 'v1beta1', plural: 'vulnerabilitymanifestsummaries', kind: 'VulnerabilityManifestSummary', namespaced: true, builtIn: false },
  { name: 'kyverno-clusterpolicies', group: 'kyverno.io', version: 'v1', plural: 'clusterpolicies', kind: 'ClusterPolicy', namespaced: false, builtIn: false },
  { name: 'kyverno-policies', group: 'kyverno.io', version: 'v1', plural: 'policies', kind: 'Policy', namespaced: true, builtIn: false },
  { name: 'imagevalidatingpolicies', group: 'policies.kyverno.io', version: 'v1alpha1', plural: 'imagevalidatingpolicies', kind: 'ImageValidatingPolicy', namespaced: false, builtIn: false },
  { name: 'sigstore-clusterimagepolicies', group: 'policy.sigstore.dev', version: 'v1beta1', plural: 'clusterimagepolicies', kind: 'ClusterImagePolicy', namespaced: false, builtIn: false },
  { name: 'peerauthentications', group: 'security.istio.io', version: 'v1', plural: 'peerauthentications', kind: 'PeerAuthentication', namespaced: true, builtIn: false },
  { name: 'externalsecrets', group: 'external-secrets.io', version: 'v1beta1', plural: 'externalsecrets', kind: 'ExternalSecret', namespaced: true, shortNames: ['es'], builtIn: false },
  { name: 'secretproviderclasses', group: 'secrets-store.csi.x-k8s.io', version: 'v1', plural: 'secretproviderclasses', kind: 'SecretProviderClass', namespaced: true, builtIn: false },
  { name: 'sealedsecrets', group: 'bitnami.com', version: 'v1alpha1', plural: 'sealedsecrets', kind: 'SealedSecret', namespaced: true, builtIn: false },
  { name: 'kubewarden-clusteradmissionpolicies', group: 'policies.kubewarden.io', version: 'v1', plural: 'clusteradmissionpolicies', kind: 'ClusterAdmissionPolicy', namespaced: false, builtIn: false },
  { name: 'kubewarden-admissionpolicies', group: 'policies.kubewarden.io', version: 'v1', plural: 'admissionpolicies', kind: 'AdmissionPolicy', namespaced: true, builtIn: false },
] as const satisfies readonly (Omit<ResourceInfo, 'name'> & { name: string })[];

export type ResourceName = (typeof RESOURCES)[number]['name'];

const byName = new Map<string, ResourceInfo>(RESOURCES.map((r) => [r.name, r as ResourceInfo]));

export function resourceInfo(name: ResourceName): ResourceInfo {
  const info = byName.get(name);
  if (!info) throw new Error(`unknown resource ${name}`);
  return info;
}

export function isResourceName(value: string): value is ResourceName {
  return byName.has(value);
}

/** `apps/v1` or `v1` for the core group. */
export function groupVersion(info: Pick<ResourceInfo, 'group' | 'version'>): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

/** Path of a list: cluster-wide, or within one namespace for namespaced kinds. */
export function listPath(info: ResourceInfo, namespace?: string): string {
  const base = info.group === '' ? `/api/${info.version}` : `/apis/${info.group}/${info.version}`;
  if (info.namespaced && namespace !== undefined) return `${base}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`;
  return `${base}/${info.plural}`;
}

/** Path of one object. */
export function objectPath(info: ResourceInfo, name: string, namespace?: string): string {
  return `${listPath(info, info.namespaced ? namespace : undefined)}/${encodeURIComponent(name)}`;
}

/** Human form used in `missing permission: list secrets` and `kubectl auth can-i`. */
export function rbacResource(info: ResourceInfo): string {
  return info.group === '' ? info.plural : `${info.plural}.${info.group}`;
}

const byGroupKind = new Map<string, ResourceInfo>(RESOURCES.map((r) => [`${r.group}/${r.kind}`, r as ResourceInfo]));

/** The resource an object belongs to, from its apiVersion and kind (any served version of the group). */
export function resourceForObject(apiVersion: string | undefined, kind: string | undefined): ResourceInfo | undefined {
  if (!apiVersion || !kind) return undefined;
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return byGroupKind.get(`${group}/${kind}`);
}
