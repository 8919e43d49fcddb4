import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/** What `helm template shop ./chart` prints: `# Source:` comments, a leading `---`, several kinds. */
const RENDERED = `---
# Source: shop/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: shop-api
  labels:
    helm.sh/chart: shop-0.3.1
---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-api
spec:
  type: ClusterIP
  selector: {app.kubernetes.io/name: shop-api}
  ports:
  - {port: 80, targetPort: http}
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-api
  labels:
    helm.sh/chart: shop-0.3.1
spec:
  replicas: 2
  selector:
    matchLabels: {app.kubernetes.io/name: shop-api}
  template:
    metadata:
      labels: {app.kubernetes.io/name: shop-api}
    spec:
      serviceAccountName: shop-api
      containers:
      - name: api
        image: "ghcr.io/acme/shop-api:1.8.0"
        ports:
        - {name: http, containerPort: 8080}
        securityContext:
          privileged: true
---
# Source: shop/templates/ingress.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop-api
spec:
  rules:
  - host: shop.acme.io
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: shop-api, port: {number: 80}}}
`;

interface Report {
  target: { manifests?: string[] };
  checks: { id: string; status: string; reason?: string }[];
  findings: { key: string; checkId: string; subCheck?: string; subject: { kind: string; name: string; file?: string; line?: number }; remediation: { fix: string; command?: string } }[];
}

async function withStdin<T>(text: string, run: () => Promise<T>): Promise<T> {
  const saved = Object.getOwnPropertyDescriptor(process, 'stdin');
  Object.defineProperty(process, 'stdin', { value: Readable.from([text]), configurable: true });
  try {
    return await run();
  } finally {
    if (saved) Object.defineProperty(process, 'stdin', saved);
  }
}

let dir: string;
const noCluster = () => ({ KUBECONFIG: join(dir, 'missing-kubeconfig'), HOME: dir });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), '4c-tui-manifests-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('scan --manifests', () => {
  it('reads rendered multi-document YAML from stdin without any cluster; findings carry file and line', async () => {
    const run = await withStdin(RENDERED, () => runCli(['scan', '--manifests', '-', '--format', 'json', '--fail-on', 'critical'], noCluster()));
    expect(run.stderr).not.toMatch(/kubeconfig|internal error/);
    expect(run.code).toBe(1); // a privileged container is critical
    const report = JSON.parse(run.stdout) as Report;
    expect(report.target.manifests).toEqual(['-']);
    const privileged = report.findings.find((f) => f.checkId === 'container/privileged');
    expect(privileged?.subject).toMatchObject({ kind: 'Deployment', name: 'shop-api', file: '<stdin>', line: 22 });
    const ingress = report.findings.find((f) => f.checkId === 'cluster/ingress-without-tls');
    expect(ingress?.subject).toMatchObject({ kind: 'Ingress', file: '<stdin>', line: 46 });
    expect(report.findings.every((f) => f.subject.file === '<stdin>' || f.checkId.startsWith('code/'))).toBe(true);
    // Fixed in the file, not with a kubectl command against a live object.
    expect(report.findings.every((f) => f.remediation.command === undefined && f.remediation.fix.startsWith('In <stdin> (line '))).toBe(true);
    // Checks that need live-cluster state are not applicable, never failed for missing data.
    for (const id of ['container/image-signature-enforcement-absent', 'cluster/namespace-without-networkpolicy', 'cloud/public-api-endpoint']) {
      expect(report.checks.find((c) => c.id === id)).toMatchObject({ status: 'not-applicable', reason: expect.stringMatching(/live-cluster/) });
    }
    expect(report.checks.filter((c) => c.status === 'error')).toEqual([]);
  });

  it('reads files and directories (repeatable) and names the file', async () => {
    const file = join(dir, 'deploy.yaml');
    await writeFile(file, RENDERED);
    const run = await runCli(['scan', '--manifests', file, '--manifests', dir, '--layer', 'container', '--format', 'json', '--fail-on', 'none'], noCluster());
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.find((f) => f.checkId === 'container/privileged')?.subject).toMatchObject({ file, line: 22 });
  });

  it('refuses unreadable input in one line', async () => {
    const missing = await runCli(['scan', '--manifests', join(dir, 'nope.yaml')], noCluster());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    const bad = await withStdin('kind: [unclosed\n', () => runCli(['scan', '--manifests', '-'], noCluster()));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^4c-tui: <stdin>:\d+: /);
  });

  it('checks every copy of an object kept in several files (one file per environment), each with its own file and key', async () => {
    const tree = await mkdtemp(join(dir, 'envs-'));
    const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "${image}", securityContext: {privileged: true}}
`;
    for (const env of ['dev', 'prod']) {
      await mkdir(join(tree, env));
      await writeFile(join(tree, env, 'web.yaml'), deployment(`nginx:1.27-${env}`));
    }
    const run = await runCli(['scan', '--manifests', tree, '--check', 'container/privileged', '--format', 'json', '--fail-on', 'none'], noCluster());
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout) as Report;
    expect(report.findings.map((f) => f.subject.file).sort()).toEqual([join(tree, 'dev', 'web.yaml'), join(tree, 'prod', 'web.yaml')]);
    expect(new Set(report.findings.map((f) => f.key)).size).toBe(2);
    // The code layer's view of the same tree keeps both too.
    const code = await runCli(['scan', '--code', tree, '--check', 'code/manifest-misconfiguration', '--format', 'json', '--fail-on', 'none'], noCluster());
    const files = (JSON.parse(code.stdout) as Report).findings
      .filter((f) => f.subCheck === 'container/privileged').map((f) => f.subject.file).sort();
    expect(files).toEqual(['dev/web.yaml', 'prod/web.yaml']);
  });

  it('scans the manifests besides a cluster when one is named (--demo): one result per check, both sources', async () => {
    const run = await withStdin(RENDERED, () => runCli(['scan', '--demo', '--manifests', '-', '--layer', 'container,cluster', '--format', 'json', '--fail-on', 'none'], noCluster()));
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report & { target: { context?: string } };
    expect(report.target).toMatchObject({ context: '4c-tui-demo', manifests: ['-'] });
    const privileged = report.findings.filter((f) => f.checkId === 'container/privileged');
    expect(privileged.some((f) => f.subject.file === '<stdin>' && f.subject.name === 'shop-api')).toBe(true);
    expect(privileged.some((f) => f.subject.file === undefined)).toBe(true); // the demo cluster's own
    expect(report.checks.filter((c) => c.id === 'container/privileged')).toEqual([expect.objectContaining({ status: 'fail' })]);
    expect(report.checks.find((c) => c.id === 'container/privileged')).toMatchObject({ findings: privileged.length });
    expect(new Set(report.findings.map((f) => f.key)).size).toBe(report.findings.length);
    // Cluster-only checks still ran against the cluster.
    expect(report.checks.find((c) => c.id === 'cluster/namespace-without-networkpolicy')?.status).toBe('fail');
  });

  it('the interactive app cannot read manifests from stdin (it needs it for keys): one line, exit 2', async () => {
    const run = await runCli(['--manifests', '-'], noCluster());
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^4c-tui: --manifests - reads standard input, which the interactive app needs for keys/);
  });
});

describe('scan --vuln-report', () => {
  it('feeds code/dependency-vulnerabilities; without it the check is unable with the commands to run', async () => {
    const osv = join(dir, 'osv.json');
    await writeFile(osv, JSON.stringify({ results: [{ source: { path: 'package-lock.json', type: 'lockfile' }, packages: [{
      package: { name: 'lodash', version: '4.17.20', ecosystem: 'npm' },
      vulnerabilities: [{ id: 'GHSA-35jh-r3h4-6jhm', affected: [{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }] }],
      groups: [{ ids: ['GHSA-35jh-r3h4-6jhm'], max_severity: '7.2' }],
    }] }] }));
    const withReport = await runCli(['scan', '--code', dir, '--check', 'code/dependency-vulnerabilities', '--vuln-report', osv, '--format', 'json', '--fail-on', 'none'], noCluster());
    const report = JSON.parse(withReport.stdout) as Report;
    expect(report.checks[0]).toMatchObject({ id: 'code/dependency-vulnerabilities', status: 'fail' });
    expect(report.findings[0]?.subject).toMatchObject({ kind: 'Package', name: 'npm:lodash@4.17.20', file: 'package-lock.json' });
    const without = await runCli(['scan', '--code', dir, '--check', 'code/dependency-vulnerabilities', '--format', 'json', '--fail-on', 'none'], noCluster());
    expect((JSON.parse(without.stdout) as Report).checks[0]).toMatchObject({ status: 'unable', reason: expect.stringMatching(/osv-scanner scan source -r --format json/) });
  });
});
