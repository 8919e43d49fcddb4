import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import {
  compareLevels, labelCommand, namespacePssPolicy, pinnedVersion, pssReadiness, readinessAdvice, workloadsByNamespace,
} from '../../src/engine/pss-readiness.js';

const P = 'pod-security.kubernetes.io/';

function pod(name: string, ns: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}): K8sObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, ...extra }, spec, status: { phase: 'Running' } };
}

const restrictedSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'app', image: 'app:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
const baselineSpec = { containers: [{ name: 'app', image: 'app:1' }] };
const privilegedSpec = { containers: [{ name: 'app', image: 'app:1', securityContext: { privileged: true } }] };

function snapshot(objects: K8sObject[], minor = '33') {
  return snapshotFromObjects(objects, { version: { major: '1', minor, gitVersion: `v1.${minor}.0` } }).snapshot;
}

describe('namespacePssPolicy (PSA api.PolicyToEvaluate)', () => {
  it('defaults to privileged/latest for every mode', () => {
    const p = namespacePssPolicy({});
    expect([p.enforce, p.audit, p.warn].map((m) => `${m.level}:${m.version}`)).toEqual(['privileged:latest', 'privileged:latest', 'privileged:latest']);
    expect(p.errors).toEqual([]);
  });

  it('fails closed for an invalid enforce level and open for audit/warn', () => {
    const p = namespacePssPolicy({ [`${P}enforce`]: 'Restricted', [`${P}audit`]: 'strict', [`${P}warn`]: 'baseline ' });
    expect(p.enforce.level).toBe('restricted');
    expect(p.audit.level).toBe('privileged');
    expect(p.warn.level).toBe('privileged');
    expect(p.errors.map((e) => `${e.mode}:${e.kind}`)).toEqual(['enforce:level', 'audit:level', 'warn:level']);
  });

  it('reads an invalid version as latest', () => {
    const p = namespacePssPolicy({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: '1.30' });
    expect(p.enforce.version).toBe('latest');
    expect(p.errors).toEqual([{ mode: 'enforce', label: `${P}enforce-version`, value: '1.30', kind: 'version' }]);
  });

  it('lets warn inherit a stricter enforce level and its version unless warn-version is set', () => {
    const a = namespacePssPolicy({ [`${P}enforce`]: 'baseline', [`${P}enforce-version`]: 'v1.30' });
    expect(a.warn).toMatchObject({ level: 'baseline', version: 'v1.30', inherited: true });
    const b = namespacePssPolicy({ [`${P}enforce`]: 'restricted', [`${P}enforce-version`]: 'v1.30', [`${P}warn-version`]: 'v1.32' });
    expect(b.warn).toMatchObject({ level: 'restricted', version: 'v1.32' });
    const c = namespacePssPolicy({ [`${P}enforce`]: 'restricted', [`${P}warn`]: 'baseline' });
    expect(c.warn.level).toBe('baseline');
    expect(namespacePssPolicy({ [`${P}enforce`]: 'privileged' }).warn.inherited).toBeUndefined();
  });

  it('orders levels by strictness', () => {
    expect(compareLevels('restricted', 'baseline')).toBeGreaterThan(0);
    expect(compareLevels('privileged', 'baseline')).toBeLessThan(0);
  });
});

describe('pinnedVersion', () => {
  it('pins the cluster minor and evaluates at it', () => {
    expect(pinnedVersion(snapshot([]))).toMatchObject({ pin: 'v1.33', evaluated: 'v1.33', serverMinor: 33 });
  });
  it('caps evaluation at the evaluator and says so for a newer cluster', () => {
    const v = pinnedVersion(snapshot([], '40'));
    expect(v).toMatchObject({ pin: 'v1.40', evaluated: 'v1.37' });
    expect(v.note).toContain('evaluator older than cluster');
  });
  it('uses latest when the version is unknown', () => {
    const s = snapshotFromObjects([], { errors: { version: { code: 'forbidden', message: 'missing permission: get /version' } } }).snapshot;
    expect(pinnedVersion(s).pin).toBe('latest');
  });
});

describe('pssReadiness', () => {
  it('picks restricted when every workload meets it', () => {
    const s = snapshot([pod('a', 'web', restrictedSpec)]);
    const r = pssReadiness('web', workloadsByNamespace(s).get('web') ?? [], pinnedVersion(s));
    expect(r.safeLevel).toBe('restricted');
    const advice = readinessAdvice(r, namespacePssPolicy({}));
    expect(advice.command).toBe(`kubectl label --overwrite ns 'web' '${P}enforce=restricted' '${P}enforce-version=v1.33'`);
  });

  it('picks baseline and suggests warn/audit at restricted when restricted would reject', () => {
    const s = snapshot([pod('a', 'web', restrictedSpec), pod('b', 'web', baselineSpec)]);
    const r = pssReadiness('web', workloadsByNamespace(s).get('web') ?? [], pinnedVersion(s));
    expect(r.safeLevel).toBe('baseline');
    expect(r.rejected.restricted.map((v) => v.workload.name)).toEqual(['b']);
    const advice = readinessAdvice(r, namespacePssPolicy({}));
    expect(advice.summary).toContain('baseline is safe to enforce now (none of its 2 workloads would be rejected at v1.33); restricted would reject 1: Pod "web/b"');
    expect(advice.command.split('\n')[0]).toBe(`kubectl label --overwrite ns 'web' '${P}enforce=baseline' '${P}enforce-version=v1.33'`);
    expect(advice.command).toContain(`'${P}audit=restricted'`);
  });

  it('names the workloads baseline would reject and suggests warn/audit plus a server-side dry run', () => {
    const s = snapshot([pod('a', 'ops', privilegedSpec), pod('b', 'ops', baselineSpec)]);
    const r = pssReadiness('ops', workloadsByNamespace(s).get('ops') ?? [], pinnedVersion(s));
    expect(r.safeLevel).toBeUndefined();
    const advice = readinessAdvice(r, namespacePssPolicy({ [`${P}warn`]: 'restricted' }));
    expect(advice.summary).toBe('1 workload would be rejected at baseline: Pod "ops/a" (privileged)');
    const lines = advice.command.split('\n');
    // warn is already restricted: only audit is raised, never weakened.
    expect(lines).toContain(`kubectl label --overwrite ns 'ops' '${P}audit=baseline' '${P}audit-version=v1.33'`);
    expect(lines).toContain(`kubectl label --dry-run=server --overwrite ns 'ops' '${P}enforce=baseline' '${P}enforce-version=v1.33'`);
  });

  it('evaluates at the cluster minor: a probe host is only rejected from v1.34', () => {
    const spec = { containers: [{ name: 'p', image: 'p:1', livenessProbe: { tcpSocket: { host: '10.0.0.1', port: 80 } } }] };
    const old = snapshot([pod('a', 'x', spec)], '33');
    expect(pssReadiness('x', workloadsByNamespace(old).get('x') ?? [], pinnedVersion(old)).rejected.baseline).toHaveLength(0);
    const now = snapshot([pod('a', 'x', spec)], '34');
    expect(pssReadiness('x', workloadsByNamespace(now).get('x') ?? [], pinnedVersion(now)).rejected.baseline).toHaveLength(1);
  });

  it('counts an older revision that still runs', () => {
    const objects: K8sObject[] = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'w', uid: 'd1' }, spec: { template: { spec: baselineSpec } } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-1', namespace: 'w', uid: 'rs1', annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd1', controller: true }] } },
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'api-2', namespace: 'w', uid: 'rs2', annotations: { 'deployment.kubernetes.io/revision': '2' }, ownerReferences: [{ kind: 'Deployment', name: 'api', uid: 'd1', controller: true }] } },
      pod('api-1-a', 'w', privilegedSpec, { ownerReferences: [{ kind: 'ReplicaSet', name: 'api-1', uid: 'rs1', controller: true }] }),
      pod('api-2-a', 'w', baselineSpec, { ownerReferences: [{ kind: 'ReplicaSet', name: 'api-2', uid: 'rs2', controller: true }] }),
    ];
    const s = snapshot(objects);
    const r = pssReadiness('w', workloadsByNamespace(s).get('w') ?? [], pinnedVersion(s));
    expect(r.rejected.baseline).toHaveLength(1);
    expect(r.rejected.baseline[0]?.olderRevisionOnly).toBe(true);
  });

  it('has nothing to reject in an empty namespace', () => {
    const s = snapshot([]);
    const r = pssReadiness('empty', [], pinnedVersion(s));
    expect(r.safeLevel).toBe('restricted');
    expect(readinessAdvice(r, namespacePssPolicy({})).summary).toBe('no workloads run, so restricted is safe to enforce now');
  });
});

describe('labelCommand', () => {
  it('quotes a hostile namespace name as one word', () => {
    expect(labelCommand("x'; rm -rf ~", [['enforce', 'baseline']], 'v1.33')).toBe(`kubectl label --overwrite ns 'x'\\''; rm -rf ~' '${P}enforce=baseline' '${P}enforce-version=v1.33'`);
  });
});
