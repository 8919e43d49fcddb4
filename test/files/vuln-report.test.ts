import { describe, expect, it } from 'vitest';
import { parseVulnReport, scoreSeverity } from '../../src/files/vuln-report.js';

describe('parseVulnReport', () => {
  it('reads npm audit --json (v2)', () => {
    const report = parseVulnReport(JSON.stringify({
      auditReportVersion: 2,
      vulnerabilities: {
        semver: { name: 'semver', severity: 'high', isDirect: false, via: [{ source: 1101088, name: 'semver', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-c2qf-rxjj-qqgw', severity: 'high', range: '>=7.0.0 <7.5.2' }], range: '7.0.0 - 7.5.1', fixAvailable: true },
        tar: { name: 'tar', severity: 'moderate', via: ['node-gyp'], range: '<6.2.1', fixAvailable: false },
      },
    }));
    expect(report.format).toBe('npm-audit');
    expect(report.packages).toEqual([
      expect.objectContaining({ name: 'semver', vulnerabilities: [{ id: 'GHSA-c2qf-rxjj-qqgw', severity: 'high', fixed: 'npm audit fix' }] }),
      expect.objectContaining({ name: 'tar', vulnerabilities: [expect.objectContaining({ severity: 'medium' })] }),
    ]);
    expect(report.packages[1]?.vulnerabilities[0]?.fixed).toBeUndefined();
  });

  it('reads npm audit --json (legacy v1 advisories)', () => {
    const report = parseVulnReport(JSON.stringify({ advisories: { 1179: { module_name: 'minimist', severity: 'critical', github_advisory_id: 'GHSA-xvch-5gv4-984h', patched_versions: '>=1.2.6', findings: [{ version: '1.2.5', paths: ['mkdirp>minimist'] }] } } }));
    expect(report.packages).toEqual([{ ecosystem: 'npm', name: 'minimist', version: '1.2.5', source: 'package-lock.json', vulnerabilities: [{ id: 'GHSA-xvch-5gv4-984h', severity: 'critical', fixed: '>=1.2.6' }] }]);
  });

  it('reads OSV-Scanner JSON with CVSS group severities and fixed events', () => {
    const report = parseVulnReport(JSON.stringify({ results: [{ source: { path: '/src/go.mod', type: 'lockfile' }, packages: [{
      package: { name: 'golang.org/x/crypto', version: '0.30.0', ecosystem: 'Go' },
      vulnerabilities: [{ id: 'GO-2025-3487', affected: [{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '0.35.0' }] }] }] }],
      groups: [{ ids: ['GO-2025-3487'], max_severity: '5.3' }],
    }] }] }));
    expect(report).toEqual({ format: 'osv-scanner', packages: [{ ecosystem: 'Go', name: 'golang.org/x/crypto', version: '0.30.0', source: '/src/go.mod', vulnerabilities: [{ id: 'GO-2025-3487', severity: 'medium', fixed: '0.35.0' }] }] });
  });

  it('reads Trivy JSON and groups by package', () => {
    const report = parseVulnReport(JSON.stringify({ SchemaVersion: 2, ArtifactName: '.', Results: [{ Target: 'Cargo.lock', Type: 'cargo', Vulnerabilities: [
      { VulnerabilityID: 'RUSTSEC-2024-0001', PkgName: 'openssl', InstalledVersion: '0.10.55', FixedVersion: '0.10.60', Severity: 'HIGH' },
      { VulnerabilityID: 'RUSTSEC-2024-0002', PkgName: 'openssl', InstalledVersion: '0.10.55', Severity: 'LOW' },
    ] }] }));
    expect(report.packages).toHaveLength(1);
    expect(report.packages[0]?.vulnerabilities.map((v) => [v.severity, v.fixed])).toEqual([['high', '0.10.60'], ['low', undefined]]);
  });

  it('rejects other JSON and non-JSON', () => {
    expect(() => parseVulnReport('{"hello": 1}')).toThrow(/not an npm audit/);
    expect(() => parseVulnReport('nope')).toThrow(/not JSON/);
  });

  it('maps CVSS scores', () => {
    expect([9.8, 7.0, 4.0, 3.9].map(scoreSeverity)).toEqual(['critical', 'high', 'medium', 'low']);
  });
});
