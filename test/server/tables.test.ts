import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../../src/engine/k8s.js';
import { resourceInfo } from '../../src/engine/resources.js';
import { humanDuration, printerFor } from '../../src/server/tables.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (kubectl AGE)', () => {
  it('matches apimachinery HumanDuration at its boundaries', () => {
    const cases: [number, string][] = [
      [-5 * S, '<invalid>'],
      [-1 * S, '0s'],
      [0, '0s'],
      [119 * S, '119s'],
      [2 * M, '2m'],
      [2 * M + 5 * S, '2m5s'],
      [10 * M + 5 * S, '10m'],
      [179 * M, '179m'],
      [3 * H, '3h'],
      [3 * H + 20 * M, '3h20m'],
      [8 * H + 20 * M, '8h'],
      [47 * H, '47h'],
      [2 * D, '2d'],
      [2 * D + 5 * H, '2d5h'],
      [8 * D + 5 * H, '8d'],
      [729 * D, '729d'],
      [2 * 365 * D, '2y'],
      [3 * 365 * D + 10 * D, '3y10d'],
      [9 * 365 * D + 10 * D, '9y'],
    ];
    for (const [ms, text] of cases) expect(humanDuration(ms), text).toBe(text);
  });
});

describe('pod printer', () => {
  const now = Date.parse('2025-06-01T12:00:00Z');
  const cells = (status: Record<string, unknown>, spec: Record<string, unknown> = { containers: [{ name: 'a' }, { name: 'b' }] }, meta: Record<string, unknown> = {}): unknown[] =>
    printerFor(resourceInfo('pods')).cells(
      { metadata: { name: 'p', creationTimestamp: '2025-06-01T11:00:00Z', ...meta }, spec, status } as K8sObject,
      now,
    );
  const running = { running: {} };

  it('computes READY, STATUS, RESTARTS and AGE like kubectl', () => {
    expect(cells({ phase: 'Running', containerStatuses: [{ name: 'a', ready: true, restartCount: 1, state: running }, { name: 'b', ready: false, restartCount: 0, state: running }] }).slice(0, 5))
      .toEqual(['p', '1/2', 'Running', '1', '60m']);
    expect(cells({
      phase: 'Running',
      containerStatuses: [{ name: 'a', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { finishedAt: '2025-06-01T11:55:00Z' } } }],
    }).slice(1, 4)).toEqual(['0/2', 'CrashLoopBackOff', '3 (5m ago)']);
    expect(cells({ phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }] })[2]).toBe('Signal:9');
    expect(cells({ phase: 'Succeeded', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] })[2]).toBe('Completed');
    expect(cells({ phase: 'Pending' }, { containers: [{ name: 'a' }] })[1]).toBe('0/1');
  });

  it('shows init containers, eviction reasons and termination', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] };
    expect(cells({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: running }] }, spec)[2]).toBe('Init:1/2');
    expect(cells({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'ImagePullBackOff' } } }] }, spec)[2]).toBe('Init:ImagePullBackOff');
    expect(cells({ phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 2 } } }] }, spec)[2]).toBe('Init:ExitCode:2');
    expect(cells({ phase: 'Failed', reason: 'Evicted' })[2]).toBe('Evicted');
    expect(cells({ phase: 'Running' }, undefined, { deletionTimestamp: '2025-06-01T11:59:00Z' })[2]).toBe('Terminating');
  });

  it('never throws on odd objects', () => {
    for (const info of ['pods', 'nodes', 'services', 'deployments', 'secrets', 'clusterrolebindings', 'namespaces', 'configmaps'] as const) {
      const printer = printerFor(resourceInfo(info));
      const row = printer.cells({ metadata: {} }, Date.now());
      expect(row).toHaveLength(printer.columns.length);
    }
  });
});

describe('other printers', () => {
  const now = Date.now();
  it('prints services, nodes and bindings like kubectl', () => {
    const svc = printerFor(resourceInfo('services')).cells(
      { metadata: { name: 'web' }, spec: { type: 'LoadBalancer', clusterIP: '10.96.0.10', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } }, status: { loadBalancer: {} } },
      now,
    );
    expect(svc.slice(0, 5)).toEqual(['web', 'LoadBalancer', '10.96.0.10', '<pending>', '80:30080/TCP,53/UDP']);
    const nodeRow = printerFor(resourceInfo('nodes')).cells(
      { metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/infra': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'False' }] } },
      now,
    );
    expect(nodeRow.slice(0, 3)).toEqual(['n1', 'NotReady,SchedulingDisabled', 'infra,worker']);
    const rb = printerFor(resourceInfo('rolebindings')).cells(
      { metadata: { name: 'rb' }, roleRef: { kind: 'Role', name: 'reader' }, subjects: [{ kind: 'User', name: 'alice' }, { kind: 'ServiceAccount', name: 'ci', namespace: 'build' }] },
      now,
    );
    expect([rb[0], rb[1], rb[3], rb[4], rb[5]]).toEqual(['rb', 'Role/reader', 'alice', '', 'build/ci']);
  });
});
