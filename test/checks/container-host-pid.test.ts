/**
 * A hostile object name must stay one shell word in the generated R-WL command: run the
 * command through bash with kubectl stubbed as a function that prints its arguments.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { check as hostNetwork } from '../../checks/container/host-network.js';
import { check as hostPid } from '../../checks/container/host-pid.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runCheck } from '../../src/engine/run.js';

const HOSTILE = `x'; touch pwned; echo '$(touch pwned2)\`touch pwned3\``;

let dir = '';
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), '4c-hostile-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs one command line with kubectl printing its words, one per line. */
function words(line: string): string[] {
  const out = spawnSync('bash', ['--norc', '--noprofile', '-c', `kubectl() { printf '%s\\n' "$@"; }\n${line}`], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  expect(out.stderr).toBe('');
  expect(out.status).toBe(0);
  return out.stdout.split('\n').slice(0, -1);
}

function pwned(): boolean {
  return ['pwned', 'pwned2', 'pwned3'].some((f) => existsSync(join(dir, f)));
}

const pod = (name: string, namespace: string): K8sObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace },
  spec: { hostPID: true, hostNetwork: true, containers: [{ name: 'c', image: 'busybox:1.36' }] }, status: { phase: 'Running' },
});
const deployment = (name: string, namespace: string): K8sObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace, uid: 'd-1' },
  spec: { template: { spec: { hostPID: true, containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
});

describe('container/host-pid with a hostile name', () => {
  it('keeps the Deployment name and namespace one word each in the patch command', () => {
    const { snapshot } = snapshotFromObjects([deployment(HOSTILE, HOSTILE)]);
    const { findings } = runCheck(hostPid, snapshot);
    expect(findings).toHaveLength(1);
    const command = findings[0]?.remediation.command ?? '';
    expect(command.split('\n')).toHaveLength(1);
    const w = words(command);
    expect(w).toEqual(['-n', HOSTILE, 'patch', 'deployment', HOSTILE, '--type=strategic', '-p', '{"spec":{"template":{"spec":{"hostPID":false}}}}']);
    expect(pwned()).toBe(false);
  });

  it('keeps a bare Pod name one word in the export/replace sequence (incl. the > redirection)', () => {
    const { snapshot } = snapshotFromObjects([pod(HOSTILE, 'ns')]);
    const { findings } = runCheck(hostPid, snapshot);
    const lines = (findings[0]?.remediation.command ?? '').split('\n');
    expect(lines).toHaveLength(3);
    expect(words(lines[0] ?? '')).toEqual([]); // stdout went to the file
    expect(existsSync(join(dir, `${HOSTILE}.yaml`))).toBe(true);
    expect(words(lines[1] ?? '')).toEqual([]); // a comment
    expect(words(lines[2] ?? '')).toEqual(['replace', '--force', '-f', `${HOSTILE}.yaml`]);
    expect(pwned()).toBe(false);
  });

  it('the stub really executes injected commands (the test can fail)', () => {
    words(`kubectl -n x; touch pwned`);
    expect(pwned()).toBe(true);
  });
});

describe('container/host-network patch', () => {
  it('sets hostNetwork false and dnsPolicy ClusterFirst', () => {
    const { snapshot } = snapshotFromObjects([{ ...deployment('api', 'shop'), spec: { template: { spec: { hostNetwork: true, containers: [{ name: 'c' }] } } } }]);
    const { findings } = runCheck(hostNetwork, snapshot);
    const w = words(findings[0]?.remediation.command ?? '');
    expect(JSON.parse(w[w.length - 1] ?? '')).toEqual({ spec: { template: { spec: { hostNetwork: false, dnsPolicy: 'ClusterFirst' } } } });
  });

  it('marks findings in system namespaces as scope system', () => {
    const { snapshot } = snapshotFromObjects([pod('kube-proxy-abc', 'kube-system')]);
    expect(runCheck(hostNetwork, snapshot).findings.map((f) => f.scope)).toEqual(['system']);
  });
});
