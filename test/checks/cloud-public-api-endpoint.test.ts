import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { apiNetworkCommands, check, clusterInfoServers } from '../../checks/cloud/public-api-endpoint.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';
import type { KubeconfigInfo } from '../../src/engine/snapshot.js';
import type { Finding } from '../../src/engine/types.js';
import { evaluate, openTarget } from '../../src/scan.js';

const kubeconfig = (over: Partial<KubeconfigInfo>): KubeconfigInfo => ({
  context: 'ctx', cluster: 'c', user: 'u', server: 'https://api.example.com:6443', insecureSkipTlsVerify: false, authMethod: 'exec',
  serverAddresses: [], ...over,
});

function words(line: string, tool: string): string[] {
  const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `${tool}() { printf '%s\\n' "$@"; }\n${line}`], { env: { PATH: process.env.PATH, HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  expect(out.stderr).toBe('');
  return out.stdout.split('\n').slice(0, -1);
}

describe('cloud/public-api-endpoint', () => {
  it('is unable with the DNS error when nothing resolved, and names the verification commands', () => {
    const { snapshot } = snapshotFromObjects([], { kubeconfig: kubeconfig({ dnsError: 'getaddrinfo ENOTFOUND api.example.com' }), clusterInfo: null });
    const { result } = runCheck(check, snapshot);
    expect(result.status).toBe('unable');
    expect(result.reason).toContain('getaddrinfo ENOTFOUND api.example.com');
    expect(result.reason).toContain('network ACLs / authorized networks are not visible through the Kubernetes API — verify them');
    expect(result.reason).toContain('aws eks describe-cluster');
    expect(result.reason).toContain('gcloud container clusters describe');
    expect(result.reason).toContain('az aks show');
  });

  it('passes with the ACL note when every address is private', () => {
    const { snapshot } = snapshotFromObjects([], { kubeconfig: kubeconfig({ serverAddresses: ['10.1.2.3', 'fd00::5'] }), clusterInfo: null });
    const { result } = runCheck(check, snapshot);
    expect(result).toMatchObject({ status: 'pass' });
    expect(result.reason).toContain('verify them');
  });

  it('shows only the detected provider\'s commands, with the GKE cluster coordinates from the kubeconfig', () => {
    const node: K8sObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', labels: { 'cloud.google.com/gke-nodepool': 'default-pool' } } };
    const { snapshot } = snapshotFromObjects([node], {
      kubeconfig: kubeconfig({ cluster: 'gke_my-proj_europe-west1_prod', server: 'https://34.76.1.2', serverAddresses: ['34.76.1.2'] }), clusterInfo: null,
    });
    const [finding] = runCheck(check, snapshot).findings;
    const lines = finding?.remediation.command?.split('\n') ?? [];
    expect(lines.some((l) => l.startsWith('aws') || l.startsWith('az'))).toBe(false);
    const update = lines.find((l) => l.startsWith('gcloud container clusters update')) ?? '';
    expect(words(update, 'gcloud')).toEqual(['container', 'clusters', 'update', 'prod', '--location', 'europe-west1', '--project', 'my-proj',
      '--enable-master-authorized-networks', '--master-authorized-networks=<admin-cidr>']);
    expect(finding?.message).toContain('(provider: gcp)');
  });

  it('keys the finding on the server host, not its port or scheme; the message keeps the full URL', () => {
    const keyFor = (server: string) => {
      const { snapshot } = snapshotFromObjects([], { kubeconfig: kubeconfig({ server, serverAddresses: ['203.0.113.10'] }), clusterInfo: null });
      const [finding] = runCheck(check, snapshot).findings;
      expect(finding?.message).toContain(`(${server})`);
      return finding;
    };
    const a = keyFor('https://API.example.com:6443');
    const b = keyFor('https://api.example.com:37015');
    const c = keyFor('https://api.example.com');
    expect(a?.subject).toEqual({ kind: 'APIServer', name: 'api.example.com' });
    expect(b?.key).toBe(a?.key);
    expect(c?.key).toBe(a?.key);
    expect(a?.key).toBe('cloud/public-api-endpoint@APIServer/_/api.example.com');
    expect(keyFor('https://[2001:db8::1]:6443')?.subject.name).toBe('2001:db8::1');
  });

  it('gives the same finding key on two starts of the demo (its API server port is random)', async () => {
    // Both run at once, so their ports differ.
    const targets = [await openTarget({ demo: true })];
    let found: (readonly Finding[])[] = [];
    try {
      targets.push(await openTarget({ demo: true }));
      found = await Promise.all(targets.map(async (t) => (await evaluate(t, [check], { timeoutSeconds: 30 })).findings));
    } finally {
      await Promise.all(targets.map((t) => t.close()));
    }
    expect(found).toHaveLength(2);
    for (const f of found) expect(f).toHaveLength(1);
    const keys = found.map((f) => f[0]?.key);
    const servers = found.map((f) => f[0]?.message.match(/\((https:\/\/127\.0\.0\.1:\d+)\)/)?.[1]);
    expect(servers[0]).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(servers[1]).not.toBe(servers[0]);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[0]).toBe('cloud/public-api-endpoint@APIServer/_/127.0.0.1');
  }, 30_000);

  it('quotes a hostile kubeconfig cluster name in the provider commands', () => {
    const hostile = `prod'; touch /tmp/4c-pwned-api; echo '`;
    for (const line of apiNetworkCommands(['azure'], hostile).filter((l) => l.startsWith('az '))) {
      expect(words(line, 'az')).toContain(hostile);
    }
  });
});

describe('clusterInfoServers', () => {
  it('reads clusters[].cluster.server and ignores malformed YAML', () => {
    expect(clusterInfoServers('clusters:\n- cluster: {server: https://1.2.3.4:6443}\n- name: x\n')).toEqual(['https://1.2.3.4:6443']);
    expect(clusterInfoServers('clusters: [ {')).toEqual([]);
    expect(clusterInfoServers('just a string')).toEqual([]);
    expect(clusterInfoServers('clusters: 5')).toEqual([]);
    expect(clusterInfoServers(undefined)).toEqual([]);
  });
});
