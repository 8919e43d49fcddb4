import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../checks/index.js';
import { VERSION } from '../src/version.js';
import { isOneLineError, runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), '4c-cli-'));

/** A port nothing listens on: bind, read the port, close. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('cli', () => {
  it('prints help and version with exit 0', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/scan/);
    expect(help.stdout).toMatch(/explain/);
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it.each([
    [['scan', '--bogus'], /unknown option '--bogus'/],
    [['scan', '--fail-on', 'extreme'], /--fail-on/],
    [['scan', '--format', 'xml'], /--format/],
    [['scan', '--check', 'container/nope'], /unknown check "container\/nope"/],
    [['scan', '--layer', 'network'], /unknown layer network/],
    [['scan', '--timeout', '0'], /--timeout/],
    [['scan', '-n', 'a', '-A'], /exclude each other/],
    [['explain', 'cluster/nope'], /unknown check/],
    [['scan', '--kubeconfig', join(dir, 'missing')], /does not exist/],
  ])('exits 2 with one line for %j', async (argv, pattern) => {
    const run = await runCli(argv);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(pattern);
  });

  it('exits 2 with one line when the cluster is unreachable', async () => {
    const port = await deadPort();
    const kubeconfig = join(dir, 'dead.yaml');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: dead',
      `clusters: [{name: dead, cluster: {server: "https://127.0.0.1:${port}"}}]`,
      'contexts: [{name: dead, context: {cluster: dead, user: dead}}]',
      'users: [{name: dead, user: {token: t}}]',
    ].join('\n'));
    const run = await runCli(['scan', '--kubeconfig', kubeconfig, '--timeout', '5']);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/cannot reach the API server https:\/\/127\.0\.0\.1:\d+ of context "dead"/);
  });

  it('refuses to start the interactive app without a terminal, suggesting scan', async () => {
    const run = await runCli(['--demo']);
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toContain('4c-tui scan');
  });

  it('lists the catalog as table and as JSON', async () => {
    const table = await runCli(['checks']);
    expect(table.code).toBe(0);
    for (const c of CHECKS) expect(table.stdout).toContain(c.id);
    const json = JSON.parse((await runCli(['checks', '--format', 'json'])).stdout) as { id: string; layer: string; title: string; severity: string; description: string; references: { url: string }[] }[];
    expect(json.map((c) => c.id)).toEqual(CHECKS.map((c) => c.id));
    for (const c of json) expect(Object.keys(c).sort()).toEqual(['description', 'id', 'layer', 'references', 'severity', 'title']);
  });

  it('explains a check', async () => {
    const run = await runCli(['explain', 'container/privileged']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Privileged container');
    expect(run.stdout).toContain('Remediation:');
    expect(run.stdout).toMatch(/https:\/\//);
  });
});

describe('cli pss', () => {
  const corpus = new URL('../../shared/conformance/pss/restricted/v1.30/', import.meta.url).pathname;
  const present = existsSync(corpus);
  if (!present) console.log('notice: ../shared/conformance is absent; skipping the pss command corpus test');
  it.skipIf(!present)('denies every fail fixture and allows every pass fixture (exit 1 / 0)', async () => {
    const fail = await runCli(['pss', `${corpus}fail`, '--level', 'restricted', '--version', 'v1.30', '--format', 'json']);
    expect(fail.code).toBe(1);
    const denied = JSON.parse(fail.stdout) as { allowed: boolean; violations: unknown[] }[];
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.every((r) => !r.allowed && r.violations.length > 0)).toBe(true);
    const pass = await runCli(['pss', `${corpus}pass`, '--level', 'restricted', '--version', 'v1.30', '--format', 'json']);
    expect(pass.code).toBe(0);
    expect((JSON.parse(pass.stdout) as { allowed: boolean }[]).every((r) => r.allowed)).toBe(true);
  });
});
