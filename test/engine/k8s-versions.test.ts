import { describe, expect, it } from 'vitest';
import {
  KUBERNETES_MINORS, PROVIDER_SUPPORT, VERSION_TABLE_COMPILED, minorSupport, onOrBefore, parseKubeVersion, providerSupport, scanTime, serverVersion, supportedMinors,
} from '../../src/engine/k8s-versions.js';

const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

describe('the version table', () => {
  it('is contiguous, ordered, and each minor lives about 14 months', () => {
    KUBERNETES_MINORS.forEach((r, i) => {
      if (i > 0) expect(r.minor).toBe((KUBERNETES_MINORS[i - 1]?.minor ?? 0) + 1);
      const months = (Date.parse(r.endOfLife) - Date.parse(r.released)) / (30.44 * 86_400_000);
      expect(months).toBeGreaterThan(13);
      expect(months).toBeLessThan(16);
    });
  });

  it('records the upstream end-of-life dates', () => {
    const eol = Object.fromEntries(KUBERNETES_MINORS.map((r) => [r.minor, r.endOfLife]));
    expect(eol).toMatchObject({ 30: '2025-07-15', 31: '2025-10-28', 32: '2026-02-28', 33: '2026-06-28', 34: '2026-10-27', 35: '2027-02-28', 36: '2027-06-28', 37: '2027-10-28' });
    expect(VERSION_TABLE_COMPILED).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('supportedMinors(now)', () => {
  it.each([
    ['2026-07-01', [36, 35, 34]],
    ['2026-10-27', [37, 36, 35, 34]],
    ['2026-10-28', [37, 36, 35]],
    ['2026-11-28', [37, 36, 35]],
    ['2027-03-01', [37, 36]],
  ])('at %s', (date, minors) => expect(supportedMinors(at(date))).toEqual(minors));

  it('counts the end-of-life date itself as supported', () => {
    expect(onOrBefore(new Date('2026-06-28T23:59:59Z'), '2026-06-28')).toBe(true);
    expect(onOrBefore(new Date('2026-06-29T00:00:00Z'), '2026-06-28')).toBe(false);
  });
});

describe('minorSupport', () => {
  it('knows end-of-life, unreleased and unknown minors', () => {
    expect(minorSupport(1, 33, at('2026-11-28')).state).toBe('end-of-life');
    expect(minorSupport(1, 36, at('2026-11-28')).state).toBe('supported');
    expect(minorSupport(1, 37, at('2026-06-01')).state).toBe('unreleased');
    expect(minorSupport(1, 12, at('2026-11-28')).state).toBe('end-of-life');
    expect(minorSupport(1, 40, at('2026-11-28')).state).toBe('newer-than-table');
  });
});

describe('provider extended support', () => {
  it('uses the EKS table where it has a date', () => {
    expect(providerSupport('aws', 33, at('2026-11-28'))).toEqual({ inSupport: true, date: '2027-07-29', approximate: false });
    expect(providerSupport('aws', 29, at('2026-11-28'))).toEqual({ inSupport: false, date: '2026-03-23', approximate: false });
  });

  it('approximates GKE and AKS windows from the upstream release', () => {
    const gke = PROVIDER_SUPPORT.gcp.end(33);
    expect(gke?.approximate).toBe(true);
    expect(gke?.date).toBe('2027-05-23');
    expect(providerSupport('azure', 33, at('2026-11-28'))?.inSupport).toBe(true);
  });
});

describe('version parsing', () => {
  it.each([
    ['v1.33.4', { major: 1, minor: 33, patch: 4 }],
    ['v1.31.2-eks-7f9249a', { major: 1, minor: 31, patch: 2 }],
    ['1.30.5-gke.1014001', { major: 1, minor: 30, patch: 5 }],
    ['v1.29.3+k3s1', { major: 1, minor: 29, patch: 3 }],
    ['v1.35', { major: 1, minor: 35 }],
  ])('%s', (text, expected) => expect(parseKubeVersion(text)).toEqual(expected));

  it('rejects garbage', () => expect(parseKubeVersion('latest')).toBeUndefined());

  it('strips non-digits from /version minor (managed clusters report "33+")', () => {
    expect(serverVersion({ major: '1', minor: '33+', gitVersion: 'v1.33.5-eks-3025e55' })).toEqual({ major: 1, minor: 33, patch: 5 });
    expect(serverVersion({ major: '', minor: '', gitVersion: 'v1.34.1' })).toEqual({ major: 1, minor: 34, patch: 1 });
  });

  it('takes the scan time from the snapshot when known', () => {
    expect(scanTime({ collectedAt: '2026-07-01T00:00:00Z' }).toISOString()).toBe('2026-07-01T00:00:00.000Z');
    const before = Date.now();
    expect(scanTime({}).getTime()).toBeGreaterThanOrEqual(before);
  });
});
