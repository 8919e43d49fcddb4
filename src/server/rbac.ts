/**
 * An RBAC authorizer for the embedded API server (tests): the token's user holds exactly the
 * rules of the given Roles and ClusterRoles, as if each were bound to it (a ClusterRole
 * cluster-wide, a Role in its namespace). Matching follows the Kubernetes RBAC authorizer
 * (CHECKS.md §1.8): apiGroups / resources / verbs with `*`, `resourceNames` only for requests
 * that name an object, nonResourceURLs exact or by a trailing `*` prefix.
 */
import type { K8sObject } from '../engine/k8s.js';

export interface RbacRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs?: readonly string[];
}

export type AuthorizationRequest =
  | { readonly verb: string; readonly group: string; readonly resource: string; readonly namespace?: string; readonly name?: string }
  | { readonly verb: string; readonly path: string };

export type Authorizer = (request: AuthorizationRequest) => boolean;

const has = (list: readonly string[] | undefined, value: string) => (list ?? []).some((v) => v === '*' || v === value);

function allowsResource(rule: RbacRule, r: Extract<AuthorizationRequest, { resource: string }>): boolean {
  if (!has(rule.verbs, r.verb) || !has(rule.apiGroups, r.group) || !has(rule.resources, r.resource)) return false;
  if (rule.resourceNames?.length) return r.name !== undefined && rule.resourceNames.includes(r.name);
  return true;
}

function allowsPath(rule: RbacRule, r: Extract<AuthorizationRequest, { path: string }>): boolean {
  if (!has(rule.verbs, r.verb)) return false;
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === r.path || (u.endsWith('*') && r.path.startsWith(u.slice(0, -1))));
}

/** Roles and ClusterRoles (other objects are ignored). */
export function rbacAuthorizer(roles: readonly K8sObject[]): Authorizer {
  const clusterRules: RbacRule[] = [];
  const namespaceRules = new Map<string, RbacRule[]>();
  for (const r of roles) {
    const rules = ((r as { rules?: RbacRule[] }).rules ?? []);
    if (r.kind === 'ClusterRole') clusterRules.push(...rules);
    else if (r.kind === 'Role' && r.metadata?.namespace) {
      namespaceRules.set(r.metadata.namespace, [...(namespaceRules.get(r.metadata.namespace) ?? []), ...rules]);
    }
  }
  return (request) => {
    if ('path' in request) return clusterRules.some((rule) => allowsPath(rule, request));
    if (clusterRules.some((rule) => allowsResource(rule, request))) return true;
    // Role rules (and non-resource URLs) never apply to cluster-wide requests.
    return request.namespace !== undefined && (namespaceRules.get(request.namespace) ?? []).some((rule) => allowsResource(rule, request));
  };
}
