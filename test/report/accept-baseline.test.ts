/**
 * Accepted risks (accept file parsing, selectors, expiry) and "new since last scan"
 * (key parsing, comparison, the compact settings record, the TUI's new/fixed marks).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initialState, reducer } from '../../components/app-state.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';
import { AcceptFileError, applyAcceptances, parseAcceptFile, parseExpiry } from '../../src/report/accept.js';
import { baselineFromLastScan, baselineFromReport, compareWithBaseline, fixedFinding, lastScanRecord, parseFindingKey } from '../../src/report/baseline.js';
import { openSettings } from '../../src/settings.js';
import { finding, sampleReport } from './fixtures.js';

const known = (id: string) => id === 'container/privileged' || id === 'cluster/ingress-without-tls';
const now = new Date('2026-06-01T12:00:00Z');
const api = finding({ key: 'container/privileged@Deployment/shop/api:web' });
const worker = finding({ key: 'container/privileged@Deployment/shop/worker:main', subject: { kind: 'Deployment', namespace: 'shop', name: 'worker', container: 'main' } });
const batch = finding({ key: 'container/privileged@CronJob/batch/nightly:job', subject: { kind: 'CronJob', namespace: 'batch', name: 'nightly', container: 'job' } });
const labels: Record<string, Record<string, string>> = { 'Deployment/shop/api': { app: 'api', team: 'web' }, 'Deployment/shop/worker': { app: 'worker' } };
const labelsOf = (s: Finding['subject']) => labels[`${s.kind}/${s.namespace}/${s.name}`];

describe('accept file', () => {
  it('parses entries with selectors, keys and expiries; unknown checks accept nothing (with a notice)', () => {
    const { rules, notices } = parseAcceptFile([
      'accepted:',
      '  - check: container/privileged',
      '    selector: { namespace: shop, labels: { team: web } }',
      '    reason: vendor appliance',
      '    expires: 2026-12-31',
      '  - key: "cluster/ingress-without-tls@Ingress/shop/web"',
      '    reason: internal only',
      '    expires: 2026-07-01T00:00:00+02:00',
      '  - check: container/no-such-check',
      '    reason: typo',
      '    expires: 2026-12-31',
    ].join('\n'), 'risks.yaml', known);
    expect(rules).toEqual([
      { checkId: 'container/privileged', selector: { namespace: 'shop', labels: { team: 'web' } }, reason: 'vendor appliance', expiresAt: '2027-01-01T00:00:00.000Z', origin: 'risks.yaml entry 1' },
      { key: 'cluster/ingress-without-tls@Ingress/shop/web', selector: {}, reason: 'internal only', expiresAt: '2026-06-30T22:00:00.000Z', origin: 'risks.yaml entry 2' },
    ]);
    expect(notices).toEqual(['risks.yaml entry 3: unknown check "container/no-such-check" — the entry accepts nothing']);
    expect(parseAcceptFile('', 'empty.yaml', known)).toEqual({ rules: [], notices: [] });
    expect(parseAcceptFile('- check: container/privileged\n  reason: r\n  expires: 2026-01-01\n', 'list.yaml', known).rules).toHaveLength(1);
  });

  it.each([
    ['accepted: {check: x}', /expected a list under `accepted:`/],
    ['accepted: [{check: container/privileged, reason: r}]', /entry 1: expires must be a date/],
    ['accepted: [{check: container/privileged, reason: r, expires: 2026-02-30}]', /expires must be a date/],
    ['accepted: [{reason: r, expires: 2026-01-01}]', /needs a check id/],
    ['accepted: [{check: container/privileged, reason: " ", expires: 2026-01-01}]', /a reason is required/],
    ['accepted: [{check: container/privileged, reason: r, expires: 2026-01-01, selector: {labels: {a: 1}}}]', /selector.labels must map/],
    ['accepted: [{check: container/privileged, reason: r, expires: 2026-01-01, selector: {ns: x}}]', /unknown selector field "ns"/],
    ['accepted: [{key: no-at-sign, reason: r, expires: 2026-01-01}]', /key must be a finding key/],
    ['a: 1\na: 2', /not valid YAML/],
  ])('rejects %j with one line', (text, pattern) => {
    let error: unknown;
    try { parseAcceptFile(text, 'f.yaml', known); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(AcceptFileError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });

  it('reads expiries as whole UTC days or ISO instants', () => {
    expect(parseExpiry('2026-06-30')).toBe('2026-07-01T00:00:00.000Z');
    expect(parseExpiry('2026-06-30T10:00:00Z')).toBe('2026-06-30T10:00:00.000Z');
    expect(parseExpiry('30/06/2026')).toBeUndefined();
    expect(parseExpiry(20260630)).toBeUndefined();
  });

  it('matches by check, kind, namespace, name (globs) and labels; the longest valid acceptance wins; expired ones count with a notice', () => {
    const { rules } = parseAcceptFile([
      '- check: container/privileged',
      '  selector: { namespace: shop, labels: { team: web } }',
      '  reason: labelled',
      '  expires: 2026-12-31',
      '- check: container/privileged',
      '  selector: { kind: Cron*, name: "night*" }',
      '  reason: old batch',
      '  expires: 2026-01-31',
    ].join('\n'), 'f.yaml', known);
    const settings = [
      { key: api.key, context: 'prod', reason: 'from the TUI', acceptedAt: '2026-01-01T00:00:00Z', expiresAt: '2027-06-01T00:00:00Z', checkId: api.checkId, subject: 'Deployment shop/api' },
    ];
    const { findings, notices } = applyAcceptances([api, worker, batch], { rules, settings, labelsOf, now });
    const [a, w, b] = findings;
    expect(a).toMatchObject({ accepted: true, acceptance: { source: 'settings', reason: 'from the TUI' } });
    expect(w).toEqual(worker); // labels do not match
    expect(b).toMatchObject({ accepted: false, acceptance: { source: 'accept-file', reason: 'old batch', expired: true, expiresAt: '2026-02-01T00:00:00.000Z' } });
    expect(notices).toEqual([`accepted risk expired 2026-02-01 00:00 UTC and counts again: ${batch.key} (old batch)`]);
    // A finding whose labels are unknown never matches a label selector.
    expect(applyAcceptances([finding({ key: 'container/privileged@Deployment/shop/x:c', subject: { kind: 'Deployment', namespace: 'shop', name: 'x' } })], { rules: [rules[0]!], settings: [], labelsOf, now }).findings[0]!.accepted).toBe(false);
  });
});

const result = (id: string, status: CheckResult['status']): CheckResult => ({ id, layer: 'container', title: 't', severity: 'critical', status, findings: 0, durationMs: 0 });

describe('new since last scan', () => {
  it('parses finding keys', () => {
    expect(parseFindingKey('container/privileged@Deployment/shop/api:web#port:80')).toEqual({ checkId: 'container/privileged', kind: 'Deployment', namespace: 'shop', name: 'api', container: 'web' });
    expect(parseFindingKey('cluster/rbac-x@ClusterRoleBinding/_/admins')).toEqual({ checkId: 'cluster/rbac-x', kind: 'ClusterRoleBinding', name: 'admins' });
    expect(parseFindingKey('code/dockerfile-root-user@file:svc/Dockerfile#stage-2')).toEqual({ checkId: 'code/dockerfile-root-user', file: 'svc/Dockerfile' });
  });

  it('compares: new findings, and fixed ones only for checks that decided (not unable) and namespaces scanned', () => {
    const baseline = baselineFromReport(JSON.stringify(sampleReport([worker, batch, finding({ key: 'cluster/ingress-without-tls@Ingress/shop/web', checkId: 'cluster/ingress-without-tls', layer: 'cluster' })])));
    expect(baseline).toMatchObject({ source: 'file', at: '2026-01-02T03:04:05.000Z' });
    const results = [result('container/privileged', 'fail'), result('cluster/ingress-without-tls', 'unable')];
    const system = finding({ key: 'container/privileged@DaemonSet/kube-system/proxy:p', scope: 'system' });
    const all = compareWithBaseline(baseline, results, [api, worker, system]);
    expect([...all.newKeys]).toEqual([api.key]);
    expect(all.fixed).toEqual([{ key: batch.key, checkId: 'container/privileged', severity: 'critical' }]);
    expect(compareWithBaseline(baseline, results, [api, worker], ['shop']).fixed).toEqual([]);
    expect(() => baselineFromReport('{"schemaVersion":2,"findings":[]}')).toThrow(/schemaVersion 1/);
    expect(() => baselineFromReport('[')).toThrow(/not JSON/);
  });

  it('records a compact per-context record: partial scans keep the other checks, system scope is left out, the size is bounded', () => {
    const previous = { at: '2026-01-01T00:00:00.000Z', findings: { 'cluster/ingress-without-tls@Ingress/shop/web': 'high' as const, [batch.key]: 'critical' as const } };
    const system = finding({ key: 'container/privileged@DaemonSet/kube-system/proxy:p', scope: 'system' });
    const record = lastScanRecord(previous, [result('container/privileged', 'fail')], [api, system], now);
    expect(record).toEqual({ at: now.toISOString(), findings: { 'cluster/ingress-without-tls@Ingress/shop/web': 'high', [api.key]: 'critical' } });
    const many = Array.from({ length: 5 }, (_, i) => finding({ key: `container/privileged@Pod/a/p${i}:c`, severity: i < 2 ? 'high' : 'low' }));
    const bounded = lastScanRecord(undefined, [result('container/privileged', 'fail')], many, now, 3);
    expect(Object.keys(bounded.findings)).toEqual([many[0]!.key, many[1]!.key]);
    expect(bounded.minSeverity).toBe('medium'); // the low ones were cut: medium and above are complete
    // Below the recorded severity nothing is called new.
    expect([...compareWithBaseline(baselineFromLastScan(bounded), [result('container/privileged', 'fail')], [...many, finding({ key: 'container/privileged@Pod/a/new:c', severity: 'critical' })]).newKeys]).toEqual(['container/privileged@Pod/a/new:c']);
  });

  it('settings keep the record per context', () => {
    const settings = openSettings({ cwd: mkdtempSync(join(tmpdir(), '4c-last-')) });
    settings.recordScan('prod', { at: now.toISOString(), findings: { [api.key]: 'critical' } });
    settings.recordScan('dev', { at: now.toISOString(), findings: {}, minSeverity: 'low' });
    const reopened = openSettings({ cwd: settings.path.replace(/\/config\.json$/, '') });
    expect(reopened.lastScan('prod')).toEqual({ at: now.toISOString(), findings: { [api.key]: 'critical' } });
    expect(reopened.lastScan('dev')?.minSeverity).toBe('low');
    expect(reopened.lastScan('__proto__')).toBeUndefined();
    expect(reopened.notices).toEqual([]);
  });

  it('the TUI marks findings new and fixed against the last scan on a check\'s first run', () => {
    const base = baselineFromLastScan({ at: now.toISOString(), findings: { [worker.key]: 'critical', [batch.key]: 'critical' } });
    let state = reducer(initialState({ connection: { status: 'ready', demo: false } }), { type: 'baseline', baseline: base });
    state = reducer(state, { type: 'checkDone', result: result('container/privileged', 'fail'), findings: [api, worker] });
    expect([...state.newKeys]).toEqual([api.key]);
    expect(state.fixed.map((f) => f.key)).toEqual([batch.key]);
    expect(state.fixed[0]).toMatchObject({ checkId: 'container/privileged', subject: { kind: 'CronJob', namespace: 'batch', name: 'nightly', container: 'job' } });
    expect(fixedFinding('container/no-such@Pod/a/b', 'low')).toBeUndefined();
  });
});
