import { describeWorkload, evidence, findings, visitWorkloads, WORKLOAD_OWNERS, workloadPatchCommand, workloadSubject } from '../../src/engine/helpers.js';
import type { Ingress, K8sObject, Service } from '../../src/engine/k8s.js';
import { canICommand, describeBinding, RbacIndex } from '../../src/engine/rbac.js';
import { describeRisk, grantRisks, isSevere, podSecurityUnenforced, podServiceAccount, rulePath, serviceAccountGrants, type GrantRisk } from '../../src/engine/rbac-risk.js';
import { ref } from '../../src/engine/references.js';
import { command } from '../../src/engine/shell.js';
import type { Check, Evidence, Severity } from '../../src/engine/types.js';
import { internalAnnotation } from '../cloud/loadbalancer-unrestricted-source.js';

interface ServiceAccount extends K8sObject {
  readonly automountServiceAccountToken?: boolean;
}

interface BackendRef { readonly group?: string; readonly kind?: string; readonly name?: string; readonly namespace?: string }
interface HttpRoute extends K8sObject {
  readonly spec?: { readonly parentRefs?: readonly unknown[]; readonly rules?: readonly { readonly backendRefs?: readonly BackendRef[] }[] };
}
interface IngressBackend { readonly service?: { readonly name?: string } }
interface IngressSpec {
  readonly defaultBackend?: IngressBackend;
  readonly rules?: readonly { readonly http?: { readonly paths?: readonly { readonly backend?: IngressBackend }[] } }[];
}

/**
 * Namespaced grants in kube-system count as cluster-wide: whoever can read its Secrets, run
 * pods or exec there can act as the controllers' service accounts.
 */
const CLUSTER_EQUIVALENT_NAMESPACES = new Set(['kube-system']);

/** A Service whose selector matches the pod labels (no selector = manual endpoints: not resolvable). */
function selects(svc: Service, labels: Readonly<Record<string, string>>): boolean {
  const selector = Object.entries(svc.spec?.selector ?? {});
  return selector.length > 0 && selector.every(([k, v]) => labels[k] === v);
}

/** Services of the namespace that reach the pod, and what publishes them outside the cluster. */
function exposure(services: readonly Service[], ingresses: readonly Ingress[], routes: readonly HttpRoute[], ns: string, labels: Readonly<Record<string, string>>): { text: string; ev: Evidence[] } | undefined {
  const selecting = services.filter((s) => s.metadata?.namespace === ns && selects(s, labels));
  if (selecting.length === 0) return undefined;
  const names = new Set(selecting.map((s) => s.metadata?.name ?? ''));
  for (const svc of selecting) {
    const type = svc.spec?.type ?? 'ClusterIP';
    const name = svc.metadata?.name ?? '';
    if (type === 'NodePort' || (type === 'LoadBalancer' && !internalAnnotation(svc.metadata?.annotations ?? {}))) {
      return { text: `Service "${ns}/${name}" (type ${type})`, ev: [evidence(`services[namespace=${ns},name=${name}].spec.type`, type)] };
    }
  }
  for (const ing of ingresses) {
    if (ing.metadata?.namespace !== ns) continue;
    const spec = ing.spec as IngressSpec | undefined;
    const backends = [spec?.defaultBackend, ...(spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend))];
    const hit = backends.find((b) => names.has(b?.service?.name ?? ''))?.service?.name;
    if (hit) {
      const name = ing.metadata?.name ?? '';
      return { text: `Ingress "${ns}/${name}" → Service "${ns}/${hit}"`, ev: [evidence(`ingresses[namespace=${ns},name=${name}].backend.service.name`, hit)] };
    }
  }
  for (const route of routes) {
    if ((route.spec?.parentRefs ?? []).length === 0) continue;
    const routeNs = route.metadata?.namespace ?? '';
    const hit = (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? [])
      .find((b) => (b.kind ?? 'Service') === 'Service' && (b.group ?? '') === '' && (b.namespace ?? routeNs) === ns && names.has(b.name ?? ''));
    if (hit) {
      const name = route.metadata?.name ?? '';
      return { text: `HTTPRoute "${routeNs}/${name}" → Service "${ns}/${hit.name ?? ''}"`, ev: [evidence(`httproutes[namespace=${routeNs},name=${name}].spec.rules[].backendRefs[].name`, hit.name ?? '')] };
    }
  }
  return undefined;
}

export const check: Check = {
  id: 'cluster/workload-privileged-service-account',
  layer: 'cluster',
  title: 'Workload runs with a highly privileged service account',
  severity: 'high',
  description:
    'Inspects the service account of each workload and its RBAC grants (directly, by its user name, and through system:serviceaccounts, ' +
    'system:serviceaccounts:<namespace> and system:authenticated). Fails (high) when the account holds a cluster-wide permission the cluster/rbac-* ' +
    'rows rate critical or high, graded as those checks grade them: cluster-admin equivalent, wildcard resources, list/watch secrets, creating pods or ' +
    'controllers where a namespace does not enforce Pod Security, exec/attach/' +
    'port-forward, escalate/bind/impersonate, RBAC writes, nodes/proxy, admission webhook writes, minting tokens, approving CSRs (grants in ' +
    'kube-system count as cluster-wide). Critical when a NodePort or non-internal LoadBalancer Service, an Ingress or an HTTPRoute reaches the ' +
    'workload; info in system namespaces; low (warning) when the token is not mounted.',
  remediation: 'Give the workload its own service account with namespace-scoped minimal roles, and disable token automounting where it does not call the API.',
  references: [ref.kubescape('C-0267'), ref.kubescape('C-0272'), ref.nsa('Protecting Pod service account tokens')],
  needs: ['pods', 'clusterrolebindings', 'clusterroles', 'rolebindings', 'roles'],
  optionalNeeds: ['serviceaccounts', 'services', 'ingresses', 'httproutes', 'version', 'namespaces', ...WORKLOAD_OWNERS],
  evaluate: (snapshot) => {
    const index = RbacIndex.of(snapshot);
    const accounts = new Map(snapshot.list<ServiceAccount>('serviceaccounts').map((s) => [`${s.metadata?.namespace ?? ''}/${s.metadata?.name ?? ''}`, s]));
    const services = snapshot.list<Service>('services');
    const ingresses = snapshot.list<Ingress>('ingresses');
    const routes = snapshot.list<HttpRoute>('httproutes');
    const risksOf = new Map<string, GrantRisk[]>();
    // Graded as the cluster/rbac-* checks grade them (creating pods: high only where Pod Security is not enforced).
    const riskOptions = { version: snapshot.version, clusterEquivalentNamespaces: CLUSTER_EQUIVALENT_NAMESPACES, podSecurityUnenforced: podSecurityUnenforced(snapshot) };

    const drafts = visitWorkloads(snapshot, (w, rev) => {
      const ns = w.namespace;
      const sa = podServiceAccount(rev.spec);
      const key = `${ns}/${sa}`;
      let risks = risksOf.get(key);
      if (!risks) {
        risks = grantRisks(serviceAccountGrants(index, ns, sa), riskOptions)
          .filter((r) => isSevere(r) && (r.grant.namespace === undefined || CLUSTER_EQUIVALENT_NAMESPACES.has(r.grant.namespace)));
        risksOf.set(key, risks);
      }
      if (risks.length === 0) return [];

      const automount = rev.spec.automountServiceAccountToken ?? accounts.get(key)?.automountServiceAccountToken ?? true;
      const system = snapshot.isSystemNamespace(ns);
      const exposed = automount && !system ? exposure(services, ingresses, routes, ns, rev.meta.labels ?? {}) : undefined;
      const severity: Severity = system ? 'info' : !automount ? 'low' : exposed ? 'critical' : 'high';
      const shown = risks.slice(0, 3).map(describeRisk).join('; ') + (risks.length > 3 ? `; and ${risks.length - 3} more` : '');
      const tail = !automount
        ? ': its token is not mounted (automountServiceAccountToken: false), but anyone who can run pods as this account gets these rights'
        : exposed
          ? `, and it is reachable from outside the cluster through ${exposed.text}: code execution in the pod takes over the cluster`
          : `: code execution in the pod takes over the cluster${system || snapshot.has('services') ? '' : ' (exposure not checked: Services could not be read)'}`;
      const bindings = [...new Map(risks.map((r) => [describeBinding(r.grant.binding), r.grant.binding])).values()];
      return [{
        subject: workloadSubject(w),
        severity,
        ...(automount ? {} : { status: 'warn' as const }),
        message: `${describeWorkload(w)} runs as ServiceAccount "${key}", which can ${shown}${tail}`,
        evidence: [
          evidence(`${w.specPath}.serviceAccountName`, rev.spec.serviceAccountName ?? '(unset: default)'),
          ...risks.slice(0, 6).map((r) => evidence(rulePath(r.grant), r.what)),
          ...(exposed?.ev ?? []),
        ],
        remediation: {
          why: 'Whoever runs code in this pod (an application bug, a compromised dependency) can use its token with these cluster-wide rights.',
          fix: 'Give the workload a dedicated service account with a Role limited to its namespace and the verbs it uses, remove the broad bindings, and stop mounting the token if it does not call the API.',
          command: [
            '# what the account can do today',
            canICommand({ kind: 'ServiceAccount', name: sa, namespace: ns }),
            '# the bindings that grant it',
            ...bindings.map((b) => (b.kind === 'RoleBinding'
              ? command`kubectl -n ${b.namespace ?? ''} get rolebinding ${b.name} -o yaml`
              : command`kubectl get clusterrolebinding ${b.name} -o yaml`)),
            ...(automount ? ['# if the workload does not call the API', workloadPatchCommand(w, { automountServiceAccountToken: false })] : []),
          ].join('\n'),
        },
      }];
    });
    return findings(drafts, 'no workload runs with a service account holding cluster-wide critical or high permissions');
  },
};
