/** The runner: isolation, unable on missing data, finding keys and dedupe. */
import { describe, expect, it } from 'vitest';
import { findings as outcome } from '../../src/engine/helpers.js';
import { snapshotFromObjects } from '../../src/engine/objects.js';
import { runChecks } from '../../src/engine/run.js';
import { Snapshot } from '../../src/engine/snapshot.js';
import type { Check } from '../../src/engine/types.js';

function check(id: string, evaluate: Check['evaluate'], needs: Check['needs'] = ['pods']): Check {
  return {
    id, layer: 'container', title: `Check ${id}`, severity: 'high', description: 'test check', remediation: 'Fix it.',
    references: [{ title: 't', url: 'https://example.org' }], needs, evaluate,
  };
}
const finding = (name: string, discriminator?: string) => ({
  subject: { kind: 'Deployment', namespace: 'shop', name }, message: `bad ${name}`,
  remediation: { why: 'w', fix: 'f' }, ...(discriminator ? { discriminator } : {}),
});

describe('runChecks', () => {
  it('isolates a throwing check as error with its message; the others still run', () => {
    const { snapshot } = snapshotFromObjects([]);
    const { results, findings } = runChecks(snapshot, [
      check('container/boom', () => { throw new Error('kaboom\nstack line'); }),
      check('container/ok', () => outcome([finding('api')])),
    ]);
    expect(results.map((r) => [r.id, r.status, r.reason])).toEqual([
      ['container/boom', 'error', 'kaboom'],
      ['container/ok', 'fail', undefined],
    ]);
    expect(findings).toHaveLength(1);
  });

  it('is unable — never pass — when a required kind was forbidden, and says why', () => {
    const snapshot = new Snapshot({ lists: { pods: [] }, errors: { secrets: { code: 'forbidden', status: 403, message: 'missing permission: list secrets' } } });
    const evaluated: string[] = [];
    const { results } = runChecks(snapshot, [
      check('cluster/needs-secrets', () => { evaluated.push('secrets'); return outcome([]); }, ['pods', 'secrets']),
      check('cluster/needs-pods', () => { evaluated.push('pods'); return outcome([]); }),
    ]);
    expect(results.map((r) => [r.status, r.reason])).toEqual([['unable', 'missing permission: list secrets'], ['pass', undefined]]);
    expect(evaluated).toEqual(['pods']);
  });

  it('is not-applicable when the user did not ask for the input (no --code)', () => {
    const snapshot = new Snapshot({ errors: { files: { code: 'not-requested', message: 'no source tree given (scan --code DIR)' } } });
    const { results } = runChecks(snapshot, [check('code/x', () => outcome([]), ['files'])]);
    expect(results[0]).toMatchObject({ status: 'not-applicable', reason: 'no source tree given (scan --code DIR)' });
  });

  it('keys findings stably, dedupes equal keys, and keeps discriminated ones apart', () => {
    const { snapshot } = snapshotFromObjects([]);
    const run = () => runChecks(snapshot, [check('container/k', () => outcome([finding('api'), finding('api'), finding('api', 'port-80')]))]).findings;
    const first = run();
    expect(first.map((f) => f.key)).toEqual(['container/k@Deployment/shop/api', 'container/k@Deployment/shop/api#port-80']);
    expect(run().map((f) => f.key)).toEqual(first.map((f) => f.key));
  });

  it('marks warn-only checks warn, applies severity overrides and system scope', () => {
    const { snapshot } = snapshotFromObjects([]);
    const { results, findings } = runChecks(snapshot, [
      check('container/w', () => outcome([{ ...finding('api'), status: 'warn' as const }, { ...finding('dns'), subject: { kind: 'Deployment', namespace: 'kube-system', name: 'coredns' }, status: 'warn' as const }])),
    ], { severityOverrides: { 'container/w': 'low' } });
    expect(results[0]?.status).toBe('warn');
    expect(findings.map((f) => [f.severity, f.scope])).toEqual([['low', 'workload'], ['low', 'system']]);
  });
});
