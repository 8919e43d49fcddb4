/**
 * Exec credential plugins get a bounded wait (--timeout): one that hangs is stopped and the
 * scan ends with one line (exit 2). Real plugin scripts in a temp dir, run by client-node,
 * against the embedded API server; the last case runs the CLI as its own process to show
 * that nothing the plugin leaves behind keeps the tool alive.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import { startApiServer, type ApiServer } from '../../src/server/api-server.js';
import { isOneLineError, runCli } from '../helpers/cli.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(join(tmpdir(), '4c-exec-timeout-'));
const USER = '4c-tui-demo';
let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ objects: demoCluster(), tls: true, token: 'exec-token', version: DEMO_VERSION });
});

/** Processes the plugins started (their pids are written to files): none may outlive the tests. */
const leftovers: string[] = [];
afterAll(async () => {
  for (const file of leftovers) {
    if (!existsSync(file)) continue;
    try { process.kill(Number(readFileSync(file, 'utf8').trim()), 'SIGKILL'); } catch { /* already gone */ }
  }
  await server.close();
});

function plugin(name: string, body: string): string {
  const path = join(dir, `${name}.sh`);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function kubeconfigWith(name: string, command: string): string {
  const path = join(dir, `${name}.yaml`);
  const user = ['users:', `  - name: ${USER}`, '    user:', '      exec:', '        apiVersion: client.authentication.k8s.io/v1beta1', `        command: ${command}`, '        interactiveMode: Never'].join('\n');
  writeFileSync(path, server.kubeconfig().replace(/users:[\s\S]*?(?=preferences:)/, `${user}\n`));
  return path;
}

/** A plugin that never answers: a shell that waits on a child of its own (which inherits its stdout). */
function hangingPlugin(name: string): { command: string; shellPid: string; sleepPid: string } {
  const shellPid = join(dir, `${name}.shell.pid`);
  const sleepPid = join(dir, `${name}.sleep.pid`);
  leftovers.push(shellPid, sleepPid);
  const command = plugin(name, `echo $$ > '${shellPid}'\nsleep 120 &\necho $! > '${sleepPid}'\nwait`);
  return { command, shellPid, sleepPid };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

describe('exec credential plugin timeout', () => {
  it('a plugin that answers in time still authenticates the scan', async () => {
    const credential = JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: 'exec-token' } });
    const ok = plugin('answers', `sleep 0.2\necho '${credential}'`);
    const before = server.requests.length;
    const run = await runCli(['scan', '--kubeconfig', kubeconfigWith('answers', ok), '--format', 'json', '--fail-on', 'none', '--timeout', '5', '--layer', 'cluster']);
    expect(run.code, run.stderr).toBe(0);
    const answered = server.requests.slice(before);
    expect(answered.length).toBeGreaterThan(10);
    expect(answered.every((r) => r.status !== 401)).toBe(true);
  }, 30_000);

  it('a plugin that hangs: exit 2 within --timeout, one line naming the plugin and the user; the plugin is stopped', async () => {
    const hang = hangingPlugin('hangs');
    const before = server.requests.length;
    const started = performance.now();
    const run = await runCli(['scan', '--kubeconfig', kubeconfigWith('hangs', hang.command), '--timeout', '1']);
    const ms = performance.now() - started;
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toBe(`4c-tui: exec plugin "${hang.command}" for user "${USER}" did not answer within 1s — run it by hand to see why\n`);
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(10_000);
    // Nothing was sent without credentials.
    expect(server.requests.length).toBe(before);
    // The plugin's shell was killed (and reaped).
    const shell = Number(readFileSync(hang.shellPid, 'utf8').trim());
    expect(await until(() => !alive(shell), 5000)).toBe(true);
  }, 30_000);

  it('the CLI process exits although the hung plugin\'s own child still holds its output pipe', async () => {
    const hang = hangingPlugin('hangs-process');
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'src/cli.ts'), 'scan', '--kubeconfig', kubeconfigWith('hangs-process', hang.command), '--timeout', '1'], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '1', HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolveExit) => {
      const guard = setTimeout(() => { child.kill('SIGKILL'); resolveExit(null); }, 25_000);
      child.on('exit', (c) => { clearTimeout(guard); resolveExit(c); });
    });
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(/^4c-tui: exec plugin ".*hangs-process\.sh" for user "4c-tui-demo" did not answer within 1s — run it by hand to see why\n$/);
    // The plugin's own child (sleep 120) was orphaned, not waited for.
    expect(alive(Number(readFileSync(hang.sleepPid, 'utf8').trim()))).toBe(true);
  }, 40_000);
});
