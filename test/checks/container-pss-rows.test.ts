/**
 * The PSS-derived container rows (CHECKS.md §4): policy-version selection, scope of node agents in
 * system namespaces, and the attribution details that FixtureExpect cannot state (patch bodies,
 * evidence paths, one finding per workload).
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { evaluatePod } from '../../src/engine/pss/index.js';
import { attributePss, pssPolicy } from '../../src/engine/pss-rows.js';
import { runCheck } from '../../src/engine/run.js';
import type { ClusterVersion } from '../../src/engine/snapshot.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';

const byId = (id: string) => {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return check;
};
const fixture = (id: string, name: string) => loadFixture(id, `${new URL('../fixtures/', import.meta.url).pathname}${id}/${name}`);
const run = (id: string, name: string) => runCheck(byId(id), fixture(id, name).snapshot);

const PSS_ROWS = [
  'container/windows-host-process', 'container/added-capabilities', 'container/capabilities-not-dropped', 'container/hostpath-volume',
  'container/host-ports', 'container/probe-or-lifecycle-host', 'container/apparmor-overridden', 'container/selinux-custom-options',
  'container/unmasked-proc-mount', 'container/seccomp-unconfined', 'container/seccomp-not-set', 'container/unsafe-sysctls',
  'container/restricted-volume-types', 'container/privilege-escalation-allowed', 'container/run-as-non-root-not-enforced',
];

describe('pssPolicy (§6.1: newest known, capped at the cluster minor)', () => {
  const at = (version?: ClusterVersion) => pssPolicy(snapshotFromObjects([], version ? { version } : {}).snapshot).version;
  it.each([
    [{ major: '1', minor: '33', gitVersion: 'v1.33.4' }, 'v1.33'],
    [{ major: '1', minor: '28+', gitVersion: 'v1.28.15-eks-1' }, 'v1.28'],
    [{ major: '1', minor: '40', gitVersion: 'v1.40.0' }, 'v1.37'],
    [undefined, 'v1.37'],
  ] as const)('%o → %s', (version, expected) => expect(at(version)).toBe(expected));
});

describe('node agents in system namespaces', () => {
  const cases = PSS_ROWS.flatMap((id) => (allFixtures().get(id) ?? [])
    .filter((f) => f.endsWith('fail-system-namespace-daemonset.yaml'))
    .map((f) => [id, f.slice(f.lastIndexOf('/') + 1)] as const));
  it('exist for several rows', () => expect(cases.length).toBeGreaterThanOrEqual(5));
  it.each(cases)('%s %s: reported once, scope system', (id, name) => {
    const { findings } = run(id, name);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.scope).toBe('system');
  });
  it('application namespaces stay scope workload', () => {
    expect(run('container/windows-host-process', 'fail-pod-level-daemonset.yaml').findings.map((f) => f.scope)).toEqual(['workload']);
  });
});

describe('decision agrees with the evaluator on every fixture', () => {
  // Each row's status is fail exactly when PSA (at the fixture's policy version) denies some
  // workload for the row's check — except the documented hand-offs (sensitive hostPath, hostPath in restrictedVolumes).
  it('every fail fixture of a PSS row is a pod PSA denies at restricted', () => {
    for (const id of PSS_ROWS) {
      for (const file of (allFixtures().get(id) ?? []).filter((f) => /\/fail-/.test(f))) {
        const { snapshot } = loadFixture(id, file);
        const policy = pssPolicy(snapshot);
        const denied = snapshot.workloads().some((w) => w.revisions.some((r) => !evaluatePod(r.meta, r.spec, 'restricted', policy.version).allowed));
        expect(denied, `${id} ${file}`).toBe(true);
      }
    }
  });
});

describe('attribution details', () => {
  it('added-capabilities keeps baseline capabilities with their spelling fixed (trap 8)', () => {
    const { findings } = run('container/added-capabilities', 'fail-spelling-init-ephemeral.yaml');
    const init = findings.find((f) => f.subject.container === 'init');
    expect(init?.severity).toBe('high');
    expect(init?.remediation.command).toContain('"initContainers":[{"name":"init","securityContext":{"capabilities":{"add":["CHOWN","NET_BIND_SERVICE"]}}}]');
    expect(init?.message).toContain('"net_bind_service" → "NET_BIND_SERVICE"');
    expect(findings.find((f) => f.subject.container === 'debugger')?.severity).toBe('critical');
  });

  it('host-ports removes hostPorts by JSON patch, highest index first', () => {
    const [finding] = run('container/host-ports', 'fail-deployment-host-ports.yaml').findings;
    expect(finding?.remediation.command).toContain(
      `--type=json -p '[{"op":"remove","path":"/spec/template/spec/containers/0/ports/2/hostPort"},{"op":"remove","path":"/spec/template/spec/containers/0/ports/0/hostPort"}]'`);
    expect(finding?.evidence.map((e) => e.path)).toEqual([
      'spec.template.spec.containers[name=controller].ports[0].hostPort', 'spec.template.spec.containers[name=controller].ports[2].hostPort']);
  });

  it('hostpath-volume never reports a volume that sensitive-hostpath-mount reports', () => {
    const id = 'container/hostpath-volume';
    const name = 'fail-non-sensitive-paths.yaml';
    const ours = run(id, name).findings.flatMap((f) => f.evidence.filter((e) => e.path.endsWith('.hostPath.path')).map((e) => e.value));
    const sensitive = runCheck(byId('container/sensitive-hostpath-mount'), fixture(id, name).snapshot).findings
      .flatMap((f) => f.evidence.filter((e) => e.path.endsWith('.hostPath.path')).map((e) => e.value));
    expect(ours.sort()).toEqual(['/data/scratch', '/var/log/pods']);
    expect(sensitive).toEqual(['/etc']);
  });

  it('run-as-root-uid follows PSA for a pod-level 0 that every container overrides', () => {
    const { result, findings } = run('container/run-as-root-uid', 'fail-pod-level-overridden.yaml');
    expect(result.status).toBe('fail');
    expect(findings[0]?.evidence[0]).toEqual({ path: 'spec.securityContext.runAsUser', value: '0' });
  });

  it('seccomp-not-set fixes at pod level', () => {
    const [finding] = run('container/seccomp-not-set', 'fail-unset.yaml').findings;
    expect(finding?.remediation.command).toContain(`'{"spec":{"template":{"spec":{"securityContext":{"seccompProfile":{"type":"RuntimeDefault"}}}}}}'`);
  });

  it('attributePss blames only what fails on its own', () => {
    const spec = {
      securityContext: { runAsUser: 0 },
      containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsUser: 0 } }, { name: 'c', securityContext: { runAsUser: 5 } }],
    };
    const policy = { version: 'v1.35', minor: 35 };
    const a = attributePss('runAsUser', {}, spec, policy, { fixPod: (m, s) => ({ meta: m, spec: { ...s, securityContext: {} } }) });
    expect(a?.pod?.detail).toBe('pod must not set runAsUser=0');
    expect(a?.containers.map((c) => c.ref.container.name)).toEqual(['b']);
    expect(attributePss('runAsUser', {}, { ...spec, hostUsers: false }, policy)).toBeUndefined();
  });
});

describe('Windows and policy versions', () => {
  const win: K8sObject = {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'iis', namespace: 'win' },
    spec: { os: { name: 'windows' }, containers: [{ name: 'iis', image: 'mcr.microsoft.com/windows/servercore/iis:ltsc2022' }] }, status: { phase: 'Running' },
  };
  const linux: K8sObject = { ...win, metadata: { name: 'web', namespace: 'shop' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
  it.each(['container/capabilities-not-dropped', 'container/seccomp-not-set', 'container/privilege-escalation-allowed'])('%s: Windows pod exempt, Linux pod reported', (id) => {
    const { snapshot } = snapshotFromObjects([win, linux], { version: { major: '1', minor: '33', gitVersion: 'v1.33.0' } });
    const { findings } = runCheck(byId(id), snapshot);
    expect(findings.map((f) => f.subject.name)).toEqual(['web']);
  });
});
