import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKubeconfig } from '../../src/cluster/kubeconfig.js';
import { UserError } from '../../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), '4c-kc-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function config(name: string, opts: { current?: string; server?: string; user?: string } = {}): string {
  return [
    'apiVersion: v1', 'kind: Config',
    `current-context: ${opts.current ?? name}`,
    `clusters: [{name: ${name}, cluster: {server: "${opts.server ?? 'https://10.1.2.3:6443'}"}}]`,
    `contexts: [{name: ${name}, context: {cluster: ${name}, user: ${name}}}]`,
    `users: [{name: ${name}, user: ${opts.user ?? '{token: abc}'}}]`,
  ].join('\n');
}
async function failure(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(UserError);
  const e = error as UserError;
  expect(e.message.split('\n')).toHaveLength(1);
  return e;
}

describe('loadKubeconfig', () => {
  it('loads --kubeconfig and reports the context, server and auth method', async () => {
    const kc = await loadKubeconfig({ path: file('a.yaml', config('alpha')), env: {} });
    expect(kc).toMatchObject({ context: 'alpha', cluster: 'alpha', server: 'https://10.1.2.3:6443', authMethod: 'token', insecureSkipTlsVerify: false });
  });

  it('classifies exec and client-certificate users', async () => {
    const exec = await loadKubeconfig({ path: file('e.yaml', config('eks', { user: '{exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: aws, args: [eks, get-token]}}' })), env: {} });
    expect(exec.authMethod).toBe('exec');
    const cert = await loadKubeconfig({ path: file('c.yaml', config('kind', { user: '{client-certificate-data: QUJD, client-key-data: QUJD}' })), env: {} });
    expect(cert.authMethod).toBe('client-certificate');
  });

  it('merges every $KUBECONFIG path like kubectl: first current-context wins, missing files skipped', async () => {
    const a = file('m1.yaml', config('one'));
    const b = file('m2.yaml', config('two'));
    const env = { KUBECONFIG: [join(dir, 'missing.yaml'), a, b].join(delimiter) };
    expect((await loadKubeconfig({ env })).context).toBe('one');
    expect((await loadKubeconfig({ env, context: 'two' })).server).toBe('https://10.1.2.3:6443');
  });

  it('fails with one line for a missing file, bad YAML, an unknown context, or nothing at all', async () => {
    expect((await failure(loadKubeconfig({ path: join(dir, 'nope.yaml'), env: {} }))).kind).toBe('no-kubeconfig');
    const bad = await failure(loadKubeconfig({ path: file('bad.yaml', 'clusters: [\n  - {name: x'), env: {} }));
    expect(bad.kind).toBe('bad-kubeconfig');
    expect(bad.message).toContain('bad.yaml');
    const ctx = await failure(loadKubeconfig({ path: file('u.yaml', config('alpha')), context: 'prod', env: {} }));
    expect(ctx.kind).toBe('unknown-context');
    expect(ctx.message).toContain('contexts: alpha');
    const none = await failure(loadKubeconfig({ env: { HOME: mkdtempSync(join(tmpdir(), '4c-home-')) } }));
    expect(none.kind).toBe('no-kubeconfig');
    expect(none.message).toContain('--demo');
  });

  it('refuses a context whose cluster has no server', async () => {
    const e = await failure(loadKubeconfig({ path: file('ns.yaml', config('x').replace(/cluster: \{server: "[^"]*"\}/, 'cluster: {}')), env: {} }));
    expect(e.kind).toBe('bad-kubeconfig');
  });
});
