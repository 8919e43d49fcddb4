import { describe, expect, it } from 'vitest';
import { isSandboxed, isUntrusted } from '../../checks/container/sandboxed-runtime-not-used.js';

describe('isSandboxed: handler or name matches runsc|gvisor|kata|firecracker|vm-isolation|hypervisor', () => {
  it.each([
    [{ metadata: { name: 'gvisor' }, handler: 'runsc' }, true],
    [{ metadata: { name: 'secure' }, handler: 'runsc' }, true],
    [{ metadata: { name: 'kata-qemu' }, handler: 'kata-qemu' }, true],
    [{ metadata: { name: 'KATA' }, handler: 'x' }, true],
    [{ metadata: { name: 'fc' }, handler: 'kata-fc' }, true],
    [{ metadata: { name: 'firecracker' }, handler: 'x' }, true],
    [{ metadata: { name: 'windows-hyperv' }, handler: 'runhcs-wcow-hypervisor' }, true],
    [{ metadata: { name: 'standard' }, handler: 'runc' }, false],
    [{ metadata: { name: 'nvidia' }, handler: 'nvidia' }, false],
    [{ metadata: { name: 'crun' }, handler: 'crun' }, false],
  ])('%j → %s', (rc, expected) => expect(isSandboxed(rc)).toBe(expected));
});

describe('isUntrusted: names, "prefix*", label "key=value" or a label key', () => {
  const labels = { tenancy: 'untrusted', 'example.com/tier': 'ci', 'kubernetes.io/metadata.name': 'ci-runners' };
  it.each([
    [['ci-runners'], true],
    [['ci-run'], false],
    [['ci-*'], true],
    [['tenant-*'], false],
    [['tenancy=untrusted'], true],
    [['tenancy = untrusted'], true],
    [['tenancy==untrusted'], true],
    [['tenancy=trusted'], false],
    [['example.com/tier'], true],
    [['example.com/other'], false],
    [['', '  '], false],
    [['shop', 'ci-*'], true],
  ])('%j → %s', (entries, expected) => expect(isUntrusted(entries, 'ci-runners', labels)).toBe(expected));
});
