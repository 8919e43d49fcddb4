/**
 * Bad input (issue 9): malformed kubeconfigs, corrupt or foreign settings files, unreadable
 * manifests, YAML alias bombs and 10 MB annotations. Where the tool cannot go on it says so in
 * one line (exit 2, no stack trace); where it can, it goes on with bounded memory; nothing the
 * user had is lost (a replaced settings file is backed up byte for byte first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createElement } from 'react';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { App, type AppDeps } from '../../components/app.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import type { ScanReport } from '../../src/report/json.js';
import { evaluate, openTarget } from '../../src/scan.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { openSettings } from '../../src/settings.js';
import { isOneLineError, runCli, type CliRun } from '../helpers/cli.js';
import { mount, type Mounted } from '../helpers/render.js';

const dir = mkdtempSync(join(tmpdir(), '4c-bad-input-'));
chmodSync(dir, 0o755);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let mounted: Mounted[] = [];
let servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(mounted.map((m) => m.unmount()));
  mounted = [];
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Exit 2 and exactly one line naming the cause, no stack trace. */
function oneLine(run: CliRun, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  expect(isOneLineError(run.stderr), run.stderr).toBe(true);
  expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(run.stderr).toMatch(pattern);
}

const kubeconfig = (cluster: string, user: string, current = 'dev') => [
  'apiVersion: v1', 'kind: Config', `current-context: ${current}`,
  `clusters: [{name: dev, cluster: {server: "https://127.0.0.1:6443", ${cluster}}}]`,
  'contexts: [{name: dev, context: {cluster: dev, user: dev-user}}]',
  `users: [{name: dev-user, user: {${user}}}]`,
].join('\n');

/** "Billion laughs": ten levels of nine aliases each (10^9 strings if expanded). */
function aliasBomb(head: string, key: string): string {
  const levels = [`  a0: &a0 [${Array(9).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < 10; i++) levels.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]`);
  return `${head}\n${key}:\n${levels.join('\n')}\n`;
}

describe('malformed kubeconfig', () => {
  it.each([
    ['a YAML syntax error', () => file('broken.yaml', 'apiVersion: v1\nclusters: [\n  - {name: x\n'), /kubeconfig \S+broken\.yaml is not valid: .*\(3:\d+\) — fix the file/],
    ['tabs in indentation', () => file('tabs.yaml', 'apiVersion: v1\n\tkind: Config\n'), /kubeconfig \S+tabs\.yaml is not valid: tab characters/],
    ['binary garbage', () => file('binary.yaml', Buffer.from([0, 1, 0xff, 0xfe, 0x41, 0])), /kubeconfig \S+binary\.yaml is not valid/],
    ['a current-context that is not defined', () => file('gone-ctx.yaml', kubeconfig('insecure-skip-tls-verify: true', 'token: t', 'prod')), /current-context "prod" is not defined in the kubeconfig — pick one with --context/],
    ['no current-context at all', () => file('no-ctx.yaml', kubeconfig('insecure-skip-tls-verify: true', 'token: t').replace(/current-context: .*\n/, '')), /has no current-context — pick one with --context NAME/],
    ['a missing certificate-authority file', () => file('no-ca.yaml', kubeconfig(`certificate-authority: ${join(dir, 'absent', 'ca.crt')}`, 'token: t')), /context "dev" names a missing file \S+absent\/ca\.crt \(certificate-authority of cluster "dev"\) — fix the path or embed the data/],
    ['missing client certificate files', () => file('no-cert.yaml', kubeconfig('insecure-skip-tls-verify: true', `client-certificate: ${join(dir, 'absent', 'client.crt')}, client-key: ${join(dir, 'absent', 'client.key')}`)), /names a missing file \S+absent\/client\.crt \(client-certificate of user "dev-user"\)/],
  ])('%s: exit 2, one line naming the file or the context', async (_name, make, pattern) => {
    oneLine(await runCli(['scan', '--kubeconfig', make(), '--timeout', '2']), pattern);
  });

  it('an unknown --context: one line listing the contexts', async () => {
    const path = file('ok.yaml', kubeconfig('insecure-skip-tls-verify: true', 'token: t'));
    oneLine(await runCli(['scan', '--kubeconfig', path, '--context', 'staging']), /context "staging" not found in the kubeconfig \(contexts: dev\)/);
  });

  it('an alias bomb in the kubeconfig does not expand', async () => {
    const path = file('bomb-kubeconfig.yaml', aliasBomb(kubeconfig('insecure-skip-tls-verify: true', 'token: t'), 'x-bomb'));
    const before = process.memoryUsage().rss;
    // Nothing listens on the server: the point is that loading the file ends, small, in one line.
    oneLine(await runCli(['scan', '--kubeconfig', path, '--timeout', '2']), /cannot reach the API server https:\/\/127\.0\.0\.1:6443 of context "dev"|kubeconfig \S+ is not valid/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('TUI: a broken kubeconfig shows in the status line and the app stays up', async () => {
    const path = file('broken-tui.yaml', 'apiVersion: v1\nclusters: [\n  - {name: x\n');
    const deps: AppDeps = {
      settings: openSettings({ cwd: mkdtempSync(join(dir, 'settings-')) }),
      copy: async (text) => ({ text, osc52: true, system: 'unavailable' }),
      openTarget: ({ context }) => openTarget({ kubeconfig: path, context }),
      evaluate,
      exportReport: async () => undefined,
    };
    const app = createElement(App, { deps, connection: { status: 'setup', demo: false, context: 'x' }, contexts: [], timeoutSeconds: 2, color: false, scanOnStart: true, initialLayer: 'cluster' });
    const m = await mount(app, { columns: 200, rows: 30 });
    mounted.push(m);
    const f = await m.waitFor((x) => (x.split('\n')[1] ?? '').includes('is not valid'), 'the kubeconfig error in the status line');
    expect(f).toContain('broken-tui.yaml');
    expect(f).toContain('Press d to open the demo cluster');
    await m.press('?');
    await m.waitFor((x) => /quit/i.test(x) && !x.includes('Press d to open'), 'the help overlay');
  });
});

describe('corrupt or foreign settings file', () => {
  const backupsIn = (d: string) => readdirSync(d).filter((f) => f.startsWith('config.json.bak-'));

  it.each([
    ['corrupt JSON', Buffer.from('{"theme": "dark", "acceptedRisks": [ oops\u0000\n')],
    ['a foreign file (YAML)', Buffer.from('apiVersion: v1\nkind: Config\nclusters: []\n')],
    ['a foreign JSON document (an array)', Buffer.from('[{"key": "x"}]')],
    ['binary bytes', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0xff])],
  ])('%s: backed up with the original bytes before replacement; the scan goes on and says so', async (_name, original) => {
    const xdg = mkdtempSync(join(dir, 'xdg-'));
    const settingsDir = join(xdg, '4c-tui');
    mkdirSync(settingsDir);
    writeFileSync(join(settingsDir, 'config.json'), original);
    const code = mkdtempSync(join(dir, 'code-'));
    writeFileSync(join(code, 'Dockerfile'), 'FROM alpine:3.20\nUSER 10001\n');
    const run = await runCli(['scan', '--layer', 'code', '--code', code, '--format', 'json', '--fail-on', 'none'], { XDG_CONFIG_HOME: xdg });
    expect(run.code, run.stderr).toBe(0);
    const [backup, ...more] = backupsIn(settingsDir);
    expect(more).toEqual([]);
    expect(readFileSync(join(settingsDir, backup!))).toEqual(original);
    expect(run.stderr).toMatch(new RegExp(`4c-tui: note: settings file \\S+config\\.json was (corrupt|not a settings file).*backed up to \\S+${backup!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.notices?.some((n) => n.includes(backup!))).toBe(true);
    // The replacement is a valid settings file again.
    expect(JSON.parse(readFileSync(join(settingsDir, 'config.json'), 'utf8'))).toMatchObject({ theme: 'auto' });
  });
});

/** Runs the CLI where permissions bite: in-process, or as `nobody` when the tests run as root (root reads anything). */
function runUnprivileged(args: readonly string[]): Promise<CliRun> {
  if (process.getuid?.() !== 0) return runCli(args);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), ...args], {
      uid: 65534, gid: 65534, cwd: dir, env: { PATH: process.env.PATH, HOME: dir, XDG_CONFIG_HOME: dir, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** As root the permission cases run as `nobody`, which needs to reach the repository (a clone under a 0700 temp dir cannot). */
const nobodyCanRun = process.getuid?.() !== 0 || spawnSync(process.execPath, ['-e', `require('node:fs').accessSync(${JSON.stringify(join(ROOT, 'node_modules/tsx/dist/cli.mjs'))})`], { uid: 65534, gid: 65534, stdio: 'ignore' }).status === 0;
if (!nobodyCanRun) console.log('notice: running as root and uid 65534 cannot reach this checkout; skipping the permission-denied manifest cases');

describe('unreadable manifests', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\nspec:\n  containers: [{name: web, image: nginx:1.27}]\n';

  it.skipIf(!nobodyCanRun)('a file without read permission: exit 2, one line naming it (pss and scan --manifests)', async () => {
    const denied = join(mkdtempSync(join(dir, 'deny-')), 'pod.yaml');
    chmodSync(join(denied, '..'), 0o755);
    writeFileSync(denied, pod);
    chmodSync(denied, 0o000);
    oneLine(await runUnprivileged(['pss', denied]), /pod\.yaml: cannot read \(EACCES\) — check the path and permissions/);
    const tree = mkdtempSync(join(dir, 'deny-tree-'));
    chmodSync(tree, 0o755);
    writeFileSync(join(tree, 'ok.yaml'), pod);
    mkdirSync(join(tree, 'private'), { mode: 0o000 });
    chmodSync(join(tree, 'private'), 0o000);
    oneLine(await runUnprivileged(['scan', '--manifests', tree, '--format', 'json']), /private: cannot read directory \(EACCES\)/);
  }, 30_000);

  it('a directory loop is walked once; a symlink loop named directly is one line', async () => {
    const tree = mkdtempSync(join(dir, 'loop-'));
    mkdirSync(join(tree, 'apps'));
    writeFileSync(join(tree, 'apps', 'pod.yaml'), pod);
    symlinkSync('..', join(tree, 'apps', 'up'));
    symlinkSync(join(tree, 'apps'), join(tree, 'apps', 'again'));
    symlinkSync('self.yaml', join(tree, 'self.yaml'));
    const t = performance.now();
    const run = await runCli(['pss', tree, '--format', 'json']);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(run.code, run.stderr).toBe(1);
    const entries = JSON.parse(run.stdout) as { name: string }[];
    expect(entries.map((e) => e.name)).toEqual(['web']);
    oneLine(await runCli(['pss', join(tree, 'self.yaml')]), /self\.yaml: cannot read \(ELOOP\)/);
  });
});

describe('YAML alias bombs in manifests', () => {
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: lol, namespace: default}\nspec:\n  containers: [{name: c, image: nginx}]';

  it.each([
    ['pss', (path: string) => ['pss', path]],
    ['scan --manifests', (path: string) => ['scan', '--manifests', path, '--format', 'json']],
  ])('%s: one clear line, bounded time and memory', async (_name, args) => {
    const path = file(`bomb-${_name.replace(/\W+/g, '-')}.yaml`, `---\n${pod}\n---\n${aliasBomb(pod, 'x-lol')}`);
    const before = process.memoryUsage().rss;
    const t = performance.now();
    const run = await runCli(args(path));
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
    oneLine(run, /bomb-\S+\.yaml:8: too many YAML alias expansions \(limit \d+\) — the document looks like an alias bomb/);
  });
});

describe('10 MB annotations served by the API server', () => {
  it('the scan completes with bounded memory and never echoes the annotation', async () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const objects: K8sObject[] = [
      ...demoCluster(),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'huge', uid: 'huge-ns', annotations: { 'example.com/blob': big } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'huge', namespace: 'huge', uid: 'huge-pod', annotations: { 'example.com/blob': big } }, spec: { containers: [{ name: 'c', image: 'nginx:latest', securityContext: { privileged: true } }] }, status: { phase: 'Running' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'huge', namespace: 'huge', uid: 'huge-secret', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': big, 'example.com/blob': big } }, type: 'Opaque', data: { k: 'dg==' } } as K8sObject,
    ];
    const server = await startApiServer({ objects, tls: true, token: 'big', version: DEMO_VERSION });
    servers.push(server);
    const path = join(dir, 'big.yaml');
    await server.writeKubeconfig(path);
    const before = process.memoryUsage().rss;
    const run = await runCli(['scan', '--kubeconfig', path, '--format', 'json', '--fail-on', 'none', '--timeout', '30']);
    const grown = process.memoryUsage().rss - before;
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(report.findings.some((f) => f.subject.name === 'huge' && f.checkId === 'container/privileged')).toBe(true);
    // Loose bounds: ~40 MB of annotations on the wire must not turn into gigabytes or a giant report.
    expect(grown).toBeLessThan(1024 * 1024 * 1024);
    expect(run.stdout.length).toBeLessThan(5 * 1024 * 1024);
    expect(run.stdout).not.toContain('x'.repeat(10_000));
  }, 60_000);
});
