import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  Flags, admissionPlugin, applicationNamespaces, controlPlaneFix, controlPlaneInstances, controlPlaneUnavailable, evaluateControlPlane,
  flagEvidence, instanceFinding, kubeadmConfigVersion, parseFlags, withAdmissionPlugin, type ComponentInstance,
} from '../../src/engine/control-plane.js';
import type { K8sObject, Pod } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import type { SnapshotInput } from '../../src/engine/snapshot.js';

function mirrorPod(component: string, node: string, container: { command?: string[]; args?: string[]; name?: string }, extra: { namespace?: string; mirror?: boolean } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${component}-${node}`,
      namespace: extra.namespace ?? 'kube-system',
      labels: { component, tier: 'control-plane' },
      ...(extra.mirror === false ? {} : { annotations: { 'kubernetes.io/config.mirror': 'abc', 'kubernetes.io/config.source': 'file' } }),
      ...(extra.mirror === false ? {} : { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: `uid-${node}`, controller: true }] }),
    },
    spec: { nodeName: node, containers: [{ name: container.name ?? component, image: `registry.k8s.io/${component}:v1.33.4`, ...container }] },
    status: { phase: 'Running' },
  };
}

const apiserver = (node: string, flags: string[]): Pod => mirrorPod('kube-apiserver', node, { command: ['kube-apiserver', ...flags] });
const snap = (objects: K8sObject[], extra: Omit<SnapshotInput, 'lists'> = {}) => snapshotFromObjects(objects, { version: { major: '1', minor: '33', gitVersion: 'v1.33.4' }, ...extra }).snapshot;
const only = (objects: K8sObject[], extra?: Omit<SnapshotInput, 'lists'>): ComponentInstance => {
  const [first] = controlPlaneInstances(snap(objects, extra));
  if (!first) throw new Error('no instance');
  return first;
};

describe('Flags (CHECKS.md §1.5)', () => {
  it('reads --name=value, --name value and bare --name', () => {
    const f = parseFlags(['--a=1', '--b', 'two', '--c', '--d']);
    expect([f.get('a'), f.get('b'), f.get('c'), f.get('d')]).toEqual(['1', 'two', 'true', 'true']);
  });

  it('lets the last occurrence win and remembers its position', () => {
    const f = parseFlags(['--profiling=true', '--x=1', '--profiling=false']);
    expect(f.get('profiling')).toBe('false');
    expect(f.indexOf('profiling')).toBe(2);
  });

  it('normalises underscores like the components do', () => {
    const f = parseFlags(['--anonymous_auth=false']);
    expect(f.has('anonymous-auth')).toBe(true);
    expect(f.bool('anonymous-auth', true)).toBe(false);
  });

  it.each([['true', true], ['T', true], ['1', true], ['False', false], ['f', false], ['0', false]] as const)('parses boolean %s', (v, want) => {
    expect(new Flags([`--x=${v}`]).bool('x', !want)).toBe(want);
  });

  it('returns the fallback when absent and undefined when unparsable', () => {
    expect(new Flags([]).bool('x', true)).toBe(true);
    expect(new Flags(['--x=yes']).bool('x', true)).toBeUndefined();
  });

  it('splits list flags and drops empty entries', () => {
    expect(new Flags(['--enable-admission-plugins=NodeRestriction, EventRateLimit,,']).list('enable-admission-plugins')).toEqual(['NodeRestriction', 'EventRateLimit']);
    expect(new Flags([]).list('enable-admission-plugins')).toEqual([]);
  });

  it('keeps single-dash values and empty values', () => {
    const f = new Flags(['--audit-log-path', '-', '--token-auth-file=']);
    expect(f.get('audit-log-path')).toBe('-');
    expect(f.get('token-auth-file')).toBe('');
    expect(f.number('audit-log-maxage')).toBeUndefined();
    expect(new Flags(['--audit-log-maxage=30']).number('audit-log-maxage')).toBe(30);
  });

  it('ignores positional words and a lone --', () => {
    expect(new Flags(['kube-apiserver', '--', '--a=1']).names()).toEqual(['a']);
  });
});

describe('controlPlaneInstances (D-CP)', () => {
  it('takes command[1:] for kubeadm and records each flag path', () => {
    const i = only([apiserver('cp-1', ['--secure-port=6443', '--profiling=false'])]);
    expect(i.args).toEqual(['--secure-port=6443', '--profiling=false']);
    expect(flagEvidence(i, 'profiling')).toEqual({ path: 'spec.containers[name=kube-apiserver].command[2]', value: '--profiling=false' });
    expect(flagEvidence(i, 'anonymous-auth', 'absent (default true)')).toEqual({ path: 'spec.containers[name=kube-apiserver].command', value: '--anonymous-auth absent (default true)' });
  });

  it('reads RKE2-style args after a bare binary', () => {
    const i = only([mirrorPod('kube-apiserver', 'cp-1', { command: ['kube-apiserver'], args: ['--profiling=false'] })]);
    expect(i.flags.get('profiling')).toBe('false');
    expect(flagEvidence(i, 'profiling').path).toBe('spec.containers[name=kube-apiserver].args[0]');
    expect(flagEvidence(i, 'anonymous-auth').path).toBe('spec.containers[name=kube-apiserver].args');
  });

  it('skips a wrapper such as kops /go-runner', () => {
    const i = only([mirrorPod('kube-apiserver', 'cp-1', { command: ['/go-runner'], args: ['--log-file=/var/log/kube-apiserver.log', '--also-stdout', '/usr/local/bin/kube-apiserver', '--profiling=false'] })]);
    expect(i.args).toEqual(['--profiling=false']);
    expect(i.flags.has('log-file')).toBe(false);
  });

  it('reads a shell-wrapped command line up to the first shell operator', () => {
    const i = only([mirrorPod('kube-apiserver', 'cp-1', { command: ['/bin/sh', '-c', '/usr/local/bin/kube-apiserver --profiling=false --anonymous-auth=false 1>>/var/log/kube-apiserver.log 2>&1'] })]);
    expect(i.args).toEqual(['--profiling=false', '--anonymous-auth=false']);
  });

  it('falls back to command[1:] + args when the binary is not named', () => {
    const i = only([mirrorPod('kube-apiserver', 'cp-1', { command: ['/hyperkube', 'apiserver', '--profiling=false'] })]);
    expect(i.flags.get('profiling')).toBe('false');
  });

  it('ignores non-mirror pods, other namespaces and other components, and sorts by node', () => {
    const s = snap([
      apiserver('cp-2', []),
      apiserver('cp-1', []),
      mirrorPod('kube-apiserver', 'x', { command: ['kube-apiserver'] }, { mirror: false }),
      mirrorPod('kube-apiserver', 'y', { command: ['kube-apiserver'] }, { namespace: 'default' }),
      mirrorPod('kube-proxy', 'cp-1', { command: ['kube-proxy'] }),
      mirrorPod('kube-scheduler', 'cp-1', { command: ['kube-scheduler'] }),
    ]);
    expect(controlPlaneInstances(s, 'kube-apiserver').map((i) => i.node)).toEqual(['cp-1', 'cp-2']);
    expect(controlPlaneInstances(s).map((i) => i.component).sort()).toEqual(['kube-apiserver', 'kube-apiserver', 'kube-scheduler']);
  });

  it('uses the first container when none is named after the component', () => {
    const i = only([mirrorPod('kube-apiserver', 'cp-1', { name: 'apiserver', command: ['kube-apiserver', '--profiling=false'] })]);
    expect(i.containerPath).toBe('spec.containers[name=apiserver]');
  });
});

describe('admission plugins', () => {
  it('knows the default set, enable and disable lists', () => {
    const i = only([apiserver('cp-1', ['--enable-admission-plugins=NodeRestriction', '--disable-admission-plugins=ServiceAccount'])]);
    expect(admissionPlugin(i, 'NodeRestriction').enabled).toBe(true);
    expect(admissionPlugin(i, 'PodSecurity')).toMatchObject({ enabled: true, why: 'on by default' });
    expect(admissionPlugin(i, 'ServiceAccount')).toMatchObject({ enabled: false, why: 'listed in --disable-admission-plugins' });
    expect(admissionPlugin(i, 'EventRateLimit').enabled).toBe(false);
  });

  it('treats the deprecated --admission-control as the complete list', () => {
    const i = only([apiserver('cp-1', ['--admission-control=NamespaceLifecycle,NodeRestriction'])]);
    expect(admissionPlugin(i, 'PodSecurity').enabled).toBe(false);
    expect(admissionPlugin(i, 'NodeRestriction').enabled).toBe(true);
    expect(withAdmissionPlugin(i, 'PodSecurity')).toEqual({ flag: 'admission-control', value: 'NamespaceLifecycle,NodeRestriction,PodSecurity' });
  });

  it('appends a plugin once', () => {
    const i = only([apiserver('cp-1', ['--enable-admission-plugins=NodeRestriction,EventRateLimit'])]);
    expect(withAdmissionPlugin(i, 'EventRateLimit')).toEqual({ flag: 'enable-admission-plugins', value: 'NodeRestriction,EventRateLimit' });
    expect(withAdmissionPlugin(i, 'AlwaysPullImages').value).toBe('NodeRestriction,EventRateLimit,AlwaysPullImages');
  });
});

describe('controlPlaneUnavailable', () => {
  it('is undefined when the component is visible', () => {
    expect(controlPlaneUnavailable(snap([apiserver('cp-1', [])]), 'kube-apiserver')).toBeUndefined();
  });

  it('passes the collector error through when pods are forbidden', () => {
    const s = snap([], { errors: { pods: { code: 'forbidden', status: 403, message: 'missing permission: list pods' } } });
    expect(controlPlaneUnavailable(s, 'kube-apiserver')).toMatchObject({ status: 'unable', reason: expect.stringContaining('missing permission: list pods') });
  });

  it('says when the scan excluded kube-system', () => {
    const s = snap([], { namespaces: ['shop'] });
    expect(controlPlaneUnavailable(s, 'kube-apiserver')?.reason).toContain('limited to namespace(s) shop');
  });

  it('quotes the provider command on a managed control plane', () => {
    const eksNode: K8sObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', labels: { 'eks.amazonaws.com/nodegroup': 'ng', 'topology.kubernetes.io/region': 'us-east-1' } }, spec: { providerID: 'aws:///us-east-1a/i-0123' } };
    const s = snap([eksNode], { version: { major: '1', minor: '33', gitVersion: 'v1.33.5-eks-3cfe0ce' } });
    expect(controlPlaneUnavailable(s, 'kube-apiserver', 'audit')?.reason).toBe(
      "Amazon EKS runs a managed control plane: kube-apiserver flags are not visible through the Kubernetes API — verify with: aws eks describe-cluster --name '<cluster>' --region 'us-east-1' --query 'cluster.logging'",
    );
  });

  it('gives the k3s hint', () => {
    const s = snap([], { version: { major: '1', minor: '33', gitVersion: 'v1.33.5+k3s1' } });
    expect(controlPlaneUnavailable(s, 'kube-apiserver')?.reason).toContain('/etc/rancher/k3s/config.yaml');
  });
});

describe('evaluateControlPlane', () => {
  const visitProfiling = (i: ComponentInstance) => (i.flags.bool('profiling', true)
    ? { findings: [instanceFinding(i, { message: 'on', evidence: [flagEvidence(i, 'profiling')], remediation: { why: 'w', fix: 'f' } })] }
    : { note: 'same note' });

  it('reports per replica with scope workload and groups identical notes', () => {
    const s = snap([apiserver('cp-1', ['--profiling=false']), apiserver('cp-2', ['--profiling=false']), apiserver('cp-3', [])]);
    const out = evaluateControlPlane(s, ['kube-apiserver', 'kube-scheduler'], visitProfiling);
    expect(out.findings.map((f) => [f.subject.name, f.scope])).toEqual([['kube-apiserver-cp-3', 'workload']]);
    expect(out.reason).toContain('kube-apiserver on cp-1, cp-2: same note');
    expect(out.reason).toContain('no kube-scheduler static pod visible');
  });

  it('keeps messages and notes on one line whatever the flag values hold', () => {
    const s = snap([apiserver('cp-1', ['--token-auth-file=/x\n\u001b[31mred'])]);
    const out = evaluateControlPlane(s, ['kube-apiserver'], (i) => ({
      findings: [instanceFinding(i, { message: `file ${i.flags.get('token-auth-file') ?? ''}`, evidence: [], remediation: { why: 'w', fix: 'f' } })],
      note: `note ${i.flags.get('token-auth-file') ?? ''}`,
    }));
    expect(out.findings[0]?.message).toBe('file /x red');
    expect(out.reason).not.toMatch(/[\n\u001b]/);
  });

  it('is unable when no replica failed but some depend on a hidden file', () => {
    const s = snap([apiserver('cp-1', ['--authorization-config=/etc/k/authz.yaml'])]);
    const out = evaluateControlPlane(s, ['kube-apiserver'], () => ({ unable: 'file not visible' }));
    expect(out).toMatchObject({ status: 'unable', reason: 'kube-apiserver on cp-1: file not visible' });
  });
});

describe('controlPlaneFix (R-CP)', () => {
  const kubeadmConfig = (version: string): K8sObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { ClusterConfiguration: `apiVersion: kubeadm.k8s.io/${version}\nkind: ClusterConfiguration\n` } });

  it('edits the manifest on this node, names the others and gives v1beta4 extraArgs', () => {
    const s = snap([apiserver('cp-1', []), apiserver('cp-2', [])]);
    const [, second] = controlPlaneInstances(s);
    const fix = controlPlaneFix(s, second as ComponentInstance, [{ flag: 'profiling', value: 'false' }, { flag: 'token-auth-file', remove: true }]);
    expect(fix.command).toContain('# 1. on node cp-2: edit /etc/kubernetes/manifests/kube-apiserver.yaml (set --profiling=false, remove --token-auth-file)');
    expect(fix.command).toContain('every other control-plane node: cp-1');
    expect(fix.patch).toContain('apiServer:\n  extraArgs:\n  - name: "profiling"\n    value: "false"\n  # remove "token-auth-file"');
    expect(fix.patch).toContain('apiVersion: kubeadm.k8s.io/v1beta4');
  });

  it('names the replicas that already run with the change (HA drift)', () => {
    const s = snap([apiserver('cp-1', ['--enable-admission-plugins=EventRateLimit,NodeRestriction']), apiserver('cp-2', ['--enable-admission-plugins=NodeRestriction']), apiserver('cp-3', [])]);
    const second = controlPlaneInstances(s)[1] as ComponentInstance;
    const fix = controlPlaneFix(s, second, [withAdmissionPlugin(second, 'EventRateLimit')]);
    expect(fix.command).toContain('every other control-plane node: cp-3');
    expect(fix.command).toContain('(cp-1 already runs with it)');
  });

  it('uses the v1beta3 map form when kubeadm-config says so', () => {
    const s = snap([apiserver('cp-1', []), kubeadmConfig('v1beta3')]);
    expect(kubeadmConfigVersion(s)).toBe('v1beta3');
    expect(controlPlaneFix(s, controlPlaneInstances(s)[0] as ComponentInstance, [{ flag: 'profiling', value: 'false' }]).patch).toContain('apiServer:\n  extraArgs:\n    "profiling": "false"');
  });

  it('nests etcd under etcd.local', () => {
    const s = snap([mirrorPod('etcd', 'cp-1', { command: ['etcd', '--client-cert-auth=false'] })]);
    expect(controlPlaneFix(s, controlPlaneInstances(s)[0] as ComponentInstance, [{ flag: 'client-cert-auth', value: 'true' }]).patch).toContain('etcd:\n  local:\n    extraArgs:\n    - name: "client-cert-auth"');
  });

  it('writes RKE2 config lines on RKE2', () => {
    const s = snap([mirrorPod('kube-scheduler', 'srv-1', { command: ['kube-scheduler'], args: [] })], { version: { major: '1', minor: '33', gitVersion: 'v1.33.5+rke2r1' } });
    const fix = controlPlaneFix(s, controlPlaneInstances(s)[0] as ComponentInstance, [{ flag: 'bind-address', value: '127.0.0.1' }]);
    expect(fix.patch).toBe('# /etc/rancher/rke2/config.yaml\nkube-scheduler-arg:\n- "bind-address=127.0.0.1"');
    expect(fix.command).toContain('restart the rke2-server service');
  });

  it('keeps hostile values inside comments and quotes', () => {
    const evil = 'cp-1\nrm -rf ~';
    const pod = apiserver('x', []);
    const s = snap([{ ...pod, metadata: { ...pod.metadata, name: "kube-apiserver-x'; touch pwned; '" }, spec: { ...pod.spec, nodeName: evil } } as Pod]);
    const fix = controlPlaneFix(s, controlPlaneInstances(s)[0] as ComponentInstance, [{ flag: 'enable-admission-plugins', value: 'A\n$(touch pwned)' }]);
    for (const line of (fix.command ?? '').split('\n')) expect(line.startsWith('#') || line.startsWith('kubectl ')).toBe(true);
    const bash = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `kubectl() { :; }\n${fix.command ?? ''}`], { env: { PATH: '' }, encoding: 'utf8' });
    expect(bash.stderr).toBe('');
    expect(bash.status).toBe(0);
  });
});

describe('applicationNamespaces', () => {
  const ns = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  it('counts non-system namespaces, default only when pods run there', () => {
    const pod: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } };
    expect(applicationNamespaces(snap(['default', 'kube-system', 'shop'].map(ns))).names).toEqual(['shop']);
    expect(applicationNamespaces(snap([...['default', 'kube-system', 'shop'].map(ns), pod])).names).toEqual(['default', 'shop']);
  });
});
