/**
 * The rules that are easy to get wrong (CHECKS.md §6, §7 traps 5, 6, 8): exact capability
 * spelling, Windows and user-namespace exemptions by version, seccomp inheritance, the sysctl
 * sets, volume types, version resolution and PSA's exact reason/detail strings.
 */
import { describe, expect, it } from 'vitest';
import type { Container, ObjectMeta, PodSpec } from '../../src/engine/k8s.js';
import {
  LATEST_PSS_VERSION,
  PSS_CHECKS,
  PSS_VERSIONS,
  applyManifestDefaults,
  checkIdsFor,
  evaluateCheck,
  evaluatePod,
  formatPssMessage,
  overriddenBy,
  parsePssLevel,
  parsePssVersion,
  resolvePssMinor,
  type PssLevel,
} from '../../src/engine/pss/index.js';

const SECURE_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
};

/** A pod that passes restricted at every version; tests override one thing at a time. */
function restrictedPod(overrides: Partial<PodSpec> = {}, container: Record<string, unknown> = {}): PodSpec {
  return {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', image: 'app:1', securityContext: { ...SECURE_CONTAINER, ...container } }],
    ...overrides,
  };
}

function ids(spec: PodSpec, level: PssLevel, version: string, meta?: ObjectMeta): string[] {
  return evaluatePod(meta, spec, level, version).violations.map((v) => v.check);
}

function only(spec: PodSpec, level: PssLevel, version: string, meta?: ObjectMeta) {
  const { violations } = evaluatePod(meta, spec, level, version);
  expect(violations).toHaveLength(1);
  return violations[0]!;
}

describe('versions', () => {
  it('parses like PSA api.ParseVersion', () => {
    expect(parsePssVersion('latest')).toBe('latest');
    expect(parsePssVersion('v1.0')).toEqual({ major: 1, minor: 0 });
    expect(parsePssVersion('v1.37')).toEqual({ major: 1, minor: 37 });
    for (const bad of ['1.30', 'v1.030', 'v2.0', 'v1', 'v1.', 'V1.30', 'v1.30 ', 'Latest', '']) expect(parsePssVersion(bad)).toBeUndefined();
    expect(parsePssLevel('restricted')).toBe('restricted');
    expect(parsePssLevel('Restricted')).toBeUndefined();
    expect(parsePssLevel('privileged')).toBeUndefined();
  });

  it('lists every minor up to the newest and resolves latest and too-new versions to it', () => {
    expect(PSS_VERSIONS).toHaveLength(38);
    expect(PSS_VERSIONS[0]).toBe('v1.0');
    expect(LATEST_PSS_VERSION).toBe('v1.37');
    expect(resolvePssMinor('latest')).toBe(37);
    expect(resolvePssMinor('v1.99')).toBe(37);
    expect(resolvePssMinor('v1.12')).toBe(12);
    expect(resolvePssMinor('garbage')).toBe(37); // PSA: an invalid label means latest
    expect(resolvePssMinor('latest', { serverMinor: 36 })).toBe(36);
    expect(resolvePssMinor('v1.30', { serverMinor: 36 })).toBe(30);
    expect(evaluatePod(undefined, {}, 'restricted', 'latest').version).toBe('v1.37');
  });

  it('registers every check id once, each with ascending versions', () => {
    const checkIds = PSS_CHECKS.map((c) => c.id);
    expect(new Set(checkIds).size).toBe(19);
    for (const check of PSS_CHECKS) {
      const minors = check.versions.map((v) => v.minimumMinor);
      expect([...minors].sort((a, b) => a - b)).toEqual(minors);
    }
  });

  it('selects checks per level and version with restricted overrides', () => {
    expect(checkIdsFor('baseline', 'v1.33')).not.toContain('hostProbesAndHostLifecycle');
    expect(checkIdsFor('baseline', 'v1.34')).toContain('hostProbesAndHostLifecycle');
    expect(checkIdsFor('restricted', 'v1.0')).toEqual([
      'appArmorProfile', 'capabilities_baseline', 'hostNamespaces', 'hostPorts', 'privileged', 'procMount',
      'seLinuxOptions', 'seccompProfile_baseline', 'sysctls', 'windowsHostProcess', 'restrictedVolumes', 'runAsNonRoot',
    ]);
    const latest = checkIdsFor('restricted', 'latest');
    for (const gone of ['hostPathVolumes', 'seccompProfile_baseline', 'capabilities_baseline', 'procMount']) expect(latest).not.toContain(gone);
    expect(overriddenBy('seccompProfile_baseline', 'restricted', 'v1.18')).toBeUndefined();
    expect(overriddenBy('seccompProfile_baseline', 'restricted', 'v1.19')).toBe('seccompProfile_restricted');
    expect(overriddenBy('capabilities_baseline', 'restricted', 'v1.22')).toBe('capabilities_restricted');
    expect(overriddenBy('procMount', 'restricted', 'v1.34')).toBeUndefined();
    expect(overriddenBy('procMount', 'restricted', 'v1.35')).toBe('procMount_restricted');
    expect(overriddenBy('hostPathVolumes', 'baseline', 'v1.35')).toBeUndefined();
  });
});

describe('evaluatePod', () => {
  it('allows the minimal restricted pod at every version and privileged allows anything', () => {
    for (const version of PSS_VERSIONS) expect(ids(restrictedPod(), 'restricted', version)).toEqual([]);
    expect(evaluatePod(undefined, { hostPID: true }, 'privileged', 'latest')).toEqual({ allowed: true, level: 'privileged', version: 'v1.37', violations: [] });
  });

  it('orders violations baseline ids then restricted ids and formats PSA\'s message', () => {
    const spec: PodSpec = {
      hostNetwork: true,
      containers: [{ name: 'a', securityContext: { privileged: true } }],
    };
    const result = evaluatePod(undefined, spec, 'restricted', 'latest');
    expect(result.violations.map((v) => v.check)).toEqual([
      'hostNamespaces', 'privileged', 'allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted',
    ]);
    expect(formatPssMessage('restricted', 'latest', result.violations.slice(0, 2))).toBe(
      'violates PodSecurity "restricted:latest": host namespaces (hostNetwork=true), privileged (container "a" must not set securityContext.privileged=true)',
    );
  });

  it('visits init, regular and ephemeral containers in that order', () => {
    const c = (name: string): Container => ({ name, securityContext: { privileged: true } });
    const spec: PodSpec = { containers: [c('main')], initContainers: [c('init')], ephemeralContainers: [c('debug')] };
    expect(only(spec, 'baseline', 'latest').detail).toBe('containers "init", "main", "debug" must not set securityContext.privileged=true');
  });

  it('does not throw on values of the wrong type from a manifest', () => {
    const spec = { containers: 'nope', volumes: [null, 3, { name: 'v' }], securityContext: { sysctls: 'x' } } as unknown as PodSpec;
    expect(evaluatePod({ annotations: 'x' } as unknown as ObjectMeta, spec, 'restricted', 'latest').allowed).toBe(true);
  });
});

describe('capabilities: exact spelling (trap 8)', () => {
  it('baseline denies lower-case and CAP_-prefixed names of allowed capabilities', () => {
    const spec = (add: string[]): PodSpec => ({ containers: [{ name: 'a', securityContext: { capabilities: { add } } }] });
    expect(ids(spec(['CHOWN', 'NET_BIND_SERVICE', 'SYS_CHROOT']), 'baseline', 'latest')).toEqual([]);
    expect(only(spec(['chown']), 'baseline', 'latest')).toEqual({
      check: 'capabilities_baseline',
      reason: 'non-default capabilities',
      detail: 'container "a" must not include "chown" in securityContext.capabilities.add',
    });
    expect(only(spec(['CAP_CHOWN', 'NET_RAW', 'CAP_CHOWN']), 'baseline', 'v1.0').detail).toBe(
      'container "a" must not include "CAP_CHOWN", "NET_RAW" in securityContext.capabilities.add',
    );
  });

  it('restricted needs drop ["ALL"] exactly and add only NET_BIND_SERVICE', () => {
    expect(ids(restrictedPod({}, { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }), 'restricted', 'latest')).toEqual([]);
    expect(only(restrictedPod({}, { capabilities: { drop: ['all'] } }), 'restricted', 'latest')).toEqual({
      check: 'capabilities_restricted',
      reason: 'unrestricted capabilities',
      detail: 'container "app" must set securityContext.capabilities.drop=["ALL"]',
    });
    expect(only(restrictedPod({}, { capabilities: { drop: ['ALL'], add: ['net_bind_service'] } }), 'restricted', 'latest').detail).toBe(
      'container "app" must not include "net_bind_service" in securityContext.capabilities.add',
    );
    // Upstream TestCapabilitiesRestricted_1_25: both halves of the detail, sorted capability list.
    const spec: PodSpec = {
      containers: [
        { name: 'a', securityContext: { capabilities: { add: ['FOO', 'BAR'] } } },
        { name: 'b', securityContext: { capabilities: { add: ['BAR', 'BAZ'] } } },
        { name: 'c', securityContext: { capabilities: { add: ['NET_BIND_SERVICE', 'CHOWN'], drop: ['ALL', 'FOO'] } } },
      ],
    };
    expect(evaluateCheck('capabilities_restricted', undefined, spec, 'latest')?.detail).toBe(
      'containers "a", "b" must set securityContext.capabilities.drop=["ALL"]; containers "a", "b", "c" must not include "BAR", "BAZ", "CHOWN", "FOO" in securityContext.capabilities.add',
    );
  });

  it('restricted below v1.22 uses the baseline capability list instead', () => {
    const spec = restrictedPod({}, { capabilities: { add: ['NET_RAW'] } });
    expect(ids(spec, 'restricted', 'v1.21')).toEqual(['capabilities_baseline']);
    expect(ids(spec, 'restricted', 'v1.22')).toEqual(['capabilities_restricted']);
  });
});

describe('Windows pods (trap 5)', () => {
  const windows: PodSpec = {
    os: { name: 'windows' },
    securityContext: { runAsNonRoot: true },
    containers: [{ name: 'win' }],
  };

  it('are exempt from allowPrivilegeEscalation, seccomp and capabilities only from v1.25', () => {
    expect(ids(windows, 'restricted', 'v1.24')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    expect(ids(windows, 'restricted', 'v1.25')).toEqual([]);
    expect(ids(windows, 'restricted', 'latest')).toEqual([]);
  });

  it('still need runAsNonRoot and no hostProcess, and only os.name "windows" counts', () => {
    expect(ids({ ...windows, securityContext: {} }, 'restricted', 'latest')).toEqual(['runAsNonRoot']);
    expect(only({ ...windows, securityContext: { runAsNonRoot: true, windowsOptions: { hostProcess: true } } }, 'restricted', 'latest')).toEqual({
      check: 'windowsHostProcess',
      reason: 'hostProcess',
      detail: 'pod must not set securityContext.windowsOptions.hostProcess=true',
    });
    expect(ids({ ...windows, os: { name: 'Windows' } }, 'restricted', 'latest')).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    expect(ids({ ...windows, os: undefined, nodeSelector: { 'kubernetes.io/os': 'windows' } }, 'restricted', 'latest')).toHaveLength(3);
  });
});

describe('user-namespace pods (trap 6)', () => {
  const userns = (extra: Partial<PodSpec> = {}): PodSpec => ({
    hostUsers: false,
    securityContext: { runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'app', securityContext: { ...SECURE_CONTAINER, procMount: 'Unmasked' } }],
    ...extra,
  });

  it('relaxes baseline procMount only from v1.35', () => {
    expect(only(userns(), 'baseline', 'v1.34')).toEqual({
      check: 'procMount',
      reason: 'procMount',
      detail: 'container "app" must not set securityContext.procMount to "Unmasked"',
    });
    expect(ids(userns(), 'baseline', 'v1.35')).toEqual([]);
    expect(ids(userns({ hostUsers: true }), 'baseline', 'v1.35')).toEqual(['procMount']);
    expect(ids(userns({ hostUsers: undefined }), 'baseline', 'v1.35')).toEqual(['procMount']);
  });

  it('relaxes runAsNonRoot and runAsUser from v1.35 but keeps unmasked /proc forbidden at restricted', () => {
    expect(ids(userns(), 'restricted', 'v1.34')).toEqual(['procMount', 'runAsNonRoot', 'runAsUser']);
    expect(ids(userns(), 'restricted', 'v1.35')).toEqual(['procMount_restricted']);
    const masked = userns({ containers: [{ name: 'app', securityContext: SECURE_CONTAINER }] });
    expect(ids(masked, 'restricted', 'v1.35')).toEqual([]);
    expect(ids(masked, 'restricted', 'v1.34')).toEqual(['runAsNonRoot', 'runAsUser']);
  });
});

describe('seccomp', () => {
  it('a valid pod profile covers containers that set none', () => {
    expect(ids(restrictedPod(), 'restricted', 'latest')).toEqual([]);
    const noPod = restrictedPod({ securityContext: { runAsNonRoot: true } });
    expect(only(noPod, 'restricted', 'latest').detail).toBe('pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"');
    const perContainer = restrictedPod({ securityContext: { runAsNonRoot: true } }, { seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } });
    expect(ids(perContainer, 'restricted', 'latest')).toEqual([]);
  });

  it('an invalid pod profile does not cover containers, and explicit bad values are reported first', () => {
    const badPod = restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } } });
    expect(only(badPod, 'restricted', 'latest')).toEqual({
      check: 'seccompProfile_restricted',
      reason: 'seccompProfile',
      detail: 'pod must not set securityContext.seccompProfile.type to "Unconfined"',
    });
    const spec: PodSpec = {
      securityContext: { seccompProfile: { type: 'Unconfined' } },
      containers: [
        { name: 'a' },
        { name: 'c', securityContext: { seccompProfile: { type: 'Unconfined' } } },
        { name: 'd', securityContext: { seccompProfile: {} } },
      ],
    };
    expect(evaluateCheck('seccompProfile_baseline', undefined, spec, 'latest')?.detail).toBe(
      'pod and containers "c", "d" must not set securityContext.seccompProfile.type to "", "Unconfined"',
    );
  });

  it('baseline reads the alpha annotations before v1.19 and the fields from v1.19', () => {
    const meta: ObjectMeta = {
      annotations: {
        'seccomp.security.alpha.kubernetes.io/pod': 'unconfined',
        'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default',
        'container.seccomp.security.alpha.kubernetes.io/ghost': 'unconfined', // no such container: not read
      },
    };
    const fields: PodSpec = { containers: [{ name: 'app', securityContext: { seccompProfile: { type: 'Unconfined' } } }] };
    expect(only({ containers: [{ name: 'app' }] }, 'baseline', 'v1.18', meta)).toEqual({
      check: 'seccompProfile_baseline',
      reason: 'seccompProfile',
      detail: 'forbidden annotation seccomp.security.alpha.kubernetes.io/pod="unconfined"',
    });
    expect(ids(fields, 'baseline', 'v1.18')).toEqual([]);
    expect(ids({ containers: [{ name: 'app' }] }, 'baseline', 'v1.19', meta)).toEqual([]);
    expect(ids(fields, 'baseline', 'v1.19')).toEqual(['seccompProfile_baseline']);
    expect(ids({ containers: [{ name: 'app' }] }, 'baseline', 'v1.0', { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': '' } })).toEqual(['seccompProfile_baseline']);
  });
});

describe('sysctls by version', () => {
  const withSysctls = (...names: string[]): PodSpec => ({ securityContext: { sysctls: names.map((name) => ({ name, value: '1' })) }, containers: [{ name: 'a' }] });

  it.each([
    ['net.ipv4.ip_local_reserved_ports', 'v1.26', 'v1.27'],
    ['net.ipv4.tcp_keepalive_time', 'v1.28', 'v1.29'],
    ['net.ipv4.tcp_rmem', 'v1.31', 'v1.32'],
    ['net.ipv4.tcp_notsent_lowat', 'v1.36', 'v1.37'],
    ['net.ipv4.tcp_slow_start_after_idle', 'v1.36', 'latest'],
  ])('%s is denied at %s and allowed at %s', (name, before, from) => {
    expect(ids(withSysctls(name), 'baseline', before)).toEqual(['sysctls']);
    expect(ids(withSysctls(name), 'baseline', from)).toEqual([]);
  });

  it('compares names verbatim and lists every forbidden name in spec order', () => {
    expect(ids(withSysctls('kernel.shm_rmid_forced', 'net.ipv4.ping_group_range'), 'baseline', 'v1.0')).toEqual([]);
    expect(only(withSysctls('net/ipv4/tcp_syncookies', 'kernel.msgmax', 'net.ipv4.tcp_syncookies'), 'baseline', 'latest')).toEqual({
      check: 'sysctls',
      reason: 'forbidden sysctls',
      detail: 'net/ipv4/tcp_syncookies, kernel.msgmax',
    });
  });

  it('does not apply v1.37 rules for a cluster older than 1.37', () => {
    const spec = withSysctls('net.ipv4.tcp_notsent_lowat');
    expect(evaluatePod(undefined, spec, 'baseline', 'latest', { serverMinor: 36 }).allowed).toBe(false);
    expect(evaluatePod(undefined, spec, 'baseline', 'latest', { serverMinor: 37 }).allowed).toBe(true);
  });
});

describe('volume types', () => {
  const withVolumes = (...volumes: Record<string, unknown>[]): PodSpec => restrictedPod({ volumes: volumes as unknown as PodSpec['volumes'] });

  it('allows the restricted list including image volumes at every version, and a sourceless volume (defaulted to emptyDir)', () => {
    const allowed = withVolumes(
      { name: 'a', configMap: { name: 'c' } }, { name: 'b', csi: { driver: 'd' } }, { name: 'c', downwardAPI: {} }, { name: 'd', emptyDir: {} },
      { name: 'e', ephemeral: {} }, { name: 'f', image: { reference: 'r' } }, { name: 'g', persistentVolumeClaim: { claimName: 'p' } },
      { name: 'h', projected: { sources: [] } }, { name: 'i', secret: { secretName: 's' } }, { name: 'j' }, { name: 'k', hostPath: null },
    );
    expect(ids(allowed, 'restricted', 'v1.0')).toEqual([]);
    expect(ids(allowed, 'restricted', 'latest')).toEqual([]);
  });

  it('reports restricted types by name, unknown sources as unknown (upstream TestRestrictedVolumes wording)', () => {
    const spec = withVolumes(
      { name: 'b1', hostPath: { path: '/' } }, { name: 'b2', nfs: { server: 's', path: '/' } }, { name: 'b3', gitRepo: { repository: 'r' } },
      { name: 'c1', somethingNew: {} }, { name: 'ok', emptyDir: {} },
    );
    expect(only(spec, 'restricted', 'latest')).toEqual({
      check: 'restrictedVolumes',
      reason: 'restricted volume types',
      detail: 'volumes "b1", "b2", "b3", "c1" use restricted volume types "gitRepo", "hostPath", "nfs", "unknown"',
    });
  });

  it('hostPath is hostPathVolumes at baseline and restrictedVolumes (only) at restricted', () => {
    const spec = withVolumes({ name: 'logs', hostPath: { path: '/var/log' } });
    expect(only(spec, 'baseline', 'latest')).toEqual({ check: 'hostPathVolumes', reason: 'hostPath volumes', detail: 'volume "logs"' });
    expect(only(spec, 'restricted', 'latest').detail).toBe('volume "logs" uses restricted volume type "hostPath"');
  });
});

describe('reason and detail strings', () => {
  it('seLinuxOptions (v1.31 adds container_engine_t; user and role reported independently)', () => {
    const spec = (options: Record<string, unknown>, pod?: Record<string, unknown>): PodSpec => ({
      ...(pod ? { securityContext: { seLinuxOptions: pod } } : {}),
      containers: [{ name: 'a', securityContext: { seLinuxOptions: options } }],
    });
    expect(ids(spec({ type: 'container_engine_t' }), 'baseline', 'v1.30')).toEqual(['seLinuxOptions']);
    expect(ids(spec({ type: 'container_engine_t', level: 's0:c1' }), 'baseline', 'v1.31')).toEqual([]);
    expect(only(spec({ user: 'bad' }), 'baseline', 'latest').detail).toBe('container "a" set forbidden securityContext.seLinuxOptions: user may not be set');
    expect(only(spec({ role: 'r', type: 'spc_t' }, { type: 'foo', user: 'u' }), 'baseline', 'latest').detail).toBe(
      'pod and container "a" set forbidden securityContext.seLinuxOptions: types "foo", "spc_t"; user may not be set; role may not be set',
    );
  });

  it('appArmorProfile fields and annotations', () => {
    const unconfined: PodSpec = { securityContext: { appArmorProfile: { type: 'Unconfined' } }, containers: [{ name: 'a', securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } }] };
    expect(only(unconfined, 'baseline', 'v1.0')).toEqual({
      check: 'appArmorProfile',
      reason: 'forbidden AppArmor profile',
      detail: 'pod must not set AppArmor profile type to "Unconfined"',
    });
    const meta: ObjectMeta = {
      annotations: {
        'container.apparmor.security.beta.kubernetes.io/a': 'unconfined',
        'container.apparmor.security.beta.kubernetes.io/b': 'localhost/x',
        'container.apparmor.security.beta.kubernetes.io/c': 'runtime/default',
        'container.apparmor.security.beta.kubernetes.io/d': '',
      },
    };
    expect(only({ containers: [{ name: 'z', securityContext: { appArmorProfile: { type: 'Unconfined' } } }] }, 'baseline', 'latest', meta)).toEqual({
      check: 'appArmorProfile',
      reason: 'forbidden AppArmor profiles',
      detail: 'container "z" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/a="unconfined""',
    });
    // Upstream TestCheckAppArmor_Forbidden "multiple containers": sorted, unescaped joinQuote.
    const prefix = 'container.apparmor.security.beta.kubernetes.io/';
    const many: ObjectMeta = {
      annotations: { [prefix]: 'bogus', [`${prefix}a`]: '', [`${prefix}b`]: 'runtime/default', [`${prefix}c`]: 'localhost/', [`${prefix}d`]: 'localhost/foo', [`${prefix}e`]: 'unconfined', [`${prefix}f`]: 'unknown' },
    };
    expect(evaluateCheck('appArmorProfile', many, {}, 'latest')?.detail).toBe(
      `annotations must not set AppArmor profile type to "${prefix}="bogus"", "${prefix}e="unconfined"", "${prefix}f="unknown""`,
    );
  });

  it('runAsNonRoot and runAsUser', () => {
    const spec: PodSpec = {
      securityContext: { runAsNonRoot: true, runAsUser: 1000 },
      containers: [
        { name: 'a' }, { name: 'b', securityContext: {} },
        { name: 'c', securityContext: { runAsNonRoot: false, runAsUser: 0 } }, { name: 'd', securityContext: { runAsNonRoot: false } },
      ],
    };
    expect(evaluateCheck('runAsNonRoot', undefined, spec, 'latest')?.detail).toBe('containers "c", "d" must not set securityContext.runAsNonRoot=false');
    expect(evaluateCheck('runAsUser', undefined, spec, 'latest')?.detail).toBe('container "c" must not set runAsUser=0');
    const fallthrough: PodSpec = { containers: [{ name: 'a' }, { name: 'b', securityContext: { runAsNonRoot: true } }, { name: 'c', securityContext: {} }] };
    expect(evaluateCheck('runAsNonRoot', undefined, fallthrough, 'latest')?.detail).toBe('pod or containers "a", "c" must set securityContext.runAsNonRoot=true');
  });

  it('hostPorts and hostNamespaces', () => {
    const spec: PodSpec = {
      hostNetwork: true, hostIPC: true, hostPID: true,
      containers: [
        { name: 'a', ports: [{ containerPort: 80, hostPort: 0 }] },
        { name: 'b', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 10 }] },
        { name: 'c', ports: [{ containerPort: 30, hostPort: 30 }] },
      ],
    };
    expect(evaluatePod(undefined, spec, 'baseline', 'latest').violations).toEqual([
      { check: 'hostNamespaces', reason: 'host namespaces', detail: 'hostNetwork=true, hostPID=true, hostIPC=true' },
      { check: 'hostPorts', reason: 'hostPort', detail: 'containers "b", "c" use hostPorts 10, 30, 8080' },
    ]);
  });

  it('hostProbesAndHostLifecycle from v1.34, any non-empty host', () => {
    const spec: PodSpec = {
      initContainers: [{ name: 'side', restartPolicy: 'Always', startupProbe: { tcpSocket: { host: '::1', port: 1 } } }],
      containers: [
        { name: 'app', livenessProbe: { httpGet: { host: '127.0.0.1', port: 80 } }, lifecycle: { preStop: { httpGet: { host: 'evil', port: 1 } } } },
        { name: 'ok', readinessProbe: { httpGet: { host: '', port: 80 } }, lifecycle: { postStart: { exec: { command: ['true'] } } } },
      ],
    };
    expect(ids(spec, 'baseline', 'v1.33')).toEqual([]);
    expect(only(spec, 'baseline', 'v1.34')).toEqual({
      check: 'hostProbesAndHostLifecycle',
      reason: 'probe or lifecycle host',
      detail: 'containers "app", "side" use probe or lifecycle hosts "127.0.0.1", "::1", "evil"',
    });
  });
});

describe('evaluateCheck', () => {
  it('evaluates one check at a version, undefined before the check exists', () => {
    const root = restrictedPod({ securityContext: { runAsNonRoot: true, runAsUser: 0, seccompProfile: { type: 'RuntimeDefault' } } });
    expect(evaluateCheck('runAsUser', undefined, root, 'v1.22')).toBeUndefined();
    expect(evaluateCheck('runAsUser', undefined, root, 'v1.23')).toEqual({ check: 'runAsUser', reason: 'runAsUser=0', detail: 'pod must not set runAsUser=0' });
    expect(() => evaluateCheck('nope' as 'privileged', undefined, root, 'latest')).toThrow(/unknown/);
  });
});

describe('applyManifestDefaults', () => {
  it('gives Pods with hostNetwork hostPort = containerPort, not templates, without mutating the input', () => {
    const spec: PodSpec = { hostNetwork: true, containers: [{ name: 'a', ports: [{ containerPort: 9100 }] }] };
    const pod = applyManifestDefaults('Pod', spec);
    expect(ids(pod, 'baseline', 'latest')).toEqual(['hostNamespaces', 'hostPorts']);
    expect(spec.containers?.[0]?.ports?.[0]?.hostPort).toBeUndefined();
    expect(applyManifestDefaults('Deployment', spec)).toBe(spec);
    expect(applyManifestDefaults('Pod', { containers: [{ name: 'a', ports: [{ containerPort: 1 }] }] }).containers?.[0]?.ports?.[0]?.hostPort).toBeUndefined();
  });
});
