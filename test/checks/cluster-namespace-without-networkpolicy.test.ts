import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { check, defaultDenyPatch } from '../../checks/cluster/namespace-without-networkpolicy.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

describe('R-NP-DENY patch', () => {
  it('is a default-deny policy (plus a DNS allow) in the namespace', () => {
    const docs = parseAllDocuments(defaultDenyPatch('shop')).map((d) => d.toJS());
    expect(docs[0]).toEqual({
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'default-deny-all', namespace: 'shop' },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    expect(docs[1]).toMatchObject({ metadata: { name: 'allow-dns-egress', namespace: 'shop' }, spec: { policyTypes: ['Egress'] } });
  });

  it('keeps a hostile namespace name inside the YAML and the quoted heredoc', () => {
    const hostile = "x\nEOF\ntouch pwned\n'\"";
    const { snapshot } = snapshotFromObjects([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: hostile } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: hostile }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } },
    ]);
    const [finding] = runCheck(check, snapshot).findings;
    const command = finding?.remediation.command ?? '';
    expect(command.startsWith("kubectl apply -f - <<'EOF'\n")).toBe(true);
    // kubectl stub echoes stdin: what kubectl would receive must be the patch, namespace intact.
    const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `kubectl() { cat; }\n${command}`], {
      cwd: tmpdir(), env: { PATH: process.env.PATH, HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe(finding?.remediation.patch);
    expect(parseAllDocuments(out.stdout).map((d) => (d.toJS() as { metadata: { namespace: string } }).metadata.namespace)).toEqual([hostile, hostile]);
  });
});
