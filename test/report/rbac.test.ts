/**
 * `4c-tui rbac`: the least-privilege role is generated from the checks' declared needs, and
 * it is enough — the demo cluster served by an RBAC-enforcing API server whose user holds
 * exactly the generated roles scans with no `unable` caused by a missing permission.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CHECKS } from '../../checks/index.js';
import { demoCluster, DEMO_VERSION } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { isResourceName, resourceInfo, type ResourceName } from '../../src/engine/resources.js';
import { rbacPlan, type RoleObject } from '../../src/rbac-role.js';
import type { ScanReport } from '../../src/report/json.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { rbacAuthorizer } from '../../src/server/rbac.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), '4c-rbac-'));
const env = { XDG_CONFIG_HOME: join(dir, 'config') };

describe('rbacAuthorizer (the RBAC-enforcing mode of the embedded server)', () => {
  const allow = rbacAuthorizer([
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' }, rules: [
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] },
      { apiGroups: [''], resources: ['*'], verbs: ['get'] },
      { nonResourceURLs: ['/version', '/apis/*'], verbs: ['get'] },
    ] } as K8sObject,
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'kube-system' }, rules: [
      { apiGroups: [''], resources: ['configmaps'], resourceNames: ['kube-proxy'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list'] },
    ] } as K8sObject,
  ]);

  it('matches verbs, groups, resources, names and namespaces like the Kubernetes RBAC authorizer', () => {
    expect(allow({ verb: 'list', group: 'apps', resource: 'deployments' })).toBe(true);
    expect(allow({ verb: 'get', group: 'apps', resource: 'deployments', namespace: 'a', name: 'x' })).toBe(false);
    expect(allow({ verb: 'list', group: '', resource: 'deployments' })).toBe(false);
    expect(allow({ verb: 'get', group: '', resource: 'pods', namespace: 'a', name: 'p' })).toBe(true);
    expect(allow({ verb: 'get', group: '', resource: 'configmaps', namespace: 'kube-system', name: 'kube-proxy' })).toBe(true);
    expect(allow({ verb: 'list', group: '', resource: 'configmaps', namespace: 'kube-system' })).toBe(false);
    // A Role grants only in its namespace, never cluster-wide.
    expect(allow({ verb: 'list', group: '', resource: 'secrets', namespace: 'kube-system' })).toBe(true);
    expect(allow({ verb: 'list', group: '', resource: 'secrets', namespace: 'default' })).toBe(false);
    expect(allow({ verb: 'list', group: '', resource: 'secrets' })).toBe(false);
    expect(allow({ verb: 'get', path: '/version' })).toBe(true);
    expect(allow({ verb: 'get', path: '/apis/apps/v1' })).toBe(true);
    expect(allow({ verb: 'get', path: '/apis' })).toBe(false);
    expect(allow({ verb: 'get', path: '/api' })).toBe(false);
  });
});

describe('4c-tui rbac', () => {
  const plan = rbacPlan();
  const allNeeds = new Set(CHECKS.flatMap((c) => [...c.needs, ...(c.optionalNeeds ?? [])]));
  const resourceNeeds = [...allNeeds].filter(isResourceName).map((n) => resourceInfo(n as ResourceName));
  const granted = (roles: readonly RoleObject[]) => new Set(roles.flatMap((r) => r.rules.flatMap((rule) => (rule.resources ?? []).flatMap((res) => (rule.apiGroups ?? []).map((g) => `${g}/${res}`)))));

  it('prints the base ClusterRole, the Roles for single ConfigMaps and the opt-ins as YAML documents', async () => {
    const run = await runCli(['rbac']);
    expect(run.code).toBe(0);
    const docs = parseAllDocuments(run.stdout) as ReturnType<typeof parseAllDocuments> & unknown[];
    const objects = docs.map((d) => (d as { toJS(): RoleObject }).toJS());
    expect(objects).toEqual([plan.reader, ...plan.namespaced, ...plan.optIns.map((o) => o.role)]);
    for (const o of plan.optIns) {
      expect(run.stdout).toContain(`# OPT-IN: ${o.role.metadata.name}`);
      expect(run.stdout).toContain(`# WARNING: ${o.warning}`);
    }
    expect(plan.optIns.map((o) => o.role.metadata.name)).toContain('4c-tui-reader-secrets-metadata');
  });

  it('is derived from every need the checks declare: read-only, no Secrets or ConfigMap lists in the base role', () => {
    const base = granted([plan.reader]);
    const optIn = granted(plan.optIns.map((o) => o.role));
    for (const info of resourceNeeds) {
      const id = `${info.group}/${info.plural}`;
      expect(base.has(id) !== optIn.has(id), `${id} must be in exactly one role`).toBe(true);
    }
    // Nothing beyond what some check needs.
    expect([...base, ...optIn].sort()).toEqual(resourceNeeds.map((r) => `${r.group}/${r.plural}`).sort());
    expect(base.has('/secrets')).toBe(false);
    expect(base.has('/configmaps')).toBe(false);
    const rules = [plan.reader, ...plan.namespaced, ...plan.optIns.map((o) => o.role)].flatMap((r) => r.rules);
    for (const rule of rules) for (const verb of rule.verbs) expect(['get', 'list']).toContain(verb);
    for (const rule of rules) expect([...(rule.resources ?? []), ...(rule.apiGroups ?? [])]).not.toContain('*');
    // Single ConfigMaps by name; no list of every ConfigMap outside the opt-in.
    for (const r of plan.namespaced) for (const rule of r.rules) expect(rule).toMatchObject({ resources: ['configmaps'], resourceNames: expect.any(Array), verbs: ['get'] });
    if (allNeeds.has('cluster-info')) expect(plan.namespaced.find((r) => r.metadata.namespace === 'kube-public')?.rules[0]?.resourceNames).toEqual(['cluster-info']);
    expect(plan.reader.rules.at(-1)).toEqual({ nonResourceURLs: ['/version', '/apis'], verbs: ['get'] });
  });

  it('rejects a role name RBAC would not accept', async () => {
    const run = await runCli(['rbac', '--name', 'Bad Name']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--name must be a lower-case RBAC name/);
  });
});

describe('scanning the demo cluster with exactly the generated permissions', () => {
  const plan = rbacPlan();
  const optInResources = new Set(plan.optIns.flatMap((o) => o.role.rules.flatMap((r) => r.resources ?? [])));
  const optIn = new RegExp(`(${[...optInResources].join('|')})`);
  let server: ApiServer | undefined;
  afterAll(async () => server?.close());

  /** Serves the demo cluster to a user holding exactly `roles`, and scans every check. */
  async function scanWith(roles: readonly RoleObject[], flags: readonly string[] = []) {
    await server?.close();
    server = await startApiServer({ objects: demoCluster(), tls: true, token: 'rbac-test-token', version: DEMO_VERSION, rbac: roles as unknown as K8sObject[] });
    const kubeconfig = join(dir, 'kubeconfig.yaml');
    await server.writeKubeconfig(kubeconfig);
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none', ...flags], env);
    expect(run.code, run.stderr).toBe(0);
    return { report: JSON.parse(run.stdout) as ScanReport, stderr: run.stderr, requests: server.requests };
  }

  it('base and opt-in roles: no check is unable for a missing permission, and nothing is refused', async () => {
    // With every opt-in granted and used (ConfigMap contents are read only when asked for).
    const { report, stderr, requests } = await scanWith([plan.reader, ...plan.namespaced, ...plan.optIns.map((o) => o.role)], ['--scan-configmaps']);
    expect(requests.some((r) => r.path === '/api/v1/configmaps' && r.status === 200)).toBe(true);
    expect(report.checks.filter((c) => c.reason?.includes('missing permission'))).toEqual([]);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(stderr).not.toContain('missing permission');
    expect(requests.filter((r) => r.status === 403)).toEqual([]);
    expect(requests.some((r) => r.path === '/api/v1/namespaces/kube-system/configmaps/kubelet-config')).toBe(true);
  }, 60_000);

  it('base roles only: just the checks that require an opt-in (Secrets, ConfigMap contents) miss a permission', async () => {
    const { report, stderr, requests } = await scanWith([plan.reader, ...plan.namespaced]);
    const needsOptIn = CHECKS.filter((c) => c.needs.some((n) => isResourceName(n) && optInResources.has(resourceInfo(n).plural))).map((c) => c.id);
    const missing = report.checks.filter((c) => c.reason?.includes('missing permission'));
    expect(missing.map((c) => c.id).sort()).toEqual(needsOptIn.sort());
    for (const c of missing) expect(c.reason).toMatch(new RegExp(`missing permission: list ${optIn.source}`));
    const denied = requests.filter((r) => r.status === 403);
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) expect(r.path).toMatch(new RegExp(`/${optIn.source}$`));
    for (const line of stderr.split('\n').filter((l) => l.includes('missing permission'))) expect(line).toMatch(optIn);
  }, 60_000);

  it('the enforcement is real: without the rule for pods, the pod checks are unable', async () => {
    const reader = { ...plan.reader, rules: plan.reader.rules.map((r) => (r.resources?.includes('pods') ? { ...r, resources: r.resources.filter((x) => x !== 'pods') } : r)) };
    const { report, requests } = await scanWith([reader, ...plan.namespaced, ...plan.optIns.map((o) => o.role)]);
    expect(requests.some((r) => r.path === '/api/v1/pods' && r.status === 403)).toBe(true);
    const podChecks = CHECKS.filter((c) => c.needs.includes('pods')).map((c) => c.id);
    expect(podChecks.length).toBeGreaterThan(0);
    for (const id of podChecks) expect(report.checks.find((c) => c.id === id)).toMatchObject({ status: 'unable', reason: 'missing permission: list pods' });
  }, 60_000);
});
