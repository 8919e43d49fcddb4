/**
 * RBAC object builders and the rule sets they share.
 */
import type { K8sObject, PolicyRule, Subject } from '../engine/k8s.js';
import type { DemoContext, Labels } from './context.js';
import { meta } from './pods.js';

const RBAC = 'rbac.authorization.k8s.io/v1';

export interface RbacOptions {
  readonly labels?: Labels;
  readonly annotations?: Labels;
  readonly createdMs?: number;
}

/** Labels and annotation the API server puts on the roles and bindings it bootstraps. */
export const BOOTSTRAP: RbacOptions = {
  labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' },
  annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' },
};

function metaOf(ctx: DemoContext, name: string, namespace: string | undefined, o: RbacOptions) {
  return meta(ctx, {
    name,
    ...(namespace !== undefined && { namespace }),
    createdMs: o.createdMs ?? ctx.agoMs(30, 300),
    ...(o.labels && { labels: o.labels }),
    ...(o.annotations && { annotations: o.annotations }),
  });
}

export function clusterRole(ctx: DemoContext, name: string, rules: readonly PolicyRule[], o: RbacOptions & { aggregateFrom?: Labels } = {}): K8sObject {
  return ctx.add({
    apiVersion: RBAC,
    kind: 'ClusterRole',
    metadata: metaOf(ctx, name, undefined, o),
    ...(o.aggregateFrom && { aggregationRule: { clusterRoleSelectors: [{ matchLabels: o.aggregateFrom }] } }),
    rules: rules.map((r) => ({ ...r })),
  });
}

export function role(ctx: DemoContext, namespace: string, name: string, rules: readonly PolicyRule[], o: RbacOptions = {}): K8sObject {
  return ctx.add({ apiVersion: RBAC, kind: 'Role', metadata: metaOf(ctx, name, namespace, o), rules: rules.map((r) => ({ ...r })) });
}

export function clusterRoleBinding(ctx: DemoContext, name: string, roleName: string, subjects: readonly Subject[], o: RbacOptions = {}): K8sObject {
  return ctx.add({
    apiVersion: RBAC,
    kind: 'ClusterRoleBinding',
    metadata: metaOf(ctx, name, undefined, o),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: subjects.map((s) => ({ ...s })),
  });
}

export function roleBinding(
  ctx: DemoContext,
  namespace: string,
  name: string,
  roleRef: { readonly kind: 'Role' | 'ClusterRole'; readonly name: string },
  subjects: readonly Subject[],
  o: RbacOptions = {},
): K8sObject {
  return ctx.add({
    apiVersion: RBAC,
    kind: 'RoleBinding',
    metadata: metaOf(ctx, name, namespace, o),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef },
    subjects: subjects.map((s) => ({ ...s })),
  });
}

// ---------------------------------------------------------------------------- subjects

export const sa = (namespace: string, name: string): Subject => ({ kind: 'ServiceAccount', name, namespace });
export const user = (name: string): Subject => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
export const group = (name: string): Subject => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });

// ---------------------------------------------------------------------------- rule shorthands

export const READ = ['get', 'list', 'watch'];
export const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
export const rule = (apiGroups: readonly string[], resources: readonly string[], verbs: readonly string[]): PolicyRule => ({
  apiGroups: [...apiGroups],
  resources: [...resources],
  verbs: [...verbs],
});
export const urls = (nonResourceURLs: readonly string[], verbs: readonly string[] = ['get']): PolicyRule => ({
  nonResourceURLs: [...nonResourceURLs],
  verbs: [...verbs],
});
