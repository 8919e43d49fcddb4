import { describe, expect, it } from 'vitest';
import type { LabelSelector, NetworkPolicy } from '../../src/engine/k8s.js';
import {
  NetpolIndex, effectivePolicyTypes, egressAllowed, ingressAllowedFrom, ipBlockContains, isDefaultDeny, isolation,
  METADATA_TARGETS, netpolIndex, portsAllow, selectorMatches, type PodRef,
} from '../../src/engine/netpol.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';

function np(name: string, spec: Record<string, unknown>, namespace = 'shop'): NetworkPolicy {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec } as NetworkPolicy;
}

const web: PodRef = { namespace: 'shop', labels: { app: 'web', tier: 'front' } };
const IMDS = { ip: '169.254.169.254', port: 80, protocol: 'TCP' };

describe('selectorMatches', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  it.each<[string, LabelSelector | undefined, Record<string, string>, boolean]>([
    ['absent selector', undefined, labels, true],
    ['{} matches all', {}, labels, true],
    ['{} matches a pod without labels', {}, {}, true],
    ['matchLabels subset', { matchLabels: { app: 'web' } }, labels, true],
    ['matchLabels all pairs', { matchLabels: { app: 'web', tier: 'back' } }, labels, false],
    ['matchLabels missing key', { matchLabels: { team: 'a' } }, labels, false],
    ['In hit', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'stage'] }] }, labels, true],
    ['In miss', { matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, labels, false],
    ['In absent key', { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, labels, false],
    ['In without values', { matchExpressions: [{ key: 'env', operator: 'In', values: [] }] }, labels, false],
    ['NotIn hit', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels, false],
    ['NotIn miss', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, labels, true],
    ['NotIn absent key matches', { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, labels, true],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, labels, true],
    ['Exists absent', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels, false],
    ['Exists with empty value', { matchExpressions: [{ key: 'flag', operator: 'Exists' }] }, { flag: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels, true],
    ['DoesNotExist present', { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, labels, false],
    ['labels and expressions ANDed', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['dev'] }] }, labels, false],
    ['unknown operator matches nothing', { matchExpressions: [{ key: 'app', operator: 'Gt', values: ['1'] }] }, labels, false],
    ['empty matchLabels and expressions', { matchLabels: {}, matchExpressions: [] }, {}, true],
  ])('%s', (_name, selector, have, expected) => expect(selectorMatches(selector, have)).toBe(expected));
});

describe('effectivePolicyTypes', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['omitted, no egress', { podSelector: {}, ingress: [{}] }, ['Ingress']],
    ['omitted, nothing', { podSelector: {} }, ['Ingress']],
    ['omitted, egress present', { podSelector: {}, egress: [{}] }, ['Ingress', 'Egress']],
    ['omitted, empty egress list present', { podSelector: {}, egress: [] }, ['Ingress', 'Egress']],
    ['empty list behaves as omitted', { podSelector: {}, policyTypes: [], egress: [{}] }, ['Ingress', 'Egress']],
    ['explicit Egress only', { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] }, ['Egress']],
    ['explicit Ingress ignores egress rules', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] }, ['Ingress']],
    ['explicit both', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, ['Ingress', 'Egress']],
  ])('%s', (_name, spec, expected) => expect(effectivePolicyTypes(np('p', spec))).toEqual(expected));
});

describe('isolation', () => {
  it.each<[string, NetworkPolicy[], { ingress: boolean; egress: boolean }]>([
    ['no policies', [], { ingress: false, egress: false }],
    ['policy in another namespace', [np('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, 'other')], { ingress: false, egress: false }],
    ['default deny both', [np('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })], { ingress: true, egress: true }],
    ['ingress-only policy', [np('in', { podSelector: { matchLabels: { app: 'web' } }, ingress: [{}] })], { ingress: true, egress: false }],
    ['policy selecting another app', [np('x', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress', 'Egress'] })], { ingress: false, egress: false }],
    ['egress inferred from rules', [np('e', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front'] }] }, egress: [{}] })], { ingress: true, egress: true }],
    ['two policies combine', [np('a', { podSelector: {}, policyTypes: ['Egress'] }), np('b', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] })], { ingress: true, egress: true }],
  ])('%s', (_name, policies, expected) => {
    const result = isolation(policies, web);
    expect({ ingress: result.ingress, egress: result.egress }).toEqual(expected);
  });

  it('a workload is isolated only when every revision is', () => {
    const { snapshot } = snapshotFromObjects([np('in', { podSelector: { matchLabels: { version: 'v2' } }, policyTypes: ['Ingress'] })]);
    const workload = {
      kind: 'Deployment', namespace: 'shop', name: 'web', labels: {}, annotations: {}, specPath: 'spec.template.spec', source: 'pods' as const,
      replicas: 2, isStatic: false,
      revisions: [
        { spec: { containers: [] }, meta: { labels: { version: 'v2' } }, pods: 1 },
        { spec: { containers: [] }, meta: { labels: { version: 'v1' } }, pods: 1 },
      ],
    };
    expect(isolation(snapshot, workload).ingress).toBe(false);
    expect(isolation(snapshot, { ...workload, revisions: workload.revisions.slice(0, 1) }).ingress).toBe(true);
  });
});

describe('ipBlockContains', () => {
  it.each<[string, { cidr?: string; except?: string[] }, string, boolean]>([
    ['inside', { cidr: '10.0.0.0/8' }, '10.1.2.3', true],
    ['outside', { cidr: '10.0.0.0/8' }, '11.0.0.1', false],
    ['0.0.0.0/0', { cidr: '0.0.0.0/0' }, '169.254.169.254', true],
    ['except the host', { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] }, '169.254.169.254', false],
    ['except the link-local range', { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] }, '169.254.169.254', false],
    ['except elsewhere', { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] }, '169.254.169.254', true],
    ['IPv4 cidr does not match IPv6', { cidr: '0.0.0.0/0' }, 'fd00:ec2::254', false],
    ['::/0 does not match IPv4', { cidr: '::/0' }, '169.254.169.254', false],
    ['::/0 matches IPv6', { cidr: '::/0' }, 'fd00:ec2::254', true],
    ['IPv6 except', { cidr: '::/0', except: ['fd00:ec2::254/128'] }, 'fd00:ec2::254', false],
    ['IPv6 prefix', { cidr: 'fd00::/8' }, 'fd00:ec2::254', true],
    ['invalid cidr matches nothing', { cidr: 'not-a-cidr' }, '10.0.0.1', false],
    ['missing cidr matches nothing', {}, '10.0.0.1', false],
  ])('%s', (_name, block, ip, expected) => expect(ipBlockContains(block, ip)).toBe(expected));
});

describe('portsAllow', () => {
  const containers = [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }];
  it.each<[string, unknown, { port?: number; protocol?: string }, boolean, boolean]>([
    // [name, ports, query, for an IP, for a pod with named ports]
    ['absent = all', undefined, { port: 80 }, true, true],
    ['empty = all', [], { port: 80 }, true, true],
    ['numeric hit (protocol default TCP)', [{ port: 80 }], { port: 80, protocol: 'TCP' }, true, true],
    ['numeric miss', [{ port: 443 }], { port: 80 }, false, false],
    ['protocol mismatch', [{ protocol: 'UDP', port: 80 }], { port: 80 }, false, false],
    ['protocol only = all ports of it', [{ protocol: 'TCP' }], { port: 80 }, true, true],
    ['range contains', [{ port: 1, endPort: 1024 }], { port: 80 }, true, true],
    ['range edge', [{ port: 80, endPort: 90 }], { port: 90 }, true, true],
    ['range excludes', [{ port: 81, endPort: 90 }], { port: 80 }, false, false],
    ['named port never matches an IP', [{ port: 'http' }], { port: 8080 }, false, true],
    ['named port wrong number', [{ port: 'http' }], { port: 80 }, false, false],
    ['named port wrong protocol', [{ port: 'dns' }], { port: 53 }, false, false],
    ['named UDP port', [{ port: 'dns', protocol: 'UDP' }], { port: 53, protocol: 'UDP' }, false, true],
    ['any of several', [{ port: 443 }, { port: 80 }], { port: 80 }, true, true],
    ['lower-case query protocol', [{ port: 53, protocol: 'UDP' }], { port: 53, protocol: 'udp' }, true, true],
  ])('%s', (_name, ports, query, forIp, forPod) => {
    expect(portsAllow(ports as never, query)).toBe(forIp);
    expect(portsAllow(ports as never, query, containers)).toBe(forPod);
  });
});

describe('egressAllowed', () => {
  const denyAll = np('deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
  const dns = np('dns', {
    podSelector: {}, policyTypes: ['Egress'],
    egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }],
  });
  it.each<[string, NetworkPolicy[], boolean, boolean]>([
    // [name, policies, allowed, isolated]
    ['no policy: open', [], true, false],
    ['ingress-only policy: open', [np('in', { podSelector: {}, ingress: [{}] })], true, false],
    ['default deny', [denyAll], false, true],
    ['default deny + DNS', [denyAll, dns], false, true],
    ['egress rule with no to', [np('e', { podSelector: {}, egress: [{ ports: [{ port: 80 }] }] })], true, true],
    ['egress rule with empty rule object', [np('e', { podSelector: {}, egress: [{}] })], true, true],
    ['0.0.0.0/0', [np('e', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }] })], true, true],
    ['0.0.0.0/0 except IMDS', [np('e', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] })], false, true],
    ['except IMDS, but another policy reopens it (union)', [
      np('e', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }] }] }),
      np('open', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }] }),
    ], true, true],
    ['namespaceSelector {} never matches an IP', [np('e', { podSelector: {}, egress: [{ to: [{ namespaceSelector: {} }] }] })], false, true],
    ['podSelector {} never matches an IP', [np('e', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })], false, true],
    ['port 443 only', [np('e', { podSelector: {}, egress: [{ ports: [{ port: 443 }] }] })], false, true],
    ['range 1-1024', [np('e', { podSelector: {}, egress: [{ ports: [{ port: 1, endPort: 1024 }] }] })], true, true],
    ['named port does not match an IP', [np('e', { podSelector: {}, egress: [{ ports: [{ port: 'http' }] }] })], false, true],
    ['UDP only', [np('e', { podSelector: {}, egress: [{ ports: [{ protocol: 'UDP' }] }] })], false, true],
    ['egress rules of an Ingress-typed policy are ignored', [denyAll, np('x', { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] })], false, true],
    ['policy for another pod does not isolate', [np('x', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Egress'] })], true, false],
  ])('%s', (_name, policies, allowed, isolated) => {
    const verdict = egressAllowed(policies, web, IMDS);
    expect({ allowed: verdict.allowed, isolated: verdict.isolated }).toEqual({ allowed, isolated });
  });

  it('names the rule that allows the flow', () => {
    const open = np('open', { podSelector: {}, egress: [{ ports: [{ port: 443 }] }, { to: [{ ipBlock: { cidr: '169.254.0.0/16' } }] }] });
    const verdict = egressAllowed(new NetpolIndex([denyAll, open]), web, IMDS);
    expect(verdict.allowedBy?.policy.metadata?.name).toBe('open');
    expect(verdict.allowedBy?.rule).toBe(1);
  });

  it('checks each metadata target (IPv4, IPv6, Alibaba)', () => {
    const v4only = np('e', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32', '100.100.100.200/32'] } }] }] });
    expect(METADATA_TARGETS.map((t) => egressAllowed([v4only], web, t).allowed)).toEqual([false, false, false]);
    const both = np('e', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ipBlock: { cidr: '::/0' } }] }] });
    expect(METADATA_TARGETS.map((t) => egressAllowed([both], web, t).allowed)).toEqual([false, true, true]);
  });

  it('pod destinations: selectors match, named ports resolve on the destination', () => {
    const toDns = [denyAll, dns];
    const kubeDns = { namespace: 'kube-system', podLabels: { 'k8s-app': 'kube-dns' } };
    expect(egressAllowed(toDns, web, { ...kubeDns, port: 53, protocol: 'UDP' }).allowed).toBe(true);
    expect(egressAllowed(toDns, web, { ...kubeDns, port: 53, protocol: 'TCP' }).allowed).toBe(false);
    expect(egressAllowed(toDns, web, { namespace: 'kube-system', podLabels: { 'k8s-app': 'other' }, port: 53, protocol: 'UDP' }).allowed).toBe(false);
    const named = np('named', { podSelector: {}, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 'http' }] }] });
    const api = { namespace: 'shop', podLabels: { app: 'api' }, containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 8080 }] }], port: 8080 };
    expect(egressAllowed([named], web, api).allowed).toBe(true);
    expect(egressAllowed([named], web, { ...api, namespace: 'other' }).allowed).toBe(false);
  });

  it('accepts a snapshot and caches its index', () => {
    const { snapshot } = snapshotFromObjects([denyAll]);
    expect(netpolIndex(snapshot)).toBe(netpolIndex(snapshot));
    expect(egressAllowed(snapshot, web, IMDS).allowed).toBe(false);
  });
});

describe('ingressAllowedFrom', () => {
  const fromFront = np('front', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }], ports: [{ port: 'http' }] }],
  });
  const sameNs = np('same', { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }] });
  const both = np('both', {
    podSelector: {},
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'a' } }, podSelector: { matchLabels: { role: 'client' } } }] }],
  });
  const ipOnly = np('ip', { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.9/32'] } }], ports: [{ port: 443 }] }] });
  const target: PodRef = { ...web, containers: [{ name: 'web', ports: [{ name: 'http', containerPort: 8080 }] }] };
  const controller = { namespace: 'ingress-nginx', podLabels: { app: 'controller' } };

  it.each<[string, NetworkPolicy[], Parameters<typeof ingressAllowedFrom>[2], number | undefined, boolean]>([
    ['no policy: open', [], controller, 8080, true],
    ['namespace peer via metadata.name, named port', [fromFront], controller, 8080, true],
    ['named port resolves to 8080 only', [fromFront], controller, 80, false],
    ['other namespace denied', [fromFront], { namespace: 'shop', podLabels: { app: 'x' } }, 8080, false],
    ['podSelector alone = same namespace', [sameNs], { namespace: 'shop', podLabels: { role: 'client' } }, 80, true],
    ['podSelector alone: other namespace denied', [sameNs], { namespace: 'other', podLabels: { role: 'client' } }, 80, false],
    ['both selectors ANDed: hit', [both], { namespace: 'x', namespaceLabels: { team: 'a' }, podLabels: { role: 'client' } }, 80, true],
    ['both selectors ANDed: wrong pod', [both], { namespace: 'x', namespaceLabels: { team: 'a' }, podLabels: { role: 'other' } }, 80, false],
    ['both selectors ANDed: wrong namespace', [both], { namespace: 'x', namespaceLabels: { team: 'b' }, podLabels: { role: 'client' } }, 80, false],
    ['IP peer in block', [ipOnly], { ip: '203.0.113.5' }, 443, true],
    ['IP peer excepted', [ipOnly], { ip: '203.0.113.9' }, 443, false],
    ['IP peer wrong port', [ipOnly], { ip: '203.0.113.5' }, 80, false],
    ['selectors never match an IP', [sameNs], { ip: '10.0.0.1' }, 80, false],
    ['pod peer without IP does not match an ipBlock', [ipOnly], { namespace: 'shop', podLabels: {} }, 443, false],
    ['union of policies', [fromFront, sameNs], { namespace: 'shop', podLabels: { role: 'client' } }, 9000, true],
  ])('%s', (_name, policies, peer, port, expected) => {
    expect(ingressAllowedFrom(policies, target, peer, { port }).allowed).toBe(expected);
  });
});

describe('isDefaultDeny', () => {
  it.each<[string, Record<string, unknown>, boolean, boolean]>([
    // [name, spec, ingress deny, egress deny]
    ['deny both', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }, true, true],
    ['omitted types: ingress only', { podSelector: {} }, true, false],
    ['explicit empty ingress list', { podSelector: {}, ingress: [] }, true, false],
    ['allow-all ingress rule is not deny', { podSelector: {}, ingress: [{}] }, false, false],
    ['egress with rules (DNS allow) is not deny', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] }, false, false],
    ['selector must be empty', { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress', 'Egress'] }, false, false],
    ['empty matchLabels counts as {}', { podSelector: { matchLabels: {} }, policyTypes: ['Egress'] }, false, true],
  ])('%s', (_name, spec, ingress, egress) => {
    expect(isDefaultDeny(np('p', spec), 'Ingress')).toBe(ingress);
    expect(isDefaultDeny(np('p', spec), 'Egress')).toBe(egress);
  });
});
