/**
 * Fault matrix (issue 9): the demo cluster behind the embedded API server, with one fault at a
 * time, through `scan` (in-process CLI, JSON report) and through the TUI (the real App with the
 * real openTarget/evaluate). A scan never hangs and never crashes: a fault that leaves nothing to
 * scan is one line on stderr (exit 2) or in the TUI's status line; a fault that hides some data
 * makes exactly the checks that need it `unable` with the reason, the report says so in its
 * notices, and every other check ends as it does on a clean run. The TUI stays usable throughout.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { App, type AppDeps } from '../../components/app.js';
import { DEMO_VERSION, demoCluster } from '../../src/demo/cluster.js';
import type { K8sObject } from '../../src/engine/k8s.js';
import { RESOURCES, isResourceName, rbacResource, resourceInfo, type ResourceName } from '../../src/engine/resources.js';
import type { Check, DataNeed } from '../../src/engine/types.js';
import type { ScanReport } from '../../src/report/json.js';
import { evaluate, openTarget } from '../../src/scan.js';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../src/server/api-server.js';
import { openSettings } from '../../src/settings.js';
import { isOneLineError, runCli, type CliRun } from '../helpers/cli.js';
import { KEYS, mount, type Mounted } from '../helpers/render.js';

const dir = mkdtempSync(join(tmpdir(), '4c-faults-'));
const CONTEXT = '4c-tui-demo';
let started: ApiServer[] = [];
let mounted: Mounted[] = [];

async function server(options: Partial<ApiServerOptions> = {}): Promise<{ server: ApiServer; kubeconfig: string }> {
  const s = await startApiServer({ objects: demoCluster(), tls: true, token: 'fault-token', version: DEMO_VERSION, ...options });
  started.push(s);
  const kubeconfig = join(dir, `kubeconfig-${started.length}.yaml`);
  await s.writeKubeconfig(kubeconfig);
  return { server: s, kubeconfig };
}

async function scanJson(kubeconfig: string, ...extra: string[]): Promise<{ run: CliRun; report: ScanReport; ms: number }> {
  const t = performance.now();
  const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none', '--timeout', '5', ...extra]);
  const ms = performance.now() - t;
  expect(run.code, run.stderr).toBe(0);
  return { run, report: JSON.parse(run.stdout) as ScanReport, ms };
}

/** check id → "status findings": what must not move when unrelated data goes missing. */
const outcome = (r: ScanReport) => new Map(r.checks.map((c) => [c.id, `${c.status} ${c.findings}`]));
const keys = (r: ScanReport) => r.findings.map((f) => f.key).sort();

/** The data needs a kind's 403 takes away (ConfigMaps also back cluster-info and the system ConfigMaps). */
const needsLostWith = (kind: ResourceName): DataNeed[] => (kind === 'configmaps' ? ['configmaps', 'cluster-info', 'system-configmaps'] : [kind]);
const requires = (c: Check, lost: readonly DataNeed[]) => c.needs.some((n) => lost.includes(n));
const mayUse = (c: Check, lost: readonly DataNeed[]) => (c.optionalNeeds ?? []).some((n) => lost.includes(n));

/** Every kind some check reads; ConfigMaps too (read one by one for cluster-info and the system ConfigMaps). */
const KINDS = [...new Set(CHECKS.flatMap((c) => [...c.needs, ...(c.optionalNeeds ?? [])]))].filter(isResourceName).sort();

function deps(kubeconfig: string): AppDeps {
  return {
    settings: openSettings({ cwd: mkdtempSync(join(dir, 'settings-')) }),
    copy: async (text) => ({ text, osc52: true, system: 'unavailable' }),
    openTarget: ({ context }) => openTarget({ kubeconfig, context }),
    evaluate,
    exportReport: async () => undefined,
  };
}

async function tui(kubeconfig: string, timeoutSeconds = 5): Promise<Mounted> {
  const m = await mount(<App deps={deps(kubeconfig)} connection={{ status: 'setup', demo: false, context: CONTEXT }} contexts={[CONTEXT]} timeoutSeconds={timeoutSeconds} color={false} scanOnStart={true} initialLayer="cluster" />, { columns: 200, rows: 40 });
  mounted.push(m);
  return m;
}

/** The header's status line (second line of the frame). */
const statusLine = (frame: string) => frame.split('\n')[1] ?? '';
const scanned = (f: string) => /scanned in \d/.test(f);

/** Keys still work with no cluster: help opens and closes, the command line answers. */
async function usableWhileFailed(m: Mounted, fault: string): Promise<void> {
  await m.press('?');
  await m.waitFor((f) => /quit/i.test(f) && !f.includes('Press d to open the demo cluster'), 'the help overlay');
  await m.press(KEYS.escape);
  await m.waitFor((f) => f.includes('Press d to open the demo cluster'), 'back on the failure');
  await m.press(':');
  await m.type('ctx');
  await m.press(KEYS.enter);
  const f = await m.waitFor((x) => x.includes(`contexts: ${CONTEXT}`), 'the :ctx answer');
  expect(statusLine(f)).toContain(fault);
}

/** Keys still work: tabs switch, help opens and closes. */
async function stillUsable(m: Mounted): Promise<void> {
  await m.press('3');
  await m.waitFor((f) => f.includes('Privileged container'), 'the container tab after a fault');
  await m.press('?');
  await m.waitFor((f) => /ctrl-r/i.test(f) && /quit/i.test(f), 'the help overlay');
  await m.press(KEYS.escape);
  await m.press('2');
  await m.waitFor((f) => f.includes('Subjects bound to cluster-admin'), 'the cluster tab');
}

afterEach(async () => {
  await Promise.all(mounted.map((m) => m.unmount()));
  mounted = [];
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  started = [];
});

describe('403 on each kind in turn', () => {
  let shared: { server: ApiServer; kubeconfig: string };
  let clean: ScanReport;
  beforeAll(async () => {
    // Serve every kind (empty when the demo has none) so each one can be forbidden.
    shared = await server({ serve: RESOURCES.map((r) => r.name) });
    clean = (await scanJson(shared.kubeconfig)).report;
    expect(clean.checks.filter((c) => c.status === 'error')).toEqual([]);
  }, 60_000);

  it('covers every kind the catalog reads', () => {
    expect(KINDS.length).toBeGreaterThan(30);
    expect(KINDS).toContain('secrets');
    expect(KINDS).toContain('pods');
  });

  it.each(KINDS)('%s: its checks are unable naming the permission, every other check is unchanged', async (kind) => {
    shared.server.setFaults({ forbidden: [kind] });
    const { run, report } = await scanJson(shared.kubeconfig);
    const lost = needsLostWith(kind);
    const before = outcome(clean);
    const reason = kind === 'configmaps' ? /^missing permission: get configmaps in kube-(system|public) / : `missing permission: list ${rbacResource(resourceInfo(kind))}`;
    for (const check of CHECKS) {
      const result = report.checks.find((c) => c.id === check.id);
      expect(result, check.id).toBeDefined();
      expect(result?.status, `${check.id}: ${result?.reason}`).not.toBe('error');
      const cleanResult = clean.checks.find((c) => c.id === check.id);
      // A required need that was already missing on the clean run (an opt-in) keeps that reason.
      const alreadyMissing = cleanResult?.status === 'not-applicable' || cleanResult?.status === 'unable';
      if (requires(check, lost) && !alreadyMissing) {
        expect(result?.status, check.id).toBe('unable');
        if (typeof reason === 'string') expect(result?.reason, check.id).toBe(reason);
        else expect(result?.reason, check.id).toMatch(reason);
      } else if (!requires(check, lost) && !mayUse(check, lost)) {
        expect(`${result?.status} ${result?.findings}`, `${check.id} changed although it does not read ${kind}`).toBe(before.get(check.id));
      }
    }
    if (kind !== 'configmaps') {
      expect(report.notices).toContain(`missing permission: list ${rbacResource(resourceInfo(kind))}`);
    } else {
      expect(report.notices?.some((n) => /^missing permission: get configmaps in kube-/.test(n))).toBe(true);
    }
    expect(run.stderr).toMatch(/4c-tui: note: missing permission: (list|get)/);
    // The server really refused it: no silent skip.
    expect(shared.server.requests.some((r) => r.status === 403)).toBe(true);
  });

  it('TUI: a forbidden kind makes its checks UNABLE, shows the missing permission in the status line, keys keep working', async () => {
    shared.server.setFaults({ forbidden: ['pods'] });
    const m = await tui(shared.kubeconfig);
    const f = await m.waitFor(scanned, 'the scan', 30_000);
    expect(statusLine(f)).toContain('⚠ partial: missing permission: list pods');
    expect(f).toMatch(/UNABLE/);
    await stillUsable(m);
    expect(statusLine(m.frame())).toContain('missing permission: list pods');
  });
});

describe('credentials and TLS', () => {
  let s: { server: ApiServer; kubeconfig: string };
  beforeAll(async () => {
    s = await server();
  });

  it('401 / expired token: exit 2, one line naming the context and how to log in again', async () => {
    s.server.setFaults({ unauthorized: true });
    const run = await runCli(['scan', '--kubeconfig', s.kubeconfig, '--timeout', '5']);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toContain(`context "${CONTEXT}"`);
    expect(run.stderr).toMatch(/401 Unauthorized.*log in again/);
  });

  it('TUI: 401 shows the same line in the status line; keys keep working', async () => {
    s.server.setFaults({ unauthorized: true });
    const m = await tui(s.kubeconfig);
    const f = await m.waitFor((x) => statusLine(x).includes('401 Unauthorized'), 'the 401 in the status line', 30_000);
    expect(statusLine(f)).toContain(`context "${CONTEXT}"`);
    expect(f).toContain('Press d to open the demo cluster');
    await usableWhileFailed(m, '401 Unauthorized');
  });

  it('an unknown CA: exit 2, one line naming TLS and the context', async () => {
    s.server.setFaults({});
    const other = await server({ objects: [] });
    const text = s.server.kubeconfig().replace(/certificate-authority-data: \S+/, `certificate-authority-data: ${other.server.caData}`);
    const path = join(dir, 'unknown-ca.yaml');
    writeFileSync(path, text);
    const run = await runCli(['scan', '--kubeconfig', path, '--timeout', '5']);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/TLS verification of https:\/\/127\.0\.0\.1:\d+ failed for context "4c-tui-demo".*certificate-authority/);

    const m = await tui(path);
    const f = await m.waitFor((x) => statusLine(x).includes('TLS verification'), 'the TLS failure in the status line', 30_000);
    expect(f).toContain('Press d to open the demo cluster');
    await usableWhileFailed(m, 'TLS verification');
  }, 40_000);

  it('TLS spoken to a plain-HTTP server: exit 2, one line', async () => {
    const plain = await server({ tls: false });
    const path = join(dir, 'https-to-http.yaml');
    writeFileSync(path, plain.server.kubeconfig().replace('http://', 'https://').replace('insecure-skip-tls-verify: true', `certificate-authority-data: ${s.server.caData}`));
    const run = await runCli(['scan', '--kubeconfig', path, '--timeout', '5']);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/TLS verification of https:\/\/127\.0\.0\.1:\d+ failed for context "4c-tui-demo": the server did not answer in TLS \(is it plain http:\/\/\?\)/);
  });

  describe('exec credential plugins', () => {
    const withPlugin = (name: string, command: string): string => {
      const path = join(dir, `${name}.yaml`);
      const user = ['users:', `  - name: ${CONTEXT}`, '    user:', '      exec:', '        apiVersion: client.authentication.k8s.io/v1beta1', `        command: ${command}`, '        interactiveMode: Never'].join('\n');
      writeFileSync(path, s.server.kubeconfig().replace(/users:[\s\S]*?(?=preferences:)/, `${user}\n`));
      return path;
    };

    it('missing: exit 2, one line naming the plugin and how to fix it', async () => {
      const path = withPlugin('missing-plugin', join(dir, 'no-such-dir', 'kubelogin-4c'));
      const run = await runCli(['scan', '--kubeconfig', path, '--timeout', '5']);
      expect(run.code).toBe(2);
      expect(isOneLineError(run.stderr), run.stderr).toBe(true);
      expect(run.stderr).toContain('credential plugin "');
      expect(run.stderr).toContain('kubelogin-4c" of user "4c-tui-demo" (context "4c-tui-demo") was not found');
      expect(run.stderr).toContain('install it');
    });

    it('failing (exit 1 with a message, and silently): exit 2, one line naming the plugin and its message', async () => {
      const loud = join(dir, 'plugin-fails.sh');
      writeFileSync(loud, '#!/bin/sh\necho "error: the refresh token expired; run kubelogin" >&2\necho "second line" >&2\nprintf "\\033]52;c;cHduZWQ=\\007" >&2\nexit 1\n');
      chmodSync(loud, 0o755);
      const run = await runCli(['scan', '--kubeconfig', withPlugin('failing-plugin', loud), '--timeout', '5']);
      expect(run.code).toBe(2);
      expect(isOneLineError(run.stderr), run.stderr).toBe(true);
      expect(run.stderr).toContain('plugin-fails.sh" of user "4c-tui-demo" (context "4c-tui-demo") failed: error: the refresh token expired; run kubelogin');
      expect(run.stderr).toContain('log in again');
      expect(run.stderr).not.toContain('\u001b');

      const quiet = join(dir, 'plugin-quiet.sh');
      writeFileSync(quiet, '#!/bin/sh\nexit 1\n');
      chmodSync(quiet, 0o755);
      const silent = await runCli(['scan', '--kubeconfig', withPlugin('quiet-plugin', quiet), '--timeout', '5']);
      expect(silent.code).toBe(2);
      expect(isOneLineError(silent.stderr), silent.stderr).toBe(true);
      expect(silent.stderr).toContain('plugin-quiet.sh" of user "4c-tui-demo" (context "4c-tui-demo") failed: it exited with an error and printed nothing');

      const m = await tui(withPlugin('failing-plugin-tui', loud));
      const f = await m.waitFor((x) => statusLine(x).includes('credential plugin'), 'the plugin failure in the status line', 30_000);
      expect(statusLine(f)).toContain('plugin-fails.sh');
      await usableWhileFailed(m, 'credential plugin');
    }, 40_000);
  });
});

describe('a server that goes away mid-scan', () => {
  it('scan: ends promptly; what was not read makes its checks unable; the report says the scan was partial', async () => {
    const clean = await server();
    const before = (await scanJson(clean.kubeconfig)).report;
    // /version and /apis answer, then a few lists; then the server is gone.
    const dying = await server({ faults: { dieAfterRequests: 6 } });
    const { run, report, ms } = await scanJson(dying.kubeconfig);
    expect(ms).toBeLessThan(20_000);
    expect(report.notices?.[0]).toMatch(/^partial scan: the API server https:\/\/127\.0\.0\.1:\d+ stopped answering \(.+\) — \d+ of \d+ data sources could not be read and the checks that need them are unable; scan again when the cluster is reachable$/);
    expect(run.stderr).toContain('4c-tui: note: partial scan:');
    const unreadable = report.checks.filter((c) => c.status === 'unable' && /^could not (list|read) .*(connection refused|ECONNRESET|socket hang up)/.test(c.reason ?? ''));
    expect(unreadable.length).toBeGreaterThan(10);
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
    // What was lost, from the notices; checks that need none of it end as on a clean run.
    const lost: DataNeed[] = [
      ...KINDS.filter((k) => report.notices?.some((n) => n.startsWith(`could not list ${rbacResource(resourceInfo(k))}:`))),
      ...(['cluster-info', 'system-configmaps'] as const).filter((n) => report.notices?.some((x) => x.startsWith(`could not read ${n}:`))),
    ];
    expect(lost.length).toBeGreaterThan(5);
    const was = outcome(before);
    for (const check of CHECKS) {
      const c = report.checks.find((x) => x.id === check.id);
      if (requires(check, lost)) expect(c?.status === 'unable' || c?.status === was.get(check.id)?.split(' ')[0], check.id).toBe(true);
      else if (!mayUse(check, lost)) expect(`${c?.status} ${c?.findings}`, check.id).toBe(was.get(check.id));
    }
  }, 40_000);

  it('TUI: the status line says the scan was partial; a rescan says the cluster is gone; keys keep working', async () => {
    const dying = await server({ faults: { dieAfterRequests: 6 } });
    const m = await tui(dying.kubeconfig);
    const f = await m.waitFor(scanned, 'the scan', 30_000);
    expect(statusLine(f), f).toMatch(/⚠ partial scan: the API server https:\/\/127\.0\.0\.1:\d+ stopped answering/);
    expect(f).toMatch(/UNABLE/);
    await m.press(KEYS.ctrlR);
    await m.waitFor((x) => statusLine(x).includes('not connected: cannot reach the API server'), 'the lost connection in the status line', 30_000);
    await stillUsable(m);
  });
});

describe('throttling and server errors', () => {
  let shared: { server: ApiServer; kubeconfig: string };
  let clean: ScanReport;
  beforeAll(async () => {
    shared = await server();
    clean = (await scanJson(shared.kubeconfig)).report;
  }, 60_000);

  it('a storm of 429s with Retry-After and 500s: the scan waits as told, finishes, and finds the same', async () => {
    shared.server.setFaults({ errorRate: 0.3, seed: 11, retryAfterSeconds: 1 });
    const { report, ms } = await scanJson(shared.kubeconfig);
    const statuses = new Set(shared.server.requests.map((r) => r.status));
    expect(statuses.has(429) && statuses.has(500)).toBe(true);
    // Retry-After: 1 was honoured (a lower bound cannot flake).
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(outcome(report)).toEqual(outcome(clean));
    expect(keys(report)).toEqual(keys(clean));
    expect(report.notices ?? []).toEqual(clean.notices ?? []);
  });

  it('TUI: the same storm ends in a complete scan with no fault in the status line', async () => {
    shared.server.setFaults({ errorRate: 0.3, seed: 5, retryAfterSeconds: 0 });
    const m = await tui(shared.kubeconfig);
    const f = await m.waitFor(scanned, 'the scan', 30_000);
    expect(statusLine(f)).not.toContain('⚠');
    expect(f).not.toMatch(/UNABLE/);
    await stillUsable(m);
  });
});

describe('410 Gone during pagination', () => {
  /** More pods than one page (500), so the pod list needs continue tokens. */
  const extraPods: K8sObject[] = Array.from({ length: 600 }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `batch-${String(i).padStart(4, '0')}`, namespace: 'batch', uid: `batch-pod-${i}`, labels: { app: 'batch' } },
    spec: { containers: [{ name: 'worker', image: 'registry.example.com/batch/worker:1.4.2', resources: { limits: { cpu: '100m', memory: '64Mi' } } }] },
    status: { phase: 'Running', qosClass: 'Guaranteed' },
  }));

  let s: { server: ApiServer; kubeconfig: string };
  beforeAll(async () => {
    s = await server({ objects: [...demoCluster(), ...extraPods] });
  });

  it('scan re-lists from the start and finds the same as a clean run', async () => {
    const clean = (await scanJson(s.kubeconfig)).report;
    s.server.setFaults({ expireContinue: 2 });
    const { report } = await scanJson(s.kubeconfig);
    expect(s.server.requests.filter((r) => r.status === 410)).toHaveLength(2);
    expect(outcome(report)).toEqual(outcome(clean));
    expect(keys(report)).toEqual(keys(clean));
  }, 60_000);

  it('TUI: the scan completes with no fault in the status line', async () => {
    const gone = () => s.server.requests.filter((r) => r.status === 410).length;
    const before = gone();
    s.server.setFaults({ expireContinue: 1 });
    const m = await tui(s.kubeconfig);
    const f = await m.waitFor(scanned, 'the scan', 40_000);
    expect(gone()).toBe(before + 1);
    expect(statusLine(f)).not.toContain('⚠');
  }, 60_000);
});

describe('a server slower than --timeout', () => {
  it('scan: exit 2 in bounded time with one line naming the timeout', async () => {
    const s = await server({ faults: { latencyMs: 3000 } });
    const t = performance.now();
    const run = await runCli(['scan', '--kubeconfig', s.kubeconfig, '--timeout', '0.4']);
    expect(performance.now() - t).toBeLessThan(2500);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
    expect(run.stderr).toMatch(/the API server https:\/\/127\.0\.0\.1:\d+ of context "4c-tui-demo" did not answer within 0\.4s — .*raise --timeout/);
  });

  it('TUI: the timeout shows in the status line; keys keep working', async () => {
    const s = await server({ faults: { latencyMs: 3000 } });
    const m = await tui(s.kubeconfig, 0.4);
    await m.waitFor((x) => statusLine(x).includes('did not answer within 0.4s'), 'the timeout in the status line', 10_000);
    await usableWhileFailed(m, 'did not answer within 0.4s');
  }, 40_000);
});
