import { describe, expect, it } from 'vitest';
import { initialState, place, reducer, type AppState } from '../../components/app-state.js';
import type { CheckResult, Finding } from '../../src/engine/types.js';

const base = (): AppState => initialState({ connection: { status: 'setup', demo: true } });
const finding = (key: string, checkId = 'container/x'): Finding => ({
  key, checkId, layer: 'container', severity: 'high', status: 'fail', title: 't', message: 'm',
  subject: { kind: 'Deployment', namespace: 'ns', name: key }, evidence: [], remediation: { why: 'w', fix: 'f' }, references: [], scope: 'workload', accepted: false,
});
const result = (id: string, n: number): CheckResult => ({ id, layer: 'container', title: 't', severity: 'high', status: n > 0 ? 'fail' : 'pass', findings: n, durationMs: 1 });

describe('place (windowing)', () => {
  it('keeps the cursor in range and the window around it', () => {
    expect(place(0, 0, 100, 10)).toEqual({ cursor: 0, offset: 0 });
    expect(place(15, 0, 100, 10)).toEqual({ cursor: 15, offset: 6 });
    expect(place(3, 6, 100, 10)).toEqual({ cursor: 3, offset: 3 });
    expect(place(500, 0, 100, 10)).toEqual({ cursor: 99, offset: 90 });
    expect(place(-4, 0, 0, 10)).toEqual({ cursor: 0, offset: 0 });
  });
});

describe('reducer', () => {
  it('cycles layers both ways and jumps to one', () => {
    let s = reducer(base(), { type: 'cycleLayer', delta: -1 });
    expect(s.layer).toBe('code');
    s = reducer(s, { type: 'cycleLayer', delta: 1 });
    expect(s.layer).toBe('cloud');
    expect(reducer(s, { type: 'layer', layer: 'cluster' }).layer).toBe('cluster');
  });

  it('returns the same object for transitions that change nothing', () => {
    const s = base();
    expect(reducer(s, { type: 'layer', layer: 'cloud' })).toBe(s);
    expect(reducer(s, { type: 'focus', focus: 'checks' })).toBe(s);
    expect(reducer(s, { type: 'move', target: 'findings', move: -1, count: 10, viewport: 5 })).toBe(s);
  });

  it('moves the findings cursor with a window of the viewport size', () => {
    let s = base();
    s = reducer(s, { type: 'move', target: 'findings', move: 'bottom', count: 20_000, viewport: 15 });
    expect([s.findingCursor, s.findingOffset]).toEqual([19_999, 19_985]);
    s = reducer(s, { type: 'move', target: 'findings', move: -20, count: 20_000, viewport: 15 });
    expect([s.findingCursor, s.findingOffset]).toEqual([19_979, 19_979]);
  });

  it('marks findings fixed and new when a check runs again', () => {
    let s = reducer(base(), { type: 'checkDone', result: result('container/x', 2), findings: [finding('a'), finding('b')] });
    expect(s.fixed).toEqual([]);
    expect(s.newKeys.size).toBe(0);
    s = reducer(s, { type: 'checkDone', result: result('container/x', 2), findings: [finding('b'), finding('c')] });
    expect(s.fixed.map((f) => f.key)).toEqual(['a']);
    expect([...s.newKeys]).toEqual(['c']);
    expect(s.findings.map((f) => f.key)).toEqual(['b', 'c']);
    s = reducer(s, { type: 'checkDone', result: result('container/x', 3), findings: [finding('a'), finding('b'), finding('c')] });
    expect(s.fixed).toEqual([]);
  });

  it('tracks a scan from start to finish and on cancel', () => {
    let s = reducer(base(), { type: 'scanStarted', label: 'everything', checksTotal: 3 });
    expect(s.scan).toMatchObject({ running: true, checksTotal: 3, checksDone: 0 });
    s = reducer(s, { type: 'scanProgress', kindsDone: 2, kindsTotal: 5 });
    s = reducer(s, { type: 'checkDone', result: result('container/x', 0), findings: [] });
    expect(s.scan.checksDone).toBe(1);
    s = reducer(s, { type: 'scanFinished', durationMs: 12 });
    expect(s.scan).toMatchObject({ running: false, completed: true });
    s = reducer(reducer(s, { type: 'scanStarted', label: 'x', checksTotal: 1 }), { type: 'scanCancelled' });
    expect(s.scan.running).toBe(false);
    expect(s.flash?.text).toMatch(/cancelled/);
  });

  it('cycles sort and the minimum severity; a query resets the cursor', () => {
    let s = reducer(base(), { type: 'cycleSort', modes: ['severity', 'resource', 'check'] });
    expect(s.sort).toBe('resource');
    s = reducer(s, { type: 'cycleSeverity' });
    expect(s.minSeverity).toBe('critical');
    s = reducer(reducer(s, { type: 'move', target: 'findings', move: 5, count: 10, viewport: 3 }), { type: 'query', query: 'priv' });
    expect([s.query, s.findingCursor]).toEqual(['priv', 0]);
  });
});
