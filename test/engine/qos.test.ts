import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../src/engine/k8s.js';
import { qosClassOf, quantityValue, sameQuantity, setResourcesCommand } from '../../src/engine/qos.js';
import type { Workload } from '../../src/engine/snapshot.js';

const spec = (containers: PodSpec['containers'], extra: Partial<PodSpec> = {}): PodSpec => ({ containers, ...extra });

describe('qosClassOf', () => {
  it('follows the API rules (requests default to limits)', () => {
    expect(qosClassOf(spec([{ name: 'a' }]))).toBe('BestEffort');
    expect(qosClassOf(spec([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }]))).toBe('Guaranteed');
    expect(qosClassOf(spec([{ name: 'a', resources: { requests: { cpu: '1000m', memory: '1024Mi' }, limits: { cpu: '1', memory: '1Gi' } } }]))).toBe('Guaranteed');
    expect(qosClassOf(spec([{ name: 'a', resources: { requests: { cpu: '100m' } } }]))).toBe('Burstable');
    expect(qosClassOf(spec([{ name: 'a' }], { initContainers: [{ name: 'init', resources: { requests: { memory: '64Mi' } } }] }))).toBe('Burstable');
  });

  it('counts pod-level resources', () => {
    expect(qosClassOf(spec([{ name: 'a' }], { resources: { requests: { cpu: '1' } } }))).toBe('Burstable');
  });

  it('applies LimitRange defaults given for templates', () => {
    const defaults = { limits: { memory: { value: '512Mi', from: 'lr' } }, requests: { cpu: { value: '100m', from: 'lr' }, memory: { value: '128Mi', from: 'lr' } } };
    expect(qosClassOf(spec([{ name: 'a' }]), defaults)).toBe('Burstable');
  });
});

describe('quantities', () => {
  it.each([['1', 1], ['100m', 0.1], ['1Gi', 2 ** 30], ['1.5G', 1.5e9], ['2e3', 2000]])('%s', (q, v) => expect(quantityValue(q)).toBeCloseTo(v));
  it('compares across suffixes', () => {
    expect(sameQuantity('1', '1000m')).toBe(true);
    expect(sameQuantity('1Gi', '1024Mi')).toBe(true);
    expect(sameQuantity('1G', '1Gi')).toBe(false);
  });
});

describe('setResourcesCommand', () => {
  const workload = (kind: string, name = 'api'): Workload => ({
    kind, namespace: 'shop', name, labels: {}, annotations: {}, specPath: kind === 'Pod' ? 'spec' : 'spec.template.spec', source: 'pods', replicas: 1,
    revisions: [{ spec: { containers: [{ name: 'web' }] }, meta: {}, pods: 1 }], isStatic: false,
  });
  const web = { container: { name: 'web' }, list: 'containers' as const, index: 0 };
  const init = { container: { name: 'init' }, list: 'initContainers' as const, index: 0 };

  it('uses kubectl set resources for mutable templates', () => {
    expect(setResourcesCommand(workload('Deployment'), web, { limits: { memory: '256Mi' } }))
      .toBe("kubectl -n 'shop' set resources 'deployment/api' -c 'web' '--limits=memory=256Mi'");
  });

  it('quotes hostile names', () => {
    expect(setResourcesCommand(workload('StatefulSet', "x'; rm -rf ~"), web, { requests: { cpu: '<cpu>' } }))
      .toBe("kubectl -n 'shop' set resources 'statefulset/x'\\''; rm -rf ~' -c 'web' '--requests=cpu=<cpu>'");
  });

  it('patches init containers and falls back to export/replace for pods', () => {
    expect(setResourcesCommand(workload('Deployment'), init, { limits: { memory: '64Mi' } })).toContain('"initContainers":[{"name":"init","resources":{"limits":{"memory":"64Mi"}}}]');
    expect(setResourcesCommand(workload('Pod'), web, { limits: { memory: '64Mi' } })).toContain('kubectl replace --force -f');
  });
});
