/**
 * End to end through the CLI: the demo cluster behind the embedded API server, a real
 * kubeconfig, the collector, every check, the JSON report (DESIGN.md §3).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import { demoCluster } from '../src/demo/cluster.js';
import type { K8sObject } from '../src/engine/k8s.js';
import { CHECK_STATUSES, LAYERS, SEVERITIES } from '../src/engine/types.js';
import type { ScanReport } from '../src/report/json.js';
import { startDemo } from '../src/scan.js';
import { startApiServer, type ApiServer } from '../src/server/api-server.js';
import { isOneLineError, runCli } from './helpers/cli.js';
import { assertValidReport } from './report/validate.js';

const dir = mkdtempSync(join(tmpdir(), '4c-scan-'));
let report: ScanReport;
let exitCode: number;

beforeAll(async () => {
  const run = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'none']);
  exitCode = run.code;
  report = JSON.parse(run.stdout) as ScanReport;
  assertValidReport(report);
});

describe('scan --demo --format json', () => {
  it('exits 0 with --fail-on none and reports every selected check', () => {
    expect(exitCode).toBe(0);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool).toMatchObject({ name: '4c-tui' });
    expect(report.target).toMatchObject({ namespaces: 'all', demo: true });
    expect(report.target.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(Date.parse(report.startedAt)).not.toBeNaN();
    expect(report.checks.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    for (const c of report.checks) {
      expect(CHECK_STATUSES).toContain(c.status);
      expect(c.status).not.toBe('error');
    }
  });

  it('has the contract shape for summary and findings', () => {
    expect(Object.keys(report.summary.checks).sort()).toEqual([...CHECK_STATUSES].sort());
    expect(Object.keys(report.summary.findings).sort()).toEqual([...SEVERITIES].sort());
    for (const layer of LAYERS) expect(report.summary.layers[layer]).toHaveProperty('score');
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f).toMatchObject({ checkId: expect.any(String), layer: expect.any(String), severity: expect.any(String), status: expect.stringMatching(/^(fail|warn)$/), title: expect.any(String), message: expect.any(String), scope: expect.stringMatching(/^(workload|system)$/), accepted: false });
      expect(f.key.startsWith(`${f.checkId}@`)).toBe(true);
      expect(f.remediation.why && f.remediation.fix).toBeTruthy();
      expect(f.references.length).toBeGreaterThan(0);
    }
    expect(new Set(report.findings.map((f) => f.key)).size).toBe(report.findings.length);
  });

  it('finds planted problems in the cloud, cluster and container layers', () => {
    const layers = new Set(report.findings.filter((f) => f.scope === 'workload').map((f) => f.layer));
    expect(layers).toEqual(new Set(['cloud', 'cluster', 'container']));
    expect(report.findings.some((f) => f.checkId === 'container/privileged' && f.scope === 'workload')).toBe(true);
  });

  it('reports workloads once, at their top owner — never per replica pod', () => {
    const objects = demoCluster();
    const owned = new Set(objects.filter((o) => o.kind === 'Pod' && o.metadata?.ownerReferences?.some((r) => r.controller && r.kind !== 'Node')).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
    const ownedRs = new Set(objects.filter((o) => o.kind === 'ReplicaSet' && o.metadata?.ownerReferences?.length).map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`));
    for (const f of report.findings.filter((x) => x.layer === 'container' || x.checkId === 'cluster/secrets-as-env-vars')) {
      const id = `${f.subject.namespace}/${f.subject.name}`;
      expect(f.subject.kind === 'Pod' && owned.has(id), `${f.key} names a replica pod`).toBe(false);
      expect(f.subject.kind === 'ReplicaSet' && ownedRs.has(id), `${f.key} names a ReplicaSet`).toBe(false);
    }
    expect(report.findings.some((f) => /\(\d+ replicas\)/.test(f.message))).toBe(true);
  });

  it('fills real names into shell-quoted commands', () => {
    const f = report.findings.find((x) => x.checkId === 'container/privileged' && x.scope === 'workload');
    expect(f?.remediation.command).toContain(`kubectl -n '${f?.subject.namespace}' patch`);
    expect(f?.remediation.command).toContain(`'${f?.subject.name}'`);
  });
});

describe('scan exit codes and degraded access', () => {
  let server: ApiServer;
  let kubeconfig: string;
  beforeAll(async () => {
    server = await startApiServer({ objects: demoCluster(), tls: true, token: 't0ken', faults: { forbidden: ['secrets'] } });
    kubeconfig = join(dir, 'no-secrets.yaml');
    await server.writeKubeconfig(kubeconfig);
  });
  afterAll(async () => server.close());

  it('exits 1 when findings reach --fail-on (default high)', async () => {
    const run = await runCli(['scan', '--demo']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('DEMO CLUSTER');
  });

  it('makes the secret-dependent check unable with the missing permission; the rest is complete', async () => {
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--format', 'json']);
    expect([0, 1]).toContain(run.code);
    const r = JSON.parse(run.stdout) as ScanReport;
    assertValidReport(r);
    const forbidden = r.checks.filter((c) => c.status === 'unable' && c.reason?.startsWith('missing permission'));
    // Exactly the checks that require secrets (derived from the catalog), each naming the permission.
    const needSecrets = CHECKS.filter((c) => c.needs.includes('secrets')).map((c) => c.id);
    expect(needSecrets.length).toBeGreaterThan(0);
    expect(forbidden.map((c) => [c.id, c.reason])).toEqual(needSecrets.map((id) => [id, 'missing permission: list secrets']));
    expect(r.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(r.checks.filter((c) => c.status === 'fail').length).toBeGreaterThan(5);
    expect(run.stderr).toContain('missing permission: list secrets');
    expect(server.requests.some((q) => q.path === '/api/v1/secrets' && q.status === 403)).toBe(true);
  });

  it('adds code findings with --code DIR', async () => {
    const code = join(dir, 'repo');
    mkdirSync(join(code, 'svc'), { recursive: true });
    writeFileSync(join(code, 'svc', 'Dockerfile'), 'FROM node:20\nCOPY . /app\nCMD ["node", "/app/server.js"]\n');
    const run = await runCli(['scan', '--demo', '--code', code, '--format', 'json', '--fail-on', 'none']);
    const r = JSON.parse(run.stdout) as ScanReport;
    const codeFindings = r.findings.filter((f) => f.layer === 'code');
    expect(codeFindings.map((f) => [f.checkId, f.subject.file])).toContainEqual(['code/dockerfile-root-user', 'svc/Dockerfile']);
    // Repository-level findings (no Dependabot, no SAST/DAST in CI) name the tree root.
    expect(codeFindings.every((f) => f.subject.file === 'svc/Dockerfile' || f.subject.file === '.')).toBe(true);
    expect(r.target.code).toBe(code);
  });

  it('runs the Code layer offline: no kubeconfig needed', async () => {
    const code = join(dir, 'offline');
    mkdirSync(code, { recursive: true });
    writeFileSync(join(code, 'Dockerfile'), 'FROM alpine:3.20\nUSER 10001:10001\n');
    const run = await runCli(['scan', '--layer', 'code', '--code', code, '--format', 'json'], { KUBECONFIG: join(dir, 'absent.yaml'), HOME: dir });
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as ScanReport;
    expect(r.checks.every((c) => c.layer === 'code' && c.status !== 'error')).toBe(true);
    expect(r.checks.find((c) => c.id === 'code/dockerfile-root-user')?.status).toBe('pass');
  });

  it('exits 2 with one line when the server rejects the token', async () => {
    const bad = join(dir, 'bad-token.yaml');
    await server.writeKubeconfig(bad, { token: 'wrong' });
    const run = await runCli(['scan', '--kubeconfig', bad]);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/401 Unauthorized.*log in again/);
  });
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl) console.log('notice: kubectl is not on PATH; skipping the kubectl-against-demo test');

describe.skipIf(!kubectl)('the demo cluster with kubectl', () => {
  it('kubectl --kubeconfig <the written kubeconfig> get pods -A lists the demo pods', async () => {
    const demo = await startDemo();
    try {
      // Asynchronous on purpose: the API server answers from this same process.
      const result = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn('kubectl', ['--kubeconfig', demo.kubeconfigPath, '--cache-dir', join(dir, 'kcache'), 'get', 'pods', '-A', '--no-headers'], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
        child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const pods = demoCluster().filter((o: K8sObject) => o.kind === 'Pod');
      const lines = result.stdout.trim().split('\n');
      expect(lines).toHaveLength(pods.length);
      for (const p of pods.slice(0, 20)) expect(result.stdout).toContain(p.metadata?.name);
    } finally {
      await demo.close();
    }
  });
});
