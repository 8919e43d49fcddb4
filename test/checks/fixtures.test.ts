/**
 * One generic runner: every check × every fixture → the status the fixture's name promises,
 * plus the FixtureExpect details when given. The snapshot is deep-frozen so a check that
 * mutates its input fails here.
 */
import { describe, expect, it } from 'vitest';
import { CHECKS } from '../../checks/index.js';
import { runCheck } from '../../src/engine/run.js';
import { allFixtures, loadFixture } from '../helpers/fixtures.js';
import { deepFreeze } from '../helpers/freeze.js';

const fixtures = allFixtures();

describe.each(CHECKS.map((c) => [c.id, c] as const))('%s', (id, check) => {
  const files = fixtures.get(id) ?? [];
  it('has fixtures', () => expect(files.length).toBeGreaterThan(0));
  it.each(files.map((f) => [f.slice(f.lastIndexOf('/') + 1), f] as const))('%s', (_name, file) => {
    const fixture = loadFixture(id, file);
    deepFreeze(fixture.snapshot);
    const { result, findings } = runCheck(check, fixture.snapshot);
    const e = fixture.expect;
    expect({ status: result.status, reason: result.reason }).toMatchObject({ status: e.status });
    if (e.findings !== undefined) expect(findings).toHaveLength(e.findings);
    if (e.severity !== undefined) expect(findings.map((f) => f.severity)).toContain(e.severity);
    if (e.subjects !== undefined) {
      const subjects = findings.map((f) => {
        const s = f.subject;
        const base = s.file !== undefined ? `${s.file}:${s.line ?? ''}` : `${s.kind}/${s.namespace ?? ''}/${s.name}`;
        return s.container !== undefined ? `${base}:${s.container}` : base;
      });
      expect([...subjects].sort()).toEqual([...e.subjects].sort());
    }
    // `message` matches a finding's message, or the reason of an unable/not-applicable/pass result.
    if (e.message !== undefined) expect([...findings.map((f) => f.message), result.reason ?? ''].join('\n')).toContain(e.message);
    // Every generated command is present only with findings and names no unquoted value.
    for (const f of findings) {
      expect(f.remediation.why.length).toBeGreaterThan(0);
      expect(f.remediation.fix.length).toBeGreaterThan(0);
    }
  });
});
