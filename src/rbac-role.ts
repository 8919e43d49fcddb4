/**
 * `4c-tui rbac`: the least-privilege, read-only RBAC the checks need, generated from what
 * each check declares (`needs` + `optionalNeeds`) — never a hand-kept list — mapped to API
 * resources through src/engine/resources.ts and to requests as src/cluster/collect.ts makes
 * them:
 *
 * - a resource need → `get`, `list` on that resource (the collector lists; `get` exposes
 *   nothing a list does not, and lets the holder look at one object with kubectl);
 * - `version` and every cluster scan → GET `/version`; a resource outside the core group →
 *   GET `/apis` (discovery of served groups);
 * - `system-configmaps` → `get` on the named ConfigMaps only (`resourceNames`), one Role per
 *   namespace; `cluster-info` → `get` on kube-public/cluster-info;
 * - Secrets (listed as metadata only) and ConfigMap contents → separate, opt-in ClusterRoles
 *   with a warning: RBAC has no metadata-only verb, so `list secrets` could read values.
 *
 * `kubeconfig` and `files` are local and need no permission.
 */
import { Document, isScalar, visit } from 'yaml';
import { CHECKS } from '../checks/index.js';
import { isResourceName, RESOURCES, resourceInfo, type ResourceInfo, type ResourceName } from './engine/resources.js';
import { SYSTEM_CONFIGMAPS } from './engine/snapshot.js';
import type { Check, DataNeed } from './engine/types.js';
import { UserError } from './errors.js';

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

export interface RoleObject {
  readonly apiVersion: 'rbac.authorization.k8s.io/v1';
  readonly kind: 'ClusterRole' | 'Role';
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels: Readonly<Record<string, string>> };
  readonly rules: readonly PolicyRule[];
}

export interface OptInRole {
  readonly role: RoleObject;
  /** One line: what the grant exposes beyond what 4c-tui reads. */
  readonly warning: string;
  /** Checks that read it (required or optional). */
  readonly checks: readonly string[];
}

export interface RbacPlan {
  /** The base ClusterRole. */
  readonly reader: RoleObject;
  /** Roles for single objects (D-CM-SYS, cluster-info), one per namespace. */
  readonly namespaced: readonly RoleObject[];
  readonly optIns: readonly OptInRole[];
}

const READ = ['get', 'list'] as const;
const LABELS = { 'app.kubernetes.io/name': '4c-tui', 'app.kubernetes.io/component': 'read-only-scanner' } as const;

interface OptInSpec {
  readonly suffix: string;
  readonly warning: string;
}

/** Resources whose read exposes more than the checks use: granted only by a separate role. */
function optInOf(info: ResourceInfo): OptInSpec | undefined {
  if (info.metadataOnly) {
    return {
      suffix: `${info.plural}-metadata`,
      warning: `RBAC has no metadata-only permission: this grant can read the value of every ${info.kind}. 4c-tui itself lists ${info.plural} as metadata only (PartialObjectMetadataList), so values never reach it. Bind it only if you accept that exposure.`,
    };
  }
  if (info.name === 'configmaps') {
    return {
      suffix: 'configmap-contents',
      warning: 'this grant reads every ConfigMap in every namespace, including data that may be sensitive. 4c-tui lists them only when asked to (scan --scan-configmaps); bind it only for those content checks.',
    };
  }
  return undefined;
}

const VALID_NAME = /^[a-z0-9]([-a-z0-9.]{0,200}[a-z0-9])?$/;

function role(kind: RoleObject['kind'], name: string, rules: readonly PolicyRule[], namespace?: string): RoleObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(namespace ? { namespace } : {}), labels: { ...LABELS } }, rules };
}

/** Rules granting `verbs` on `resources`, one rule per API group, in RESOURCES order. */
function resourceRules(resources: readonly ResourceInfo[], verbs: readonly string[]): PolicyRule[] {
  const byGroup = new Map<string, string[]>();
  for (const info of RESOURCES) {
    if (!resources.some((r) => r.name === info.name)) continue;
    const plurals = byGroup.get(info.group) ?? [];
    if (!plurals.includes(info.plural)) plurals.push(info.plural);
    byGroup.set(info.group, plurals);
  }
  return [...byGroup].map(([group, plurals]) => ({ apiGroups: [group], resources: plurals, verbs: [...verbs] }));
}

export function rbacPlan(checks: readonly Check[] = CHECKS, name = '4c-tui-reader'): RbacPlan {
  if (!VALID_NAME.test(name)) throw new UserError('usage', `--name must be a lower-case RBAC name (letters, digits, - and .), got "${name}"`);
  const needers = new Map<DataNeed, string[]>();
  for (const c of checks) {
    for (const need of [...c.needs, ...(c.optionalNeeds ?? [])]) needers.set(need, [...new Set([...(needers.get(need) ?? []), c.id])]);
  }
  const needs = [...needers.keys()];
  const resources = needs.filter(isResourceName).map((n) => resourceInfo(n as ResourceName));
  const base = resources.filter((r) => !optInOf(r));
  const cluster = needs.some((n) => n !== 'files' && n !== 'kubeconfig');

  const nonResource = [
    ...(cluster ? ['/version'] : []),
    ...(resources.some((r) => r.group !== '') ? ['/apis'] : []),
  ];
  const reader = role('ClusterRole', name, [
    ...resourceRules(base, READ),
    ...(nonResource.length ? [{ nonResourceURLs: nonResource, verbs: ['get'] }] : []),
  ]);

  // Single objects, read with `get` by name: one Role per namespace.
  const byNamespace = new Map<string, string[]>();
  const addObject = (namespace: string, object: string) => byNamespace.set(namespace, [...new Set([...(byNamespace.get(namespace) ?? []), object])]);
  if (needers.has('system-configmaps')) for (const [ns, cm] of SYSTEM_CONFIGMAPS) addObject(ns, cm);
  if (needers.has('cluster-info')) addObject('kube-public', 'cluster-info');
  const namespaced = [...byNamespace].map(([ns, names]) => role('Role', name, [{ apiGroups: [''], resources: ['configmaps'], resourceNames: names, verbs: ['get'] }], ns));

  const optIns = resources.flatMap((info): OptInRole[] => {
    const spec = optInOf(info);
    if (!spec) return [];
    // The collector only lists these (never get by name).
    return [{ role: role('ClusterRole', `${name}-${spec.suffix}`, resourceRules([info], ['list'])), warning: spec.warning, checks: needers.get(info.name) ?? [] }];
  });
  return { reader, namespaced, optIns };
}

/** YAML with lists of plain values in flow style (`verbs: [get, list]`), like hand-written RBAC. */
function stringify(value: object): string {
  const doc = new Document(value);
  visit(doc, { Seq(_, node) { if (node.items.every((i) => isScalar(i))) node.flow = true; } });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

function comment(lines: readonly string[]): string {
  return lines.map((l) => (l ? `# ${l}` : '#')).join('\n');
}

export function renderRbacYaml(checks: readonly Check[] = CHECKS, options: { name?: string } = {}): string {
  const plan = rbacPlan(checks, options.name);
  const name = plan.reader.metadata.name;
  const docs: string[] = [];
  docs.push(`${comment([
    `Read-only access for 4c-tui, generated by \`4c-tui rbac\` from the data the ${checks.length} checks declare.`,
    'Regenerate after upgrading 4c-tui rather than editing by hand. Only get/list, no watch, no writes.',
    'Bind it to the identity that runs 4c-tui, for example:',
    `  kubectl create clusterrolebinding ${name} --clusterrole=${name} --user=USER`,
    ...plan.namespaced.map((r) => `  kubectl -n ${r.metadata.namespace} create rolebinding ${name} --role=${name} --user=USER`),
    'A missing permission makes the checks that need it `unable` (never a false pass).',
  ])}\n${stringify(plan.reader)}`);
  for (const r of plan.namespaced) {
    docs.push(`${comment([`Single ConfigMaps in ${r.metadata.namespace}, read by name with get (never a list of every ConfigMap).`])}\n${stringify(r)}`);
  }
  for (const o of plan.optIns) {
    docs.push(`${comment([
      `OPT-IN: ${o.role.metadata.name} — not part of the base role.`,
      `WARNING: ${o.warning}`,
      `Needed by: ${o.checks.join(', ')} (without it they are unable or report less).`,
      `  kubectl create clusterrolebinding ${o.role.metadata.name} --clusterrole=${o.role.metadata.name} --user=USER`,
    ])}\n${stringify(o.role)}`);
  }
  return docs.join('---\n');
}
