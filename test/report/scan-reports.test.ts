/**
 * The reports end to end through the CLI on the demo cluster: JSON against the repository's
 * schema, SARIF against the official SARIF 2.1.0 schema, Markdown; --fail-on with accepted
 * risks (accept file and settings, expired ones), --baseline / --fail-on-new, and the
 * last-scan record kept in settings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { CHECKS } from '../../checks/index.js';
import { counts } from '../../src/engine/summary.js';
import { atLeast } from '../../src/engine/types.js';
import type { ReportFinding, ScanReport } from '../../src/report/json.js';
import { FINGERPRINT, SECURITY_SEVERITY } from '../../src/report/sarif.js';
import { openSettings } from '../../src/settings.js';
import { isOneLineError, runCli } from '../helpers/cli.js';
import { assertValidReport, assertValidSarif } from './validate.js';

const dir = mkdtempSync(join(tmpdir(), '4c-reports-'));
/** Settings of these tests only (never the shared test config dir). */
const env = (name: string) => ({ XDG_CONFIG_HOME: join(dir, `config-${name}`) });

let report: ScanReport;
beforeAll(async () => {
  const run = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'none'], env('json'));
  expect(run.code).toBe(0);
  report = JSON.parse(run.stdout) as ScanReport;
}, 60_000);

const blocking = (r: ScanReport) => r.findings.filter((f) => counts(f) && atLeast(f.severity, 'high'));

describe('scan --demo --format json|sarif|markdown', () => {
  it('the JSON report validates against schema/report.schema.json', () => {
    assertValidReport(report);
    expect(report.findings.length).toBeGreaterThan(0);
    for (const layer of ['cloud', 'cluster', 'container'] as const) expect(report.summary.layers[layer].score).toEqual(expect.any(Number));
  });

  it('the SARIF log validates against the SARIF 2.1.0 schema and follows GitHub code scanning rules', async () => {
    const run = await runCli(['scan', '--demo', '--format', 'sarif', '--fail-on', 'none'], env('sarif'));
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout) as { version: string; runs: { tool: { driver: { rules: { id: string; properties: Record<string, unknown> }[] } }; results: Record<string, any>[] }[] };
    assertValidSarif(sarif);
    expect(sarif.version).toBe('2.1.0');
    const [only] = sarif.runs;
    const rules = only!.tool.driver.rules;
    // Rules are the catalog's checks (every selected check), with GitHub's security-severity.
    expect(rules.map((r) => r.id).sort()).toEqual(CHECKS.map((c) => c.id).sort());
    for (const r of rules) {
      const check = CHECKS.find((c) => c.id === r.id)!;
      expect(r.properties['security-severity']).toBe(SECURITY_SEVERITY[check.severity]);
      expect(r.properties.tags).toContain(check.layer);
    }
    expect(only!.results.length).toBe(report.findings.length);
    for (const result of only!.results) {
      const uri = result.locations[0].physicalLocation.artifactLocation.uri as string;
      expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i); // no scheme
      expect(uri.startsWith('/')).toBe(false);
      expect(uri).toMatch(/^cluster\/4c-tui-demo\/[^/]+\/[^/]+\/[^/]+$/);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^[A-Za-z]+\/.+/);
      expect(result.partialFingerprints[FINGERPRINT]).toMatch(new RegExp(`^${result.ruleId.replace('/', '\\/')}@`));
      expect(rules[result.ruleIndex]!.id).toBe(result.ruleId);
    }
    const keys = only!.results.map((r) => r.partialFingerprints[FINGERPRINT] as string);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the Markdown report renders the summary per layer, top findings and fenced commands', async () => {
    const run = await runCli(['scan', '--demo', '--format', 'markdown', '--fail-on', 'none'], env('md'));
    expect(run.code).toBe(0);
    const md = run.stdout;
    expect(md).toMatch(/^# 4c-tui security report/);
    for (const layer of ['Cloud', 'Cluster', 'Container', 'Code']) expect(md).toMatch(new RegExp(`^\\| ${layer} \\| (\\d+|—) \\|`, 'm'));
    expect(md).toContain('## Top findings');
    expect(md).toMatch(/```sh\nkubectl /);
    expect(md).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
  });
});

describe('--fail-on with accepted risks', () => {
  it('exits 1 on the demo, and 0 once every high/critical finding is accepted through --accept-file', async () => {
    const before = await runCli(['scan', '--demo', '--fail-on', 'high'], env('fail'));
    expect(before.code).toBe(1);
    const high = blocking(report);
    expect(high.length).toBeGreaterThan(0);
    const file = join(dir, 'accept-all.yaml');
    writeFileSync(file, stringify({
      accepted: high.map((f) => ({
        check: f.checkId,
        selector: { kind: f.subject.kind, ...(f.subject.namespace ? { namespace: f.subject.namespace } : {}), name: f.subject.name },
        reason: 'tracked in SEC-1; demo data',
        expires: '2099-12-31',
      })),
    }));
    const after = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'high', '--accept-file', file], env('fail'));
    expect(after.stderr).not.toMatch(/expired/);
    expect(after.code).toBe(0);
    const r = JSON.parse(after.stdout) as ScanReport;
    assertValidReport(r);
    const accepted = r.findings.filter((f) => f.accepted);
    expect(accepted.length).toBeGreaterThanOrEqual(high.length);
    for (const f of accepted) expect(f.acceptance).toEqual({ reason: 'tracked in SEC-1; demo data', expiresAt: '2100-01-01T00:00:00.000Z', source: 'accept-file' });
    expect(blocking(r)).toEqual([]);
    // Accepted findings leave the scores: a layer's score can only rise.
    for (const layer of ['cloud', 'cluster', 'container'] as const) {
      expect(r.summary.layers[layer].score!).toBeGreaterThanOrEqual(report.summary.layers[layer].score!);
    }
  }, 60_000);

  it('an expired acceptance counts again, with a notice; settings acceptances apply per context', async () => {
    const [first, second] = blocking(report);
    const file = join(dir, 'accept-expired.yaml');
    writeFileSync(file, stringify([{ key: first!.key, reason: 'was fine last year', expires: '2020-01-31' }]));
    const config = env('settings');
    const settings = openSettings({ cwd: join(config.XDG_CONFIG_HOME, '4c-tui') });
    settings.accept({ key: second!.key, context: '4c-tui-demo', reason: 'accepted in the TUI', checkId: second!.checkId, subject: second!.subject.name, expiresAt: '2099-01-01T00:00:00.000Z' });
    settings.accept({ key: first!.key, context: 'another-context', reason: 'other cluster', checkId: first!.checkId, subject: first!.subject.name, expiresAt: '2099-01-01T00:00:00.000Z' });
    const run = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'high', '--accept-file', file], config);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`accepted risk expired 2020-02-01 00:00 UTC and counts again: ${first!.key}`);
    const r = JSON.parse(run.stdout) as ScanReport;
    assertValidReport(r);
    const byKey = new Map<string, ReportFinding>(r.findings.map((f) => [f.key, f]));
    expect(byKey.get(first!.key)).toMatchObject({ accepted: false, acceptance: { expired: true, source: 'accept-file' } });
    expect(byKey.get(second!.key)).toMatchObject({ accepted: true, acceptance: { source: 'settings', reason: 'accepted in the TUI' } });
    expect(r.notices).toEqual(expect.arrayContaining([expect.stringContaining('accepted risk expired')]));
  }, 60_000);

  it('selects by labels and name globs', async () => {
    const target = report.findings.find((f) => f.subject.kind === 'Deployment' && counts(f))!;
    const file = join(dir, 'accept-labels.yaml');
    // A label selector that the object does not carry accepts nothing; a glob on the name does.
    writeFileSync(file, stringify({ accepted: [
      { check: target.checkId, selector: { namespace: target.subject.namespace, labels: { 'no-such-label': 'x' } }, reason: 'r', expires: '2099-01-01' },
      { check: target.checkId, selector: { kind: 'Deploy*', name: `${target.subject.name.slice(0, 3)}*`, namespace: target.subject.namespace }, reason: 'glob', expires: '2099-01-01' },
    ] }));
    const run = await runCli(['scan', '--demo', '--check', target.checkId, '--format', 'json', '--fail-on', 'none', '--accept-file', file], env('labels'));
    const r = JSON.parse(run.stdout) as ScanReport;
    expect(r.findings.find((f) => f.key === target.key)).toMatchObject({ accepted: true, acceptance: { reason: 'glob' } });
  }, 60_000);

  it.each([
    ['not-yaml.yaml', 'accepted: [\n  - check: x\n    reason: [', /accept file .*not valid YAML/],
    ['no-reason.yaml', 'accepted:\n  - check: container/privileged\n    expires: 2099-01-01\n', /entry 1: a reason is required/],
    ['bad-expiry.yaml', 'accepted:\n  - check: container/privileged\n    reason: r\n    expires: next year\n', /entry 1: expires must be a date/],
    ['typo.yaml', 'accepted:\n  - check: container/privileged\n    reason: r\n    expires: 2099-01-01\n    selecter: {}\n', /unknown field "selecter"/],
  ])('exits 2 with one line for a bad accept file (%s)', async (name, text, pattern) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const run = await runCli(['scan', '--demo', '--accept-file', file], env('bad'));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(pattern);
    expect(isOneLineError(run.stderr), run.stderr).toBe(true);
  });
});

describe('new since last scan', () => {
  it('records a compact last scan per context in settings, and compares the next scan with it', async () => {
    const config = env('last');
    const settings = () => openSettings({ cwd: join(config.XDG_CONFIG_HOME, '4c-tui') });
    settings(); // a headless scan records only into settings that exist (it never creates them)
    // Every layer: keys are stable across demo runs (the API server is named by host, not its random port).
    const first = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'none'], config);
    const r1 = JSON.parse(first.stdout) as ScanReport;
    expect(r1.baseline).toBeUndefined();
    const record = settings().lastScan('4c-tui-demo')!;
    expect(Date.parse(record.at)).not.toBeNaN();
    const workload = r1.findings.filter((f) => f.scope !== 'system');
    expect(Object.keys(record.findings).sort()).toEqual(workload.map((f) => f.key).sort());

    // Pretend one finding was not there last time and one has since been fixed.
    const [gone, ...rest] = workload;
    const fixedKey = `${gone!.checkId}@Deployment/shop/removed-app`;
    settings().recordScan('4c-tui-demo', { at: record.at, findings: { ...Object.fromEntries(rest.map((f) => [f.key, f.severity])), [fixedKey]: 'high' } });
    const second = await runCli(['scan', '--demo', '--format', 'json', '--fail-on', 'none'], config);
    const r2 = JSON.parse(second.stdout) as ScanReport;
    assertValidReport(r2);
    expect(r2.baseline).toEqual({ source: 'last-scan', at: record.at, new: 1, fixed: [{ key: fixedKey, checkId: gone!.checkId, severity: 'high' }] });
    expect(r2.findings.filter((f) => f.new).map((f) => f.key)).toEqual([gone!.key]);
  }, 60_000);

  it('--baseline FILE with --fail-on-new fails only on findings the baseline did not have', async () => {
    const file = join(dir, 'baseline.json');
    writeFileSync(file, JSON.stringify(report));
    const same = await runCli(['scan', '--demo', '--layer', 'cluster,container', '--fail-on', 'low', '--fail-on-new', '--baseline', file, '--format', 'json'], env('baseline'));
    expect(same.code).toBe(0);
    const r = JSON.parse(same.stdout) as ScanReport;
    expect(r.baseline).toMatchObject({ source: 'file', at: report.startedAt, new: 0, fixed: [] });
    expect(r.findings.every((f) => f.new === false)).toBe(true);
    expect(r.baseline!.fixed).toEqual([]); // the cloud checks did not run: nothing of theirs is fixed

    const high = blocking(report).find((f) => f.layer !== 'cloud')!;
    const older = { ...report, findings: report.findings.filter((f) => f.key !== high.key) };
    writeFileSync(file, JSON.stringify(older));
    const worse = await runCli(['scan', '--demo', '--layer', 'cluster,container', '--fail-on', 'high', '--fail-on-new', '--baseline', file, '--format', 'markdown'], env('baseline'));
    expect(worse.code).toBe(1);
    expect(worse.stdout).toContain('## Changes');
    expect(worse.stdout).toMatch(/1 new, 0 fixed/);
  }, 60_000);

  it('exits 2 with one line when --baseline is not a JSON report', async () => {
    const file = join(dir, 'not-a-report.json');
    writeFileSync(file, readFileSync(join(dir, 'baseline.json'), 'utf8').replace('"schemaVersion": 1', '"schemaVersion": 9').replace('"schemaVersion":1', '"schemaVersion":9'));
    const run = await runCli(['scan', '--demo', '--baseline', file], env('bad'));
    expect(run.code).toBe(2);
    expect(isOneLineError(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/--baseline .*not a 4c-tui JSON report/);
  });
});
